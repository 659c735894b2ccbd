// Deterministic zlib compression (RFC 1950/1951): lazy LZ77 matching and, per block, the smallest encoding.

import { adler32, CODE_LENGTH_ORDER, DIST_BASE, DIST_EXTRA, fixedLiteralLengths, LENGTH_BASE, LENGTH_EXTRA } from './tables.js';

const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** Farthest distance used: 32767, not 32768, so a hash chain never meets a reused slot (see `compress`). */
const MAX_DIST = 32767;
const WINDOW_SIZE = 32768;
/** zlib level-9 style search limits: a quarter of the chain once a good match is found, early exit. */
const GOOD_MATCH = 32;
const NICE_MATCH = MAX_MATCH;
/** Symbols per block, as zlib with memLevel 8: each block gets its own Huffman codes. */
const BLOCK_SYMBOLS = 16383;
const LITERAL_CODES = 286;
const DISTANCE_CODES = 30;

/** Match length - 3 -> index into LENGTH_BASE (RFC 1951 §3.2.5). */
const LENGTH_INDEX = new Uint8Array(256);
/** Distance - 1 -> distance symbol, for distances up to 256; above, indexed by (distance - 1) >> 7. */
const DIST_INDEX_LOW = new Uint8Array(256);
const DIST_INDEX_HIGH = new Uint8Array(256);
for (let i = 0; i < 29; i++) {
  for (let k = 0; k < 1 << LENGTH_EXTRA[i]; k++) LENGTH_INDEX[LENGTH_BASE[i] - MIN_MATCH + k] = i;
}
// 258 has its own symbol (285) although 284's range would also reach it: zlib and RFC 1951 use 285.
LENGTH_INDEX[MAX_MATCH - MIN_MATCH] = 28;
for (let i = 0; i < 30; i++) {
  for (let k = 0; k < 1 << DIST_EXTRA[i]; k++) {
    const d = DIST_BASE[i] - 1 + k;
    if (d < 256) DIST_INDEX_LOW[d] = i;
    else DIST_INDEX_HIGH[d >> 7] = i;
  }
}

function distanceSymbol(dist: number): number {
  return dist <= 256 ? DIST_INDEX_LOW[dist - 1] : DIST_INDEX_HIGH[(dist - 1) >> 7];
}

/*
 * Scratch space reused by every call: deflate runs synchronously to the end and calls no outside code,
 * so no two calls can share it at once, and results are copied out. Allocating these per call (most
 * are too big for V8's on-heap typed arrays) cost more than compressing a seal. Made on first use, so
 * a bundle that only inflates never allocates it.
 */
function makeScratch() {
  return {
    output: new Uint8Array(1 << 16),
    head: new Int32Array(WINDOW_SIZE),
    prev: new Int32Array(WINDOW_SIZE),
    litLen: new Uint16Array(BLOCK_SYMBOLS),
    dist: new Uint16Array(BLOCK_SYMBOLS),
    litFreq: new Uint32Array(LITERAL_CODES),
    distFreq: new Uint32Array(DISTANCE_CODES),
    clFreq: new Uint32Array(19),
    litLengths: new Uint8Array(LITERAL_CODES),
    distLengths: new Uint8Array(DISTANCE_CODES),
    clLengths: new Uint8Array(19),
    allLengths: new Uint8Array(LITERAL_CODES + DISTANCE_CODES),
    litCodes: new Uint16Array(LITERAL_CODES),
    distCodes: new Uint16Array(DISTANCE_CODES),
    clCodes: new Uint16Array(19),
    // Huffman construction over at most 286 leaves (2 * 286 - 1 nodes).
    keys: new Int32Array(LITERAL_CODES),
    used: new Uint16Array(LITERAL_CODES),
    weight: new Float64Array(2 * LITERAL_CODES),
    parent: new Int32Array(2 * LITERAL_CODES),
    depth: new Uint16Array(2 * LITERAL_CODES),
  };
}
let scratchSpace: ReturnType<typeof makeScratch> | undefined;
function scratch(): ReturnType<typeof makeScratch> {
  return (scratchSpace ??= makeScratch());
}

const FIXED_LITERAL_LENGTHS = fixedLiteralLengths();
const FIXED_LITERAL_CODES = canonicalCodes(FIXED_LITERAL_LENGTHS);
const FIXED_DISTANCE_LENGTHS = new Uint8Array(30).fill(5);
const FIXED_DISTANCE_CODES = canonicalCodes(FIXED_DISTANCE_LENGTHS);

/** Little-endian bit writer (RFC 1951 §3.1.1) over a growing byte buffer. */
class BitWriter {
  buf: Uint8Array;
  pos = 0;
  private bitBuf = 0;
  private bitCnt = 0;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }
  /** Write the low `n` (<= 16) bits of `value`. */
  bits(value: number, n: number): void {
    this.bitBuf |= value << this.bitCnt;
    this.bitCnt += n;
    if (this.bitCnt >= 16) {
      this.reserve(2);
      this.buf[this.pos++] = this.bitBuf & 255;
      this.buf[this.pos++] = (this.bitBuf >>> 8) & 255;
      this.bitBuf >>>= 16;
      this.bitCnt -= 16;
    }
  }
  /** Pad with zero bits to a byte boundary. */
  align(): void {
    this.reserve(2);
    while (this.bitCnt > 0) {
      this.buf[this.pos++] = this.bitBuf & 255;
      this.bitBuf >>>= 8;
      this.bitCnt = Math.max(0, this.bitCnt - 8);
    }
    this.bitBuf = 0;
  }
  /** Bits written modulo 8 (where the next bit lands in its byte). */
  get bitOffset(): number {
    return this.bitCnt & 7;
  }
  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
}

/**
 * Canonical codes for code lengths (RFC 1951 §3.2.2), bit-reversed for the LSB-first writer.
 */
function canonicalCodes(lengths: Uint8Array, codes = new Uint16Array(lengths.length)): Uint16Array {
  const counts = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]]++;
  counts[0] = 0;
  const next = new Uint16Array(16);
  let code = 0;
  for (let len = 1; len <= 15; len++) {
    code = (code + counts[len - 1]) << 1;
    next[len] = code;
  }
  codes.fill(0);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym];
    if (len === 0) continue;
    let c = next[len]++;
    let r = 0;
    for (let b = 0; b < len; b++) {
      r = (r << 1) | (c & 1);
      c >>= 1;
    }
    codes[sym] = r;
  }
  return codes;
}

/**
 * Optimal code lengths no longer than `limit` for `freq` (Huffman; package-merge when Huffman is too
 * deep). Always at least two codes, as zlib does, so every tree is complete and any decoder accepts it.
 * Ties are broken by symbol number, so the result depends on the frequencies only.
 */
