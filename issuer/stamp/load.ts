// Loading a PDF for stamping: a focused load that parses only the objects the stamp touches
// (found through the cross-reference sections), with pdf-lib's full parse as the fallback.

import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHeader,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFPageLeaf,
  PDFPageTree,
  PDFRawStream,
  PDFRef,
  ParseSpeeds,
  decodePDFRawStream,
  type PDFObject,
} from '@cantoo/pdf-lib';

/** A loaded document plus the way to make sure an object is in memory before reading it. */
export interface LoadedPdf {
  doc: PDFDocument;
  /** Resolve a reference, parsing the object first when the focused load has not yet. */
  ensure(obj: PDFObject | undefined): PDFObject | undefined;
  /** Whether any object lives in an object stream (matters for encrypted files). */
  hasObjectStreams: boolean;
  /** True for the focused load, false for pdf-lib's full parse. */
  focused: boolean;
}

const latin1 = new TextDecoder('latin1');

/**
 * pdf-lib's full parse (every object in the file), for files whose cross-reference data cannot be
 * trusted. `parseBytes` may be a repaired copy; the update is still appended to `original`.
 *
 * @example const { doc, ensure } = await fullLoad(bytes);
 */
export async function fullLoad(parseBytes: Uint8Array): Promise<LoadedPdf> {
  const doc = await PDFDocument.load(parseBytes, {
    forIncrementalUpdate: true,
    updateMetadata: false,
    // Objects are kept as stored, so rewritten objects keep their strings encrypted under
    // their own object numbers; new streams are encrypted by the stamper.
    ignoreEncryption: true,
    throwOnInvalidObject: false,
    // Never drop XFA or anything else on load: the update must only add the stamp.
    preserveXFA: true,
    // One synchronous pass: the default yields every 100 objects, slower than the parse itself.
    parseSpeed: ParseSpeeds.Fastest,
  });
  muteChangeTracking(doc.context);
  let hasObjectStreams = false;
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFRawStream && obj.dict.lookup(PDFName.of('Type')) === PDFName.of('ObjStm')) hasObjectStreams = true;
  }
  const ensure = (o: PDFObject | undefined) => (o instanceof PDFRef ? doc.context.lookup(o) : o);
  return { doc, ensure, hasObjectStreams, focused: false };
}

type XrefEntry = { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number } | { type: 0 };

/** Thrown inside the focused load when anything is unexpected: the caller falls back. */
class NotFocusable extends Error {}

const MAX_SECTIONS = 4096;

/**
 * Focused load: read the cross-reference sections from `startxref` back through /Prev (tables,
 * streams, hybrid /XRefStm), then parse objects only when asked (catalog, page tree path, the
 * stamped pages, their annotations, /Encrypt). On a 1000-page file this parses a few hundred
 * small dictionaries instead of every object, and never touches image or content data.
 * Returns null when the file is not laid out as its xref says (the caller then does a full parse).
 *
 * @example const loaded = (await focusedLoad(bytes, startxref)) ?? (await fullLoad(bytes));
 */
export async function focusedLoad(bytes: Uint8Array, startxref: number): Promise<LoadedPdf | null> {
  try {
    return focusedLoadOrThrow(bytes, startxref);
  } catch {
    return null;
  }
}

/**
 * pdf-lib finds the indirect object owning each changed value by scanning every object
 * (O(objects) per change; parsing an object after the snapshot, or the writer setting a new
 * stream's /Length, counts as a change). Turn that off for this document: the stamper marks
 * the few objects it changes itself (the stamped pages and the catalog; new objects are always
 * written).
 *
 * @example muteChangeTracking(doc.context); snapshot.markRefsForSave([pageRef]);
 */
export function muteChangeTracking(ctx: PDFContext): void {
  Object.defineProperty(ctx, 'registerObjectChange', { value: () => undefined, configurable: true, writable: true });
}

