// Seal claims (DESIGN "The seal"): the CWT-compatible CBOR map (RFC 8392) and its strict validation.
import type { CborKey, CborValue } from '../cbor/index.js';
import { encodeWithView } from '../cbor/encode.js';
import { malformed, UrsealError } from '../errors.js';

/** CWT claim keys (RFC 8392 §3.1.1) and urseal's private document claim. */
export const CLAIM = { iss: 1, exp: 4, iat: 6, cti: 7, doc: -65537 } as const;
/** Keys inside the document claim. */
export const DOC = { type: 1, number: 2, fields: 3, hash: 4, length: 5, status: 6 } as const;

/** A field value as signed: text or a whole number. */
export type FieldValue = string | number;

/** The document part of a seal. */
export interface DocumentClaims {
  /** Document-type id as published in the trust list (e.g. 'birth'). */
  type: string;
  /** The document's own number as printed on it. */
  number: string;
  /** Signed fields by field id (e.g. { n: 'أحمد', dob: '1990-01-31' }). */
  fields: Record<string, FieldValue>;
  /** SHA-256 of the original PDF bytes; absent for paper-only seals. */
  hash?: Uint8Array;
  /** Byte length of that original PDF. */
  length?: number;
  /** Index in the agency's status list (for revoking this one document). */
  status?: number;
}

/** Everything a seal signs. Times are seconds since 1970 (CWT NumericDate). */
export interface SealClaims {
  /** Agency id, as in the trust list. */
  iss: string;
  /** Issuance time. */
  iat: number;
  /** Optional expiry of the document. */
  exp?: number;
  /** Document serial, unique per agency. */
  cti: Uint8Array;
  doc: DocumentClaims;
}

/** Sizes a seal may have; anything larger is refused when signing and when reading. */
export const SEAL_LIMITS = {
  idLength: 32,
  issLength: 64,
  ctiBytes: 32,
  numberLength: 64,
  fieldCount: 32,
  fieldValueLength: 256,
} as const;

/**
 * An id: 1-`maxLength` characters of [A-Za-z0-9_.-], starting with a letter or digit (the regular
 * expression /^[A-Za-z0-9][A-Za-z0-9_.-]*$/ as a loop: ids are checked on every seal signed and read).
 */
function isId(v: unknown, maxLength: number): v is string {
  if (typeof v !== 'string') return false;
  const n = v.length;
  if (n === 0 || n > maxLength) return false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && (i === 0 || (c !== 0x5f && c !== 0x2e && c !== 0x2d))) return false;
  }
  return true;
}

function isUint(v: unknown, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
}

function isText(v: unknown, maxLength: number): v is string {
  return typeof v === 'string' && v.length !== 0 && v.length <= maxLength;
}

// The messages are built only on failure: these checks run on every seal signed and read.
const notId = (what: string, maxLength: number) => malformed(`${what} must be 1-${maxLength} letters, digits, '.', '_' or '-'`);
const notText = (what: string, maxLength: number) => malformed(`${what} must be text of 1-${maxLength} characters`);

function checkId(what: string, v: unknown, maxLength: number): asserts v is string {
  if (!isId(v, maxLength)) throw notId(what, maxLength);
}

function checkText(what: string, v: unknown, maxLength: number): asserts v is string {
  if (!isText(v, maxLength)) throw notText(what, maxLength);
}

/**
 * Check claims before signing or after parsing; throws UrsealError('MALFORMED') naming the field.
 * @example validateClaims({ iss: 'MOI', iat: 1764000000, cti: serial, doc: { type: 'birth', number: 'B-1', fields: {} } })
 */
export function validateClaims(c: SealClaims): void {
  checkId('iss (agency id)', c.iss, SEAL_LIMITS.issLength);
  if (!isUint(c.iat)) throw malformed('iat (issue time) must be a whole number of seconds');
  if (c.exp !== undefined && !isUint(c.exp)) throw malformed('exp (expiry) must be a whole number of seconds');
  if (c.exp !== undefined && c.exp <= c.iat) throw malformed('exp (expiry) must be after iat (issue time)');
  if (!(c.cti instanceof Uint8Array) || c.cti.length === 0 || c.cti.length > SEAL_LIMITS.ctiBytes) {
    throw malformed(`cti (serial) must be 1-${SEAL_LIMITS.ctiBytes} bytes`);
  }
  const d = c.doc;
  if (typeof d !== 'object' || d === null) throw malformed('doc (document claim) is missing');
  checkId('document type', d.type, SEAL_LIMITS.idLength);
  checkText('document number', d.number, SEAL_LIMITS.numberLength);
  if (typeof d.fields !== 'object' || d.fields === null) throw malformed('fields must be an object');
  const ids = Object.keys(d.fields);
  if (ids.length > SEAL_LIMITS.fieldCount) throw malformed(`at most ${SEAL_LIMITS.fieldCount} fields`);
  for (const id of ids) {
    if (!isId(id, SEAL_LIMITS.idLength)) throw notId(`field id ${JSON.stringify(id)}`, SEAL_LIMITS.idLength);
    const v = d.fields[id];
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw malformed(`field ${id} must be text or a whole number`);
    } else if (!isText(v, SEAL_LIMITS.fieldValueLength)) throw notText(`field ${id}`, SEAL_LIMITS.fieldValueLength);
  }
  if (d.hash !== undefined && (!(d.hash instanceof Uint8Array) || d.hash.length !== 32))
    throw malformed('document hash must be 32 bytes (SHA-256)');
  if (d.length !== undefined && !isUint(d.length)) throw malformed('document length must be a whole number of bytes');
  if ((d.hash === undefined) !== (d.length === undefined)) throw malformed('document hash and length go together');
  if (d.status !== undefined && !isUint(d.status, 0xffffffff)) throw malformed('status index must be a whole number below 2^32');
}

