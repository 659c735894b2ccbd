// CCITT fax decoding (Group 4 / T.6 and Group 3 / T.4) of black-and-white page images, for QR codes in scanned PDFs.

/*
 * Run-length codes of ITU-T T.4 §4.1.2 Tables 2 and 3 (shared by T.6 horizontal mode), as [run, code]
 * with the code written as its bits. Terminating codes are runs 0-63; make-up codes multiples of 64;
 * the extended make-up codes (1792-2560) are the same for both colours. The tests check that each set is
 * prefix-free and compare whole decoded images with poppler's `pdfimages`.
 */
// prettier-ignore
const WHITE_CODES: readonly [number, string][] = [
  [0, '00110101'], [1, '000111'], [2, '0111'], [3, '1000'], [4, '1011'], [5, '1100'], [6, '1110'], [7, '1111'],
  [8, '10011'], [9, '10100'], [10, '00111'], [11, '01000'], [12, '001000'], [13, '000011'], [14, '110100'],
  [15, '110101'], [16, '101010'], [17, '101011'], [18, '0100111'], [19, '0001100'], [20, '0001000'], [21, '0010111'],
  [22, '0000011'], [23, '0000100'], [24, '0101000'], [25, '0101011'], [26, '0010011'], [27, '0100100'], [28, '0011000'],
  [29, '00000010'], [30, '00000011'], [31, '00011010'], [32, '00011011'], [33, '00010010'], [34, '00010011'],
  [35, '00010100'], [36, '00010101'], [37, '00010110'], [38, '00010111'], [39, '00101000'], [40, '00101001'],
  [41, '00101010'], [42, '00101011'], [43, '00101100'], [44, '00101101'], [45, '00000100'], [46, '00000101'],
  [47, '00001010'], [48, '00001011'], [49, '01010010'], [50, '01010011'], [51, '01010100'], [52, '01010101'],
  [53, '00100100'], [54, '00100101'], [55, '01011000'], [56, '01011001'], [57, '01011010'], [58, '01011011'],
  [59, '01001010'], [60, '01001011'], [61, '00110010'], [62, '00110011'], [63, '00110100'],
  [64, '11011'], [128, '10010'], [192, '010111'], [256, '0110111'], [320, '00110110'], [384, '00110111'],
  [448, '01100100'], [512, '01100101'], [576, '01101000'], [640, '01100111'], [704, '011001100'], [768, '011001101'],
  [832, '011010010'], [896, '011010011'], [960, '011010100'], [1024, '011010101'], [1088, '011010110'],
  [1152, '011010111'], [1216, '011011000'], [1280, '011011001'], [1344, '011011010'], [1408, '011011011'],
  [1472, '010011000'], [1536, '010011001'], [1600, '010011010'], [1664, '011000'], [1728, '010011011'],
];
// prettier-ignore
const BLACK_CODES: readonly [number, string][] = [
  [0, '0000110111'], [1, '010'], [2, '11'], [3, '10'], [4, '011'], [5, '0011'], [6, '0010'], [7, '00011'],
  [8, '000101'], [9, '000100'], [10, '0000100'], [11, '0000101'], [12, '0000111'], [13, '00000100'], [14, '00000111'],
  [15, '000011000'], [16, '0000010111'], [17, '0000011000'], [18, '0000001000'], [19, '00001100111'],
  [20, '00001101000'], [21, '00001101100'], [22, '00000110111'], [23, '00000101000'], [24, '00000010111'],
  [25, '00000011000'], [26, '000011001010'], [27, '000011001011'], [28, '000011001100'], [29, '000011001101'],
  [30, '000001101000'], [31, '000001101001'], [32, '000001101010'], [33, '000001101011'], [34, '000011010010'],
  [35, '000011010011'], [36, '000011010100'], [37, '000011010101'], [38, '000011010110'], [39, '000011010111'],
  [40, '000001101100'], [41, '000001101101'], [42, '000011011010'], [43, '000011011011'], [44, '000001010100'],
  [45, '000001010101'], [46, '000001010110'], [47, '000001010111'], [48, '000001100100'], [49, '000001100101'],
  [50, '000001010010'], [51, '000001010011'], [52, '000000100100'], [53, '000000110111'], [54, '000000111000'],
  [55, '000000100111'], [56, '000000101000'], [57, '000001011000'], [58, '000001011001'], [59, '000000101011'],
  [60, '000000101100'], [61, '000001011010'], [62, '000001100110'], [63, '000001100111'],
  [64, '0000001111'], [128, '000011001000'], [192, '000011001001'], [256, '000001011011'], [320, '000000110011'],
  [384, '000000110100'], [448, '000000110101'], [512, '0000001101100'], [576, '0000001101101'],
  [640, '0000001001010'], [704, '0000001001011'], [768, '0000001001100'], [832, '0000001001101'],
  [896, '0000001110010'], [960, '0000001110011'], [1024, '0000001110100'], [1088, '0000001110101'],
  [1152, '0000001110110'], [1216, '0000001110111'], [1280, '0000001010010'], [1344, '0000001010011'],
  [1408, '0000001010100'], [1472, '0000001010101'], [1536, '0000001011010'], [1600, '0000001011011'],
  [1664, '0000001100100'], [1728, '0000001100101'],
];
// prettier-ignore
const EXTENDED_CODES: readonly [number, string][] = [
  [1792, '00000001000'], [1856, '00000001100'], [1920, '00000001101'], [1984, '000000010010'], [2048, '000000010011'],
  [2112, '000000010100'], [2176, '000000010101'], [2240, '000000010110'], [2304, '000000010111'], [2368, '000000011100'],
  [2432, '000000011101'], [2496, '000000011110'], [2560, '000000011111'],
];