function focusedLoadOrThrow(bytes: Uint8Array, startxref: number): LoadedPdf {
  const ctx = PDFContext.create();
  muteChangeTracking(ctx);
  const table = new Map<number, XrefEntry>();
  const trailer: { Size?: PDFNumber; Root?: PDFObject; Encrypt?: PDFObject; Info?: PDFObject; ID?: PDFObject } = {};

  const parseAt = (offset: number): PDFObject => PDFObjectParser.forBytes(bytes.subarray(offset), ctx).parseObject();
  const header = (offset: number): { num: number; gen: number; body: number } => {
    // Some writers point at the whitespace before the object (linearized files): allow it.
    const m = /^[\0\t\n\f\r ]{0,64}(\d+)\s+(\d+)\s+obj\b/.exec(latin1.decode(bytes.subarray(offset, offset + 112)));
    if (!m) throw new NotFocusable(`no object at ${offset}`);
    return { num: Number(m[1]), gen: Number(m[2]), body: offset + m[0].length };
  };
  const setEntry = (n: number, e: XrefEntry) => {
    if (!table.has(n)) table.set(n, e);
  };
  const takeTrailer = (d: PDFDict) => {
    // The newest section wins for each key (ISO 32000-2 §7.5.6).
    const size = d.get(PDFName.of('Size'));
    if (!trailer.Size && size instanceof PDFNumber) trailer.Size = size;
    for (const k of ['Root', 'Encrypt', 'Info', 'ID'] as const) {
      const v = d.get(PDFName.of(k));
      if (v && trailer[k] === undefined) trailer[k] = v;
    }
  };
  const readXrefStream = (offset: number): PDFDict => {
    const h = header(offset);
    const s = parseAt(h.body);
    if (!(s instanceof PDFRawStream) || s.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) throw new NotFocusable('not an xref stream');
    const w = s.dict.get(PDFName.of('W'));
    if (!(w instanceof PDFArray) || w.size() !== 3) throw new NotFocusable('bad /W');
    const widths = w.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : -1));
    if (widths.some((x) => x < 0 || x > 8)) throw new NotFocusable('bad /W');
    const size = s.dict.get(PDFName.of('Size'));
    const index = s.dict.get(PDFName.of('Index'));
    const ranges =
      index instanceof PDFArray
        ? index.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : -1))
        : [0, size instanceof PDFNumber ? size.asNumber() : 0];
    const data = decodeStream(s);
    const [w0, w1, w2] = widths as [number, number, number];
    const rowLen = w0 + w1 + w2;
    let p = 0;
    const field = (len: number, dflt: number) => {
      if (len === 0) return dflt;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + data[p++]!;
      return v;
    };
    for (let r = 0; r + 1 < ranges.length; r += 2) {
      const first = ranges[r]!;
      const count = ranges[r + 1]!;
      if (first < 0 || count < 0) throw new NotFocusable('bad /Index');
      for (let i = 0; i < count; i++) {
        if (p + rowLen > data.length) throw new NotFocusable('short xref stream');
        const t = field(w0, 1);
        const a = field(w1, 0);
        const b = field(w2, 0);
        if (t === 1) setEntry(first + i, { type: 1, offset: a, gen: b });
        else if (t === 2) setEntry(first + i, { type: 2, stream: a, index: b });
        else setEntry(first + i, { type: 0 });
      }
    }
    return s.dict;
  };
  const readXrefTable = (offset: number): PDFDict => {
    // Subsections: "first count" then count 20-byte entries "oooooooooo ggggg n".
    let p = offset + 4;
    const text = (from: number, len: number) => latin1.decode(bytes.subarray(from, Math.min(bytes.length, from + len)));
    for (;;) {
      const head = /^\s*(\d+)\s+(\d+)[ \t]*\r?\n?/.exec(text(p, 64));
      if (!head) break;
      const first = Number(head[1]);
      const count = Number(head[2]);
      p += head[0].length;
      const body = text(p, count * 20 + 64);
      const re = /\s*(\d{1,10})\s+(\d{1,5})\s+([nf])[ \t\r\n]*/y;
      let q = 0;
      for (let i = 0; i < count; i++) {
        re.lastIndex = q;
        const m = re.exec(body);
        if (!m) throw new NotFocusable('bad xref entry');
        q = re.lastIndex;
        if (m[3] === 'n') setEntry(first + i, { type: 1, offset: Number(m[1]), gen: Number(m[2]) });
        else setEntry(first + i, { type: 0 });
      }
      p += q;
    }
    const t = /^\s*trailer/.exec(text(p, 64));
    if (!t) throw new NotFocusable('no trailer');
    const d = parseAt(p + t[0].length);
    if (!(d instanceof PDFDict)) throw new NotFocusable('trailer is not a dictionary');
    return d;
  };

  const seen = new Set<number>();
  let next: number | undefined = startxref;
  while (next !== undefined) {
    if (seen.has(next) || seen.size > MAX_SECTIONS || next <= 0 || next >= bytes.length) throw new NotFocusable('bad /Prev chain');
    seen.add(next);
    const isTable: boolean = latin1.decode(bytes.subarray(next, next + 4)) === 'xref';
    const dict: PDFDict = isTable ? readXrefTable(next) : readXrefStream(next);
    takeTrailer(dict);
    const hybrid = dict.get(PDFName.of('XRefStm'));
    if (isTable && hybrid instanceof PDFNumber) readXrefStream(hybrid.asNumber());
    const prev: PDFObject | undefined = dict.get(PDFName.of('Prev'));
    next = prev instanceof PDFNumber ? prev.asNumber() : undefined;
  }
  if (!(trailer.Root instanceof PDFRef)) throw new NotFocusable('no /Root');

  let largest = trailer.Size ? trailer.Size.asNumber() - 1 : 0;
  let hasObjectStreams = false;
  for (const [n, e] of table) {
    if (e.type !== 0 && n > largest) largest = n;
    if (e.type === 2) hasObjectStreams = true;
  }

  const loadedStreams = new Set<number>();
  const load = (ref: PDFRef): PDFObject | undefined => {
    const have = ctx.lookup(ref);
    if (have !== undefined) return have;
    const e = table.get(ref.objectNumber);
    if (!e || e.type === 0) return undefined; // a free or missing object is null (§7.3.10)
    if (e.type === 1) {
      const h = header(e.offset);
      if (h.num !== ref.objectNumber) throw new NotFocusable(`object ${ref.objectNumber} not at its offset`);
      const obj = parseAt(h.body);
      ctx.assign(PDFRef.of(h.num, h.gen), obj);
      return obj;
    }
    if (loadedStreams.has(e.stream)) return undefined;
    loadedStreams.add(e.stream);
    const container = load(PDFRef.of(e.stream));
    if (!(container instanceof PDFRawStream) || container.dict.get(PDFName.of('Type')) !== PDFName.of('ObjStm')) {
      throw new NotFocusable('object stream missing');
    }
    // Parse only the objects the xref assigns to this stream: an object stream from an older
    // revision may still hold stale copies of objects updated since (§7.5.7).
    const first = container.dict.get(PDFName.of('First'));
    const count = container.dict.get(PDFName.of('N'));
    if (!(first instanceof PDFNumber) || !(count instanceof PDFNumber)) throw new NotFocusable('bad object stream');
    const data = decodePDFRawStream(container).decode();
    const head = latin1.decode(data.subarray(0, first.asNumber())).trim().split(/\s+/).map(Number);
    if (head.length < 2 * count.asNumber() || head.some((x) => !Number.isSafeInteger(x) || x < 0))
      throw new NotFocusable('bad object stream header');
    for (let i = 0; i < count.asNumber(); i++) {
      const num = head[2 * i]!;
      const x = table.get(num);
      if (!(x?.type === 2 && x.stream === e.stream) || ctx.lookup(PDFRef.of(num)) !== undefined) continue;
      const obj = PDFObjectParser.forBytes(data.subarray(first.asNumber() + head[2 * i + 1]!), ctx).parseObject();
      ctx.assign(PDFRef.of(num, 0), obj);
    }
    return ctx.lookup(ref);
  };
  const ensure = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? load(o) : o);

  const m = /%PDF-(\d)\.(\d)/.exec(latin1.decode(bytes.subarray(0, 32)));
  if (!m) throw new NotFocusable('no header');
  ctx.header = PDFHeader.forVersion(Number(m[1]), Number(m[2]));
  ctx.isDecrypted = false; // objects are kept as stored: keep /Encrypt in the new trailer
  ctx.trailerInfo = { Root: trailer.Root, Encrypt: trailer.Encrypt, Info: trailer.Info, ID: trailer.ID, Size: trailer.Size };
  ensure(trailer.Root);
  ensure(trailer.Encrypt);
  ensure(trailer.ID);
  ctx.largestObjectNumber = Math.max(ctx.largestObjectNumber, largest);
  ctx.pdfFileDetails.pdfSize = bytes.length;
  ctx.pdfFileDetails.prevStartXRef = startxref;
  ctx.pdfFileDetails.originalBytes = bytes;
  // PDFDocument's constructor is private in the typings; load() would parse the whole file.
  const Ctor = PDFDocument as unknown as new (
    c: PDFContext,
    ignoreEncryption: boolean,
    updateMetadata: boolean,
    preserveXFA: boolean,
  ) => PDFDocument;
  const doc = new Ctor(ctx, true, false, true);
  if (!(doc.catalog instanceof PDFDict)) throw new NotFocusable('no catalog');
  doc.takeSnapshot();
  return { doc, ensure, hasObjectStreams, focused: true };
}