const hex4 = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a text may not be signed as a document number or field value, or undefined when it may: a control character
 * (C0, DEL, C1: NUL included), a bidirectional control (U+202A-202E embeddings and overrides, U+2066-2069 isolates:
 * they let a value display as something it is not), a lone surrogate (not Unicode text; CBOR cannot carry it), or a
 * blank value. Old seals may hold such text: verifiers show it through {@link displayText}.
 * @example unsafeTextReason('abc\u202Efdp') // 'a bidirectional control character (U+202E)'
 */
export function unsafeTextReason(s: string): string | undefined {
  let blank = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Printable ASCII other than space, and the Arabic block: the common case, settled in one comparison each.
    if ((c > 0x20 && c < 0x7f) || (c >= 0x600 && c <= 0x6ff)) {
      blank = false;
      continue;
    }
    if (c === 0x20) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `a control character (${hex4(c)})`;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return `a bidirectional control character (${hex4(c)})`;
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return `a lone surrogate (${hex4(c)}), which is not text`;
      i++;
      blank = false;
      continue;
    }
    if (blank && !isBlankUnit(c)) blank = false;
  }
  return blank ? 'only blanks' : undefined;
}

/**
 * Whether a text is empty or only blanks (a missing value rather than one to sign).
 * @example isBlankText(' \u00a0') // true
 */
export function isBlankText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isBlankUnit(s.charCodeAt(i))) return false;
  return true;
}

/** Spaces of Unicode's White_Space set that String.prototype.trim removes, plus the invisible U+200B-200D and U+FEFF. */
function isBlankUnit(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The stricter check of issuance: `validateClaims` plus no unsafe text (see {@link unsafeTextReason}) in the
 * document number or any field value. Reading stays lenient so that older seals still verify (and display
 * neutralised); signing refuses. Throws UrsealError('MALFORMED') naming the field.
 * @example validateIssuedClaims({ iss: 'MOJ', iat, cti, doc: { type: 'poa', number: '1', fields: { n: 'a\u0000' } } }) // throws
 */
export function validateIssuedClaims(c: SealClaims): void {
  validateClaims(c);
  checkIssuedText(c);
}

/**
 * The text part of {@link validateIssuedClaims}: it skips what is not text, so it can run before `validateClaims`
 * (signing runs it just before encoding, which validates the structure: the hot path checks the structure once,
 * and a lone surrogate is named here rather than failing inside the CBOR encoder).
 */
export function checkIssuedText(c: SealClaims): void {
  const d = c?.doc;
  if (typeof d !== 'object' || d === null) return;
  const number = typeof d.number === 'string' ? unsafeTextReason(d.number) : undefined;
  if (number !== undefined) throw malformed(`document number: ${number} is not allowed`);
  if (typeof d.fields !== 'object' || d.fields === null) return;
  for (const id in d.fields) {
    const v = d.fields[id];
    if (typeof v !== 'string') continue;
    const why = unsafeTextReason(v);
    if (why !== undefined) throw malformed(`field ${id}: ${why} is not allowed`);
  }
}

/** Claims -> CBOR map (deterministic encoding sorts the keys). Validates first. */
export function claimsToCbor(c: SealClaims): Map<CborKey, CborValue> {
  validateClaims(c);
  const fields = new Map<CborKey, CborValue>();
  for (const id of Object.keys(c.doc.fields)) fields.set(id, c.doc.fields[id]!);
  const doc = new Map<CborKey, CborValue>([
    [DOC.type, c.doc.type],
    [DOC.number, c.doc.number],
    [DOC.fields, fields],
  ]);
  if (c.doc.hash) doc.set(DOC.hash, c.doc.hash);
  if (c.doc.length !== undefined) doc.set(DOC.length, c.doc.length);
  if (c.doc.status !== undefined) doc.set(DOC.status, c.doc.status);
  const m = new Map<CborKey, CborValue>([
    [CLAIM.iss, c.iss],
    [CLAIM.iat, c.iat],
    [CLAIM.cti, c.cti],
    [CLAIM.doc, doc],
  ]);
  if (c.exp !== undefined) m.set(CLAIM.exp, c.exp);
  return m;
}

/** Field ids are ASCII, so RFC 8949 §4.2.1 bytewise key order is: shorter first, then by character. */
function byEncodedKey(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The field ids in encoded-key order: an insertion sort (at most 32 ids, usually a handful, often sorted). */
function sortedIds(fields: Record<string, FieldValue>): string[] {
  const ids = Object.keys(fields);
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i]!;
    let j = i - 1;
    while (j >= 0 && byEncodedKey(ids[j]!, id) > 0) {
      ids[j + 1] = ids[j]!;
      j--;
    }
    ids[j + 1] = id;
  }
  return ids;
}

