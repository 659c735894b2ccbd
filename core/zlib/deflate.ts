// Deterministic zlib compression (RFC 1950/1951): lazy LZ77 matching and, per block, the smallest encoding.

import {
  adler32,
  CODE_LENGTH_ORDER,
  DIST_BASE,
  DIST_EXTRA,
  fixedLiteralLengths,
  LENGTH_BASE,
  LENGTH_EXTRA,
} from './tables.js';

const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** Farthest distance used; 32767 rather than 32768 so the hash chain never aliases (see `deflate`). */
const MAX_DIST = 32767;
const WINDOW_SIZE = 32768;
/** zlib level-9 style search limits: chain length, reduced chain once a good match is found, early exit. */
const MAX_CHAIN = 4096;
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
 * are too big for V8's on-heap typed arrays) cost more than compressing a seal.
 */
const SCRATCH = {
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
export function codeLengths(freq: Uint32Array, limit: number, lengths = new Uint8Array(freq.length)): Uint8Array {
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
  const { keys, used, weight, parent, depth } = SCRATCH;
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
  for (let i = 0; i < n; ) {
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
  const literalLengths = codeLengths(litFreq, 15, SCRATCH.litLengths);
  const distanceLengths = codeLengths(distFreq, 15, SCRATCH.distLengths);
  let hlit = LITERAL_CODES;
  while (hlit > 257 && literalLengths[hlit - 1] === 0) hlit--;
  let hdist = DISTANCE_CODES;
  while (hdist > 1 && distanceLengths[hdist - 1] === 0) hdist--;
  const all = SCRATCH.allLengths;
  all.set(literalLengths.subarray(0, hlit));
  all.set(distanceLengths.subarray(0, hdist), hlit);
  // One sequence, so runs may cross from literal to distance lengths (RFC 1951 §3.2.7).
  const rle = runLengths(all, hlit + hdist);
  const clFreq = SCRATCH.clFreq;
  clFreq.fill(0);
  for (let i = 0; i < rle.length; i += 2) clFreq[rle[i]]++;
  const clLengths = codeLengths(clFreq, 7, SCRATCH.clLengths);
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
    this.litLen = SCRATCH.litLen;
    this.dist = SCRATCH.dist;
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
  const litFreq = SCRATCH.litFreq.fill(0);
  const distFreq = SCRATCH.distFreq.fill(0);
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
    const clCodes = canonicalCodes(plan.clLengths, SCRATCH.clCodes);
    for (let i = 0; i < plan.rle.length; i += 2) {
      const s = plan.rle[i];
      w.bits(clCodes[s], plan.clLengths[s]);
      if (s >= 16) w.bits(plan.rle[i + 1], CODE_LENGTH_EXTRA[s - 16]);
    }
    writeSymbols(
      w,
      block,
      plan.literalLengths,
      canonicalCodes(plan.literalLengths, SCRATCH.litCodes),
      plan.distanceLengths,
      canonicalCodes(plan.distanceLengths, SCRATCH.distCodes),
    );
  }
}

/**
 * Which short matches a parse keeps: a length-3 match only up to `far3`, a length-4 match only up to
 * `far4`. Short far matches cost about as many bits as the literals they replace and can hide a longer
 * match that starts a byte later, so which rule wins depends on the data.
 */
interface ParseRule {
  far3: number;
  far4: number;
}

/** Rules tried by `deflate`: short matches close by (best on small seals), or no length 3 and 4 at all. */
const PARSE_RULES: readonly ParseRule[] = [
  { far3: 256, far4: MAX_DIST },
  { far3: 0, far4: 0 },
];

/**
 * Compress to a zlib stream (RFC 1950, header 0x78 0xDA) of DEFLATE data (RFC 1951).
 *
 * Deterministic: the output depends on the input bytes only, never on the runtime, so the same
 * claims give the same seal everywhere. Matching is zlib's level-9 lazy evaluation over a 32 KB window
 * with hash chains, run with each of PARSE_RULES and the shorter result kept; each block of up to
 * 16383 symbols is written stored, with the fixed code or with its own optimal (length-limited)
 * Huffman codes, whichever is smallest. Output is about the size of zlib level 9, often smaller.
 *
 * @example
 * deflate(new Uint8Array(0)) // Uint8Array [0x78, 0xda, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
 */
export function deflate(data: Uint8Array): Uint8Array {
  let best = compress(data, PARSE_RULES[0]!);
  for (let i = 1; i < PARSE_RULES.length; i++) {
    const other = compress(data, PARSE_RULES[i]!);
    if (other.length < best.length) best = other;
  }
  return best;
}

/** One zlib stream of `data` with LZ77 parse rule `rule`. */
function compress(data: Uint8Array, rule: ParseRule): Uint8Array {
  const n = data.length;
  const w = new BitWriter(SCRATCH.output);
  // RFC 1950 §2.2: CM 8, CINFO 7 (32 KB window), FLEVEL 3, FCHECK so that 0x78DA % 31 == 0.
  w.bits(0x78, 8);
  w.bits(0xda, 8);

  // Hash of the next 3 bytes -> (most recent position + 1); prev[pos & mask] -> (older position + 1).
  // The hash table shrinks for small inputs (fewer bytes to clear); results still depend on the input only.
  let hashBits = 8;
  while (hashBits < 15 && 1 << hashBits < n) hashBits++;
  const head = SCRATCH.head;
  head.fill(0, 0, 1 << hashBits);
  const hashShift = 32 - hashBits;
  let prevSize = 256;
  while (prevSize < WINDOW_SIZE && prevSize < n) prevSize <<= 1;
  // Not cleared: a chain only visits positions inserted by this call, within prevSize of the current one.
  const prev = SCRATCH.prev;
  const prevMask = prevSize - 1;
  // Distances stay below 32768, so a chain never reaches a slot overwritten since (no aliasing).

  // A block never holds more symbols than there are input bytes.
  const block = new Block(Math.min(BLOCK_SYMBOLS, n + 1));
  let blockStart = 0;
  let covered = 0;

  const longestMatch = (pos: number, candidate: number, prevLength: number): number => {
    const maxLength = Math.min(MAX_MATCH, n - pos);
    if (prevLength >= maxLength) return prevLength;
    let chain = prevLength >= GOOD_MATCH ? MAX_CHAIN >> 2 : MAX_CHAIN;
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
