// Encrypted key files: round trip, wrong passphrase, tampering (header and ciphertext), mode 0600, no clobbering.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../core/bytes.js';
import { keyId } from '../../core/hash.js';
import { UserError } from '../../keys/errors.js';
import {
  createKeyFile,
  readKeyFileHeader,
  unlockKeyFile,
  writeNewKeyFile,
  parseKeyFile,
  loadKeyFile,
  type KeyFile,
} from '../../keys/key-file.js';
import { testSeed, backend } from '../helpers/world.js';

const PASS = 'correct horse battery staple';

beforeAll(() => {
  // Tests only: cheap scrypt (see keys/key-file.ts). Real key files use N = 2^17.
  process.env['URSEAL_SCRYPT_N'] = '1024';
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  return undefined;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'urseal-keys-'));
}

describe('key files', () => {
  it('round trip: the decrypted key signs for the public key in the header', () => {
    const { file, publicKey } = createKeyFile({ kind: 'agency', agency: 'MOJ', passphrase: PASS, seed: testSeed('kf-1') });
    expect(file.publicKey).toBe(toHex(publicKey));
    expect(file.kid).toBe(toHex(keyId(publicKey)));
    expect(file.kdf.logN).toBe(10);
    const k = unlockKeyFile(parseKeyFile(JSON.parse(JSON.stringify(file)), 'x'), PASS, 'x');
    expect(toHex(k.key.publicKey)).toBe(file.publicKey);
    const sig = k.backend.signSync(k.key, new Uint8Array([1, 2, 3]));
    expect(backend.verifySync(publicKey, new Uint8Array([1, 2, 3]), sig)).toBe(true);
  });

  it('uses N = 2^17 unless URSEAL_SCRYPT_N is set', () => {
    const saved = process.env['URSEAL_SCRYPT_N'];
    delete process.env['URSEAL_SCRYPT_N'];
    try {
      const { file } = createKeyFile({ kind: 'root', passphrase: PASS, seed: testSeed('kf-default') });
      expect(file.kdf.logN).toBe(17);
    } finally {
      process.env['URSEAL_SCRYPT_N'] = saved;
    }
  });

  it('the same seed and passphrase give different files (random salt and IV)', () => {
    const a = createKeyFile({ kind: 'root', passphrase: PASS, seed: testSeed('kf-2') }).file;
    const b = createKeyFile({ kind: 'root', passphrase: PASS, seed: testSeed('kf-2') }).file;
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('wrong passphrase -> URSEAL_E_WRONG_PASSPHRASE', () => {
    const { file } = createKeyFile({ kind: 'root', passphrase: PASS, seed: testSeed('kf-3') });
    expect(codeOf(() => unlockKeyFile(file, 'not the passphrase', 'x'))).toBe('URSEAL_E_WRONG_PASSPHRASE');
  });

  describe('tampering', () => {
    const { file } = createKeyFile({ kind: 'agency', agency: 'MOJ', passphrase: PASS, seed: testSeed('kf-4'), logN: 10 });
    const other = createKeyFile({ kind: 'agency', agency: 'MOJ', passphrase: PASS, seed: testSeed('kf-5'), logN: 10 }).file;
    const flip = (b64: string, i = 0) => {
      const b = Buffer.from(b64, 'base64');
      b[i]! ^= 1;
      return b.toString('base64');
    };
    const cases: [string, (f: KeyFile) => KeyFile][] = [
      ['agency renamed', (f) => ({ ...f, agency: 'MOI' })],
      ['kind changed', (f) => ({ ...f, kind: 'root' })],
      ['name added', (f) => ({ ...f, name: 'x' })],
      ['createdAt changed', (f) => ({ ...f, createdAt: '2020-01-01T00:00:00.000Z' })],
      ['kdf downgraded', (f) => ({ ...f, kdf: { ...f.kdf, logN: 11 } })],
      ['salt changed', (f) => ({ ...f, kdf: { ...f.kdf, salt: flip(f.kdf.salt) } })],
      ['iv changed', (f) => ({ ...f, cipher: { ...f.cipher, iv: flip(f.cipher.iv) } })],
      ['public key swapped (with its kid)', (f) => ({ ...f, publicKey: other.publicKey, kid: other.kid })],
      ['ciphertext bit flipped', (f) => ({ ...f, ciphertext: flip(f.ciphertext, 7) })],
      ['tag bit flipped', (f) => ({ ...f, tag: flip(f.tag, 15) })],
      ['ciphertext of another file', (f) => ({ ...f, ciphertext: other.ciphertext, tag: other.tag })],
    ];
    for (const [name, mutate] of cases) {
      it(`${name} -> decryption fails`, () => {
        expect(codeOf(() => unlockKeyFile(mutate(structuredClone(file)), PASS, 'x'))).toBe('URSEAL_E_WRONG_PASSPHRASE');
      });
    }

    it('kid not matching the public key -> URSEAL_E_KEY_FILE_TAMPERED without asking for the passphrase', () => {
      const dir = tmp();
      const p = join(dir, 'k.key');
      writeFileSync(p, JSON.stringify({ ...file, kid: other.kid }));
      expect(codeOf(() => readKeyFileHeader(p))).toBe('URSEAL_E_KEY_FILE_TAMPERED');
    });

    it('unknown fields, bad sizes, non-JSON -> URSEAL_E_KEY_FILE_MALFORMED', () => {
      const dir = tmp();
      const p = join(dir, 'k.key');
      for (const bad of [
        { ...file, extra: 1 },
        { ...file, tag: 'AAAA' },
        { ...file, version: 2 },
        { ...file, kdf: { ...file.kdf, logN: 40 } },
        { ...file, kdf: { ...file.kdf, logN: 19 } },
        [1, 2],
      ]) {
        writeFileSync(p, JSON.stringify(bad));
        expect(codeOf(() => readKeyFileHeader(p))).toBe('URSEAL_E_KEY_FILE_MALFORMED');
      }
      writeFileSync(p, '{not json');
      expect(codeOf(() => readKeyFileHeader(p))).toBe('URSEAL_E_KEY_FILE_MALFORMED');
    });
  });

  it('writes with mode 0600 and never replaces an existing file unless asked', () => {
    const dir = tmp();
    const p = join(dir, 'root.key');
    const h = writeNewKeyFile(p, { kind: 'root', passphrase: PASS, seed: testSeed('kf-6') });
    expect(statSync(p).mode & 0o777).toBe(0o600);
    const before = readFileSync(p, 'utf8');
    expect(codeOf(() => writeNewKeyFile(p, { kind: 'root', passphrase: PASS, seed: testSeed('kf-7') }))).toBe('URSEAL_E_FILE_EXISTS');
    expect(readFileSync(p, 'utf8')).toBe(before);
    const h2 = writeNewKeyFile(p, { kind: 'root', passphrase: PASS, seed: testSeed('kf-7'), overwrite: true });
    expect(h2.kid).not.toBe(h.kid);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['root.key']);
  });

  it('the header is readable without the passphrase; loadKeyFile checks the kind before asking', async () => {
    const dir = tmp();
    const p = join(dir, 'moj.key');
    writeNewKeyFile(p, { kind: 'agency', agency: 'MOJ', passphrase: PASS, seed: testSeed('kf-8') });
    expect(readKeyFileHeader(p).agency).toBe('MOJ');
    let asked = false;
    await expect(
      loadKeyFile(p, 'root', async () => {
        asked = true;
        return PASS;
      }),
    ).rejects.toMatchObject({ code: 'URSEAL_E_WRONG_KEY_KIND' });
    expect(asked).toBe(false);
    const k = await loadKeyFile(p, 'agency', async () => PASS);
    expect(k.header.agency).toBe('MOJ');
  });
});