export function codeLengths(freq: Uint32Array | Int32Array, limit: number, lengths: Uint8Array = new Uint8Array(freq.length)): Uint8Array {
  const n = freq.length;
  lengths.fill(0);
  // Sort keys freq * 512 + symbol (n <= 512, a frequency is at most one block's symbols, < 2^22):
  // ascending frequency, ties by symbol, with a plain numeric sort.
  let m = 0;
  for (let s = 0; s < n; s++) if (freq[s] > 0) m++;
  if (m < 2) {
    let s = 0;
    while (s < n && freq[s] === 0) s++;
    if (s === n) s = 0;
    lengths[s] = 1;
    lengths[s === 0 ? 1 : 0] = 1;
    return lengths;
  }
  const { keys, used, weight, parent, depth } = scratch();
  for (let s = 0, k = 0; s < n; s++) if (freq[s] > 0) keys[k++] = freq[s] * 512 + s;
  keys.subarray(0, m).sort();
  for (let i = 0; i < m; i++) used[i] = keys[i] & 511;
  // Huffman with two queues over the sorted leaves: leaves 0..m-1, internal nodes m..2m-2.
  for (let i = 0; i < m; i++) weight[i] = freq[used[i]];
  let leaf = 0;
  let inner = m;
  for (let next = m; next < 2 * m - 1; next++) {
    const a = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    const b = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    weight[next] = weight[a] + weight[b];
    parent[a] = next;
    parent[b] = next;
  }
  depth[2 * m - 2] = 0;
  let deepest = 0;
  for (let i = 2 * m - 3; i >= 0; i--) {
    depth[i] = depth[parent[i]] + 1;
    if (depth[i] > deepest) deepest = depth[i];
  }
  if (deepest <= limit) {
    for (let i = 0; i < m; i++) lengths[used[i]] = depth[i];
    return lengths;
  }
  const limited = packageMerge(weight.subarray(0, m), limit);
  for (let i = 0; i < m; i++) lengths[used[i]] = limited[i];
  return lengths;
}

/** Package-merge (Larmore & Hirschberg): optimal lengths <= limit for ascending weights, 2 <= m <= 2^limit. */
function packageMerge(sorted: Float64Array, limit: number): Uint8Array {
  const m = sorted.length;
  const weight: number[] = Array.from(sorted);
  const left: number[] = new Array<number>(m).fill(-1);
  const right: number[] = Array.from({ length: m }, (_, i) => i);
  let list: number[] = right.slice();
  for (let level = 1; level < limit; level++) {
    const merged: number[] = [];
    let li = 0;
    for (let i = 0; i + 1 < list.length; i += 2) {
      const node = weight.length;
      weight.push(weight[list[i]] + weight[list[i + 1]]);
      left.push(list[i]);
      right.push(list[i + 1]);
      while (li < m && weight[li] <= weight[node]) merged.push(li++);
      merged.push(node);
    }
    while (li < m) merged.push(li++);
    list = merged;
  }
  const lengths = new Uint8Array(m);
  const stack = list.slice(0, 2 * m - 2);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (left[node] === -1) lengths[right[node]]++;
    else stack.push(left[node], right[node]);
  }
  return lengths;
}

/** Code lengths run-length coded with symbols 16/17/18 (RFC 1951 §3.2.7): pairs of symbol, extra value. */
function runLengths(lengths: Uint8Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n;) {
    const v = lengths[i];
    let run = 1;
    while (i + run < n && lengths[i + run] === v) run++;
    i += run;
    if (v === 0) {
      while (run >= 11) {
        const r = Math.min(run, 138);
        out.push(18, r - 11);
        run -= r;
      }
      if (run >= 3) {
        out.push(17, run - 3);
        run = 0;
      }
    } else {
      out.push(v, 0);
      run--;
      while (run >= 3) {
        const r = Math.min(run, 6);
        out.push(16, r - 3);
        run -= r;
      }
    }
    for (; run > 0; run--) out.push(v, 0);
  }
  return out;
}

const CODE_LENGTH_EXTRA = [2, 3, 7];

/** Everything needed to write a dynamic block, and its exact size in bits. */
interface DynamicPlan {
  bits: number;
  literalLengths: Uint8Array;
  distanceLengths: Uint8Array;
  hlit: number;
  hdist: number;
  hclen: number;
  clLengths: Uint8Array;
  rle: number[];
}

function planDynamic(litFreq: Uint32Array, distFreq: Uint32Array): DynamicPlan {
  const literalLengths = codeLengths(litFreq, 15, scratch().litLengths);
  const distanceLengths = codeLengths(distFreq, 15, scratch().distLengths);
  let hlit = LITERAL_CODES;
  while (hlit > 257 && literalLengths[hlit - 1] === 0) hlit--;
  let hdist = DISTANCE_CODES;
  while (hdist > 1 && distanceLengths[hdist - 1] === 0) hdist--;
  const all = scratch().allLengths;
  all.set(literalLengths.subarray(0, hlit));
  all.set(distanceLengths.subarray(0, hdist), hlit);
  // One sequence, so runs may cross from literal to distance lengths (RFC 1951 §3.2.7).
  const rle = runLengths(all, hlit + hdist);
  const clFreq = scratch().clFreq;
  clFreq.fill(0);
  for (let i = 0; i < rle.length; i += 2) clFreq[rle[i]]++;
  const clLengths = codeLengths(clFreq, 7, scratch().clLengths);
  let hclen = 19;
  while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] === 0) hclen--;
  let bits = 3 + 5 + 5 + 4 + 3 * hclen;
  for (let i = 0; i < rle.length; i += 2) {
    const s = rle[i];
    bits += clLengths[s] + (s >= 16 ? CODE_LENGTH_EXTRA[s - 16] : 0);
  }
  for (let s = 0; s < LITERAL_CODES; s++) bits += litFreq[s] * literalLengths[s];
  for (let s = 0; s < DISTANCE_CODES; s++) bits += distFreq[s] * distanceLengths[s];
  return { bits, literalLengths, distanceLengths, hlit, hdist, hclen, clLengths, rle };
}

/** LZ77 symbols of one block: literal byte, or 256 + length - 3 with its distance. */
class Block {
  readonly litLen: Uint16Array;
  readonly dist: Uint16Array;
  count = 0;
  constructor(readonly capacity: number) {
    this.litLen = scratch().litLen;
    this.dist = scratch().dist;
  }
}

function writeSymbols(
  w: BitWriter,
  block: Block,
  litLengths: Uint8Array,
  litCodes: Uint16Array,
  distLengths: Uint8Array,
  distCodes: Uint16Array,
): void {
  const { litLen, dist } = block;
  for (let i = 0; i < block.count; i++) {
    const v = litLen[i];
    if (v < 256) {
      w.bits(litCodes[v], litLengths[v]);
      continue;
    }
    const li = LENGTH_INDEX[v - 256];
    w.bits(litCodes[257 + li], litLengths[257 + li]);
    if (LENGTH_EXTRA[li] !== 0) w.bits(v - 256 + MIN_MATCH - LENGTH_BASE[li], LENGTH_EXTRA[li]);
    const d = dist[i];
    const di = distanceSymbol(d);
    w.bits(distCodes[di], distLengths[di]);
    if (DIST_EXTRA[di] !== 0) w.bits(d - DIST_BASE[di], DIST_EXTRA[di]);
  }
  w.bits(litCodes[256], litLengths[256]);
}

