// API tokens: 32 random bytes shown once as `urs_<base64url>`, stored only as SHA-256, compared in constant time.
import { randomBytes } from 'node:crypto';
import { constantTimeEqual, sha256, toHex, utf8 } from '../core/index.js';

/** What a token may do. An agency can never act for another, whatever its scopes. */
export type Scope = 'issue' | 'revoke' | 'read';
/** Every scope, in display order. */
export const SCOPES: readonly Scope[] = ['issue', 'revoke', 'read'];
/** Prefix of every token: makes leaked tokens easy to find by secret scanners. */
export const TOKEN_PREFIX = 'urs_';
const TOKEN_RE = /^urs_[A-Za-z0-9_-]{43}$/;

/** A newly created token: the secret (show it once) and what is stored. */
export interface NewToken {
  /** Public id, safe to log and list (e.g. `tok_3f9a0c12e4b7`). */
  id: string;
  /** The secret, `urs_` + base64url of 32 random bytes. Never stored. */
  secret: string;
  /** SHA-256 of the secret text, stored in the registry. */
  hash: Uint8Array;
}

/**
 * Make a token. 32 bytes from the CSPRNG: guessing is hopeless, so a fast hash (SHA-256) is enough to store it.
 * @example const t = newToken(); registry.addToken({ ...t, agencyId: 'MOJ', scopes: ['issue'] }); console.log(t.secret)
 */
export function newToken(): NewToken {
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { id: `tok_${randomBytes(6).toString('hex')}`, secret, hash: hashToken(secret) };
}

/** SHA-256 of a token text. */
export function hashToken(secret: string): Uint8Array {
  return sha256(utf8(secret));
}

/** Whether a text has the shape of a token (checked before any lookup). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_RE.test(text);
}

/**
 * Compare a presented token's hash with a stored one in constant time. The registry finds the row by hash (an index
 * lookup on a SHA-256 output reveals nothing useful about the secret); this comparison is the authoritative check.
 */
export function tokenMatches(presentedHash: Uint8Array, storedHash: Uint8Array): boolean {
  return constantTimeEqual(presentedHash, storedHash);
}

/** Parse a comma-separated scope list; throws on an unknown scope. */
export function parseScopes(text: string): Scope[] {
  const out: Scope[] = [];
  for (const s of text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (!(SCOPES as readonly string[]).includes(s)) throw new Error(`unknown scope "${s}" (use ${SCOPES.join(', ')})`);
    if (!out.includes(s as Scope)) out.push(s as Scope);
  }
  if (out.length === 0) throw new Error('at least one scope is needed');
  return out;
}

/** Short hex for logs (first 8 hex of the hash), never the secret. */
export function tokenFingerprint(hash: Uint8Array): string {
  return toHex(hash.subarray(0, 4));
}
