// The operator's master key: parsing it, and sealing agency private seeds under it (AES-256-GCM, AAD = agency id + kid).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { utf8 } from '../core/index.js';

/** A 32-byte AES-256 key. */
export type MasterKey = Uint8Array;

/** Why a master key could not be used: always a configuration problem, reported at start-up. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Version byte in front of every sealed blob, so the format can change without guessing. */
const SEALED_V1 = 1;

/**
 * Parse a master key given as 64 hex digits or base64/base64url of exactly 32 bytes (surrounding space ignored).
 * @example parseMasterKey(process.env.URSEAL_MASTER_KEY!)
 */
export function parseMasterKey(text: string, where = 'master key'): MasterKey {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return new Uint8Array(Buffer.from(t, 'hex'));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return new Uint8Array(b);
  }
  throw new MasterKeyError(`${where} must be 32 bytes as 64 hex digits or base64`);
}

/** Read a master key file (hex or base64 text, or exactly 32 raw bytes). */
export function readMasterKeyFile(path: string): MasterKey {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new MasterKeyError(`cannot read master key file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (raw.length === 32 && !/^[\x20-\x7e\s]*$/.test(raw.toString('latin1'))) return new Uint8Array(raw);
  return parseMasterKey(raw.toString('utf8'), `master key file ${path}`);
}

/**
 * Create a new random master key file (hex, mode 0600). Refuses to overwrite. DEMO use: production operators
 * supply their own key through URSEAL_MASTER_KEY or a key file kept outside the data folder.
 */
export function createMasterKeyFile(path: string): MasterKey {
  if (existsSync(path)) throw new MasterKeyError(`master key file ${path} already exists`);
  const key = new Uint8Array(randomBytes(32));
  writeFileSync(path, `${Buffer.from(key).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}

/** Additional authenticated data: binds a sealed seed to its agency and key id, so blobs cannot be swapped between rows. */
function aad(agencyId: string, kidHex: string): Uint8Array {
  return utf8(`urseal agency key v1\0${agencyId}\0${kidHex}`);
}

/**
 * Encrypt an agency private seed: version(1) || iv(12) || ciphertext || tag(16). AES-256-GCM with a random 96-bit IV
 * (NIST SP 800-38D §8.2.2: random IVs are safe far beyond the few keys a registry ever stores).
 */
export function sealSeed(master: MasterKey, agencyId: string, kidHex: string, seed: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', master, iv);
  c.setAAD(aad(agencyId, kidHex));
  const ct = Buffer.concat([c.update(seed), c.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([SEALED_V1]), iv, ct, c.getAuthTag()]));
}

/** Decrypt a sealed seed; throws MasterKeyError when the key is wrong or the blob was altered or moved. */
export function openSeed(master: MasterKey, agencyId: string, kidHex: string, sealed: Uint8Array): Uint8Array {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEALED_V1)
    throw new MasterKeyError(`sealed key ${kidHex} has an unknown format`);
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const ct = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const d = createDecipheriv('aes-256-gcm', master, iv);
    d.setAAD(aad(agencyId, kidHex));
    d.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([d.update(ct), d.final()]));
  } catch {
    throw new MasterKeyError(`agency key ${agencyId}/${kidHex} does not decrypt: wrong master key, or the registry was altered`);
  }
}

const CHECK_TEXT = 'urseal master key check';

/** A sealed known value stored in the registry, to tell a wrong master key at start-up rather than at the first issuance. */
export function masterKeyCheck(master: MasterKey): Uint8Array {
  return sealSeed(master, '-', 'check', utf8(CHECK_TEXT));
}

/** True when `check` was made by `masterKeyCheck` with this key. */
export function verifyMasterKeyCheck(master: MasterKey, check: Uint8Array): boolean {
  try {
    return Buffer.from(openSeed(master, '-', 'check', check)).toString('utf8') === CHECK_TEXT;
  } catch {
    return false;
  }
}
