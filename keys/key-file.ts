// Encrypted key files: an Ed25519 seed under scrypt + AES-256-GCM, with a readable header bound as AAD.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { bytesEqual, fromHex, toHex } from '../core/bytes.js';
import { keyId } from '../core/hash.js';
import { selectBackendSync } from '../core/crypto/index.js';
import type { Ed25519Backend, SigningKey } from '../core/crypto/backend.js';
import { writeFileAtomic } from './atomic.js';
import { userError } from './errors.js';
import { readJsonChecked } from './files.js';
import { checkPublicKey } from './public-key.js';

/*
 * KEY FILE FORMAT "urseal-key", version 1 (JSON, UTF-8, mode 0600):
 *
 *   { "format": "urseal-key", "version": 1, "kind": "root" | "agency", "agency"?: id, "name"?: text,
 *     "kid": hex(8), "publicKey": hex(32), "createdAt": ISO 8601,
 *     "kdf": { "name": "scrypt", "logN": 15..17, "r": 8, "p": 1, "salt": base64(16) },
 *     "cipher": { "name": "aes-256-gcm", "iv": base64(12) },
 *     "ciphertext": base64(32), "tag": base64(16) }
 *
 * key = scrypt(passphrase NFC UTF-8, salt, N = 2^logN, r, p, 32 bytes) (RFC 7914);
 * ciphertext || tag = AES-256-GCM(key, iv, seed, AAD) (NIST SP 800-38D), where
 * AAD = UTF-8("urseal-key/v1\n" + JSON of every field except ciphertext and tag, keys sorted).
 * So kid, public key, kind, agency and KDF parameters are readable without the passphrase, and changing
 * any of them makes decryption fail (no swapping the public key shown, no downgrading the KDF).
 * After decryption the seed must yield the public key in the header (checked again, belt and braces).
 *
 * scrypt cost: N = 2^17, r = 8 (128 MiB, ~0.3-0.5 s here) on creation. Files read may use 2^10..2^18; the
 * environment variable URSEAL_SCRYPT_N (a power of two, 1024..2^18) lowers the cost of NEW files and is
 * meant for tests only: a key file made with it is much easier to brute-force.
 */

export const KEY_FILE_FORMAT = 'urseal-key';
export const KEY_FILE_VERSION = 1;
/** log2 of scrypt N for new key files (RFC 7914 recommends N >= 2^14 interactively; files at rest get more). */
export const DEFAULT_SCRYPT_LOG_N = 17;
const MIN_READ_LOG_N = 10;
// 2^18 with r = 8 needs 256 MiB: a hostile key file cannot make us allocate more.
const MAX_READ_LOG_N = 18;

export type KeyKind = 'root' | 'agency';

/** The public part of a key file, readable without the passphrase. */
export interface KeyFileHeader {
  format: typeof KEY_FILE_FORMAT;
  version: typeof KEY_FILE_VERSION;
  kind: KeyKind;
  agency?: string;
  name?: string;
  kid: string;
  publicKey: string;
  createdAt: string;
  kdf: { name: 'scrypt'; logN: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string };
}

export interface KeyFile extends KeyFileHeader {
  ciphertext: string;
  tag: string;
}

/** A decrypted key, imported into a backend. */
export interface UnlockedKey {
  header: KeyFileHeader;
  backend: Ed25519Backend;
  key: SigningKey;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The additional authenticated data: every header field, canonically ordered. */
export function headerAad(h: KeyFileHeader): Buffer {
  const header: Record<string, unknown> = { ...h };
  delete header['ciphertext'];
  delete header['tag'];
  return Buffer.from(`urseal-key/v1\n${JSON.stringify(sortKeys(header))}`, 'utf8');
}

/** log2 N for new files: 17, or URSEAL_SCRYPT_N (tests only). */
export function scryptLogNForNewFiles(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['URSEAL_SCRYPT_N'];
  if (raw === undefined || raw === '') return DEFAULT_SCRYPT_LOG_N;
  const n = Number(raw);
  const log = Math.log2(n);
  if (!Number.isInteger(log) || log < MIN_READ_LOG_N || log > MAX_READ_LOG_N) {
    throw userError(
      'URSEAL_E_BAD_VALUE',
      'قيمة URSEAL_SCRYPT_N غير صالحة',
      'URSEAL_SCRYPT_N is invalid',
      'a power of two from 1024 to 262144',
    );
  }
  return log;
}

function deriveKey(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Buffer {
  const N = 2 ** logN;
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is below N = 2^17, r = 8.
  return scryptSync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, 32, { N, r, p, maxmem: 128 * N * r + 16 * 1024 * 1024 });
}

export interface CreateKeyFileOptions {
  kind: KeyKind;
  passphrase: string;
  agency?: string;
  name?: string;
  /** Private seed; default 32 random bytes. Given only by tests. */
  seed?: Uint8Array;
  logN?: number;
  now?: Date;
}

/**
 * Make a new key (or wrap the given seed) and encrypt it into a key file object.
 * Refuses a seed whose public key is small-order or non-canonical (cannot happen for a random seed).
 * @example const { file, seed } = createKeyFile({ kind: 'root', passphrase });
 */
export function createKeyFile(options: CreateKeyFileOptions): { file: KeyFile; publicKey: Uint8Array } {
  const backend = selectBackendSync();
  const seed = options.seed ?? new Uint8Array(randomBytes(32));
  const publicKey = backend.importSigningKeySync(seed).publicKey;
  checkPublicKey(publicKey);
  const logN = options.logN ?? scryptLogNForNewFiles();
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header: KeyFileHeader = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    kind: options.kind,
    ...(options.agency !== undefined ? { agency: options.agency } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    kid: toHex(keyId(publicKey)),
    publicKey: toHex(publicKey),
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf: { name: 'scrypt', logN, r: 8, p: 1, salt: salt.toString('base64') },
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64') },
  };
  const key = deriveKey(options.passphrase, salt, logN, 8, 1);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerAad(header));
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final()]);
  const tag = cipher.getAuthTag();
  key.fill(0);
  return { file: { ...header, ciphertext: ciphertext.toString('base64'), tag: tag.toString('base64') }, publicKey };
}