/** Write one block's symbols (covering raw bytes data[start..end)) in whichever encoding is smallest. */
function writeBlock(w: BitWriter, block: Block, data: Uint8Array, start: number, end: number, last: boolean): void {
  const litFreq = scratch().litFreq.fill(0);
  const distFreq = scratch().distFreq.fill(0);
  let extraBits = 0;
  for (let i = 0; i < block.count; i++) {
    const v = block.litLen[i];
    if (v < 256) {
      litFreq[v]++;
    } else {
      const li = LENGTH_INDEX[v - 256];
      litFreq[257 + li]++;
      const di = distanceSymbol(block.dist[i]);
      distFreq[di]++;
      extraBits += LENGTH_EXTRA[li] + DIST_EXTRA[di];
    }
  }
  litFreq[256] = 1;
  let fixedBits = 3 + extraBits;
  for (let s = 0; s < LITERAL_CODES; s++) fixedBits += litFreq[s] * FIXED_LITERAL_LENGTHS[s];
  for (let s = 0; s < DISTANCE_CODES; s++) fixedBits += distFreq[s] * 5;
  const plan = planDynamic(litFreq, distFreq);
  const dynamicBits = plan.bits + extraBits;
  // Stored (RFC 1951 §3.2.4): at most 65535 bytes per block, each after a 3-bit header and byte alignment.
  const rawLength = end - start;
  const chunks = Math.max(1, Math.ceil(rawLength / 65535));
  const storedBits = ((8 - ((w.bitOffset + 3) & 7)) & 7) + 3 + (chunks - 1) * 8 + chunks * 32 + rawLength * 8;
  const final = last ? 1 : 0;
  if (storedBits <= fixedBits && storedBits <= dynamicBits) {
    for (let p = start, c = 0; c < chunks; c++) {
      const n = Math.min(65535, end - p);
      w.bits(c === chunks - 1 ? final : 0, 1);
      w.bits(0, 2);
      w.align();
      w.bytes(Uint8Array.of(n & 255, n >> 8, ~n & 255, (~n >> 8) & 255));
      w.bytes(data.subarray(p, p + n));
      p += n;
    }
  } else if (fixedBits <= dynamicBits) {
    w.bits(final, 1);
    w.bits(1, 2);
    writeSymbols(w, block, FIXED_LITERAL_LENGTHS, FIXED_LITERAL_CODES, FIXED_DISTANCE_LENGTHS, FIXED_DISTANCE_CODES);
  } else {
    // Dynamic header (RFC 1951 §3.2.7).
    w.bits(final, 1);
    w.bits(2, 2);
    w.bits(plan.hlit - 257, 5);
    w.bits(plan.hdist - 1, 5);
    w.bits(plan.hclen - 4, 4);
    for (let i = 0; i < plan.hclen; i++) w.bits(plan.clLengths[CODE_LENGTH_ORDER[i]], 3);
    const clCodes = canonicalCodes(plan.clLengths, scratch().clCodes);
    for (let i = 0; i < plan.rle.length; i += 2) {
      const s = plan.rle[i];
      w.bits(clCodes[s], plan.clLengths[s]);
      if (s >= 16) w.bits(plan.rle[i + 1], CODE_LENGTH_EXTRA[s - 16]);
    }
    writeSymbols(
      w,
      block,
      plan.literalLengths,
      canonicalCodes(plan.literalLengths, scratch().litCodes),
      plan.distanceLengths,
      canonicalCodes(plan.distanceLengths, scratch().distCodes),
    );
  }
}

/**
 * How one LZ77 parse searches: at most `maxChain` hash-chain candidates per position; a length-3
 * match kept only up to distance `far3`, a length-4 match only up to `far4`. Short far matches cost
 * about as many bits as the literals they replace and can hide a longer match starting a byte later,
 * so which rule wins depends on the data.
 */
interface ParseRule {
  maxChain: number;
  far3: number;
  far4: number;
}

/** Up to this size, `deflate` tries SMALL_INPUT_RULES and keeps the shorter output. */
const SMALL_INPUT = 1 << 14;
/** Short matches close by (best on seals), or no length 3 and 4 at all; zlib level 9's chain. */
const SMALL_INPUT_RULES: readonly ParseRule[] = [
  { maxChain: 4096, far3: 256, far4: MAX_DIST },
  { maxChain: 4096, far3: 0, far4: 0 },
];
/**
 * Larger inputs (status lists, trust lists): one parse, the rule that measured best on them, and a
 * shorter chain. A sparse bitstring sends every search down a long chain of zero runs: 100 KB with 1%
 * of bits set took 170 ms per parse at chain 4096 and 60 ms at 1024, for 2.4% more bytes than zlib -9.
 */
const LARGE_INPUT_RULE: ParseRule = { maxChain: 1024, far3: 0, far4: 0 };

/*
 * Fast path for inputs up to FAST_INPUT bytes (seals), about 6x faster than the general path on a seal
 * for the same output size. One block. Every position is hashed first, so the hash chain of position p
 * holds exactly the earlier positions with its hash whatever a parse does, and a second parse reuses
 * the chains. The parse with short matches counts symbol frequencies, its fixed-code size and its
 * entropy as it goes; Huffman codes are built only when entropy plus a header estimate says a dynamic
 * block may beat the fixed code (on a typical seal the fixed code wins and no code is built), and the
 * parse without short matches only when a dynamic block wins. Sizes come from frequencies and code
 * lengths, without writing; only the chosen encoding is written, into a preallocated buffer; the
 * result is the only allocation. Up to FAST_INPUT bytes a block has at most 2049 symbols, fewer than
 * the 2584 (Fibonacci) a Huffman code longer than 15 bits needs, so the literal and distance codes need
 * no length limiting (the 7-bit code-length code still falls back to package-merge).
 */

/** Largest input of the fast path. */
const FAST_INPUT = 2048;
/** Hash-table size of the fast path, as bits: 2^12 entries, or 2^10 up to SMALL_HASH_INPUT bytes (a seal). */
const FAST_HASH_BITS = 12;
const SMALL_HASH_BITS = 10;
const SMALL_HASH_INPUT = 512;
const HASH_MULTIPLIER = 0x9e3779b1;
/**
 * Hash-chain candidates examined per position. Seal chains are a few candidates long (45 steps in all
 * on the typical seal); the limit bounds inputs like 2 KB over a two-letter alphabet (0.6 ms, against
 * 1.4 ms at zlib level 9's 4096), and changed no output size on seals, prose, JSON or random data.
 */
const FAST_CHAIN = 64;

/** One LZ77 parse of a small input: its symbols, frequencies and the sizes of its fixed and dynamic blocks. */
class FastParse {
  readonly litLen = new Uint16Array(FAST_INPUT + 1);
  readonly dist = new Uint16Array(FAST_INPUT + 1);
  count = 0;
  /** Extra bits of all lengths and distances. */
  extraBits = 0;
  /** Whether the parse met a length-3 or length-4 match (else every rule parses alike). */
  sawShort = false;
  fixedBits = 0;
  /** Exact dynamic-block size, or -1 when not planned. */
  dynamicBits = -1;
  /** Entropy of the literal/length and distance symbols, bits (a lower bound on their Huffman coding). */
  entropyBits = 0;
  /** Distinct literal/length and distance symbols. */
  symbols = 0;
  readonly litFreq = new Int32Array(LITERAL_CODES);
  readonly distFreq = new Int32Array(DISTANCE_CODES);
  readonly litLengths = new Uint8Array(LITERAL_CODES);
  readonly distLengths = new Uint8Array(DISTANCE_CODES);
  hlit = 0;
  hdist = 0;
  hclen = 0;
  readonly clFreq = new Int32Array(19);
  readonly clLengths = new Uint8Array(19);
  /** Literal then distance code lengths, one sequence (RFC 1951 §3.2.7), and its run-length coding. */
  readonly all = new Uint8Array(LITERAL_CODES + DISTANCE_CODES);
  readonly rleSym = new Uint8Array(LITERAL_CODES + DISTANCE_CODES);
  readonly rleExtra = new Uint8Array(LITERAL_CODES + DISTANCE_CODES);
  rleCount = 0;
}

