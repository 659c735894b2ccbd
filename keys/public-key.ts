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

/**
 * A public key from: 64 hex digits; or a file holding an urseal key file (its public key), a trust-list
 * export root, or 64 hex digits. Checked with {@link checkPublicKey}.
 * @example parsePublicKey('moj-1.key') // Uint8Array(32)
 */
export function parsePublicKey(value: string): Uint8Array {
  const trimmed = value.trim();
  let hex: string | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) hex = trimmed;
  else if (existsSync(value)) {
    const text = readTextChecked(value, 1024 * 1024).trim();
    if (/^[0-9a-fA-F]{64}$/.test(text)) hex = text;
    else {
      try {
        const o = JSON.parse(text) as { publicKey?: unknown };
        if (typeof o.publicKey === 'string' && /^[0-9a-fA-F]{64}$/.test(o.publicKey)) hex = o.publicKey;
      } catch {
        /* reported below */
      }
    }
    if (hex === undefined) throw userError('URSEAL_E_BAD_PUBLIC_KEY', 'الملف لا يحوي مفتاحاً عاماً', 'file holds no public key', value);
  } else if (/^[0-9a-fA-F]+$/.test(trimmed)) {
    throw userError(
      'URSEAL_E_BAD_PUBLIC_KEY',
      'المفتاح العام يجب أن يكون 64 رقماً ست عشرياً',
      'public key must be 64 hex digits',
      `got ${trimmed.length}`,
    );
  } else {
    throw userError('URSEAL_E_FILE_NOT_FOUND', 'الملف غير موجود', 'file not found', value);
  }
  const key = fromHex(hex.toLowerCase());
  checkPublicKey(key);
  return key;
}