/**
 * Serialize a key file (pretty JSON + newline).
 * @example writeFileAtomic(path, serializeKeyFile(file), { mode: 0o600 })
 */
export function serializeKeyFile(file: KeyFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Create and write a new encrypted key file atomically with mode 0600; never replaces an existing file
 * unless `overwrite` (URSEAL_E_FILE_EXISTS).
 * @example const h = writeNewKeyFile('root.key', { kind: 'root', passphrase }); console.log(h.kid)
 */
export function writeNewKeyFile(path: string, options: CreateKeyFileOptions & { overwrite?: boolean }): KeyFileHeader {
  const { file } = createKeyFile(options);
  writeFileAtomic(path, serializeKeyFile(file), { mode: 0o600, overwrite: options.overwrite ?? false });
  const { ciphertext: _c, tag: _t, ...header } = file;
  return header;
}

const malformedKey = (path: string, what: string) =>
  userError(
    'URSEAL_E_KEY_FILE_MALFORMED',
    'ملف المفتاح تالف أو بصيغة غير معروفة',
    'key file is damaged or not an urseal key file',
    `${path}: ${what}`,
  );

function isB64(v: unknown, bytes: number): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && Buffer.from(v, 'base64').length === bytes;
}

/**
 * Check the shape of a parsed key file strictly (known fields only, right types and sizes).
 * @example const file = parseKeyFile(JSON.parse(text), 'root.key');
 */
export function parseKeyFile(v: unknown, path: string): KeyFile {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw malformedKey(path, 'not a JSON object');
  const o = v as Record<string, unknown>;
  if (o['format'] !== KEY_FILE_FORMAT) throw malformedKey(path, 'format is not urseal-key');
  if (o['version'] !== KEY_FILE_VERSION) throw malformedKey(path, `unsupported version ${String(o['version'])}`);
  const allowed = ['format', 'version', 'kind', 'agency', 'name', 'kid', 'publicKey', 'createdAt', 'kdf', 'cipher', 'ciphertext', 'tag'];
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw malformedKey(path, `unknown field ${k}`);
  if (o['kind'] !== 'root' && o['kind'] !== 'agency') throw malformedKey(path, 'kind must be root or agency');
  if (o['agency'] !== undefined && (typeof o['agency'] !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(o['agency'])))
    throw malformedKey(path, 'agency');
  if (o['name'] !== undefined && (typeof o['name'] !== 'string' || o['name'].length > 200)) throw malformedKey(path, 'name');
  if (typeof o['kid'] !== 'string' || !/^[0-9a-f]{16}$/.test(o['kid'])) throw malformedKey(path, 'kid');
  if (typeof o['publicKey'] !== 'string' || !/^[0-9a-f]{64}$/.test(o['publicKey'])) throw malformedKey(path, 'publicKey');
  if (typeof o['createdAt'] !== 'string') throw malformedKey(path, 'createdAt');
  const kdf = o['kdf'] as Record<string, unknown> | null;
  if (kdf === null || typeof kdf !== 'object' || kdf['name'] !== 'scrypt' || Object.keys(kdf).length !== 5) throw malformedKey(path, 'kdf');
  const logN = kdf['logN'];
  if (typeof logN !== 'number' || !Number.isInteger(logN) || logN < MIN_READ_LOG_N || logN > MAX_READ_LOG_N)
    throw malformedKey(path, 'kdf.logN out of range');
  if (kdf['r'] !== 8 || kdf['p'] !== 1) throw malformedKey(path, 'kdf.r must be 8 and kdf.p 1');
  if (!isB64(kdf['salt'], 16)) throw malformedKey(path, 'kdf.salt');
  const cipher = o['cipher'] as Record<string, unknown> | null;
  if (cipher === null || typeof cipher !== 'object' || cipher['name'] !== 'aes-256-gcm' || Object.keys(cipher).length !== 2)
    throw malformedKey(path, 'cipher');
  if (!isB64(cipher['iv'], 12)) throw malformedKey(path, 'cipher.iv');
  if (!isB64(o['ciphertext'], 32)) throw malformedKey(path, 'ciphertext');
  if (!isB64(o['tag'], 16)) throw malformedKey(path, 'tag');
  return o as unknown as KeyFile;
}

