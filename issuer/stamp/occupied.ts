// Where a page already shows text and pictures: rough rectangles, so that the stamp goes to a free corner.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFStream, type PDFObject, type PDFPageLeaf } from '@cantoo/pdf-lib';
import { inflate } from '../../core/zlib/inflate.js';
import { multiply, rectInUser, type Matrix, type Rect } from './layout.js';

/*
 * A reading of the page's content streams (ISO 32000-1 §8-9), enough to know where things are, not to draw
 * them: the current transformation matrix (q, Q, cm), the text matrices (BT, Tm, Td, TD, T*, TL, Tf, Tz) and
 * what is shown (Tj, TJ, ', "), and images and forms drawn with Do (forms read up to three levels deep).
 * A text's width is estimated (half the font size per byte: about right for simple fonts, and two-byte
 * CID fonts spend two bytes per glyph of about a full em); its height from the font size. Paths are not
 * counted: frames and rules around a page would make every corner look taken. An image covering more than
 * half the page is a background (a scan, a letterhead) and is not counted either, for the same reason.
 * Anything unreadable gives fewer rectangles, never an error: the stamp then goes where it went before.
 */

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** Bounds: operators read per page (all streams and forms together), form nesting. */
const MAX_OPERATORS = 200_000;
/** Largest decoded content stream read (a page's text is far smaller). */
const MAX_CONTENT_BYTES = 8 * 1024 * 1024;
const MAX_FORM_DEPTH = 3;

type Operand = number | { bytes: number } | { name: string } | Operand[];