class FastScratch {
  readonly out = new Uint8Array(FAST_INPUT + 64);
  /**
   * Hash -> position + 1 of the latest position with that hash (0: none); cleared per call, only as far as
   * the call uses it. Small and 16-bit, so that it stays in the L1 cache beside the signature code.
   */
  readonly head = new Uint16Array(1 << FAST_HASH_BITS);
  /** Position -> previous position with the same hash, + 1 (0: none). */
  readonly prev = new Uint16Array(FAST_INPUT);
  readonly parseA = new FastParse();
  readonly parseB = new FastParse();
  // Huffman construction over at most 286 leaves.
  readonly sorted = new Uint16Array(LITERAL_CODES);
  readonly sortTmp = new Uint16Array(LITERAL_CODES);
  readonly radix = new Int32Array(64);
  readonly weight = new Int32Array(2 * LITERAL_CODES);
  readonly parent = new Int32Array(2 * LITERAL_CODES);
  readonly depth = new Uint16Array(2 * LITERAL_CODES);
  readonly blCount = new Uint16Array(16);
  readonly nextCode = new Uint16Array(16);
  /** Codes as (bit-reversed code | length << 16), so writing a symbol takes one table load. */
  readonly litCodes = new Int32Array(LITERAL_CODES);
  readonly distCodes = new Int32Array(DISTANCE_CODES);
  readonly clCodes = new Int32Array(19);
}
let fastScratch: FastScratch | undefined;

/** Bit-reversal of a byte, for canonical codes sent LSB first. */
const REVERSE_BYTE = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
  REVERSE_BYTE[i] = r;
}

/** The fixed codes (RFC 1951 §3.2.6) packed as `fastCanonicalCodes` makes them. */
const FAST_FIXED_LITERAL_CODES = Int32Array.from(FIXED_LITERAL_CODES, (c, s) => c | (FIXED_LITERAL_LENGTHS[s] << 16));
const FAST_FIXED_DISTANCE_CODES = Int32Array.from(FIXED_DISTANCE_CODES, (c) => c | (5 << 16));

/**
 * Canonical codes (RFC 1951 §3.2.2) of `lengths` into `codes` as (bit-reversed code | length << 16);
 * no allocation.
 */
function fastCanonicalCodes(lengths: Uint8Array, n: number, codes: Int32Array): void {
  const f = fastScratch!;
  const blCount = f.blCount;
  const next = f.nextCode;
  blCount.fill(0);
  for (let s = 0; s < n; s++) blCount[lengths[s]]++;
  blCount[0] = 0;
  let code = 0;
  for (let len = 1; len <= 15; len++) {
    code = (code + blCount[len - 1]) << 1;
    next[len] = code;
  }
  for (let s = 0; s < n; s++) {
    const len = lengths[s];
    if (len === 0) {
      codes[s] = 0;
      continue;
    }
    const c = next[len]++;
    codes[s] = (((REVERSE_BYTE[c & 255] << 8) | REVERSE_BYTE[c >>> 8]) >>> (16 - len)) | (len << 16);
  }
}

/**
 * Huffman code lengths of `freq` into `lengths`, the same as `codeLengths` gives: leaves sorted by
 * frequency then symbol (a stable radix sort instead of a comparison sort), two-queue construction;
 * `codeLengths` (package-merge) only when the tree is deeper than `limit`.
 */