/** The code sets of the two colours (for tests and the decoder). */
export const CCITT_RUN_CODES = { white: [...WHITE_CODES, ...EXTENDED_CODES], black: [...BLACK_CODES, ...EXTENDED_CODES] };

/** Lookup of a run code: key (length << 16 | code bits) -> run. */
function lookup(codes: readonly [number, string][]): Map<number, number> {
  const m = new Map<number, number>();
  for (const [run, bits] of codes) m.set((bits.length << 16) | parseInt(bits, 2), run);
  return m;
}
let tables: { white: Map<number, number>; black: Map<number, number> } | undefined;

/** Reads bits most significant first (T.4 §4.1). */
class Bits {
  pos = 0;
  constructor(readonly data: Uint8Array) {}
  get left(): number {
    return this.data.length * 8 - this.pos;
  }
  peek(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const p = this.pos + i;
      const bit = p < this.data.length * 8 ? (this.data[p >> 3]! >> (7 - (p & 7))) & 1 : 0;
      v = (v << 1) | bit;
    }
    return v;
  }
}

/** One run length (make-up codes then a terminating code), or -1 for a code not in the table. */
function readRun(bits: Bits, table: Map<number, number>): number {
  let total = 0;
  for (;;) {
    let run = -1;
    for (let len = 2; len <= 13 && run < 0; len++) {
      if (len > bits.left) return -1;
      const hit = table.get((len << 16) | bits.peek(len));
      if (hit !== undefined) {
        run = hit;
        bits.pos += len;
      }
    }
    if (run < 0) return -1;
    total += run;
    if (run < 64) return total;
  }
}

/** The 2D mode codes of T.6 §2.2.2 (Table 1), shortest first. */
const PASS = -10;
const HORIZONTAL = -11;
const END = -12;
const MODES: readonly { length: number; code: number; mode: number }[] = (
  [
    ['1', 0], // V0
    ['001', HORIZONTAL],
    ['011', 1], // VR1
    ['010', -1], // VL1
    ['0001', PASS],
    ['000011', 2], // VR2
    ['000010', -2], // VL2
    ['0000011', 3], // VR3
    ['0000010', -3], // VL3
  ] as const
).map(([bits, mode]) => ({ length: bits.length, code: parseInt(bits, 2), mode }));

function readMode(bits: Bits): number {
  for (const { length, code, mode } of MODES) {
    if (length <= bits.left && bits.peek(length) === code) {
      bits.pos += length;
      return mode;
    }
  }
  return END; // EOFB (000000000001 x 2), an extension (uncompressed mode) or damage: stop here
}

/** Skip fill bits and an end-of-line code (T.4 §4.1.2: eleven or more zeros, then a 1), if one is next. */
function skipEol(bits: Bits): boolean {
  let zeros = 0;
  while (zeros < 64 && bits.left > zeros && bits.peek(zeros + 1) === 0) zeros++;
  if (zeros >= 11 && bits.left > zeros && bits.peek(zeros + 1) === 1) {
    bits.pos += zeros + 1;
    return true;
  }
  return false;
}