/** Decode an xref stream: FlateDecode, optionally with a PNG predictor (ISO 32000-2 §7.4.4.4). */
function decodeStream(s: PDFRawStream): Uint8Array {
  const filter = s.dict.get(PDFName.of('Filter'));
  const parms = s.dict.get(PDFName.of('DecodeParms'));
  if (filter === undefined && parms === undefined) return s.getContents();
  if (filter !== PDFName.of('FlateDecode')) throw new NotFocusable('xref stream filter');
  const data = new Uint8Array(inflateSync(s.getContents()));
  if (!(parms instanceof PDFDict)) return data;
  const num = (k: string, d: number) => {
    const v = parms.get(PDFName.of(k));
    return v instanceof PDFNumber ? v.asNumber() : d;
  };
  const predictor = num('Predictor', 1);
  if (predictor === 1) return data;
  if (predictor < 10 || num('Colors', 1) !== 1 || num('BitsPerComponent', 8) !== 8) throw new NotFocusable('xref predictor');
  return unpredictPng(data, num('Columns', 1));
}

/** Undo PNG row filters with one byte per pixel (what xref streams use).
 * @example unpredictPng(Uint8Array.of(2, 1, 2, 2, 1, 1), 2) // Uint8Array [1, 2, 2, 3] (second row Up-filtered) */