function fastCodeLengths(f: FastScratch, freq: Int32Array, limit: number, lengths: Uint8Array): void {
  const n = freq.length;
  let src = f.sortTmp;
  let dst = f.sorted;
  let m = 0;
  let maxFreq = 0;
  for (let s = 0; s < n; s++) {
    const v = freq[s];
    lengths[s] = 0;
    if (v !== 0) {
      src[m++] = s;
      if (v > maxFreq) maxFreq = v;
    }
  }
  if (m < 2) {
    const s = m === 0 ? 0 : src[0];
    lengths[s] = 1;
    lengths[s === 0 ? 1 : 0] = 1;
    return;
  }
  const radix = f.radix;
  for (let shift = 0; maxFreq >>> shift !== 0; shift += 6) {
    radix.fill(0);
    for (let i = 0; i < m; i++) radix[(freq[src[i]] >>> shift) & 63]++;
    for (let b = 0, sum = 0; b < 64; b++) {
      const c = radix[b];
      radix[b] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const s = src[i];
      dst[radix[(freq[s] >>> shift) & 63]++] = s;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const { weight, parent, depth } = f;
  for (let i = 0; i < m; i++) weight[i] = freq[src[i]];
  let leaf = 0;
  let inner = m;
  const root = 2 * m - 2;
  for (let next = m; next <= root; next++) {
    const a = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    const b = leaf < m && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    weight[next] = weight[a] + weight[b];
    parent[a] = next;
    parent[b] = next;
  }
  depth[root] = 0;
  let deepest = 0;
  for (let i = root - 1; i >= 0; i--) {
    const d = depth[parent[i]] + 1;
    depth[i] = d;
    if (d > deepest) deepest = d;
  }
  if (deepest > limit) {
    codeLengths(freq, limit, lengths);
    return;
  }
  for (let i = 0; i < m; i++) lengths[src[i]] = depth[i];
}

/**
 * Fixed-point k * log2(k) (1/1024 bit) for k <= FAST_INPUT + 1, computed with exact integer steps only
 * (squaring a 24-bit fraction), so the table and every decision made from it are the same on any engine.
 */
const KLOG2K = new Int32Array(FAST_INPUT + 2);
for (let k = 2; k < KLOG2K.length; k++) {
  const e = 31 - Math.clz32(k);
  let x = k * 2 ** (24 - e); // k / 2^e in [1, 2), 24 fractional bits
  let frac = 0;
  for (let bit = 0; bit < 10; bit++) {
    x = Math.floor((x * x) / 2 ** 24);
    frac <<= 1;
    if (x >= 2 ** 25) {
      x = Math.floor(x / 2);
      frac |= 1;
    }
  }
  KLOG2K[k] = k * ((e << 10) | frac);
}
/** KLOG2K[k + 1] - KLOG2K[k]: what one more occurrence of a symbol seen k times adds to sum f log2 f. */
const KLOG2K_STEP = new Int32Array(FAST_INPUT + 1);
for (let k = 0; k <= FAST_INPUT; k++) KLOG2K_STEP[k] = KLOG2K[k + 1] - KLOG2K[k];

/** Distance of the match `chainSearch` found (an out-parameter: the search runs for every position, allocation-free). */
let chainDistance = 0;

/**
 * zlib's longest_match over the fast path's hash chains: the longest match at `pos` longer than `best`,
 * trying at most FAST_CHAIN earlier positions from `cur` on, nearest first (a longer match only replaces a
 * shorter one, so among equals the nearest wins). Returns its length, or `best` if none is longer; its
 * distance is left in `chainDistance`.
 */
function chainSearch(data: Uint8Array, prev: Uint16Array, pos: number, cur: number, best: number, maxLength: number): number {
  let chain = FAST_CHAIN;
  do {
    if (data[cur + best] === data[pos + best] && data[cur] === data[pos] && data[cur + 1] === data[pos + 1]) {
      let len = 2;
      while (len < maxLength && data[cur + len] === data[pos + len]) len++;
      if (len > best) {
        best = len;
        chainDistance = pos - cur;
        if (len >= maxLength) break;
      }
    }
    cur = prev[cur] - 1;
  } while (cur >= 0 && --chain !== 0);
  return best;
}

/**
 * zlib's lazy evaluation (deflate_slow) over the hash chains of `f.prev`: a match is taken only if the
 * next position has no longer one; a length-3 match only up to distance `far3`, a length-4 only up to
 * `far4`. Counts frequencies, the fixed-code size and the data's entropy as it goes.
 */
function fastParse(f: FastScratch, data: Uint8Array, n: number, far3: number, far4: number, p: FastParse): void {
  const { litLen, dist, litFreq, distFreq } = p;
  const prev = f.prev;
  // Module tables in locals: one load each instead of one per use in the loop.
  const klogStep = KLOG2K_STEP;
  const fixedLengths = FIXED_LITERAL_LENGTHS;
  litFreq.fill(0);
  distFreq.fill(0);
  let count = 0;
  let matches = 0;
  let extraBits = 0;
  let fixedBits = 0;
  let litKlog = 0;
  let distKlog = 0;
  let litSymbols = 1; // end-of-block
  let distSymbols = 0;
  let sawShort = false;
  let prevLength = MIN_MATCH - 1;
  let prevDist = 0;
  let available = false;
  let pos = 0;
  while (pos < n) {
    let length = MIN_MATCH - 1;
    let distance = 0;
    // The last two positions start no 3-byte string, and their prev slots are not this call's.
    const cur = pos + 2 < n ? prev[pos] - 1 : -1;
    if (cur >= 0 && prevLength < MAX_MATCH) {
      // Search for a match longer than the previous one (zlib's longest_match), nearest first.
      const maxLength = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
      if (prevLength < maxLength) {
        const best = chainSearch(data, prev, pos, cur, prevLength, maxLength);
        if (best > prevLength) {
          length = best;
          distance = chainDistance;
          if (length <= 4) {
            sawShort = true;
            if (distance > (length === 3 ? far3 : far4)) length = MIN_MATCH - 1;
          }
        }
      }
    }
    if (prevLength >= MIN_MATCH && length <= prevLength) {
      const li = LENGTH_INDEX[prevLength - MIN_MATCH];
      const di = distanceSymbol(prevDist);
      litLen[count] = 256 + prevLength - MIN_MATCH;
      dist[count++] = prevDist;
      matches++;
      const lf = litFreq[257 + li]++;
      if (lf === 0) litSymbols++;
      litKlog += klogStep[lf];
      const df = distFreq[di]++;
      if (df === 0) distSymbols++;
      distKlog += klogStep[df];
      extraBits += LENGTH_EXTRA[li] + DIST_EXTRA[di];
      fixedBits += fixedLengths[257 + li];
      pos += prevLength - 1;
      available = false;
      prevLength = MIN_MATCH - 1;
      continue;
    }
    if (available) {
      const v = data[pos - 1];
      litLen[count++] = v;
      const lf = litFreq[v]++;
      if (lf === 0) litSymbols++;
      litKlog += klogStep[lf];
    }
    available = true;
    prevLength = length;
    prevDist = distance;
    pos++;
  }
  if (available) {
    const v = data[n - 1];
    litLen[count++] = v;
    const lf = litFreq[v]++;
    if (lf === 0) litSymbols++;
    litKlog += klogStep[lf];
  }
  // Fixed code: literals 0..143 take 8 bits, 144..255 take 9 (RFC 1951 §3.2.6).
  fixedBits += 8 * (count - matches);
  for (let v = 144; v < 256; v++) fixedBits += litFreq[v];
  litFreq[256] = 1;
  p.count = count;
  p.extraBits = extraBits;
  p.sawShort = sawShort;
  p.fixedBits = 3 + fixedBits + 5 * matches + FIXED_LITERAL_LENGTHS[256] + extraBits;
  // Entropy in bits (N log2 N - sum f log2 f per alphabet), a lower bound on the Huffman-coded data.
  p.entropyBits = (KLOG2K[count + 1] - litKlog + KLOG2K[matches] - distKlog) >> 10;
  p.symbols = litSymbols + distSymbols;
  p.dynamicBits = -1;
}

/** Code lengths, their run-length coding and the exact size in bits of parse `p` as a dynamic block. */
function fastPlan(f: FastScratch, p: FastParse): void {
  const { litFreq, distFreq, litLengths, distLengths, all, rleSym, rleExtra, clFreq, clLengths } = p;
  fastCodeLengths(f, litFreq, 15, litLengths);
  fastCodeLengths(f, distFreq, 15, distLengths);
  let bits = 0;
  for (let s = 0; s < LITERAL_CODES; s++) bits += litFreq[s] * litLengths[s];
  for (let s = 0; s < DISTANCE_CODES; s++) bits += distFreq[s] * distLengths[s];
  let hlit = LITERAL_CODES;
  while (hlit > 257 && litLengths[hlit - 1] === 0) hlit--;
  let hdist = DISTANCE_CODES;
  while (hdist > 1 && distLengths[hdist - 1] === 0) hdist--;
  all.set(litLengths.subarray(0, hlit));
  all.set(distLengths.subarray(0, hdist), hlit);
  // Run-length coding as `runLengths`, into typed arrays.
  const total = hlit + hdist;
  clFreq.fill(0);
  let r = 0;
  for (let i = 0; i < total;) {
    const v = all[i];
    let run = 1;
    while (i + run < total && all[i + run] === v) run++;
    i += run;
    if (v === 0) {
      while (run >= 11) {
        const k = run < 138 ? run : 138;
        rleSym[r] = 18;
        rleExtra[r++] = k - 11;
        run -= k;
      }
      if (run >= 3) {
        rleSym[r] = 17;
        rleExtra[r++] = run - 3;
        run = 0;
      }
    } else {
      rleSym[r] = v;
      rleExtra[r++] = 0;
      run--;
      while (run >= 3) {
        const k = run < 6 ? run : 6;
        rleSym[r] = 16;
        rleExtra[r++] = k - 3;
        run -= k;
      }
    }
    for (; run > 0; run--) {
      rleSym[r] = v;
      rleExtra[r++] = 0;
    }
  }
  for (let i = 0; i < r; i++) clFreq[rleSym[i]]++;
  fastCodeLengths(f, clFreq, 7, clLengths);
  let hclen = 19;
  while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] === 0) hclen--;
  bits += 3 + 5 + 5 + 4 + 3 * hclen + 2 * clFreq[16] + 3 * clFreq[17] + 7 * clFreq[18];
  for (let s = 0; s < 19; s++) bits += clFreq[s] * clLengths[s];
  p.hlit = hlit;
  p.hdist = hdist;
  p.hclen = hclen;
  p.rleCount = r;
  p.dynamicBits = bits + p.extraBits;
}

/** Little-endian bit writer (RFC 1951 §3.1.1) over the fast path's fixed output buffer. */
class FastBits {
  buf: Uint8Array;
  pos = 0;
  acc = 0;
  count = 0;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }
  /** Write the low `n` (<= 16) bits of `value`. */
  put(value: number, n: number): void {
    this.acc |= value << this.count;
    this.count += n;
    if (this.count >= 16) {
      this.buf[this.pos++] = this.acc;
      this.buf[this.pos++] = this.acc >>> 8;
      this.acc >>= 16;
      this.count -= 16;
    }
  }
  /** Zero bits to a byte boundary. */
  align(): void {
    if (this.count > 8) {
      this.buf[this.pos++] = this.acc;
      this.buf[this.pos++] = this.acc >>> 8;
    } else if (this.count > 0) {
      this.buf[this.pos++] = this.acc;
    }
    this.acc = 0;
    this.count = 0;
  }
}
let fastBits: FastBits | undefined;

