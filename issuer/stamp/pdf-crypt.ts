// PDF Standard security handler, the part a stamper needs: derive the file key from the empty
// user password and encrypt new streams with it (ISO 32000-2 §7.6.2-7.6.4.3), deterministically.

import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { StampError } from './errors.js';

/** The /Encrypt entries the stamper reads, already pulled out of the PDF objects. */
export interface EncryptInfo {
  filter: string | undefined;
  v: number;
  r: number;
  lengthBits: number;
  o: Uint8Array;
  u: Uint8Array;
  oe?: Uint8Array | undefined;
  ue?: Uint8Array | undefined;
  p: number;
  encryptMetadata: boolean;
  /** /CFM of the crypt filter named by /StmF (`V2`, `AESV2`, `AESV3`, `None`), when V >= 4. */
  streamMethod?: string | undefined;
  id0: Uint8Array;
}

/** Encrypts the bytes of a new stream object; `objNum`/`gen` are the object's number and generation. */
export type StreamEncryptor = (objNum: number, gen: number, plain: Uint8Array) => Uint8Array;

/** ISO 32000-2 §7.6.4.3.2 step (a): the 32-byte padding string. */
const PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e,
  0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

/** Whether /P allows modifying the document (bit 4, ISO 32000-2 Table 22). @example permitsChanges(-44) // false */
export function permitsChanges(p: number): boolean {
  return (p & 8) !== 0;
}

function md5(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** RC4 (ARCFOUR): written out because OpenSSL 3 only offers it in the legacy provider.
 * @example rc4(utf8('Key'), utf8('Plaintext')) // bb f3 16 e8 d9 40 af 0a d3 */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

function le32(n: number): Uint8Array {
  return Uint8Array.from([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255]);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Algorithm 2 (R 2-4) with the empty user password, checked against /U (Algorithms 4 and 5). */
function legacyKey(info: EncryptInfo): Uint8Array {
  const n = info.r === 2 ? 5 : info.lengthBits / 8;
  let key = md5(PAD, info.o.subarray(0, 32), le32(info.p), info.id0, info.r >= 4 && !info.encryptMetadata ? le32(-1) : new Uint8Array(0));
  if (info.r >= 3) for (let i = 0; i < 50; i++) key = md5(key.subarray(0, n));
  key = key.slice(0, n);
  let ok: boolean;
  if (info.r === 2) {
    ok = equal(rc4(key, PAD), info.u.subarray(0, 32));
  } else {
    let x = rc4(key, md5(PAD, info.id0));
    for (let i = 1; i <= 19; i++)
      x = rc4(
        key.map((b) => b ^ i),
        x,
      );
    ok = equal(x, info.u.subarray(0, 16));
  }
  if (!ok) throw new StampError('PDF_ENCRYPTED_PASSWORD', 'the user password is not empty');
  return key;
}

/** Algorithm 2.B (R 6): the iterated SHA-2 hash of a password. */
function hash2B(password: Uint8Array, salt: Uint8Array, udata: Uint8Array): Uint8Array {
  let k = new Uint8Array(createHash('sha256').update(password).update(salt).update(udata).digest());
  for (let i = 0; ; i++) {
    const k1Unit = new Uint8Array(password.length + k.length + udata.length);
    k1Unit.set(password, 0);
    k1Unit.set(k, password.length);
    k1Unit.set(udata, password.length + k.length);
    const k1 = new Uint8Array(k1Unit.length * 64);
    for (let j = 0; j < 64; j++) k1.set(k1Unit, j * k1Unit.length);
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    c.setAutoPadding(false);
    const e = new Uint8Array(Buffer.concat([c.update(k1), c.final()]));
    let mod = 0;
    for (let j = 0; j < 16; j++) mod += e[j]!;
    const alg = ['sha256', 'sha384', 'sha512'][mod % 3]!;
    k = new Uint8Array(createHash(alg).update(e).digest());
    if (i >= 63 && e[e.length - 1]! <= i + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/** Algorithm 2.A (R 5 and 6) with the empty user password. */
function aes256Key(info: EncryptInfo): Uint8Array {
  if (!info.ue || info.ue.length < 32 || info.u.length < 48) throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', 'missing /UE');
  const empty = new Uint8Array(0);
  const hash = (salt: Uint8Array) =>
    info.r === 5 ? new Uint8Array(createHash('sha256').update(salt).digest()) : hash2B(empty, salt, empty);
  if (!equal(hash(info.u.subarray(32, 40)), info.u.subarray(0, 32))) {
    throw new StampError('PDF_ENCRYPTED_PASSWORD', 'the user password is not empty');
  }
  const d = createDecipheriv('aes-256-cbc', hash(info.u.subarray(40, 48)), new Uint8Array(16));
  d.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([d.update(info.ue.subarray(0, 32)), d.final()]));
}

function aesCbc(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]); // PKCS#5 padding, as §7.6.3 asks
  const out = new Uint8Array(16 + body.length);
  out.set(iv, 0);
  out.set(body, 16);
  return out;
}

function aesCbcDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 32 || data.length % 16 !== 0) return new Uint8Array(0);
  const d = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
  return new Uint8Array(Buffer.concat([d.update(data.subarray(16)), d.final()]));
}