export function unpredictPng(data: Uint8Array, columns: number): Uint8Array {
  const rows = Math.floor(data.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (columns + 1)]!;
    const src = r * (columns + 1) + 1;
    const dst = r * columns;
    for (let c = 0; c < columns; c++) {
      const x = data[src + c]!;
      const left = c > 0 ? out[dst + c - 1]! : 0;
      const up = r > 0 ? out[dst - columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[dst - columns + c - 1]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + left;
          break;
        case 2:
          v = x + up;
          break;
        case 3:
          v = x + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new NotFocusable('png filter type');
      }
      out[dst + c] = v & 255;
    }
  }
  return out;
}

/** The page-tree walk result: the leaves asked for, by 1-based number, and the page count
 * (from the root's /Count when the walk stopped early). */
export interface FoundPages {
  count: number;
  pages: Map<number, { leaf: PDFPageLeaf; ref: PDFRef }>;
}

/**
 * Walk the page tree to the wanted pages, loading only the nodes on the way (a subtree whose
 * /Count lies wholly before or after the wanted pages is skipped). Throws on a malformed tree.
 *
 * @example const { pages } = findPages(loaded, [1]); const { leaf, ref } = pages.get(1)!;
 */
export function findPages(loaded: LoadedPdf, wanted: number[]): FoundPages {
  const { ensure, doc } = loaded;
  const want = new Set(wanted);
  const maxWanted = Math.max(...wanted);
  const pages = new Map<number, { leaf: PDFPageLeaf; ref: PDFRef }>();
  const visited = new Set<PDFObject>();
  const root = doc.catalog.get(PDFName.of('Pages'));
  let index = 0; // pages before the current node
  const walk = (ref: PDFObject | undefined, depth: number): void => {
    // Focused: stop once every wanted page is found (page 1 of a flat 1000-page tree loads one leaf).
    if (loaded.focused && pages.size === want.size) return;
    const node = ensure(ref);
    if (!node || visited.has(node) || depth > 64) throw new Error('malformed page tree');
    visited.add(node);
    if (node instanceof PDFPageLeaf) {
      index += 1;
      if (want.has(index) && ref instanceof PDFRef) pages.set(index, { leaf: node, ref });
      return;
    }
    if (!(node instanceof PDFPageTree)) throw new Error('page tree node has no /Type');
    const count = ensure(node.get(PDFName.of('Count')));
    const n = count instanceof PDFNumber ? count.asNumber() : -1;
    // Skip a subtree that holds none of the pages still wanted (trust /Count only there).
    if (loaded.focused && n >= 0 && (index >= maxWanted || ![...want].some((w) => w > index && w <= index + n))) {
      index += n;
      return;
    }
    const kids = ensure(node.get(PDFName.of('Kids')));
    if (!(kids instanceof PDFArray)) throw new Error('page tree node without /Kids');
    for (let i = 0; i < kids.size(); i++) walk(kids.get(i), depth + 1);
  };
  walk(root, 0);
  let count = index;
  if (pages.size === want.size) {
    const rootNode = ensure(root);
    const n = rootNode instanceof PDFPageTree ? ensure(rootNode.get(PDFName.of('Count'))) : undefined;
    if (n instanceof PDFNumber) count = Math.max(count, n.asNumber());
  }
  return { count, pages };
}

