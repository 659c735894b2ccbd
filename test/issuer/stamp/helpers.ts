// Shared test fixtures for PDF stamping: a seal-like text, an Ed25519 key, external-tool runners.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { closingMessage, extractPdfSeal } from '../../../core/pdf/verify.js';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** A deterministic seal-like text: `UR1:` + `n` Base45 characters (xorshift PRNG, seed fixed). */
export function sealLikeText(n = 420, seed = 0x2545f491): string {
  let x = seed >>> 0;
  let out = 'UR1:';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += BASE45[x % 45];
  }
  return out;
}

/** Named seal texts used across the stamp tests. */
export const SEAL = {
  TYPICAL: sealLikeText(420),
  OTHER: sealLikeText(420, 0x1234567),
  LONG: sealLikeText(690, 0xbeef),
} as const;

/** One agency key pair for the whole run; node signs Ed25519 deterministically (RFC 8032). */
export const AGENCY = generateKeyPairSync('ed25519');
export const OTHER_AGENCY = generateKeyPairSync('ed25519');

export function signer(key: KeyObject = AGENCY.privateKey): (m: Uint8Array) => Uint8Array {
  return (m) => new Uint8Array(sign(null, m, key));
}

export const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

/** Extract the seal and check its closing signature; false on any failure. */
export function closingVerifies(file: Uint8Array, key: KeyObject = AGENCY.publicKey): boolean {
  try {
    const seal = extractPdfSeal(file);
    if (!seal) return false;
    return verify(null, closingMessage(file, seal.byteRange, sha256), key, seal.signature);
  } catch {
    return false;
  }
}

/** Whether an external program is on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Run a program; returns status and stdout (never throws on a non-zero exit). */
export function run(cmd: string, args: string[]): { status: number; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '' };
}

export function runBuffer(cmd: string, args: string[]): Buffer {
  return execFileSync(cmd, args, { maxBuffer: 256 << 20 });
}
