// Deterministic CBOR encoding (RFC 8949 §4.2.1 "core deterministic"): shortest forms, sorted map keys.
import { UrsealError } from '../errors.js';
import { Tagged, type CborKey, type CborValue } from './types.js';

// Encoding sits on the signing hot path (a seal is signed in ~30 µs), so this writer avoids per-item
// allocations: one growing buffer, strings encoded in place, and map keys memoised.

let buf = new Uint8Array(1024);
let len = 0;

function ensure(n: number): void {
  if (len + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < len + n) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, len));
  buf = next;
}

/** Major type + argument in the shortest form (RFC 8949 §4.2.1). */
function head(major: number, n: number): void {
  ensure(9);
  const m = major << 5;
  if (n < 24) buf[len++] = m | n;
  else if (n < 0x100) {
    buf[len++] = m | 24;
    buf[len++] = n;
  } else if (n < 0x10000) {
    buf[len++] = m | 25;
    buf[len++] = n >> 8;
    buf[len++] = n & 0xff;
  } else if (n < 0x100000000) {
    buf[len++] = m | 26;
    buf[len++] = (n >>> 24) & 0xff;
    buf[len++] = (n >>> 16) & 0xff;
    buf[len++] = (n >>> 8) & 0xff;
    buf[len++] = n & 0xff;
  } else {
    buf[len++] = m | 27;
    const hi = Math.floor(n / 0x100000000);
    const lo = n >>> 0;
    for (let s = 24; s >= 0; s -= 8) buf[len++] = (hi >>> s) & 0xff;
    for (let s = 24; s >= 0; s -= 8) buf[len++] = (lo >>> s) & 0xff;
  }
}

/** Length of the shortest head of a byte or text string of length n (RFC 8949 §4.2.1). */
function headLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

/**
 * A text string in one pass over `s`: its UTF-8 length n is at least s.length, so the bytes are written
 * after room for the head of s.length (right for ASCII and most texts), then moved in the less common case
 * where n takes a longer head (a signed seal's texts are encoded on every signature).
 */
function text(s: string): void {
  const units = s.length;
  const room = headLength(units);
  ensure(9 + 3 * units); // covers the head too: head() must not grow (and copy) the buffer mid-string
  const start = len;
  let o = start + room;
  for (let i = 0; i < units; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) buf[o++] = c;
    else if (c < 0x800) {
      buf[o++] = 0xc0 | (c >> 6);
      buf[o++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw new UrsealError('INVALID_ARGUMENT', 'cbor: text has a lone surrogate');
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
      buf[o++] = 0xf0 | (c >> 18);
      buf[o++] = 0x80 | ((c >> 12) & 63);
      buf[o++] = 0x80 | ((c >> 6) & 63);
      buf[o++] = 0x80 | (c & 63);
    } else {
      buf[o++] = 0xe0 | (c >> 12);
      buf[o++] = 0x80 | ((c >> 6) & 63);
      buf[o++] = 0x80 | (c & 63);
    }
  }
  const n = o - start - room;
  const used = headLength(n);
  if (used !== room) {
    // Move the n bytes right by used - room (back to front: the ranges overlap); short texts by hand.
    const by = used - room;
    if (n < 64) for (let i = o - 1; i >= start + room; i--) buf[i + by] = buf[i]!;
    else buf.copyWithin(start + used, start + room, o);
  }
  head(3, n);
  len = start + used + n;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

// Encoded map keys, memoised: keys come from a small set (claim numbers, field and label ids).
const keyCache = new Map<CborKey, Uint8Array>();

function keyBytes(k: CborKey): Uint8Array {
  let b = keyCache.get(k);
  if (b) return b;
  if (typeof k !== 'number' && typeof k !== 'string') throw new UrsealError('INVALID_ARGUMENT', 'cbor: map keys must be integers or text');
  const start = len;
  write(k, 0);
  b = buf.slice(start, len);
  len = start;
  if (keyCache.size > 4096) keyCache.clear();
  keyCache.set(k, b);
  return b;
}

function write(v: CborValue, depth: number): void {
  if (depth > 64) throw new UrsealError('INVALID_ARGUMENT', 'cbor: value nested too deeply');
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new UrsealError('INVALID_ARGUMENT', `cbor: ${v} is not a safe integer`);
    if (v >= 0) head(0, v);
    else head(1, -1 - v);
  } else if (typeof v === 'string') text(v);
  else if (v instanceof Uint8Array) {
    head(2, v.length);
    ensure(v.length);
    buf.set(v, len);
    len += v.length;
  } else if (v === false || v === true || v === null) {
    ensure(1);
    buf[len++] = v === false ? 0xf4 : v === true ? 0xf5 : 0xf6;
  } else if (Array.isArray(v)) {
    head(4, v.length);
    for (let i = 0; i < v.length; i++) write(v[i]!, depth + 1);
  } else if (v instanceof Map) {
    const entries: { key: Uint8Array; value: CborValue }[] = [];
    for (const [k, val] of v) entries.push({ key: keyBytes(k), value: val });
    entries.sort((a, b) => compareBytes(a.key, b.key));
    for (let i = 1; i < entries.length; i++) {
      if (compareBytes(entries[i - 1]!.key, entries[i]!.key) === 0) throw new UrsealError('INVALID_ARGUMENT', 'cbor: duplicate map key');
    }
    head(5, entries.length);
    for (const e of entries) {
      ensure(e.key.length);
      buf.set(e.key, len);
      len += e.key.length;
      write(e.value, depth + 1);
    }
  } else if (v instanceof Tagged) {
    head(6, v.tag);
    write(v.value, depth + 1);
  } else {
    throw new UrsealError('INVALID_ARGUMENT', `cbor: cannot encode ${typeof v}`);
  }
}

