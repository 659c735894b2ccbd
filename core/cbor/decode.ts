// Strict, bounded CBOR decoding: definite lengths only, bounded depth and sizes, no duplicate keys.
import { decodeUtf8Strict } from '../encoding/utf8.js';
import { malformed } from '../errors.js';
import { Tagged, type CborKey, type CborValue } from './types.js';

/** Limits applied while decoding; every one is checked before anything is allocated. */
export interface CborLimits {
  /** Deepest nesting of arrays, maps and tags. Default 16. */
  maxDepth?: number;
  /** Most entries in one array or map. Default 4096. */
  maxItems?: number;
  /** Longest byte or text string. Default 1 MiB. */
  maxStringBytes?: number;
  /**
   * Require RFC 8949 §4.2.1 deterministic encoding (shortest heads, map keys in bytewise order).
   * Default true: then decode(encode(x)) is the identity and a signed structure has one byte form.
   */
  deterministic?: boolean;
}

const strictText = new TextDecoder('utf-8', { fatal: true });

/** Short texts: the strict decoder of encoding/utf8.ts (a TextDecoder call costs more than a seal's parsing). */
function decodeShortUtf8(d: Uint8Array, start: number, end: number): string {
  const s = decodeUtf8Strict(d, start, end);
  if (s === null) throw malformed('cbor: text is not valid UTF-8');
  return s;
}

function decodeLongUtf8(bytes: Uint8Array): string {
  try {
    return strictText.decode(bytes);
  } catch (e) {
    throw malformed('cbor: text is not valid UTF-8', e);
  }
}

class Reader {
  pos = 0;
  constructor(
    readonly data: Uint8Array,
    readonly maxDepth: number,
    readonly maxItems: number,
    readonly maxString: number,
    readonly deterministic: boolean,
  ) {}

  need(n: number): void {
    if (this.pos + n > this.data.length) throw malformed(`cbor: truncated at byte ${this.pos}`);
  }

  /** Read the argument of an initial byte (RFC 8949 §3). */
  argument(info: number): number {
    const d = this.data;
    if (info < 24) return info;
    let v: number;
    if (info === 24) {
      this.need(1);
      v = d[this.pos++]!;
      if (this.deterministic && v < 24) throw malformed('cbor: non-shortest integer encoding');
    } else if (info === 25) {
      this.need(2);
      v = (d[this.pos]! << 8) | d[this.pos + 1]!;
      this.pos += 2;
      if (this.deterministic && v < 0x100) throw malformed('cbor: non-shortest integer encoding');
    } else if (info === 26) {
      this.need(4);
      v = ((d[this.pos]! << 24) >>> 0) + ((d[this.pos + 1]! << 16) | (d[this.pos + 2]! << 8) | d[this.pos + 3]!);
      this.pos += 4;
      if (this.deterministic && v < 0x10000) throw malformed('cbor: non-shortest integer encoding');
    } else if (info === 27) {
      this.need(8);
      const hi = ((d[this.pos]! << 24) >>> 0) + ((d[this.pos + 1]! << 16) | (d[this.pos + 2]! << 8) | d[this.pos + 3]!);
      const lo = ((d[this.pos + 4]! << 24) >>> 0) + ((d[this.pos + 5]! << 16) | (d[this.pos + 6]! << 8) | d[this.pos + 7]!);
      this.pos += 8;
      if (hi >= 0x200000) throw malformed('cbor: integer larger than 2^53');
      v = hi * 0x100000000 + lo;
      if (this.deterministic && v < 0x100000000) throw malformed('cbor: non-shortest integer encoding');
    } else if (info === 31) {
      throw malformed('cbor: indefinite lengths are not allowed');
    } else {
      throw malformed(`cbor: reserved additional information ${info}`);
    }
    return v;
  }

  item(depth: number): CborValue {
    if (depth > this.maxDepth) throw malformed(`cbor: nested deeper than ${this.maxDepth}`);
    this.need(1);
    const ib = this.data[this.pos++]!;
    const major = ib >> 5;
    const info = ib & 31;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        if (n >= Number.MAX_SAFE_INTEGER) throw malformed('cbor: negative integer too large');
        return -1 - n;
      }
      case 2: {
        const n = this.length(info);
        const out = this.data.slice(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case 3: {
        const n = this.length(info);
        const s =
          n <= 256 ? decodeShortUtf8(this.data, this.pos, this.pos + n) : decodeLongUtf8(this.data.subarray(this.pos, this.pos + n));
        this.pos += n;
        return s;
      }
      case 4: {
        const n = this.count(info);
        const out: CborValue[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const n = this.count(info);
        const out = new Map<CborKey, CborValue>();
        let prevStart = -1;
        let prevEnd = -1;
        for (let i = 0; i < n; i++) {
          const start = this.pos;
          const key = this.item(depth + 1);
          const end = this.pos;
          if (typeof key !== 'number' && typeof key !== 'string') throw malformed('cbor: map key must be an integer or text');
          if (out.has(key)) throw malformed(`cbor: duplicate map key ${JSON.stringify(key)}`);
          if (this.deterministic && prevStart >= 0 && compareRange(this.data, prevStart, prevEnd, start, end) >= 0) {
            throw malformed('cbor: map keys are not in deterministic order');
          }
          prevStart = start;
          prevEnd = end;
          out.set(key, this.item(depth + 1));
        }
        return out;
      }
      case 6: {
        const tag = this.argument(info);
        return new Tagged(tag, this.item(depth + 1));
      }
      default: {
        // major 7: simple values and floats
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw malformed(`cbor: simple value or float 0x${ib.toString(16)} is not allowed`);
      }
    }
  }

  length(info: number): number {
    const n = this.argument(info);
    if (n > this.maxString) throw malformed(`cbor: string of ${n} bytes exceeds the limit of ${this.maxString}`);
    this.need(n);
    return n;
  }

  count(info: number): number {
    const n = this.argument(info);
    if (n > this.maxItems) throw malformed(`cbor: ${n} entries exceed the limit of ${this.maxItems}`);
    // each entry takes at least one byte: reject impossible counts before allocating
    if (n > this.data.length - this.pos) throw malformed(`cbor: truncated at byte ${this.pos}`);
    return n;
  }
}

function compareRange(d: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const x = d[a0 + i]!;
    const y = d[b0 + i]!;
    if (x !== y) return x - y;
  }
  return la - lb;
}

/**
 * Decode exactly one CBOR item filling all of `data`; throws UrsealError('MALFORMED') on anything else
 * (trailing bytes, truncation, limits exceeded, indefinite lengths, floats, duplicate keys).
 * @example decodeCbor(new Uint8Array([0xa1, 0x01, 0x61, 0x78])) // Map { 1 => 'x' }
 */
export function decodeCbor(data: Uint8Array, limits: CborLimits = {}): CborValue {
  const r = new Reader(
    data,
    limits.maxDepth ?? 16,
    limits.maxItems ?? 4096,
    limits.maxStringBytes ?? 1 << 20,
    limits.deterministic ?? true,
  );
  const v = r.item(0);
  if (r.pos !== data.length) throw malformed(`cbor: ${data.length - r.pos} unexpected bytes after the item`);
  return v;
}