/** Encrypts new streams and decrypts existing ones with a document's file key. */
export interface StreamCrypto {
  encrypt: StreamEncryptor;
  /** The decryptor of object `objNum` `gen`'s stream bytes (what a reader of page content needs). */
  decryptFor: (objNum: number, gen: number) => (data: Uint8Array) => Uint8Array;
}

/**
 * The stream encryptor and decryptor for a document, or a StampError when the handler is not supported or
 * needs a password. AES initialisation vectors are HMAC-SHA256(file key, object id || plaintext)
 * truncated to 16 bytes: deterministic (same input, same bytes) yet never reused across
 * different plaintexts under one key, which is what CBC needs.
 *
 * @example
 * const { encrypt, decryptFor } = streamCrypto(info); const bytes = encrypt(12, 0, plainContent);
 */
export function streamCrypto(info: EncryptInfo): StreamCrypto {
  if (info.filter !== 'Standard') throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', `security handler ${info.filter}`);
  let method: 'RC4' | 'AESV2' | 'AESV3' | 'None';
  if (info.v === 1 || info.v === 2) method = 'RC4';
  else if (info.v === 4 || info.v === 5) {
    const m = info.streamMethod ?? 'None';
    if (m === 'V2') method = 'RC4';
    else if (m === 'AESV2' || m === 'AESV3' || m === 'None') method = m;
    else throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', `crypt filter method ${m}`);
  } else throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', `/V ${info.v}`);
  if (![2, 3, 4, 5, 6].includes(info.r)) throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', `/R ${info.r}`);

  const fileKey = info.r >= 5 ? aes256Key(info) : legacyKey(info);
  const same = (_n: number, _g: number, plain: Uint8Array) => plain;
  if (method === 'None') return { encrypt: same, decryptFor: () => (d) => d };
  const iv = (n: number, g: number, plain: Uint8Array) =>
    new Uint8Array(createHmac('sha256', fileKey).update(`${n} ${g}:`).update(plain).digest()).subarray(0, 16);
  if (method === 'AESV3')
    return { encrypt: (n, g, plain) => aesCbc(fileKey, iv(n, g, plain), plain), decryptFor: () => (d) => aesCbcDecrypt(fileKey, d) };
  // Algorithm 1: per-object key from the file key, object number and generation.
  const objectKey = (n: number, g: number, aes: boolean) => {
    const extra = Uint8Array.from([n & 255, (n >> 8) & 255, (n >> 16) & 255, g & 255, (g >> 8) & 255]);
    const salt = aes ? Uint8Array.from([0x73, 0x41, 0x6c, 0x54]) : new Uint8Array(0);
    return md5(fileKey, extra, salt).subarray(0, Math.min(fileKey.length + 5, 16));
  };
  if (method === 'AESV2')
    return {
      encrypt: (n, g, plain) => aesCbc(objectKey(n, g, true), iv(n, g, plain), plain),
      decryptFor: (n, g) => (d) => aesCbcDecrypt(objectKey(n, g, true), d),
    };
  return { encrypt: (n, g, plain) => rc4(objectKey(n, g, false), plain), decryptFor: (n, g) => (d) => rc4(objectKey(n, g, false), d) };
}

/**
 * The stream encryptor for a document (see {@link streamCrypto}).
 * @example const enc = streamEncryptor(info); const bytes = enc(12, 0, plainContent);
 */
export function streamEncryptor(info: EncryptInfo): StreamEncryptor {
  return streamCrypto(info).encrypt;
}