/**
 * Encode a value deterministically: the same value always gives the same bytes (map keys sorted by their
 * encoded bytes, shortest integer and length forms), so signatures over re-encoded data are reproducible.
 * @example encodeCbor(new Map([[1, 'x']])) // Uint8Array [0xa1, 0x01, 0x61, 0x78]
 */
export function encodeCbor(value: CborValue): Uint8Array {
  // Re-entrant use is impossible (write never calls out), so one shared buffer is safe.
  len = 0;
  try {
    write(value, 0);
    return buf.slice(0, len);
  } finally {
    len = 0;
  }
}

/**
 * Hand-ordered encoding for hot paths (a seal's claims): `fn` writes items with the returned writer in an order the
 * caller guarantees to be deterministic; tests compare the result with encodeCbor. Not re-entrant.
 * @example encodeWith((w) => { w.head(5, 1); w.head(0, 1); w.text('x') }) // same bytes as encodeCbor(new Map([[1, 'x']]))
 */
export function encodeWith(fn: (w: CborWriter) => void): Uint8Array {
  return encodeWithView(fn).slice();
}

/**
 * `encodeWith` without the copy: the bytes are a view of the encoder's buffer, valid only until the next
 * encoding of any kind (for the seal signing path, which copies them at once; a fresh Uint8Array over 64
 * bytes costs about 0.7 µs in V8, its memory being outside the JavaScript heap).
 */
export function encodeWithView(fn: (w: CborWriter) => void): Uint8Array {
  len = 0;
  try {
    fn(WRITER);
    return new Uint8Array(buf.buffer, 0, len);
  } finally {
    len = 0;
  }
}

/** The low-level writer handed to `encodeWith`. */
export interface CborWriter {
  /** Major type and argument, shortest form. */
  head(major: number, n: number): void;
  /** A text string (UTF-8). */
  text(s: string): void;
  /** A byte string. */
  bytes(b: Uint8Array): void;
  /** An integer (major type 0 or 1). */
  int(n: number): void;
}

const WRITER: CborWriter = {
  head,
  text,
  bytes(b) {
    head(2, b.length);
    ensure(b.length);
    buf.set(b, len);
    len += b.length;
  },
  int(n) {
    if (!Number.isSafeInteger(n)) throw new UrsealError('INVALID_ARGUMENT', `cbor: ${n} is not a safe integer`);
    if (n >= 0) head(0, n);
    else head(1, -1 - n);
  },
};