/**
 * Read a key file's public header (no passphrase needed). URSEAL_E_FILE_NOT_FOUND, URSEAL_E_KEY_FILE_MALFORMED,
 * or URSEAL_E_KEY_FILE_TAMPERED when the kid does not match the public key.
 * @example const { kid, publicKey } = readKeyFileHeader('moj-1.key');
 */
export function readKeyFileHeader(path: string): KeyFile {
  const file = parseKeyFile(readJsonChecked(path, 'URSEAL_E_KEY_FILE_MALFORMED'), path);
  if (toHex(keyId(fromHex(file.publicKey))) !== file.kid) {
    throw userError(
      'URSEAL_E_KEY_FILE_TAMPERED',
      'ملف المفتاح معدَّل: المعرّف لا يطابق المفتاح العام',
      'key file was altered: kid does not match the public key',
      path,
    );
  }
  return file;
}

/**
 * Decrypt a key file object's 32-byte seed (for callers that store it elsewhere, e.g. the issuer registry,
 * which re-encrypts it under its master key). URSEAL_E_WRONG_PASSPHRASE when authentication fails (wrong
 * passphrase, or ciphertext/header altered); URSEAL_E_KEY_FILE_TAMPERED when the seed does not give the
 * header's public key. The caller should zero the seed after use.
 * @example const seed = decryptKeyFileSeed(readKeyFileHeader('moj.key'), passphrase, 'moj.key');
 */
export function decryptKeyFileSeed(file: KeyFile, passphrase: string, path: string): Uint8Array {
  const { ciphertext, tag, ...header } = file;
  const key = deriveKey(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf.logN, header.kdf.r, header.kdf.p);
  let seed: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.cipher.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(headerAad(header));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    seed = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
  } catch (e) {
    throw userError(
      'URSEAL_E_WRONG_PASSPHRASE',
      'كلمة المرور غير صحيحة، أو أن ملف المفتاح عُدِّل',
      'wrong passphrase, or the key file was altered',
      path,
      e,
    );
  } finally {
    key.fill(0);
  }
  const out = new Uint8Array(seed);
  seed.fill(0);
  // Belt and braces: the header is authenticated, but check that the seed really is the header's key.
  const publicKey = selectBackendSync().importSigningKeySync(out).publicKey;
  if (!bytesEqual(publicKey, fromHex(header.publicKey))) {
    out.fill(0);
    throw userError(
      'URSEAL_E_KEY_FILE_TAMPERED',
      'ملف المفتاح معدَّل: المفتاح الخاص لا يطابق المفتاح العام',
      'key file was altered: private key does not match the public key',
      path,
    );
  }
  return out;
}

/**
 * Decrypt a key file object with a passphrase and import the seed into the sync backend.
 * Errors as {@link decryptKeyFileSeed}.
 * @example const k = unlockKeyFile(file, passphrase, 'root.key'); signTrustListSync(list, k.backend, k.key)
 */
export function unlockKeyFile(file: KeyFile, passphrase: string, path: string): UnlockedKey {
  const { ciphertext: _c, tag: _t, ...header } = file;
  const seed = decryptKeyFileSeed(file, passphrase, path);
  const backend = selectBackendSync();
  const signing = backend.importSigningKeySync(seed);
  seed.fill(0);
  return { header, backend, key: signing };
}

/**
 * Read, check the kind of, and decrypt a key file. `getPassphrase` is called only after the file parsed,
 * so a missing or damaged file is reported before anyone is asked to type a passphrase.
 * @example const k = await loadKeyFile('root.key', 'root', () => passphraseFrom({ env: 'URSEAL_ROOT_PASS' }));
 */
export async function loadKeyFile(path: string, kind: KeyKind | undefined, getPassphrase: () => Promise<string>): Promise<UnlockedKey> {
  const file = readKeyFileHeader(path);
  if (kind !== undefined && file.kind !== kind) {
    throw userError(
      'URSEAL_E_WRONG_KEY_KIND',
      kind === 'root' ? 'هذا ليس مفتاح جذر' : 'هذا ليس مفتاح جهة',
      kind === 'root' ? 'not a root key file' : 'not an agency key file',
      `${path} (${file.kind})`,
    );
  }
  const passphrase = await getPassphrase();
  return unlockKeyFile(file, passphrase, path);
}
