// Parsing public keys given by the user (hex, key file, .pub file) and refusing unsafe encodings.
import { existsSync } from 'node:fs';
import { fromHex, toHex } from '../core/bytes.js';
import { isCanonicalPointEncoding, isSmallOrderEncoding } from '../core/crypto/policy.js';
import { userError } from './errors.js';
import { readTextChecked } from './files.js';

/**
 * Refuse a public key that is not 32 bytes, not a canonical point encoding (RFC 8032 §5.1.3), or one of
 * the 8 small-order points: such a key verifies signatures no private key made (core/crypto/policy.ts).
 * Throws URSEAL_E_BAD_PUBLIC_KEY.
 * @example checkPublicKey(fromHex('0100000000000000000000000000000000000000000000000000000000000000')) // throws: small order
 */
export function checkPublicKey(publicKey: Uint8Array): void {
  const bad = (why: string) => userError('URSEAL_E_BAD_PUBLIC_KEY', 'مفتاح عام مرفوض', 'public key refused', why);
  if (publicKey.length !== 32) throw bad(`must be 32 bytes, got ${publicKey.length}`);
  if (!isCanonicalPointEncoding(publicKey)) throw bad(`non-canonical point encoding ${toHex(publicKey)}`);
  if (isSmallOrderEncoding(publicKey)) throw bad(`small-order point ${toHex(publicKey)}`);
}

/** 32 bytes from 43 base64url characters (RFC 4648 §5, padding optional), canonical only: the unused low bits of
 * the last character must be zero, so one key has one text. */
function fromBase64url32(text: string): Uint8Array | undefined {
  const m = /^([A-Za-z0-9_-]{43})=?$/.exec(text);
  if (!m) return undefined;
  const bytes = Buffer.from(m[1]!, 'base64url');
  if (bytes.length !== 32 || bytes.toString('base64url') !== m[1]) return undefined;
  return new Uint8Array(bytes);
}

/** A key as text: 64 hex digits or 43 base64url characters (as /trust-list.json and `trust-list show` print them). */
function keyFromText(text: string): Uint8Array | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return fromHex(text.toLowerCase());
  return fromBase64url32(text);
}

/**
 * A public key from: 64 hex digits or 43 base64url characters; or a file holding an urseal key file (its public
 * key), a trust-list export root or key (`publicKey` in hex or base64url), or the key as text. Checked with
 * {@link checkPublicKey}.
 * @example parsePublicKey('moj-1.key') // Uint8Array(32)
 */
export function parsePublicKey(value: string): Uint8Array {
  const trimmed = value.trim();
  let key: Uint8Array | undefined = /^[0-9a-fA-F]{64}$/.test(trimmed) ? keyFromText(trimmed) : undefined;
  if (!key && existsSync(value)) {
    const text = readTextChecked(value, 1024 * 1024).trim();
    key = keyFromText(text);
    if (!key) {
      try {
        const o = JSON.parse(text) as { publicKey?: unknown };
        if (typeof o.publicKey === 'string') key = keyFromText(o.publicKey);
      } catch {
        /* reported below */
      }
    }
    if (!key) throw userError('URSEAL_E_BAD_PUBLIC_KEY', 'الملف لا يحوي مفتاحاً عاماً', 'file holds no public key', value);
  }
  if (!key) key = fromBase64url32(trimmed);
  if (!key) {
    if (/^[0-9a-fA-F]+$/.test(trimmed) || /^[A-Za-z0-9_-]{40,46}=?$/.test(trimmed))
      throw userError(
        'URSEAL_E_BAD_PUBLIC_KEY',
        'المفتاح العام يجب أن يكون 64 رقماً ست عشرياً أو 43 حرفاً بترميز base64url',
        'a public key is 64 hex digits or 43 base64url characters',
        `got ${trimmed.length} characters`,
      );
    throw userError('URSEAL_E_FILE_NOT_FOUND', 'الملف غير موجود', 'file not found', value);
  }
  checkPublicKey(key);
  return key;
}