/** Parse `p`'s symbols and end-of-block with the given packed codes (inlined bit writing). */
function fastWriteSymbols(w: FastBits, p: FastParse, litCodes: Int32Array, distCodes: Int32Array): void {
  const { litLen, dist, count } = p;
  const buf = w.buf;
  const lengthIndex = LENGTH_INDEX;
  let pos = w.pos;
  let acc = w.acc;
  let bits = w.count;
  for (let i = 0; i < count; i++) {
    const v = litLen[i];
    if (v < 256) {
      const code = litCodes[v];
      acc |= (code & 0xffff) << bits;
      bits += code >> 16;
    } else {
      const li = lengthIndex[v - 256];
      const code = litCodes[257 + li];
      acc |= (code & 0xffff) << bits;
      bits += code >> 16;
      if (bits >= 16) {
        buf[pos++] = acc;
        buf[pos++] = acc >>> 8;
        acc >>= 16;
        bits -= 16;
      }
      const le = LENGTH_EXTRA[li];
      if (le !== 0) {
        acc |= (v - 256 + MIN_MATCH - LENGTH_BASE[li]) << bits;
        bits += le;
      }
      const d = dist[i];
      const di = distanceSymbol(d);
      if (bits >= 16) {
        buf[pos++] = acc;
        buf[pos++] = acc >>> 8;
        acc >>= 16;
        bits -= 16;
      }
      const dcode = distCodes[di];
      acc |= (dcode & 0xffff) << bits;
      bits += dcode >> 16;
      const de = DIST_EXTRA[di];
      if (de !== 0) {
        if (bits >= 16) {
          buf[pos++] = acc;
          buf[pos++] = acc >>> 8;
          acc >>= 16;
          bits -= 16;
        }
        acc |= (d - DIST_BASE[di]) << bits;
        bits += de;
      }
    }
    if (bits >= 16) {
      buf[pos++] = acc;
      buf[pos++] = acc >>> 8;
      acc >>= 16;
      bits -= 16;
    }
  }
  w.pos = pos;
  w.acc = acc;
  w.count = bits;
  w.put(litCodes[256] & 0xffff, litCodes[256] >>> 16);
}

/**
 * Header bits a dynamic block spends per distinct symbol beyond its first 29, plus what its Huffman
 * codes lose to the entropy, at least as `deflateSmall` assumes: measured 3.96 to 4.8 on seals (the
 * code-length code is itself Huffman coded, and a small block uses most lengths once), 5 to 7.9 on
 * short texts. Used only to skip building codes that cannot win; when the guess is too high for some
 * input, the loss is (4 - the real value) bits per symbol at most, a few bits on seal-like data.
 */
const HEADER_BITS_PER_SYMBOL = 4;

/** Output of `deflateSmallFixed`: a fixed-code block may be 9/8 of its input before it is compared with a stored one. */
let fixedOut: Uint8Array | undefined;

/**
 * The common case of `deflateSmall` (seals) in one pass: hashing, the same parse as `fastParse` with the
 * short-match rule (positions are hashed as the parse reaches them, so each chain holds exactly the
 * earlier positions, as after the separate hashing pass), and fixed-code output written as symbols are
 * chosen. Returns the finished stream, byte for byte what `deflateSmall` returns, when `deflateSmall`
 * would choose this fixed-code block without planning a dynamic one; otherwise `undefined`, and the
 * caller runs `deflateSmall` (tested to agree on random, text, Arabic and seal-like inputs).
 * About a third faster on a seal than the three passes, since the symbols are never stored and read back.
 */
export function deflateSmallFixed(data: Uint8Array): Uint8Array | undefined {
  const f = (fastScratch ??= new FastScratch());
  const n = data.length;
  const { head, prev } = f;
  if (n > SMALL_HASH_INPUT) return undefined; // seals; the constant hash size keeps the loop's live values few
  head.fill(0, 0, 1 << SMALL_HASH_BITS);
  const litFreq = f.parseA.litFreq;
  const distFreq = f.parseA.distFreq;
  litFreq.fill(0);
  distFreq.fill(0);
  const klogStep = KLOG2K_STEP;
  const litCodes = FAST_FIXED_LITERAL_CODES;
  const distCodes = FAST_FIXED_DISTANCE_CODES;
  const out = (fixedOut ??= new Uint8Array(((FAST_INPUT * 9) >> 3) + 64));
  // zlib header 78 DA (RFC 1950 §2.2, as deflateSmall), then BFINAL = 1 and BTYPE = 01 (fixed codes).
  out[0] = 0x78;
  out[1] = 0xda;
  let o = 2;
  let acc = 3;
  let bits = 3;
  let inserted = 0;
  let three = n > 1 ? (data[0] << 8) | data[1] : 0;
  let count = 0;
  let matches = 0;
  let extraBits = 0;
  let litKlog = 0;
  let distKlog = 0;
  let litSymbols = 1; // end-of-block
  let distSymbols = 0;
  let prevLength = MIN_MATCH - 1;
  let prevDist = 0;
  let available = false;
  let pos = 0;
  // One step past the end too: there nothing matches, and the literal still pending is written.
  while (pos <= n) {
    // Hash every position up to this one (also those a match skipped), in order.
    for (; inserted <= pos && inserted + 2 < n; inserted++) {
      three = ((three << 8) | data[inserted + 2]) & 0xffffff;
      const h = Math.imul(three, HASH_MULTIPLIER) >>> (32 - SMALL_HASH_BITS);
      prev[inserted] = head[h];
      head[h] = inserted + 1;
    }
    let length = MIN_MATCH - 1;
    let distance = 0;
    const cur = pos + 2 < n ? prev[pos] - 1 : -1;
    if (cur >= 0 && prevLength < MAX_MATCH) {
      const maxLength = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
      if (prevLength < maxLength) {
        const best = chainSearch(data, prev, pos, cur, prevLength, maxLength);
        if (best > prevLength) {
          length = best;
          distance = chainDistance;
          // The short-match rule of deflateSmall's first parse: length 3 only up to distance 256.
          if (length === 3 && distance > 256) length = MIN_MATCH - 1;
        }
      }
    }
    if (prevLength >= MIN_MATCH && length <= prevLength) {
      const li = LENGTH_INDEX[prevLength - MIN_MATCH];
      const di = distanceSymbol(prevDist);
      count++;
      matches++;
      const lf = litFreq[257 + li]++;
      if (lf === 0) litSymbols++;
      litKlog += klogStep[lf];
      const df = distFreq[di]++;
      if (df === 0) distSymbols++;
      distKlog += klogStep[df];
      const le = LENGTH_EXTRA[li];
      const de = DIST_EXTRA[di];
      extraBits += le + de;
      // Length code, its extra bits, distance code, its extra bits (RFC 1951 §3.2.5), flushing 16 bits at a time.
      const code = litCodes[257 + li];
      acc |= (code & 0xffff) << bits;
      bits += code >> 16;
      if (bits >= 16) {
        out[o++] = acc;
        out[o++] = acc >> 8;
        acc >>= 16;
        bits -= 16;
      }
      if (le !== 0) {
        acc |= (prevLength - LENGTH_BASE[li]) << bits;
        bits += le;
      }
      if (bits >= 16) {
        out[o++] = acc;
        out[o++] = acc >> 8;
        acc >>= 16;
        bits -= 16;
      }
      const dcode = distCodes[di];
      acc |= (dcode & 0xffff) << bits;
      bits += dcode >> 16;
      if (de !== 0) {
        if (bits >= 16) {
          out[o++] = acc;
          out[o++] = acc >> 8;
          acc >>= 16;
          bits -= 16;
        }
        acc |= (prevDist - DIST_BASE[di]) << bits;
        bits += de;
      }
      if (bits >= 16) {
        out[o++] = acc;
        out[o++] = acc >> 8;
        acc >>= 16;
        bits -= 16;
      }
      pos += prevLength - 1;
      available = false;
      prevLength = MIN_MATCH - 1;
      continue;
    }
    if (available) {
      const v = data[pos - 1];
      count++;
      const lf = litFreq[v]++;
      if (lf === 0) litSymbols++;
      litKlog += klogStep[lf];
      const code = litCodes[v];
      acc |= (code & 0xffff) << bits;
      bits += code >> 16;
      if (bits >= 16) {
        out[o++] = acc;
        out[o++] = acc >> 8;
        acc >>= 16;
        bits -= 16;
      }
    }
    available = true;
    prevLength = length;
    prevDist = distance;
    pos++;
  }
  // The block's size as deflateSmall computes it: 3 header bits, the symbols, end-of-block (7 bits).
  const fixedBits = 8 * (o - 2) + bits + FIXED_LITERAL_LENGTHS[256];
  const storedBits = 40 + 8 * n;
  const entropyBits = (KLOG2K[count + 1] - litKlog + KLOG2K[matches] - distKlog) >> 10;
  litFreq[256] = 1;
  if (storedBits <= fixedBits) return undefined;
  if (entropyBits + extraBits + 17 + 12 + HEADER_BITS_PER_SYMBOL * (litSymbols + distSymbols) < fixedBits) return undefined;
  // End-of-block is seven zero bits; then zero bits to the byte boundary.
  bits += FIXED_LITERAL_LENGTHS[256];
  while (bits > 0) {
    out[o++] = acc;
    acc >>= 8;
    bits -= 8;
  }
  // Adler-32 (RFC 1950 §8.2; no modulo needed before 5552 bytes).
  let a = 1;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += data[i];
    b += a;
  }
  const check = (((b % 65521) << 16) | (a % 65521)) >>> 0;
  out[o++] = check >>> 24;
  out[o++] = check >>> 16;
  out[o++] = check >>> 8;
  out[o++] = check;
  return new Uint8Array(out.buffer, 0, o);
}

