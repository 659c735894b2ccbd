// Strict, bounded zlib decompression (RFC 1950 wrapper around RFC 1951 DEFLATE) for untrusted input.

import { malformed, UrsealError } from '../errors.js';
import { adler32, CODE_LENGTH_ORDER, DIST_BASE, DIST_EXTRA, fixedLiteralLengths, LENGTH_BASE, LENGTH_EXTRA } from './tables.js';

const MAX_BITS = 15;
/** Bits resolved by one table lookup; longer codes (rare by construction) take the bit-by-bit path. */
const LITERAL_ROOT_BITS = 10;
const DISTANCE_ROOT_BITS = 8;

/*
 * Which codes may be incomplete, mirroring zlib's inflate_table (RFC 1951 §3.2.7 leaves it open):
 * the code-length code must be complete; the literal/length code may also be a single 1-bit code (a
 * block holding only end-of-block); the distance code may also have no codes at all ("all literals").
 */
const COMPLETE = 0;
const COMPLETE_OR_SINGLE = 1;
const COMPLETE_SINGLE_OR_EMPTY = 2;
type Shape = typeof COMPLETE | typeof COMPLETE_OR_SINGLE | typeof COMPLETE_SINGLE_OR_EMPTY;

/**
 * A canonical Huffman code ready for decoding (RFC 1951 §3.2.2).
 * `table[bits reversed]` = symbol << 4 | length, or 0 when the code is longer than `bits` or unused;
 * `counts`/`symbols` drive the bit-by-bit fallback.
 */
class HuffmanCode {
  readonly table: Uint16Array;
  bits = 0;
  readonly counts = new Uint16Array(MAX_BITS + 1);
  readonly symbols: Uint16Array;
  constructor(maxSymbols: number, rootBits: number) {
    this.table = new Uint16Array(1 << rootBits);
    this.symbols = new Uint16Array(maxSymbols);
  }
}

const REVERSED_BYTE = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
  REVERSED_BYTE[i] = r;
}

const offsets = new Uint16Array(MAX_BITS + 2);

/** Fill `code` from `lengths[start..start+n)`; throws on over-subscribed or (disallowed) incomplete sets. */
function buildCode(code: HuffmanCode, lengths: Uint8Array, start: number, n: number, rootBits: number, shape: Shape): void {
  const counts = code.counts;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[lengths[start + i]]++;
  counts[0] = 0;
  let max = MAX_BITS;
  while (max > 0 && counts[max] === 0) max--;
  // Kraft inequality (RFC 1951 §3.2.2): `left` codes of the current length remain unassigned.
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - counts[len];
    if (left < 0) throw malformed('zlib: over-subscribed code lengths');
  }
  if (left > 0) {
    const allowed = (max === 1 && shape !== COMPLETE) || (max === 0 && shape === COMPLETE_SINGLE_OR_EMPTY);
    if (!allowed) throw malformed('zlib: incomplete code lengths');
  }
  offsets[1] = 0;
  for (let len = 1; len < MAX_BITS; len++) offsets[len + 1] = offsets[len] + counts[len];
  const symbols = code.symbols;
  for (let sym = 0; sym < n; sym++) {
    const len = lengths[start + sym];
    if (len !== 0) symbols[offsets[len]++] = sym;
  }
  const bits = max === 0 ? 1 : Math.min(max, rootBits);
  const size = 1 << bits;
  const table = code.table;
  table.fill(0, 0, size);
  code.bits = bits;
  // Canonical codes are assigned in (length, symbol) order; DEFLATE sends them most-significant bit
  // first while the bit reader is least-significant first, hence the reversal.
  let next = 0;
  let index = 0;
  for (let len = 1; len <= bits; len++) {
    for (let k = counts[len]; k > 0; k--) {
      const reversed = ((REVERSED_BYTE[next & 255] << 8) | REVERSED_BYTE[next >> 8]) >> (16 - len);
      const entry = (symbols[index++] << 4) | len;
      for (let j = reversed; j < size; j += 1 << len) table[j] = entry;
      next++;
    }
    next <<= 1;
  }
}