/**
 * Claims -> deterministic CBOR bytes, written directly in canonical key order (1 iss, 4 exp, 6 iat, 7 cti, -65537 doc;
 * doc keys 1..6): the same bytes as encodeCbor(claimsToCbor(c)) (a property test checks it), several times faster,
 * since it is on the signing hot path. Validates first.
 */
export function encodeClaims(c: SealClaims): Uint8Array {
  return encodeClaimsView(c).slice();
}

/** `encodeClaims` as a view of the CBOR encoder's buffer, valid only until the next encoding (signing copies it at once). */
export function encodeClaimsView(c: SealClaims): Uint8Array {
  validateClaims(c);
  const d = c.doc;
  const ids = sortedIds(d.fields);
  return encodeWithView((w) => {
    w.head(5, c.exp === undefined ? 4 : 5);
    w.head(0, CLAIM.iss);
    w.text(c.iss);
    if (c.exp !== undefined) {
      w.head(0, CLAIM.exp);
      w.int(c.exp);
    }
    w.head(0, CLAIM.iat);
    w.int(c.iat);
    w.head(0, CLAIM.cti);
    w.bytes(c.cti);
    w.int(CLAIM.doc);
    w.head(5, 3 + (d.hash !== undefined ? 1 : 0) + (d.length !== undefined ? 1 : 0) + (d.status !== undefined ? 1 : 0));
    w.head(0, DOC.type);
    w.text(d.type);
    w.head(0, DOC.number);
    w.text(d.number);
    w.head(0, DOC.fields);
    w.head(5, ids.length);
    for (const id of ids) {
      w.text(id);
      const v = d.fields[id]!;
      if (typeof v === 'number') w.int(v);
      else w.text(v);
    }
    if (d.hash !== undefined) {
      w.head(0, DOC.hash);
      w.bytes(d.hash);
    }
    if (d.length !== undefined) {
      w.head(0, DOC.length);
      w.int(d.length);
    }
    if (d.status !== undefined) {
      w.head(0, DOC.status);
      w.int(d.status);
    }
  });
}

const CLAIM_KEYS: ReadonlySet<CborKey> = new Set(Object.values(CLAIM));
const DOC_KEYS: ReadonlySet<CborKey> = new Set(Object.values(DOC));

function onlyKeys(what: string, m: Map<CborKey, CborValue>, allowed: ReadonlySet<CborKey>): void {
  for (const k of m.keys()) if (!allowed.has(k)) throw malformed(`${what} has an unknown key ${JSON.stringify(k)}`);
}

/**
 * CBOR map -> claims, strictly: unknown keys are refused (a signed field the verifier would not show is a trap).
 * Throws UrsealError('MALFORMED').
 */
export function claimsFromCbor(v: CborValue): SealClaims {
  if (!(v instanceof Map)) throw malformed('claims must be a map');
  onlyKeys('claims', v, CLAIM_KEYS);
  const doc = v.get(CLAIM.doc);
  if (!(doc instanceof Map)) throw malformed('claims: document claim (-65537) is missing');
  onlyKeys('document claim', doc, DOC_KEYS);
  const rawFields = doc.get(DOC.fields);
  if (!(rawFields instanceof Map)) throw malformed('document claim: fields must be a map');
  const fields: Record<string, FieldValue> = {};
  for (const [k, val] of rawFields) {
    if (typeof k !== 'string') throw malformed('document claim: field ids must be text');
    if (typeof val !== 'string' && typeof val !== 'number') throw malformed(`field ${k} must be text or a whole number`);
    if (!isId(k, SEAL_LIMITS.idLength)) throw notId(`field id ${JSON.stringify(k)}`, SEAL_LIMITS.idLength);
    fields[k] = val;
  }
  const c: SealClaims = {
    iss: v.get(CLAIM.iss) as string,
    iat: v.get(CLAIM.iat) as number,
    cti: v.get(CLAIM.cti) as Uint8Array,
    doc: { type: doc.get(DOC.type) as string, number: doc.get(DOC.number) as string, fields },
  };
  if (v.has(CLAIM.exp)) c.exp = v.get(CLAIM.exp) as number;
  if (doc.has(DOC.hash)) c.doc.hash = doc.get(DOC.hash) as Uint8Array;
  if (doc.has(DOC.length)) c.doc.length = doc.get(DOC.length) as number;
  if (doc.has(DOC.status)) c.doc.status = doc.get(DOC.status) as number;
  try {
    validateClaims(c);
  } catch (e) {
    if (e instanceof UrsealError) throw e;
    throw malformed('claims are not valid', e);
  }
  return c;
}