/** Byte classes of §7.2.2: SPACE (white space), DELIMITER, or 0 (regular). */
const SPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const b of [0, 9, 10, 12, 13, 32]) CLASS[b] = SPACE;
for (const b of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[b] = DELIMITER;
const isSpace = (b: number | undefined) => b !== undefined && CLASS[b] === SPACE;
/** White space or a delimiter: where a name, number or operator ends. */
const endsToken = (b: number) => CLASS[b] !== 0;

/** A token's text (tokens are short: one String.fromCharCode call costs less than a TextDecoder call). */
function tokenText(bytes: Uint8Array, i: number, j: number): string {
  let s = '';
  for (let k = i; k < j && k < i + 127; k++) s += String.fromCharCode(bytes[k]!);
  return s;
}

/** Content-stream tokens: operands with their operator, calling `op` for each operator. */
function scan(bytes: Uint8Array, op: (name: string, args: Operand[]) => void, budget: { left: number }): void {
  const n = bytes.length;
  let i = 0;
  const stack: Operand[][] = [[]];
  const top = () => stack[stack.length - 1]!;
  while (i < n && budget.left > 0) {
    const c = bytes[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === 0x25) {
      while (i < n && bytes[i] !== 10 && bytes[i] !== 13) i++; // comment
    } else if (c === 0x28) {
      // literal string: balanced parentheses, backslash escapes (§7.3.4.2); its byte count is what matters
      let depth = 1;
      let count = 0;
      i++;
      while (i < n && depth > 0) {
        const b = bytes[i++]!;
        if (b === 0x5c) {
          i++;
          count++;
        } else if (b === 0x28) {
          depth++;
          count++;
        } else if (b === 0x29) {
          depth--;
          if (depth > 0) count++;
        } else count++;
      }
      top().push({ bytes: count });
    } else if (c === 0x3c && bytes[i + 1] === 0x3c) {
      // an inline dictionary (marked content properties): skip it, nested ones included
      let depth = 0;
      while (i < n) {
        if (bytes[i] === 0x3c && bytes[i + 1] === 0x3c) {
          depth++;
          i += 2;
        } else if (bytes[i] === 0x3e && bytes[i + 1] === 0x3e) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      top().push({ name: '<<>>' });
    } else if (c === 0x3c) {
      let digits = 0;
      i++;
      while (i < n && bytes[i] !== 0x3e) if (!isSpace(bytes[i++])) digits++;
      i++;
      top().push({ bytes: Math.ceil(digits / 2) });
    } else if (c === 0x5b) {
      stack.push([]);
      i++;
    } else if (c === 0x5d) {
      const arr = stack.length > 1 ? stack.pop()! : [];
      top().push(arr);
      i++;
    } else if (c === 0x2f) {
      let j = i + 1;
      while (j < n && !endsToken(bytes[j]!)) j++;
      top().push({ name: tokenText(bytes, i + 1, j) });
      i = j;
    } else {
      let j = i;
      while (j < n && !endsToken(bytes[j]!)) j++;
      if (j === i) {
        i++; // a stray delimiter
        continue;
      }
      const word = tokenText(bytes, i, j);
      i = j;
      const c0 = word.charCodeAt(0);
      if ((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x2b || c0 === 0x2d || c0 === 0x2e) {
        // a number (§7.3.3); operators never start with a digit, a sign or a point
        const num = Number(word);
        top().push(Number.isFinite(num) ? num : 0);
        continue;
      }
      if (word === 'ID') {
        // inline image data (§8.9.7): skip to an "EI" with white space before and after it
        let k = i + 1;
        while (k + 1 < n && !(isSpace(bytes[k - 1]) && bytes[k] === 0x45 && bytes[k + 1] === 0x49 && (k + 2 >= n || isSpace(bytes[k + 2]))))
          k++;
        i = k + 2;
        stack.length = 1;
        stack[0] = [];
        budget.left--;
        continue;
      }
      budget.left--;
      op(word, top().splice(0));
      stack.length = 1;
    }
  }
}

function nums(args: Operand[], count: number): number[] | undefined {
  if (args.length < count) return undefined;
  const out = args.slice(args.length - count);
  return out.every((v) => typeof v === 'number') ? (out as number[]) : undefined;
}

/** The bytes of a content stream, decoded (none or Flate, at most MAX_CONTENT_BYTES); else undefined. */
export function streamBytes(stream: unknown): Uint8Array | undefined {
  try {
    if (!(stream instanceof PDFStream)) return undefined;
    if (!(stream instanceof PDFRawStream)) return stream.getContents();
    const filter = stream.dict.get(PDFName.of('Filter'));
    const only = filter instanceof PDFArray && filter.size() === 1 ? filter.get(0) : filter;
    if (only === undefined) return stream.getContents();
    // Flate only, and bounded: an uploaded file must not make the stamper inflate a zip bomb (pdf-lib's
    // decoders have no output limit). Other filters are rare on page content: such a page is not read.
    if (only !== PDFName.of('FlateDecode') || stream.dict.get(PDFName.of('DecodeParms')) !== undefined) return undefined;
    const data = stream.getContents();
    try {
      return inflate(data, MAX_CONTENT_BYTES);
    } catch {
      // Some writers count the line break before `endstream` in the stream: try without it.
      let end = data.length;
      while (end > 0 && (data[end - 1] === 10 || data[end - 1] === 13 || data[end - 1] === 32)) end--;
      return end < data.length ? inflate(data.subarray(0, end), MAX_CONTENT_BYTES) : undefined;
    }
  } catch {
    return undefined;
  }
}

/** Resolves a reference, loading the object if the (focused) loader has not yet; other values as they are. */
export type Resolve = (obj: PDFObject | undefined) => PDFObject | undefined;

interface Reader {
  resolve: Resolve;
  out: Rect[];
  pageArea: number;
  budget: { left: number };
}

/** Read one content (page or form) drawn through `base`, with its resources. */
function readContent(r: Reader, bytes: Uint8Array, resources: PDFDict | undefined, base: Matrix, depth: number): void {
  const stack: Matrix[] = [];
  let ctm = base;
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let size = 0;
  let leading = 0;
  let scale = 1;
  const show = (bytesShown: number, adjust: number) => {
    const fs = Math.abs(size) || 1;
    const width = Math.max(0, (bytesShown * 0.5 * fs - (adjust / 1000) * fs) * scale);
    if (bytesShown > 0) r.out.push(rectInUser(multiply(tm, ctm), 0, -0.25 * fs, width, 0.85 * fs));
    tm = multiply([1, 0, 0, 1, width, 0], tm);
  };
  const nextLine = (tx: number, ty: number) => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };
  scan(
    bytes,
    (op, args) => {
      switch (op) {
        case 'q':
          if (stack.length < 64) stack.push(ctm);
          break;
        case 'Q':
          ctm = stack.pop() ?? base;
          break;
        case 'cm': {
          const m = nums(args, 6);
          if (m) ctm = multiply(m as Matrix, ctm);
          break;
        }
        case 'BT':
          tm = tlm = IDENTITY;
          break;
        case 'Tm': {
          const m = nums(args, 6);
          if (m) tm = tlm = m as Matrix;
          break;
        }
        case 'Td': {
          const v = nums(args, 2);
          if (v) nextLine(v[0]!, v[1]!);
          break;
        }
        case 'TD': {
          const v = nums(args, 2);
          if (v) {
            leading = -v[1]!;
            nextLine(v[0]!, v[1]!);
          }
          break;
        }
        case 'TL': {
          const v = nums(args, 1);
          if (v) leading = v[0]!;
          break;
        }
        case 'T*':
          nextLine(0, -leading);
          break;
        case 'Tf': {
          const v = nums(args, 1);
          if (v) size = v[0]!;
          break;
        }
        case 'Tz': {
          const v = nums(args, 1);
          if (v) scale = v[0]! / 100;
          break;
        }
        case "'":
        case '"':
        case 'Tj': {
          if (op !== 'Tj') nextLine(0, -leading); // ' and " move to the next line first
          const s = args[args.length - 1];
          if (s && typeof s === 'object' && 'bytes' in s) show(s.bytes, 0);
          break;
        }
        case 'TJ': {
          const a = args[args.length - 1];
          if (Array.isArray(a)) {
            let shown = 0;
            let adjust = 0;
            for (const e of a) {
              if (typeof e === 'number') adjust += e;
              else if (!Array.isArray(e) && 'bytes' in e) shown += e.bytes;
            }
            show(shown, adjust);
          }
          break;
        }
        case 'Do': {
          const nameOp = args[args.length - 1];
          if (!nameOp || typeof nameOp !== 'object' || Array.isArray(nameOp) || !('name' in nameOp)) break;
          const xobjects = r.resolve(resources?.get(PDFName.of('XObject')));
          const xo = xobjects instanceof PDFDict ? r.resolve(xobjects.get(PDFName.of(nameOp.name))) : undefined;
          if (!(xo instanceof PDFStream)) break;
          const subtype = r.resolve(xo.dict.get(PDFName.of('Subtype')));
          if (subtype === PDFName.of('Image')) {
            const box = rectInUser(ctm, 0, 0, 1, 1);
            if ((box[2] - box[0]) * (box[3] - box[1]) <= r.pageArea / 2) r.out.push(box);
          } else if (subtype === PDFName.of('Form') && depth < MAX_FORM_DEPTH) {
            const content = streamBytes(xo);
            const mArr = r.resolve(xo.dict.get(PDFName.of('Matrix')));
            const m =
              mArr instanceof PDFArray && mArr.size() === 6
                ? (mArr.asArray().map((v) => {
                    const x = r.resolve(v);
                    return x instanceof PDFNumber ? x.asNumber() : 0;
                  }) as Matrix)
                : IDENTITY;
            const res = r.resolve(xo.dict.get(PDFName.of('Resources')));
            if (content) readContent(r, content, res instanceof PDFDict ? res : resources, multiply(m, ctm), depth + 1);
          }
          break;
        }
        default:
          break;
      }
    },
    r.budget,
  );
}

/**
 * Rough rectangles (default user space) of the text and pictures a page already shows; see the notes above.
 * `resolve` loads what it references (the stamper's focused loader parses objects only when asked).
 * @example contentRects(leaf, loaded.ensure, 595 * 842).some((r) => intersect(r, stampBox))
 */
export function contentRects(leaf: PDFPageLeaf, resolve: Resolve, pageArea: number): Rect[] {
  const r: Reader = { resolve, out: [], pageArea, budget: { left: MAX_OPERATORS } };
  try {
    const contents = resolve(leaf.get(PDFName.of('Contents')));
    const streams = contents instanceof PDFArray ? contents.asArray().map((v) => resolve(v)) : [contents];
    const parts = streams.map(streamBytes).filter((b): b is Uint8Array => b !== undefined);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
      joined[o++] = 10; // streams split anywhere between tokens (§7.8.2): join with a line break
    }
    const res = resolve(leaf.get(PDFName.of('Resources'))) ?? leaf.Resources();
    readContent(r, joined, res instanceof PDFDict ? res : undefined, IDENTITY, 0);
  } catch {
    // unreadable content: what was found so far
  }
  return r.out;
}