/**
 * Decode one symbol bit by bit (the "puff" method) from the `available` low bits of `bitBuf`.
 * Used for codes longer than the table, unused table slots and the last bits of the input.
 * Returns symbol << 4 | length.
 */
function decodeSlow(bitBuf: number, available: number, code: HuffmanCode, what: string): number {
  const counts = code.counts;
  let value = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    if (len > available) throw malformed('zlib: truncated input');
    value |= bitBuf & 1;
    bitBuf >>>= 1;
    const count = counts[len];
    if (value - first < count) return (code.symbols[index + value - first] << 4) | len;
    index += count;
    first = (first + count) << 1;
    value <<= 1;
  }
  throw malformed(`zlib: invalid ${what} code`);
}

let fixedCodes: { literal: HuffmanCode; distance: HuffmanCode } | undefined;

/** The fixed codes of RFC 1951 §3.2.6, built once. Symbols 286/287 and 30/31 are decodable and rejected later. */
function getFixedCodes(): { literal: HuffmanCode; distance: HuffmanCode } {
  if (fixedCodes === undefined) {
    const literal = new HuffmanCode(288, 9);
    buildCode(literal, fixedLiteralLengths(), 0, 288, 9, COMPLETE);
    const distance = new HuffmanCode(32, 5);
    buildCode(distance, new Uint8Array(32).fill(5), 0, 32, 5, COMPLETE);
    fixedCodes = { literal, distance };
  }
  return fixedCodes;
}

/**
 * Scratch space reused by every call: inflate runs synchronously to the end and calls no outside code,
 * so no two calls can share it at once. Output is copied out of it, so callers never see it.
 */
const SCRATCH_OUTPUT = new Uint8Array(1 << 15);
let dynamicScratch: { literal: HuffmanCode; distance: HuffmanCode; lengths: HuffmanCode; all: Uint8Array } | undefined;

/** The state of one inflate call. */
class Inflater {
  pos = 2;
  bitBuf = 0;
  bitCnt = 0;
  /** Output so far is out[0..outPos); writes past `limit` (<= maxOutput) must call `grow` first. */
  out: Uint8Array = SCRATCH_OUTPUT;
  outPos = 0;
  limit: number;

  constructor(
    readonly data: Uint8Array,
    readonly maxOutput: number,
    readonly window: number,
  ) {
    this.limit = Math.min(SCRATCH_OUTPUT.length, maxOutput);
  }

