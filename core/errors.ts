// The one error type of urseal: a stable machine code, a reason, and the underlying cause.

/**
 * Stable codes. Tests match on these; messages may change.
 * - `MALFORMED`: input could not be parsed (bad text, bad CBOR, bad COSE, too large ...).
 * - `UNSUPPORTED`: well-formed but uses something this version does not implement (an algorithm, a version).
 * - `INVALID_ARGUMENT`: a caller passed a value that breaks the API contract (wrong key length ...).
 * - `CRYPTO_UNAVAILABLE`: no usable Ed25519 implementation in this runtime.
 */
export type CoreErrorCode = 'MALFORMED' | 'UNSUPPORTED' | 'INVALID_ARGUMENT' | 'CRYPTO_UNAVAILABLE';

/**
 * Error thrown by core/ functions that parse or build data.
 * High-level verification never throws it at the user: it turns it into a result code.
 *
 * @example
 * try { base45Decode('GGW') } catch (e) { if (e instanceof UrsealError) console.log(e.code) } // MALFORMED
 */
export class UrsealError extends Error {
  readonly code: CoreErrorCode;
  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UrsealError';
    this.code = code;
  }
}

/** Shorthand for the most common failure: input that does not parse. */
export function malformed(reason: string, cause?: unknown): UrsealError {
  return new UrsealError('MALFORMED', reason, cause === undefined ? undefined : { cause });
}