/**
 * Decode a CCITT fax stream (ISO 32000-1 §7.4.6) into packed rows of 1-bit samples, 1 = black (a row is
 * ceil(columns / 8) bytes, most significant bit first): `k` < 0 is Group 4 (T.6, all rows 2D), `k` = 0
 * Group 3 one-dimensional (Modified Huffman runs), `k` > 0 Group 3 with a tag bit per row choosing 1D or
 * 2D. Rows after an end-of-block or damage stay white, so a partly damaged scan still gives its readable
 * rows. `byteAlign`: /EncodedByteAlign, each row's code starting on a byte boundary.
 */
export function decodeCcitt(data: Uint8Array, columns: number, rows: number, k: number, byteAlign = false): Uint8Array {
  const { white, black } = (tables ??= { white: lookup(CCITT_RUN_CODES.white), black: lookup(CCITT_RUN_CODES.black) });
  const rowBytes = (columns + 7) >> 3;
  const out = new Uint8Array(rowBytes * rows);
  const bits = new Bits(data);
  // Changing elements (T.4 §4.2.1.3.1) of the reference line and the coding line, each ended by two sentinels.
  let ref = new Int32Array(columns + 3);
  let cur = new Int32Array(columns + 3);
  ref[0] = columns;
  ref[1] = columns;
  for (let y = 0; y < rows; y++) {
    if (byteAlign && (bits.pos & 7) !== 0) bits.pos += 8 - (bits.pos & 7);
    let twoD = k < 0;
    if (k >= 0) {
      while (skipEol(bits)); // a row may be preceded by end-of-line codes (and fill)
      if (k > 0) {
        if (bits.left < 1) break;
        twoD = bits.peek(1) === 0;
        bits.pos += 1;
      }
    }
    let n = 0;
    let a0 = 0;
    let color = 0; // 0 white, 1 black
    let start = true;
    let bi = 0;
    let ok = true;
    while (a0 < columns) {
      if (!twoD) {
        // One dimension: runs of alternating colours from white (T.4 §4.1.1).
        const run = readRun(bits, color === 0 ? white : black);
        if (run < 0) {
          ok = false;
          break;
        }
        a0 = Math.min(columns, a0 + run);
        cur[n++] = a0;
        color ^= 1;
        continue;
      }
      // b1: the first changing element on the reference line right of a0 whose colour is not a0's (even
      // elements start black runs); b2 the one after it. At a line start a0 is the imaginary pixel -1.
      const from = start ? -1 : a0;
      while (ref[bi]! <= from) bi++;
      let b = bi;
      if ((b & 1) !== color) b++;
      const b1 = ref[b]!;
      const b2 = ref[b + 1]!;
      const mode = readMode(bits);
      if (mode === END) {
        ok = false;
        break;
      }
      if (mode === PASS) {
        a0 = b2;
      } else if (mode === HORIZONTAL) {
        const r1 = readRun(bits, color === 0 ? white : black);
        const r2 = r1 < 0 ? -1 : readRun(bits, color === 0 ? black : white);
        if (r2 < 0) {
          ok = false;
          break;
        }
        const a1 = Math.min(columns, a0 + r1);
        const a2 = Math.min(columns, a1 + r2);
        cur[n++] = a1;
        cur[n++] = a2;
        a0 = a2;
      } else {
        const a1 = b1 + mode;
        if (a1 < 0 || a1 > columns || (!start && a1 < a0)) {
          ok = false;
          break;
        }
        cur[n++] = a1;
        a0 = a1;
        color ^= 1;
      }
      start = false;
      if (n > columns) {
        ok = false;
        break;
      }
    }
    if (!ok || n > columns) break;
    // Paint the black runs: from each even changing element to the next.
    const row = y * rowBytes;
    for (let i = 0; i < n; i += 2) {
      const x0 = cur[i]!;
      const x1 = i + 1 < n ? cur[i + 1]! : columns;
      for (let x = x0; x < x1; x++) out[row + (x >> 3)]! |= 0x80 >> (x & 7);
    }
    cur[n] = columns;
    cur[n + 1] = columns;
    const t = ref;
    ref = cur;
    cur = t;
  }
  return out;
}