/** Load the values a stamp reads on one page (inherited attributes, resources, annotations).
 * @example ensurePageValues(loaded, leaf); leaf.MediaBox() // now resolvable */
export function ensurePageValues(loaded: LoadedPdf, leaf: PDFPageLeaf): void {
  if (!loaded.focused) return;
  const { ensure } = loaded;
  const deep = (o: PDFObject | undefined, depth: number): void => {
    const v = ensure(o);
    if (depth <= 0 || v === undefined) return;
    if (v instanceof PDFArray) for (let i = 0; i < v.size(); i++) deep(v.get(i), depth - 1);
    else if (v instanceof PDFDict && !(v instanceof PDFPageTree) && !(v instanceof PDFPageLeaf)) {
      for (const x of v.values()) deep(x, depth - 1);
    }
  };
  for (let node: PDFDict | undefined = leaf, i = 0; node && i < 64; i++) {
    for (const k of ['MediaBox', 'CropBox', 'Rotate']) deep(node.get(PDFName.of(k)), 1);
    const res = ensure(node.get(PDFName.of('Resources')));
    if (res instanceof PDFDict) ensure(res.get(PDFName.of('XObject')));
    const parent = ensure(node.get(PDFName.of('Parent')));
    node = parent instanceof PDFDict ? parent : undefined;
  }
  deep(leaf.get(PDFName.of('Contents')), 1);
  const annots = ensure(leaf.get(PDFName.of('Annots')));
  if (annots instanceof PDFArray) {
    for (let i = 0; i < Math.min(annots.size(), 10_000); i++) {
      const a = ensure(annots.get(i));
      if (a instanceof PDFDict) {
        ensure(a.get(PDFName.of('Subtype')));
        deep(a.get(PDFName.of('Rect')), 1);
      }
    }
  }
}

/** Load /Encrypt and everything under it (small: strings, names and a /CF dictionary).
 * @example ensureEncryptValues(loaded); loaded.doc.context.lookup(loaded.doc.context.trailerInfo.Encrypt) */
export function ensureEncryptValues(loaded: LoadedPdf): void {
  if (!loaded.focused) return;
  const { ensure, doc } = loaded;
  const deep = (o: PDFObject | undefined, depth: number): void => {
    const v = ensure(o);
    if (depth <= 0 || v === undefined) return;
    if (v instanceof PDFArray) for (let i = 0; i < v.size(); i++) deep(v.get(i), depth - 1);
    else if (v instanceof PDFDict) for (const x of v.values()) deep(x, depth - 1);
  };
  deep(doc.context.trailerInfo.Encrypt, 4);
  deep(doc.context.trailerInfo.ID, 2);
}