/**
 * `deflate` for inputs of at most FAST_INPUT bytes, as a view of the reused output buffer: one final block, parsed with the short-match rule;
 * dynamic codes are built only when the entropy bound says they may beat the fixed code, and the parse
 * without short matches is tried only when dynamic codes win (the case where it can be smaller).
 */
function deflateSmall(data: Uint8Array): Uint8Array {
  const f = (fastScratch ??= new FastScratch());
  const n = data.length;
  // Hash every position first, so that position p's chain holds exactly the earlier positions with its
  // hash whatever a parse does; Adler-32 on the way (RFC 1950 §8.2; no modulo before 5552 bytes).
  const { head, prev } = f;
  const hashBits = n <= SMALL_HASH_INPUT ? SMALL_HASH_BITS : FAST_HASH_BITS;
  head.fill(0, 0, 1 << hashBits);
  const multiplier = HASH_MULTIPLIER;
  const shift = 32 - hashBits;
  let a = 1;
  let b = 0;
  let p = 0;
  // The three bytes at p, kept rolling: one new byte per position.
  let three = n > 1 ? (data[0] << 8) | data[1] : 0;
  for (; p + 2 < n; p++) {
    const c = data[p];
    a += c;
    b += a;
    three = ((three << 8) | data[p + 2]) & 0xffffff;
    const h = Math.imul(three, multiplier) >>> shift;
    prev[p] = head[h];
    head[h] = p + 1;
  }
  for (; p < n; p++) {
    a += data[p];
    b += a;
  }
  const check = (((b % 65521) << 16) | (a % 65521)) >>> 0;

  let best = f.parseA;
  fastParse(f, data, n, 256, MAX_DIST, best);
  const storedBits = 40 + 8 * n;
  let bestBits = best.fixedBits < storedBits ? best.fixedBits : storedBits;
  if (best.entropyBits + best.extraBits + 17 + 12 + HEADER_BITS_PER_SYMBOL * best.symbols < bestBits) {
    fastPlan(f, best);
    if (best.dynamicBits < bestBits) {
      bestBits = best.dynamicBits;
      if (best.sawShort) {
        // Without short matches: worth building codes for only if its entropy, extra bits and symbol
        // count, changed from the first parse's, predict a smaller block (the guess fell within 70
        // bits of the real size on seals and texts of 0.7 to 2 KB, mostly below it).
        const other = f.parseB;
        fastParse(f, data, n, 0, 0, other);
        const guess =
          best.dynamicBits +
          other.entropyBits -
          best.entropyBits +
          other.extraBits -
          best.extraBits +
          HEADER_BITS_PER_SYMBOL * (other.symbols - best.symbols);
        if (guess < bestBits) {
          fastPlan(f, other);
          const otherBits = other.fixedBits < other.dynamicBits ? other.fixedBits : other.dynamicBits;
          if (otherBits < bestBits) {
            best = other;
            bestBits = otherBits;
          }
        }
      }
    }
  }

  const w = (fastBits ??= new FastBits(f.out));
  w.pos = 0;
  w.acc = 0;
  w.count = 0;
  // RFC 1950 §2.2: CM 8, CINFO 7 (32 KB window), FLEVEL 3, FCHECK so that 0x78DA % 31 == 0.
  w.put(0xda78, 16);
  if (storedBits <= bestBits) {
    // Stored: 3-bit header, 5 bits to the byte boundary, LEN and NLEN, the bytes.
    w.put(1, 3);
    w.align();
    const out = w.buf;
    out[w.pos++] = n;
    out[w.pos++] = n >>> 8;
    out[w.pos++] = ~n;
    out[w.pos++] = ~n >>> 8;
    out.set(data, w.pos);
    w.pos += n;
  } else if (best.dynamicBits < 0 || best.fixedBits <= best.dynamicBits) {
    w.put(1 | (1 << 1), 3);
    fastWriteSymbols(w, best, FAST_FIXED_LITERAL_CODES, FAST_FIXED_DISTANCE_CODES);
  } else {
    const { litLengths, distLengths, clLengths, rleSym, rleExtra, rleCount, hlit, hdist, hclen } = best;
    w.put(1 | (2 << 1) | ((hlit - 257) << 3) | ((hdist - 1) << 8), 13);
    w.put(hclen - 4, 4);
    for (let i = 0; i < hclen; i++) w.put(clLengths[CODE_LENGTH_ORDER[i]], 3);
    const clCodes = f.clCodes;
    fastCanonicalCodes(clLengths, 19, clCodes);
    for (let i = 0; i < rleCount; i++) {
      const s = rleSym[i];
      w.put(clCodes[s] & 0xffff, clLengths[s]);
      if (s >= 16) w.put(rleExtra[i], CODE_LENGTH_EXTRA[s - 16]);
    }
    fastCanonicalCodes(litLengths, LITERAL_CODES, f.litCodes);
    fastCanonicalCodes(distLengths, DISTANCE_CODES, f.distCodes);
    fastWriteSymbols(w, best, f.litCodes, f.distCodes);
  }
  w.align();
  const out = w.buf;
  out[w.pos++] = check >>> 24;
  out[w.pos++] = check >>> 16;
  out[w.pos++] = check >>> 8;
  out[w.pos++] = check;
  return new Uint8Array(out.buffer, 0, w.pos);
}

