// Deterministic CBOR encoding (RFC 8949 §4.2.1 "core deterministic"): shortest forms, sorted map keys.
import { UrsealError } from '../errors.js';
import { Tagged, type CborKey, type CborValue } from './types.js';

const encoder = new TextEncoder();

class Writer {
  buf = new Uint8Array(256);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  /** Major type + argument in the shortest form (RFC 8949 §4.2.1). */
  head(major: number, n: number): void {
    const m = major << 5;
    if (n < 24) this.byte(m | n);
    else if (n < 0x100) {
      this.ensure(2);
      this.buf[this.len++] = m | 24;
      this.buf[this.len++] = n;
    } else if (n < 0x10000) {
      this.ensure(3);
      this.buf[this.len++] = m | 25;
      this.buf[this.len++] = n >> 8;
      this.buf[this.len++] = n & 0xff;
    } else if (n < 0x100000000) {
      this.ensure(5);
      this.buf[this.len++] = m | 26;
      this.buf[this.len++] = (n >>> 24) & 0xff;
      this.buf[this.len++] = (n >>> 16) & 0xff;
      this.buf[this.len++] = (n >>> 8) & 0xff;
      this.buf[this.len++] = n & 0xff;
    } else {
      this.ensure(9);
      this.buf[this.len++] = m | 27;
      const hi = Math.floor(n / 0x100000000);
      const lo = n >>> 0;
      for (let s = 24; s >= 0; s -= 8) this.buf[this.len++] = (hi >>> s) & 0xff;
      for (let s = 24; s >= 0; s -= 8) this.buf[this.len++] = (lo >>> s) & 0xff;
    }
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function write(w: Writer, v: CborValue, depth: number): void {
  if (depth > 64) throw new UrsealError('INVALID_ARGUMENT', 'cbor: value nested too deeply');
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new UrsealError('INVALID_ARGUMENT', `cbor: ${v} is not a safe integer`);
    if (v >= 0) w.head(0, v);
    else w.head(1, -1 - v);
  } else if (typeof v === 'string') {
    const b = encoder.encode(v);
    w.head(3, b.length);
    w.bytes(b);
  } else if (v instanceof Uint8Array) {
    w.head(2, v.length);
    w.bytes(v);
  } else if (v === false) w.byte(0xf4);
  else if (v === true) w.byte(0xf5);
  else if (v === null) w.byte(0xf6);
  else if (Array.isArray(v)) {
    w.head(4, v.length);
    for (const item of v) write(w, item, depth + 1);
  } else if (v instanceof Map) {
    const entries: { key: Uint8Array; value: CborValue }[] = [];
    for (const [k, val] of v) entries.push({ key: encodeCbor(k as CborKey), value: val });
    entries.sort((a, b) => compareBytes(a.key, b.key));
    for (let i = 1; i < entries.length; i++) {
      if (compareBytes(entries[i - 1]!.key, entries[i]!.key) === 0) {
        throw new UrsealError('INVALID_ARGUMENT', 'cbor: duplicate map key');
      }
    }
    w.head(5, entries.length);
    for (const e of entries) {
      w.bytes(e.key);
      write(w, e.value, depth + 1);
    }
  } else if (v instanceof Tagged) {
    w.head(6, v.tag);
    write(w, v.value, depth + 1);
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
  const w = new Writer();
  write(w, value, 0);
  return w.buf.slice(0, w.len);
}