  /** Read `n` (<= 16) bits, least significant first (RFC 1951 §3.1.1). */
  bits(n: number): number {
    while (this.bitCnt < n) {
      if (this.pos >= this.data.length) throw malformed('zlib: truncated input');
      this.bitBuf |= this.data[this.pos++] << this.bitCnt;
      this.bitCnt += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCnt -= n;
    return v;
  }

  /** Decode one symbol outside the hot loop (code lengths of a dynamic header). */
  symbol(code: HuffmanCode, what: string): number {
    while (this.bitCnt < MAX_BITS && this.pos < this.data.length) {
      this.bitBuf |= this.data[this.pos++] << this.bitCnt;
      this.bitCnt += 8;
    }
    let entry = code.table[this.bitBuf & ((1 << code.bits) - 1)];
    let len = entry & 15;
    if (len === 0 || len > this.bitCnt) {
      entry = decodeSlow(this.bitBuf, this.bitCnt, code, what);
      len = entry & 15;
    }
    this.bitBuf >>>= len;
    this.bitCnt -= len;
    return entry >> 4;
  }

  /** Drop the bits up to the next byte boundary and give back whole buffered bytes to the input. */
  alignToByte(): void {
    // Strict: the padding bits must be zero (our deflate and zlib write zeros). Otherwise the same stream
    // would have many spellings, and a changed seal text could still verify (a malleability, found by fuzzing).
    if ((this.bitBuf & ((1 << (this.bitCnt & 7)) - 1)) !== 0) throw malformed('zlib: non-zero padding bits');
    this.pos -= this.bitCnt >> 3;
    this.bitBuf = 0;
    this.bitCnt = 0;
  }

  /** Make room for `extra` more output bytes: grow geometrically, never past maxOutput. */
  grow(extra: number): Uint8Array {
    const need = this.outPos + extra;
    if (need > this.maxOutput) throw malformed(`zlib: output larger than ${this.maxOutput} bytes`);
    let size = this.out.length * 2;
    while (size < need) size *= 2;
    size = Math.min(size, this.maxOutput);
    let bigger: Uint8Array;
    try {
      bigger = new Uint8Array(size);
    } catch (cause) {
      throw malformed(`zlib: cannot allocate ${size} bytes of output`, cause);
    }
    bigger.set(this.out.subarray(0, this.outPos));
    this.out = bigger;
    this.limit = size;
    return bigger;
  }

  /** Stored block (RFC 1951 §3.2.4): LEN, its one's complement NLEN, then LEN raw bytes. */
  stored(): void {
    this.alignToByte();
    const data = this.data;
    const p = this.pos;
    if (p + 4 > data.length) throw malformed('zlib: truncated input');
    const len = data[p] | (data[p + 1] << 8);
    const nlen = data[p + 2] | (data[p + 3] << 8);
    if (len !== (~nlen & 0xffff)) throw malformed('zlib: stored block length mismatch');
    if (p + 4 + len > data.length) throw malformed('zlib: truncated input');
    const out = this.outPos + len > this.limit ? this.grow(len) : this.out;
    out.set(data.subarray(p + 4, p + 4 + len), this.outPos);
    this.outPos += len;
    this.pos = p + 4 + len;
  }

  /** Dynamic block header (RFC 1951 §3.2.7): read the code-length code, then both codes' lengths. */
  dynamicCodes(): { literal: HuffmanCode; distance: HuffmanCode } {
    const d = (dynamicScratch ??= {
      literal: new HuffmanCode(288, LITERAL_ROOT_BITS),
      distance: new HuffmanCode(32, DISTANCE_ROOT_BITS),
      lengths: new HuffmanCode(19, 7),
      all: new Uint8Array(286 + 30),
    });
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    // 287/288 literal and 31/32 distance codes are representable but meaningless; zlib rejects them.
    if (hlit > 286 || hdist > 30) throw malformed('zlib: too many length or distance codes');
    const all = d.all;
    all.fill(0, 0, 19);
    for (let i = 0; i < hclen; i++) all[CODE_LENGTH_ORDER[i]] = this.bits(3);
    buildCode(d.lengths, all, 0, 19, 7, COMPLETE);
    const total = hlit + hdist;
    all.fill(0);
    // One sequence of hlit + hdist lengths: repeats may run from the literal into the distance lengths.
    for (let i = 0; i < total;) {
      const sym = this.symbol(d.lengths, 'code length');
      if (sym < 16) {
        all[i++] = sym;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (sym === 16) {
        if (i === 0) throw malformed('zlib: length repeat with no previous length');
        value = all[i - 1];
        repeat = 3 + this.bits(2);
      } else if (sym === 17) {
        repeat = 3 + this.bits(3);
      } else {
        repeat = 11 + this.bits(7);
      }
      if (i + repeat > total) throw malformed('zlib: code length repeat past the end');
      all.fill(value, i, i + repeat);
      i += repeat;
    }
    if (all[256] === 0) throw malformed('zlib: missing end-of-block code');
    buildCode(d.literal, all, 0, hlit, LITERAL_ROOT_BITS, COMPLETE_OR_SINGLE);
    buildCode(d.distance, all, hlit, hdist, DISTANCE_ROOT_BITS, COMPLETE_SINGLE_OR_EMPTY);
    return d;
  }

  /** Decode Huffman-coded data until end-of-block (RFC 1951 §3.2.5). Hot loop: state lives in locals. */
  codes(literal: HuffmanCode, distance: HuffmanCode): void {
    const data = this.data;
    const end = data.length;
    const window = this.window;
    const lTable = literal.table;
    const lMask = (1 << literal.bits) - 1;
    const dTable = distance.table;
    const dMask = (1 << distance.bits) - 1;
    let pos = this.pos;
    let bitBuf = this.bitBuf;
    let bitCnt = this.bitCnt;
    let out = this.out;
    let limit = this.limit;
    let op = this.outPos;
    for (;;) {
      if (bitCnt < MAX_BITS) {
        if (pos + 1 < end) {
          // Two bytes at once: at most 14 + 16 = 30 bits held, still a positive 31-bit integer.
          bitBuf |= (data[pos] | (data[pos + 1] << 8)) << bitCnt;
          pos += 2;
          bitCnt += 16;
        } else if (pos < end) {
          bitBuf |= data[pos++] << bitCnt;
          bitCnt += 8;
        }
      }
      let entry = lTable[bitBuf & lMask];
      let n = entry & 15;
      if (n === 0 || n > bitCnt) {
        entry = decodeSlow(bitBuf, bitCnt, literal, 'literal/length');
        n = entry & 15;
      }
      bitBuf >>= n;
      bitCnt -= n;
      let sym = entry >> 4;
      if (sym < 256) {
        if (op >= limit) {
          this.outPos = op;
          out = this.grow(1);
          limit = this.limit;
        }
        out[op++] = sym;
        continue;
      }
      if (sym === 256) break;
      sym -= 257;
      if (sym >= 29) throw malformed('zlib: invalid length symbol');
      let length = LENGTH_BASE[sym];
      n = LENGTH_EXTRA[sym];
      if (n !== 0) {
        while (bitCnt < n) {
          if (pos >= end) throw malformed('zlib: truncated input');
          bitBuf |= data[pos++] << bitCnt;
          bitCnt += 8;
        }
        length += bitBuf & ((1 << n) - 1);
        bitBuf >>= n;
        bitCnt -= n;
      }
      if (bitCnt < MAX_BITS) {
        if (pos + 1 < end) {
          bitBuf |= (data[pos] | (data[pos + 1] << 8)) << bitCnt;
          pos += 2;
          bitCnt += 16;
        } else if (pos < end) {
          bitBuf |= data[pos++] << bitCnt;
          bitCnt += 8;
        }
      }
      entry = dTable[bitBuf & dMask];
      n = entry & 15;
      if (n === 0 || n > bitCnt) {
        entry = decodeSlow(bitBuf, bitCnt, distance, 'distance');
        n = entry & 15;
      }
      bitBuf >>= n;
      bitCnt -= n;
      sym = entry >> 4;
      if (sym >= 30) throw malformed('zlib: invalid distance symbol');
      let dist = DIST_BASE[sym];
      n = DIST_EXTRA[sym];
      if (n !== 0) {
        while (bitCnt < n) {
          if (pos >= end) throw malformed('zlib: truncated input');
          bitBuf |= data[pos++] << bitCnt;
          bitCnt += 8;
        }
        dist += bitBuf & ((1 << n) - 1);
        bitBuf >>= n;
        bitCnt -= n;
      }
      // RFC 1950 §2.2: CINFO bounds the window the encoder used; a longer distance is corrupt.
      if (dist > op || dist > window) throw malformed('zlib: distance too far back');
      if (op + length > limit) {
        this.outPos = op;
        out = this.grow(length);
        limit = this.limit;
      }
      let from = op - dist;
      if (dist >= length && length > 32) {
        out.copyWithin(op, from, from + length);
        op += length;
      } else {
        // Overlapping copies repeat the last `dist` bytes (RFC 1951 §3.2.3), so copy byte by byte.
        const stop = op + length;
        while (op < stop) out[op++] = out[from++];
      }
    }
    this.pos = pos;
    this.bitBuf = bitBuf;
    this.bitCnt = bitCnt;
    this.outPos = op;
  }
}

/**
 * Decompress a zlib stream (RFC 1950) of DEFLATE data (RFC 1951), strictly and within a size bound.
 *
 * Rejects, with `UrsealError` code `MALFORMED`: a bad header (CM != 8, CINFO > 7, FCHECK), a preset
 * dictionary, invalid or over-subscribed Huffman codes, incomplete codes beyond the one-code cases zlib
 * accepts, symbols 286/287 and distance symbols 30/31, distances beyond the output or the declared
 * window, stored blocks whose NLEN is not the complement of LEN, non-zero padding bits, truncated input,
 * a wrong Adler-32 and any byte after the trailer. Accepts every stream zlib produces.
 *
 * Bounded: it throws as soon as the output would grow past `maxOutput`, so a zip bomb costs at most
 * maxOutput bytes of output buffer (the buffer doubles from 32 KB and is capped at maxOutput; while it
 * grows, old and new together hold at most 1.5 x maxOutput) and time linear in input plus output.
 *
 * @param maxOutput largest accepted output length in bytes (a non-negative integer)
 * @example
 * inflate(Uint8Array.of(0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01), 1024) // Uint8Array []
 */
export function inflate(data: Uint8Array, maxOutput: number): Uint8Array {
  const z = run(data, maxOutput);
  return z.out !== SCRATCH_OUTPUT && z.outPos === z.out.length ? z.out : z.out.slice(0, z.outPos);
}

/**
 * `inflate` without the final copy: the result may be a view of a buffer the next call reuses, so it is
 * valid only until then (for a caller that reads it at once, like the synchronous seal check).
 */
export function inflateView(data: Uint8Array, maxOutput: number): Uint8Array {
  const z = run(data, maxOutput);
  return new Uint8Array(z.out.buffer, z.out.byteOffset, z.outPos);
}

function run(data: Uint8Array, maxOutput: number): Inflater {
  if (!Number.isSafeInteger(maxOutput) || maxOutput < 0) {
    throw new UrsealError('INVALID_ARGUMENT', 'zlib: maxOutput must be a non-negative integer');
  }
  if (data.length < 2) throw malformed('zlib: truncated input');
  // RFC 1950 §2.2: CM = 8 (deflate), CINFO = log2(window) - 8 <= 7, (CMF * 256 + FLG) % 31 == 0.
  const cmf = data[0];
  const flg = data[1];
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw malformed('zlib: bad header');
  if ((flg & 0x20) !== 0) throw malformed('zlib: preset dictionary not supported');
  const z = new Inflater(data, maxOutput, 1 << ((cmf >> 4) + 8));
  // RFC 1951 §3.2.3: blocks until one has BFINAL set.
  let final: number;
  do {
    final = z.bits(1);
    const type = z.bits(2);
    if (type === 0) {
      z.stored();
    } else if (type === 1) {
      const fixed = getFixedCodes();
      z.codes(fixed.literal, fixed.distance);
    } else if (type === 2) {
      const dynamic = z.dynamicCodes();
      z.codes(dynamic.literal, dynamic.distance);
    } else {
      throw malformed('zlib: invalid block type');
    }
  } while (final === 0);
  // RFC 1950 §2.2: ADLER32 follows the last block, big-endian, on a byte boundary.
  z.alignToByte();
  const p = z.pos;
  if (p + 4 > data.length) throw malformed('zlib: truncated input');
  const expected = ((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]) >>> 0;
  if (adler32(z.out, 0, z.outPos) !== expected) throw malformed('zlib: checksum mismatch');
  if (p + 4 !== data.length) throw malformed('zlib: trailing bytes after the stream');
  return z;
}