/**
 * Compress to a zlib stream (RFC 1950, header 0x78 0xDA) of DEFLATE data (RFC 1951).
 *
 * Deterministic: the output depends on the input bytes only, never on the runtime, so the same
 * claims give the same seal everywhere. Matching is zlib's level-9 lazy evaluation over a 32 KB window
 * with hash chains (inputs up to 16 KB: two parse rules, the shorter result kept; larger inputs: one
 * parse with a shorter chain); each block of up to 16383 symbols is written stored, with the fixed
 * code or with its own optimal (length-limited) Huffman codes, whichever is smallest. On seals the
 * output is a little smaller than zlib level 9; on large inputs between levels 6 and 9. Inputs up to
 * 2 KB (seals) take a fast path, `deflateSmall`, that makes the same choices from one match search
 * and sizes computed without writing; on seal-like data its output is the same size.
 *
 * @example
 * deflate(new Uint8Array(0)) // Uint8Array [0x78, 0xda, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
 */
export function deflate(data: Uint8Array): Uint8Array {
  return deflateView(data).slice();
}

/**
 * `deflate` without the final copy for small inputs: the result may be a view of a reused buffer, valid
 * only until the next call (for the seal signing path, which encodes it as text at once).
 */
export function deflateView(data: Uint8Array): Uint8Array {
  if (data.length > FAST_INPUT) return deflateGeneral(data);
  return deflateSmallFixed(data) ?? deflateSmall(data);
}

/** The three-pass small-input path alone (tests hold the one-pass fixed-code path to it). */
export function deflateSmallThreePass(data: Uint8Array): Uint8Array {
  if (data.length > FAST_INPUT) throw new RangeError('deflateSmallThreePass: inputs up to 2 KB');
  return deflateSmall(data).slice();
}

/**
 * `deflate` without the small-input fast path: what `deflate` does above 2 KB, exported so tests can
 * hold the fast path to it on small inputs.
 */
export function deflateGeneral(data: Uint8Array): Uint8Array {
  if (data.length > SMALL_INPUT) return compress(data, LARGE_INPUT_RULE);
  let best = compress(data, SMALL_INPUT_RULES[0]!);
  for (let i = 1; i < SMALL_INPUT_RULES.length; i++) {
    const other = compress(data, SMALL_INPUT_RULES[i]!);
    if (other.length < best.length) best = other;
  }
  return best;
}

/** One zlib stream of `data` with LZ77 parse rule `rule`. */
function compress(data: Uint8Array, rule: ParseRule): Uint8Array {
  const n = data.length;
  const w = new BitWriter(scratch().output);
  // RFC 1950 §2.2: CM 8, CINFO 7 (32 KB window), FLEVEL 3, FCHECK so that 0x78DA % 31 == 0.
  w.bits(0x78, 8);
  w.bits(0xda, 8);

  // Hash of the next 3 bytes -> (most recent position + 1); prev[pos & mask] -> (older position + 1).
  // The hash table shrinks for small inputs (fewer bytes to clear); results still depend on the input only.
  let hashBits = 8;
  while (hashBits < 15 && 1 << hashBits < n) hashBits++;
  const head = scratch().head;
  head.fill(0, 0, 1 << hashBits);
  const hashShift = 32 - hashBits;
  let prevSize = 256;
  while (prevSize < WINDOW_SIZE && prevSize < n) prevSize <<= 1;
  // Not cleared: a chain only visits positions this call inserted, fewer than prevSize back (MAX_DIST),
  // so every slot it reads was written for that position and not reused since.
  const prev = scratch().prev;
  const prevMask = prevSize - 1;

  // A block never holds more symbols than there are input bytes.
  const block = new Block(Math.min(BLOCK_SYMBOLS, n + 1));
  let blockStart = 0;
  let covered = 0;

  const longestMatch = (pos: number, candidate: number, prevLength: number): number => {
    const maxLength = Math.min(MAX_MATCH, n - pos);
    if (prevLength >= maxLength) return prevLength;
    let chain = prevLength >= GOOD_MATCH ? rule.maxChain >> 2 : rule.maxChain;
    const nice = Math.min(NICE_MATCH, maxLength);
    const limit = pos - MAX_DIST;
    let best = prevLength;
    let cur = candidate;
    do {
      if (data[cur + best] === data[pos + best] && data[cur] === data[pos] && data[cur + 1] === data[pos + 1]) {
        let len = 2;
        while (len < maxLength && data[cur + len] === data[pos + len]) len++;
        if (len > best) {
          best = len;
          matchStart = cur;
          if (len >= nice) break;
        }
      }
      cur = prev[cur & prevMask] - 1;
    } while (cur >= limit && cur >= 0 && --chain > 0);
    return best;
  };

  let matchStart = 0;
  let matchLength = MIN_MATCH - 1;
  let matchAvailable = false;
  let pos = 0;
  const emit = (litLen: number, dist: number, rawLength: number): void => {
    block.litLen[block.count] = litLen;
    block.dist[block.count] = dist;
    block.count++;
    covered += rawLength;
    if (block.count === block.capacity) {
      writeBlock(w, block, data, blockStart, covered, false);
      block.count = 0;
      blockStart = covered;
    }
  };
  const insert = (p: number): number => {
    if (p + 2 >= n) return 0;
    const h = Math.imul((data[p] << 16) | (data[p + 1] << 8) | data[p + 2], 0x9e3779b1) >>> hashShift;
    const older = head[h];
    prev[p & prevMask] = older;
    head[h] = p + 1;
    return older;
  };

  // Lazy matching as zlib's deflate_slow: a match is taken only if the next position has no longer one.
  while (pos < n) {
    const candidate = insert(pos) - 1;
    const prevLength = matchLength;
    const prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;
    if (candidate >= 0 && prevLength < MAX_MATCH && pos - candidate <= MAX_DIST) {
      matchLength = longestMatch(pos, candidate, prevLength);
      const dist = pos - matchStart;
      if ((matchLength === 3 && dist > rule.far3) || (matchLength === 4 && dist > rule.far4)) {
        matchLength = MIN_MATCH - 1;
      }
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      emit(256 + prevLength - MIN_MATCH, pos - 1 - prevMatch, prevLength);
      const next = pos - 1 + prevLength;
      for (let p = pos + 1; p < next; p++) insert(p);
      pos = next;
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
    } else if (matchAvailable) {
      emit(data[pos - 1], 0, 1);
      pos++;
    } else {
      matchAvailable = true;
      pos++;
    }
  }
  if (matchAvailable) emit(data[n - 1], 0, 1);
  writeBlock(w, block, data, blockStart, covered, true);

  w.align();
  const check = adler32(data);
  w.bytes(Uint8Array.of(check >>> 24, (check >>> 16) & 255, (check >>> 8) & 255, check & 255));
  return w.buf.slice(0, w.pos);
}
