// Stamp a PDF: append one incremental update with a vector QR + caption and a closing signature over the whole file.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import fontkit from '@cantoo/fontkit';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFObjectCopier,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFContext,
  type PDFObject,
  type PDFPageLeaf,
} from '@cantoo/pdf-lib';
import {
  CATALOG_KEY,
  PDF_CLOSE_PREFIX,
  SEAL_DICT_HEAD,
  SEAL_TEXT_PATTERN,
  formatRangeNumber,
  sealDictText,
} from '../../core/pdf/format.js';
import { StampError } from './errors.js';
import { MAX_QR_SIZE_MM, MAX_QR_TEXT, MIN_MODULE_MM, minQrSizeMm, qrSizeMm } from './qr-size.js';
import { contentRects } from './occupied.js';
import { encodeLine, stampContent, type CaptionLine } from './graphic.js';
import {
  applyMatrix,
  boxInUser,
  cornerOrder,
  displaySize,
  displayToUser,
  grownVisibleRect,
  intersect,
  invertMatrix,
  normRect,
  normRotation,
  placeBox,
  round3,
  translateThen,
  union,
  type Corner,
  type Matrix,
  type Place,
  type Rect,
} from './layout.js';
import { ensureEncryptValues, ensurePageValues, findPages, focusedLoad, fullLoad, type FoundPages, type LoadedPdf } from './load.js';
import { permitsChanges, streamCrypto, type EncryptInfo, type StreamCrypto } from './pdf-crypt.js';
import { findSpot } from './place.js';
import { appendSealPage, type SealLabels } from './seal-page.js';

export { StampError, type StampErrorCode } from './errors.js';
export { DEFAULT_MODULE_MM, MAX_QR_SIZE_MM, MAX_QR_TEXT, MIN_MODULE_MM, minQrSizeMm, qrModuleCount, qrSizeMm } from './qr-size.js';
export type { Corner, Place } from './layout.js';
export { parsePlace } from './layout.js';
export type { SealLabels } from './seal-page.js';

/**
 * Where the stamp of one requested page went:
 * - `corner`: a corner free of content (`corner` says which);
 * - `margin`: slid along a margin to a blank spot; `grid`: a blank spot elsewhere on the page;
 * - `place`: the explicit place asked for; `kept`: the chosen corner, content not avoided (avoidContent false);
 * - `overlay`: every corner under an annotation (avoidContent false): the stamp is repeated as the top annotation;
 * - `seal-page`: no blank spot anywhere on the page: the stamp is on the added seal page (`drawnOn`).
 */
export interface Placement {
  page: number;
  method: 'corner' | 'margin' | 'grid' | 'place' | 'kept' | 'overlay' | 'seal-page';
  corner?: Corner;
  /** The page the stamp is drawn on (the seal page's number for `seal-page`). */
  drawnOn: number;
  /** The stamp's box on that page as shown, in millimetres from its top-left corner. */
  boxMm: { x: number; y: number; width: number; height: number };
}

/** What {@link stampPdfDetailed} returns: the stamped file and where each stamp went. */
export interface StampResult {
  pdf: Uint8Array;
  placements: Placement[];
  /** 1-based number of the added seal page, when one was added. */
  sealPage?: number;
}

/**
 * One line saying where a stamp went, for people (CLI, logs).
 * @example describePlacement({ page: 1, method: 'seal-page', drawnOn: 4, boxMm }) // 'page 1: no blank space, stamp placed on an added seal page (page 4)'
 */
export function describePlacement(p: Placement): string {
  const at = `${Math.round(p.boxMm.x)},${Math.round(p.boxMm.y)} mm from the top-left`;
  switch (p.method) {
    case 'corner':
      return `page ${p.page}: stamp in the ${p.corner} corner`;
    case 'margin':
      return `page ${p.page}: corners taken, stamp slid along the margin to ${at}`;
    case 'grid':
      return `page ${p.page}: margins taken, stamp placed in a blank area at ${at}`;
    case 'place':
      return `page ${p.page}: stamp at the requested place, ${at}`;
    case 'kept':
      return `page ${p.page}: stamp in the ${p.corner} corner (content not avoided)`;
    case 'overlay':
      return `page ${p.page}: stamp in the ${p.corner} corner, over annotations`;
    case 'seal-page':
      return `page ${p.page}: no blank space, stamp placed on an added seal page (page ${p.drawnOn})`;
  }
}

/** Options of {@link stampPdf}. */
export interface StampOptions {
  /**
   * The seal text (`UR1:` + Base45) to draw as a QR and store in the file; or a function that gives it, called
   * once the file has been read and the pages found. A file refused before that (unreadable, encrypted without
   * permission, no such page) then costs the caller nothing: the issuer allocates the document's serial and
   * status index only inside this call.
   */
  sealText: string | (() => string | Promise<string>);
  /** Signs the closing message with the agency key (Ed25519, 64-byte signature). */
  sign: (message: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  /** 1-based page numbers to stamp. Default `[1]`. */
  pages?: number[];
  /**
   * Corner as the reader sees the page (after /Rotate). Default `'bottom-left'`: in both
   * Arabic and Latin layouts it is the corner least likely to hold a signature or page number
   * block; when an annotation covers it, the other corners are tried in order.
   */
  corner?: Corner;
  /**
   * Try the other corners (in the same order) when the chosen one already shows text or a picture of
   * the page (occupied.ts reads the page content for it). Default true; false keeps the chosen corner
   * whatever lies under it (annotations are still avoided).
   */
  avoidContent?: boolean;
  /**
   * Width of the QR square in millimetres (quiet zone included). The size follows the module count of the
   * seal's QR: default {@link qrSizeMm}`(sealText)` ({@link DEFAULT_MODULE_MM} per module), minimum
   * {@link minQrSizeMm}`(sealText)` ({@link MIN_MODULE_MM} per module, else `QR_TOO_SMALL`), maximum 200.
   */
  sizeMm?: number;
  /**
   * Put the stamp exactly here on every stamped page (the page's content is not looked at). Refused with
   * `PLACE_OFF_PAGE` when the stamp would not lie wholly on the page; `place.sizeMm` overrides `sizeMm`.
   */
  place?: Place;
  /**
   * `'auto'` (default): a blank spot on the page, else a seal page; `'seal-page'`: always on an added seal page.
   * A seal page is the same size as the stamped page, with the QR, caption and signed fields in Arabic and English.
   */
  placement?: 'auto' | 'seal-page';
  /** Labels of the document type and its fields, for the seal page (ids are shown without them). */
  labels?: SealLabels;
  /** Caption under the QR (Arabic line, English line). Each line is laid out with the Unicode bidi
   * algorithm (bidi-js, see graphic.ts bidiRuns): numbers and Latin inside the Arabic line keep their order. */
  caption?: Caption;
}

/** The caption's lines: Arabic first, then Kurdish (Sorani) when given, then English. */
export interface Caption {
  ar: string;
  en: string;
  ckb?: string;
}

/** Default caption: Arabic first (the reader's language), English below. */
export const DEFAULT_CAPTION: Caption = { ar: 'وثيقة مؤمنة — امسح الرمز للتحقق', en: 'Secured document — scan to verify' };
/** The default caption with its Kurdish (Sorani) line, for deployments whose readers read Kurdish too. */
export const DEFAULT_CAPTION_CKB: Caption = { ...DEFAULT_CAPTION, ckb: 'بەڵگەنامەی پارێزراو — کۆدەکە بخوێنەرەوە بۆ پشتڕاستکردنەوە' };
const MM = 72 / 25.4;
const MAX_PAGES_PER_CALL = 1000;
/** Name of the font subset: a fixed tag instead of pdf-lib's random one keeps output deterministic. */
const FONT_NAME = 'URSEAL+Vazirmatn-Regular';

let fontBytes: Uint8Array | undefined;
/** Vazirmatn (OFL, npm `vazirmatn`): covers Arabic, Latin and U+2014; read once per process. */
function captionFont(): Uint8Array {
  if (!fontBytes) {
    const path = createRequire(import.meta.url).resolve('vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf');
    fontBytes = new Uint8Array(readFileSync(path));
  }
  return fontBytes;
}

/** What the byte-level look at the file's tail found. */
interface XrefInfo {
  kind: 'table' | 'stream';
  /** startxref points exactly at an xref table or xref stream: chain the update with /Prev. */
  intact: boolean;
  startxref: number;
}

const latin1 = new TextDecoder('latin1');

/** Read the last `startxref` and check what it points at (ISO 32000-2 §7.5.5, §7.5.8). */
function inspectXref(bytes: Uint8Array): XrefInfo {
  const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.length - 4096)));
  const m = /startxref\s+(\d+)\s*(?:%%EOF)?\s*$/.exec(tail) ?? /.*startxref\s+(\d+)/s.exec(tail);
  const guessKind = (): 'table' | 'stream' => {
    const s = latin1.decode(bytes.subarray(0, Math.min(bytes.length, 1 << 22)));
    return /\bxref\s/.test(s) || !/\/Type\s*\/XRef\b/.test(s) ? 'table' : 'stream';
  };
  if (!m) return { kind: guessKind(), intact: false, startxref: 0 };
  const off = Number(m[1]);
  if (!Number.isSafeInteger(off) || off <= 0 || off >= bytes.length) return { kind: guessKind(), intact: false, startxref: 0 };
  const at = latin1.decode(bytes.subarray(off, Math.min(bytes.length, off + 512)));
  if (/^xref\s/.test(at)) return { kind: 'table', intact: true, startxref: off };
  if (/^\d+\s+\d+\s+obj\b[^]*?\/Type\s*\/XRef\b/.test(at)) return { kind: 'stream', intact: true, startxref: off };
  return { kind: guessKind(), intact: false, startxref: 0 };
}

/**
 * The bytes handed to the parser: the original, or for a file that ends in a bare `startxref`
 * with no number (pdf-lib cannot parse that), a copy with `0` and `%%EOF` added. Only parsing
 * sees the copy; the update is still appended to the untouched original.
 */
function parseableCopy(bytes: Uint8Array): Uint8Array {
  const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.length - 64)));
  if (!/startxref\s*$/.test(tail)) return bytes;
  const extra = new TextEncoder().encode('\n0\n%%EOF\n');
  const copy = new Uint8Array(bytes.length + extra.length);
  copy.set(bytes, 0);
  copy.set(extra, bytes.length);
  return copy;
}

/** Where `%PDF-` starts (0 in a well-formed file; readers look in the first 1024 bytes). */
function headerOffset(bytes: Uint8Array): number {
  const i = latin1.decode(bytes.subarray(0, Math.min(bytes.length, 1024))).indexOf('%PDF-');
  return i > 0 ? i : 0;
}

function checkSealText(text: unknown): asserts text is string {
  if (typeof text !== 'string' || text.length < 8 || text.length > 4096 || !SEAL_TEXT_PATTERN.test(text)) {
    throw new StampError('INVALID_SEAL_TEXT', 'expected UR1: followed by 4-4092 Base45 characters');
  }
}

/**
 * The QR's width for a seal: the one asked for, which must give at least MIN_MODULE_MM per module (QR_TOO_SMALL),
 * or the default module size's (qr-size.ts). `anySize` (the print bench only) allows down to 10 mm.
 */
function qrSize(sealText: string, requested: number | undefined, anySize: boolean): number {
  // QR version 40 at level M holds 3391 alphanumeric characters (ISO/IEC 18004 Table 7).
  if (sealText.length > MAX_QR_TEXT)
    throw new StampError('INVALID_SEAL_TEXT', `longer than the ${MAX_QR_TEXT} characters a QR code holds at level M`);
  const sizeMm = requested ?? qrSizeMm(sealText);
  const minMm = minQrSizeMm(sealText);
  if (sizeMm < minMm && !(anySize && sizeMm >= 10))
    throw new StampError('QR_TOO_SMALL', `sizeMm ${sizeMm} is below ${minMm} mm for this seal (${MIN_MODULE_MM} mm per module)`);
  return sizeMm;
}

function checkOptions(o: StampOptions): {
  pages: number[];
  corner: Corner;
  avoidContent: boolean;
  sizeMm: number | undefined;
  caption: Caption;
  place: Place | undefined;
  placement: 'auto' | 'seal-page';
} {
  if (typeof o.sealText !== 'function') checkSealText(o.sealText);
  if (typeof o.sign !== 'function') throw new StampError('INVALID_OPTIONS', 'sign must be a function');
  const pages = o.pages ?? [1];
  if (
    !Array.isArray(pages) ||
    pages.length === 0 ||
    pages.length > MAX_PAGES_PER_CALL ||
    !pages.every((p) => Number.isSafeInteger(p) && p >= 1)
  ) {
    throw new StampError('INVALID_OPTIONS', 'pages must be a non-empty list of page numbers from 1');
  }
  const corner = o.corner ?? 'bottom-left';
  if (!['bottom-left', 'bottom-right', 'top-left', 'top-right'].includes(corner))
    throw new StampError('INVALID_OPTIONS', `corner ${String(corner)}`);
  const place = o.place;
  if (place !== undefined) {
    const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 5000;
    if (typeof place !== 'object' || place === null || !ok(place.xMm) || !ok(place.yMm))
      throw new StampError('INVALID_OPTIONS', 'place needs xMm and yMm: millimetres from the top-left corner, 0-5000');
    if (place.sizeMm !== undefined && o.sizeMm !== undefined && place.sizeMm !== o.sizeMm)
      throw new StampError('INVALID_OPTIONS', 'sizeMm and place.sizeMm disagree');
  }
  const placement = o.placement ?? 'auto';
  if (placement !== 'auto' && placement !== 'seal-page') throw new StampError('INVALID_OPTIONS', 'placement must be auto or seal-page');
  // The size is checked against the seal once its text is known (see qrSize): a seal-text function gives it late.
  const sizeMm = place?.sizeMm ?? o.sizeMm;
  if (sizeMm !== undefined && (typeof sizeMm !== 'number' || !Number.isFinite(sizeMm) || sizeMm <= 0 || sizeMm > MAX_QR_SIZE_MM))
    throw new StampError('INVALID_OPTIONS', `sizeMm must be a number of millimetres up to ${MAX_QR_SIZE_MM}`);
  const caption = o.caption ?? DEFAULT_CAPTION;
  const line = (v: unknown) => typeof v === 'string' && v.length <= 120;
  if (!line(caption.ar) || !line(caption.en) || (caption.ckb !== undefined && !line(caption.ckb))) {
    throw new StampError('INVALID_OPTIONS', 'caption lines must be strings of at most 120 characters');
  }
  if (o.avoidContent !== undefined && typeof o.avoidContent !== 'boolean')
    throw new StampError('INVALID_OPTIONS', 'avoidContent must be true or false');
  return {
    pages: [...new Set(pages)].sort((a, b) => a - b),
    corner,
    avoidContent: o.avoidContent ?? true,
    sizeMm,
    caption,
    place,
    placement,
  };
}

function numbers(ctx: PDFContext, obj: PDFObject | undefined): number[] | undefined {
  const arr = obj instanceof PDFRef ? ctx.lookup(obj) : obj;
  if (!(arr instanceof PDFArray)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < arr.size(); i++) {
    const n = arr.lookup(i);
    if (!(n instanceof PDFNumber)) return undefined;
    out.push(n.asNumber());
  }
  return out;
}

function bytesOf(obj: PDFObject | undefined): Uint8Array | undefined {
  if (obj instanceof PDFHexString || obj instanceof PDFString) return obj.asBytes();
  return undefined;
}

/** Pull the Standard handler entries out of /Encrypt; refuse when /P forbids changes. */
function encryptionOf(doc: PDFDocument, hasObjectStreams: boolean): StreamCrypto | undefined {
  const ctx = doc.context;
  const enc = ctx.lookup(ctx.trailerInfo.Encrypt);
  if (!enc) return undefined;
  if (!(enc instanceof PDFDict)) throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', '/Encrypt is not a dictionary');
  const int = (k: string, d: number) => {
    const v = enc.lookup(PDFName.of(k));
    return v instanceof PDFNumber ? v.asNumber() : d;
  };
  const p = int('P', 0) | 0;
  if (!permitsChanges(p)) throw new StampError('PDF_ENCRYPTED_NO_CHANGES', `/P ${p}`);
  const filter = enc.lookup(PDFName.of('Filter'));
  const ids = ctx.lookup(ctx.trailerInfo.ID);
  const id0 = ids instanceof PDFArray ? bytesOf(ids.lookup(0)) : undefined;
  let streamMethod: string | undefined;
  const stmf = enc.lookup(PDFName.of('StmF'));
  if (stmf instanceof PDFName) {
    if (stmf.decodeText() === 'Identity') streamMethod = 'None';
    else {
      const cf = enc.lookup(PDFName.of('CF'));
      const f = cf instanceof PDFDict ? cf.lookup(stmf) : undefined;
      const cfm = f instanceof PDFDict ? f.lookup(PDFName.of('CFM')) : undefined;
      streamMethod = cfm instanceof PDFName ? cfm.decodeText() : 'None';
    }
  }
  const em = enc.lookup(PDFName.of('EncryptMetadata'));
  const info: EncryptInfo = {
    filter: filter instanceof PDFName ? filter.decodeText() : undefined,
    v: int('V', 0),
    r: int('R', 0),
    lengthBits: int('Length', 40),
    o: bytesOf(enc.lookup(PDFName.of('O'))) ?? new Uint8Array(0),
    u: bytesOf(enc.lookup(PDFName.of('U'))) ?? new Uint8Array(0),
    oe: bytesOf(enc.lookup(PDFName.of('OE'))),
    ue: bytesOf(enc.lookup(PDFName.of('UE'))),
    p,
    encryptMetadata: !(em instanceof PDFBool) || em.asBoolean(),
    streamMethod,
    id0: id0 ?? new Uint8Array(0),
  };
  // Objects inside object streams stay encrypted when loaded without the key: the page tree
  // would be unreadable, so such files are refused rather than stamped blindly.
  if (hasObjectStreams) throw new StampError('PDF_ENCRYPTED_UNSUPPORTED', 'encrypted object streams');
  return streamCrypto(info);
}

/** Visible rectangle (CropBox ∩ MediaBox) of a page in default user space. */
function visibleRect(ctx: PDFContext, leaf: PDFPageLeaf): { media: Rect; crop: Rect | undefined; visible: Rect } {
  const mb = numbers(ctx, leaf.MediaBox());
  const media: Rect = mb && mb.length === 4 ? normRect(mb) : [0, 0, 612, 792];
  const cb = numbers(ctx, leaf.CropBox());
  const crop = cb && cb.length === 4 ? normRect(cb) : undefined;
  const visible = (crop && intersect(crop, media)) ?? media;
  return { media, crop, visible };
}

/** Rectangles of the page's annotations (popups excluded: they are not drawn on the page). */
function annotationRects(ctx: PDFContext, leaf: PDFPageLeaf): Rect[] {
  const annots = leaf.lookup(PDFName.of('Annots'));
  if (!(annots instanceof PDFArray)) return [];
  const out: Rect[] = [];
  for (let i = 0; i < Math.min(annots.size(), 10_000); i++) {
    const a = annots.lookup(i);
    if (!(a instanceof PDFDict)) continue;
    if (a.lookup(PDFName.of('Subtype')) === PDFName.of('Popup')) continue;
    const r = numbers(ctx, a.get(PDFName.of('Rect')));
    if (r && r.length === 4) out.push(normRect(r));
  }
  return out;
}

/** A resource name not used yet in `dict`. */
function freshName(dict: PDFDict | undefined, base: string): string {
  if (!dict) return base;
  const used = new Set(dict.keys().map((k) => k.decodeText()));
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}${i}`;
  return name;
}

function matrixText(m: Matrix): string {
  return m.map((n) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000))).join(' ');
}

/** Put the stamp form on one page: wrap the old content in q/Q, then draw the form through `m`. */
function drawOnPage(ctx: PDFContext, leaf: PDFPageLeaf, formRef: PDFRef, m: Matrix): void {
  const res = leaf.Resources();
  const newRes = ctx.obj({});
  if (res) for (const [k, v] of res.entries()) newRes.set(k, v);
  const xo = res?.lookup(PDFName.of('XObject'));
  const newXo = ctx.obj({});
  if (xo instanceof PDFDict) for (const [k, v] of xo.entries()) newXo.set(k, v);
  const name = freshName(newXo, 'URSealStamp');
  newXo.set(PDFName.of(name), formRef);
  newRes.set(PDFName.of('XObject'), newXo);

  const raw = leaf.get(PDFName.of('Contents'));
  let parts: PDFObject[] = [];
  const target = raw instanceof PDFRef ? ctx.lookup(raw) : raw;
  if (target instanceof PDFArray) parts = target.asArray();
  else if (raw instanceof PDFRef && target instanceof PDFStream) parts = [raw];
  else if (target !== undefined && target !== PDFNull) {
    // Never replace content we cannot keep (e.g. a direct stream object, which PDF forbids).
    throw new StampError('PDF_UNREADABLE', 'page /Contents is neither a stream reference nor an array');
  }
  const enc = new TextEncoder();
  // Marked as an artifact (ISO 32000-2 §14.8.2.2): tagged documents keep their structure, and
  // screen readers skip the stamp.
  const draw = `/Artifact BMC q ${matrixText(m)} cm /${name} Do Q EMC\n`;
  if (parts.length > 0) {
    const pre = ctx.register(ctx.stream(enc.encode('q\n')));
    const post = ctx.register(ctx.stream(enc.encode(`Q\n${draw}`)));
    leaf.set(PDFName.of('Contents'), ctx.obj([pre, ...parts, post]));
  } else {
    leaf.set(PDFName.of('Contents'), ctx.register(ctx.stream(enc.encode(draw))));
  }
  leaf.set(PDFName.of('Resources'), newRes);
}

/** A locked, printable Stamp annotation showing the stamp form, appended last to /Annots. */
function addOverlayAnnotation(ctx: PDFContext, leaf: PDFPageLeaf, form: { ref: PDFRef; width: number; height: number }, m: Matrix): void {
  // The appearance keeps the rotation part of `m` as its /Matrix; the viewer maps its
  // transformed BBox onto /Rect (ISO 32000-2 §12.5.5), which is exactly the stamp's place.
  const appearance = ctx.register(
    ctx.stream(new TextEncoder().encode('/S Do\n'), {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, form.width, form.height],
      Matrix: [m[0], m[1], m[2], m[3], 0, 0],
      Resources: { XObject: { S: form.ref } },
    }),
  );
  const annot = ctx.register(
    ctx.obj({
      Type: 'Annot',
      Subtype: 'Stamp',
      Rect: boxInUser(m, form.width, form.height),
      F: 4 | 128, // Print | Locked
      AP: { N: appearance },
    }),
  );
  const old = leaf.lookup(PDFName.of('Annots'));
  const list = old instanceof PDFArray ? old.asArray() : [];
  leaf.set(PDFName.of('Annots'), ctx.obj([...list, annot]));
}

/** The caption, laid out and embedded once per (caption, size) in a scratch document. */
interface CaptionTemplate {
  ctx: PDFContext;
  fontDict: PDFDict;
  width: number;
  captionHeight: number;
  fontSize: number;
  lines: CaptionLine[];
}

const templates = new Map<string, Promise<CaptionTemplate>>();

/**
 * Shaping and subsetting the font costs more than the rest of a stamp, and its result depends
 * only on the caption and the size: build it once per process and copy the font objects into
 * each document (copying is deterministic, so output bytes do not depend on the cache).
 */
function captionTemplate(caption: Caption, sizeMm: number): Promise<CaptionTemplate> {
  const key = JSON.stringify([caption.ar, caption.ckb ?? null, caption.en, sizeMm]);
  let t = templates.get(key);
  if (!t) {
    if (templates.size >= 32) templates.clear();
    t = makeCaptionTemplate(caption, sizeMm);
    templates.set(key, t);
    t.catch(() => templates.delete(key));
  }
  return t;
}

let coverage: { hasGlyphForCodePoint(cp: number): boolean } | undefined;

/** Refuse caption characters the font does not have (they would print as empty boxes). */
function checkCoverage(text: string): void {
  coverage ??= fontkit.create(Buffer.from(captionFont())) as unknown as { hasGlyphForCodePoint(cp: number): boolean };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (/\s/.test(ch)) continue;
    if (!coverage.hasGlyphForCodePoint(cp)) {
      throw new StampError(
        'INVALID_OPTIONS',
        `caption character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not in the caption font`,
      );
    }
  }
}

async function makeCaptionTemplate(caption: Caption, sizeMm: number): Promise<CaptionTemplate> {
  checkCoverage(caption.ar + (caption.ckb ?? '') + caption.en);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(captionFont(), { subset: true, customName: FONT_NAME });
  const width = Math.round(sizeMm * MM * 1000) / 1000;
  const pad = 4;
  const texts = [caption.ar, caption.ckb ?? '', caption.en].filter((s) => s.length > 0);
  let fontSize = 7;
  for (const l of texts) {
    const w = encodeLine(font, l, 1).width;
    if (w > 0) fontSize = Math.min(fontSize, (width - 2 * pad) / w);
  }
  fontSize = Math.max(3, Math.floor(fontSize * 100) / 100);
  const captionHeight = texts.length === 0 ? 0 : Math.ceil(texts.length * fontSize * 1.25 + pad);
  // fontkit shapes Arabic (joining forms) inside encodeText; encodeLine first splits the line into bidi runs
  // (UAX #9, bidi-js) and tells fontkit each run's direction, so digits and Latin keep their order.
  const lines: CaptionLine[] = texts.map((l) => encodeLine(font, l, fontSize));
  await doc.flush();
  const fontDict = doc.context.lookup(font.ref);
  if (!(fontDict instanceof PDFDict)) throw new Error('caption font was not embedded');
  return { ctx: doc.context, fontDict, width, captionHeight, fontSize, lines };
}

/** Build the stamp form XObject (QR + caption) in the target document; returns its ref and size. */
function buildForm(ctx: PDFContext, tpl: CaptionTemplate, sealText: string) {
  const fontRef = ctx.register(PDFObjectCopier.for(tpl.ctx, ctx).copy(tpl.fontDict));
  const content = stampContent({
    text: sealText,
    width: tpl.width,
    captionHeight: tpl.captionHeight,
    fontName: 'F0',
    fontSize: tpl.fontSize,
    lines: tpl.lines,
  });
  const height = tpl.width + tpl.captionHeight;
  // node's zlib: 3x faster than pdf-lib's JS deflate here, and deterministic for a given input.
  const form = ctx.stream(deflateSync(new TextEncoder().encode(content)), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, tpl.width, height],
    Resources: { Font: { F0: fontRef } },
    Filter: 'FlateDecode',
  });
  return { ref: ctx.register(form), width: tpl.width, height };
}

function fail(code: 'PDF_UNREADABLE', e: unknown): never {
  if (e instanceof StampError) throw e;
  throw new StampError(code, e instanceof Error ? e.message : String(e), { cause: e });
}

/**
 * Stamp a PDF: returns the original bytes followed by one incremental update that draws the
 * seal's QR (vector, 0.6 mm per module by default and never under 0.5 mm, quiet zone, bilingual
 * caption) on the chosen pages, stores the seal text in a /URSeal dictionary referenced from the
 * catalog, and closes the file with a signature over every byte except its own placeholder (see
 * core/pdf/verify.ts).
 *
 * Policies: encrypted files are stamped with the file's key when the user password is empty and
 * /P allows changes (else `PDF_ENCRYPTED_*`); a file whose startxref does not point at an xref gets
 * an update without /Prev that rewrites every object; a page smaller than the stamp is enlarged
 * (MediaBox/CropBox grown beside the chosen corner) so the QR never covers content or shrinks.
 *
 * @example
 * const out = await stampPdf(pdfBytes, { sealText, sign: (m) => crypto.sign(null, m, agencyKey) });
 */
export async function stampPdf(
  original: Uint8Array,
  options: StampOptions,
  /** Tests only: force pdf-lib's full parse instead of the focused load; the print bench: allow sizes under the module rule (≥ 10 mm). */
  internal: { fullParse?: boolean; anySize?: boolean } = {},
): Promise<Uint8Array> {
  return (await stampPdfDetailed(original, options, internal)).pdf;
}

/**
 * {@link stampPdf}, also saying where each stamp went (corner, slid along a margin, elsewhere on the page,
 * the explicit place, or the added seal page), for the API answer and the CLI line.
 *
 * @example
 * const { pdf, placements } = await stampPdfDetailed(bytes, opts); console.log(placements.map(describePlacement))
 */
export async function stampPdfDetailed(
  original: Uint8Array,
  options: StampOptions,
  /** Tests only: force pdf-lib's full parse instead of the focused load. */
  internal: { fullParse?: boolean; anySize?: boolean } = {},
): Promise<StampResult> {
  const opts = checkOptions(options);
  if (!(original instanceof Uint8Array) || original.length < 16) throw new StampError('PDF_UNREADABLE', 'empty input');
  const xref = inspectXref(original);

  // Focused load when the xref is intact and the header is at 0; pdf-lib's full parse otherwise
  // (and whenever the focused load finds the file not laid out as its xref says).
  let loaded: LoadedPdf | null = null;
  let encryption: StreamCrypto | undefined;
  let found: FoundPages | undefined;
  if (xref.intact && headerOffset(original) === 0 && !internal.fullParse) loaded = await focusedLoad(original, xref.startxref);
  if (loaded) {
    try {
      ensureEncryptValues(loaded);
    } catch {
      loaded = null;
    }
  }
  // Encryption is judged before the page tree: an encrypted object stream cannot be parsed
  // without the key, and the refusal must say why instead of "unreadable".
  if (loaded) encryption = encryptionOf(loaded.doc, loaded.hasObjectStreams);
  if (loaded) {
    try {
      found = findPages(loaded, opts.pages);
      for (const p of found.pages.values()) ensurePageValues(loaded, p.leaf);
      // A page missing here may be a /Count that lies: let the full walk decide.
      if (found.pages.size !== opts.pages.length) loaded = null;
    } catch {
      loaded = null;
    }
  }
  if (!loaded) {
    try {
      loaded = await fullLoad(parseableCopy(original));
    } catch (e) {
      fail('PDF_UNREADABLE', e);
    }
    encryption = encryptionOf(loaded.doc, loaded.hasObjectStreams);
    try {
      found = findPages(loaded, opts.pages);
    } catch (e) {
      fail('PDF_UNREADABLE', e);
    }
  }
  const doc = loaded.doc;
  const ctx = doc.context;
  const snapshot = ctx.snapshot;
  if (!snapshot || !found) throw new StampError('PDF_UNREADABLE', 'no incremental snapshot');
  const originalLargest = ctx.largestObjectNumber;
  // The update is appended to the original bytes even when the parser saw a patched copy.
  ctx.pdfFileDetails.originalBytes = original;
  ctx.pdfFileDetails.pdfSize = original.length;
  // Readers take offsets relative to the %PDF- header when junk precedes it (qpdf, Acrobat):
  // write the new xref the same way as the original's.
  snapshot.pdfSize = original.length - headerOffset(original);

  if (found.count === 0) throw new StampError('PDF_UNREADABLE', 'no pages');
  for (const p of opts.pages) if (!found.pages.has(p)) throw new StampError('PDF_PAGE_NOT_FOUND', `page ${p} of ${found.count}`);

  // The file is readable and has the pages: now the seal (an issuer allocates its serial here, see sealText).
  const sealText = typeof options.sealText === 'function' ? await options.sealText() : options.sealText;
  checkSealText(sealText);

  let tpl: CaptionTemplate;
  try {
    tpl = await captionTemplate(opts.caption, qrSize(sealText, opts.sizeMm, internal.anySize === true));
  } catch (e) {
    if (e instanceof StampError) throw e;
    throw new StampError('INVALID_OPTIONS', `caption: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }

  // Change tracking is muted by the loaders (see muteChangeTracking): mark what changes here.
  const changed: PDFRef[] = [];
  const placements: Placement[] = [];
  let sealPage: number | undefined;
  try {
    const form = buildForm(ctx, tpl, sealText);

    const decryptFor = encryption ? encryption.decryptFor : undefined;
    const toMm = (pt: number) => Math.round((pt / MM) * 10) / 10;
    /** The box of a stamp whose lower-left display corner is (x, y), in mm from the display top-left. */
    const boxMm = (x: number, y: number, dh: number) => ({
      x: toMm(x),
      y: toMm(dh - y - form.height),
      width: toMm(form.width),
      height: toMm(form.height),
    });
    const noRoom: { page: number; dw: number; dh: number }[] = [];

    for (const pageNo of opts.pages) {
      const { leaf, ref: pageRef } = found.pages.get(pageNo)!;
      const rot = normRotation(leaf.Rotate()?.asNumber() ?? 0);
      let { media, crop, visible } = visibleRect(ctx, leaf);
      if (opts.place) {
        // An explicit place: exactly there, or refused; the page is never grown for it.
        const [dw, dh] = displaySize(visible, rot);
        const x = opts.place.xMm * MM;
        const y = dh - opts.place.yMm * MM - form.height;
        const eps = 0.01;
        if (x + form.width > dw + eps || y < -eps) {
          throw new StampError(
            'PLACE_OFF_PAGE',
            `page ${pageNo} is ${toMm(dw)} x ${toMm(dh)} mm as shown; a ${toMm(form.width)} x ${toMm(form.height)} mm stamp at ${opts.place.xMm},${opts.place.yMm} mm does not fit`,
          );
        }
        changed.push(pageRef);
        drawOnPage(ctx, leaf, form.ref, translateThen(displayToUser(visible, rot), round3(x), round3(y)));
        placements.push({ page: pageNo, method: 'place', drawnOn: pageNo, boxMm: boxMm(round3(x), round3(y), dh) });
        continue;
      }
      if (opts.placement === 'seal-page') {
        const [dw, dh] = displaySize(visible, rot);
        noRoom.push({ page: pageNo, dw, dh });
        continue;
      }
      changed.push(pageRef);
      if (!placeBox(visible, rot, form.width, form.height, opts.corner)) {
        // Page-size policy: grow the page beside the chosen corner (see stampPdf docs).
        visible = grownVisibleRect(visible, rot, form.width, form.height, opts.corner);
        media = union(media, visible);
        leaf.set(PDFName.of('MediaBox'), ctx.obj(media));
        if (crop) {
          crop = visible;
          leaf.set(PDFName.of('CropBox'), ctx.obj(visible));
        }
      }
      const [dw, dh] = displaySize(visible, rot);
      const annots = annotationRects(ctx, leaf);
      if (opts.avoidContent) {
        const area = (visible[2] - visible[0]) * (visible[3] - visible[1]);
        const content = await contentRects(leaf, loaded.ensure, area, decryptFor);
        const spot = findSpot(visible, rot, form.width, form.height, opts.corner, [...annots, ...content]);
        if (spot) {
          drawOnPage(ctx, leaf, form.ref, spot.m);
          placements.push({
            page: pageNo,
            method: spot.method,
            ...(spot.corner ? { corner: spot.corner } : {}),
            drawnOn: pageNo,
            boxMm: boxMm(spot.x, spot.y, dh),
          });
        } else {
          changed.pop(); // the page itself is not changed: its stamp goes to the seal page
          noRoom.push({ page: pageNo, dw, dh });
        }
        continue;
      }
      // Content not avoided: the first corner (in the preferred order) free of annotations; else the preferred
      // one, with the overlay annotation below.
      let chosen: { m: Matrix; c: Corner } | null = null;
      let clear = false;
      for (const c of cornerOrder(opts.corner)) {
        const m = placeBox(visible, rot, form.width, form.height, c);
        if (!m) continue;
        chosen ??= { m, c };
        const r = boxInUser(m, form.width, form.height);
        if (annots.some((a) => intersect(a, r))) continue;
        chosen = { m, c };
        clear = true;
        break;
      }
      if (!chosen) throw new StampError('PDF_UNREADABLE', `page ${pageNo}: no room for the stamp`);
      drawOnPage(ctx, leaf, form.ref, chosen.m);
      const o = applyMatrix(invertMatrix(displayToUser(visible, rot)), chosen.m[4], chosen.m[5]);
      placements.push({
        page: pageNo,
        method: clear ? 'kept' : 'overlay',
        corner: chosen.c,
        drawnOn: pageNo,
        boxMm: boxMm(o[0], o[1], dh),
      });
      // Every corner is under an annotation, and annotations paint over page content: repeat
      // the stamp as the topmost annotation so the QR stays visible and printable.
      if (!clear) addOverlayAnnotation(ctx, leaf, form, chosen.m);
    }

    if (noRoom.length > 0) {
      // Seal-page policy: never cover what a page shows; the stamp goes on a page of its own, added last.
      const { dw, dh } = noRoom[0]!;
      const added = await appendSealPage(ctx, loaded.ensure, doc.catalog.get(PDFName.of('Pages')), form, dw, dh, {
        sealText,
        forPages: noRoom.map((p) => p.page),
        pageCount: found.count,
        labels: options.labels,
        font: captionFont(),
      });
      changed.push(...added.changed);
      sealPage = added.pageNumber;
      for (const p of noRoom)
        placements.push({ page: p.page, method: 'seal-page', drawnOn: added.pageNumber, boxMm: boxMm(added.box[0], added.box[1], dh) });
      placements.sort((a, b) => a.page - b.page);
    }

    const sealRef = ctx.register(PDFInvalidObject.of(new TextEncoder().encode(sealDictText(sealText))));
    doc.catalog.set(PDFName.of(CATALOG_KEY), sealRef);
    snapshot.markRefsForSave([...changed, ...(ctx.trailerInfo.Root instanceof PDFRef ? [ctx.trailerInfo.Root] : [])]);

    if (!xref.intact) {
      // startxref does not lead to an xref: write a self-contained update (no /Prev) that
      // carries every object, instead of chaining to a table readers must repair.
      snapshot.prevStartXRef = 0;
      for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
        const type = obj instanceof PDFRawStream ? obj.dict.lookup(PDFName.of('Type')) : undefined;
        if (type === PDFName.of('XRef') || type === PDFName.of('ObjStm')) continue;
        snapshot.markRefForSave(ref);
      }
    } else {
      snapshot.prevStartXRef = xref.startxref;
    }

    if (encryption) {
      const encryptor = encryption.encrypt;
      // Only objects created by this update are encrypted here; existing ones are rewritten
      // as stored (already encrypted), and the seal dictionary is not a stream.
      ctx.security = {
        getEncryptFn: (n: number, g: number) => (plain: Uint8Array) => (n > originalLargest ? encryptor(n, g, plain) : plain),
      } as unknown as typeof ctx.security;
    }
  } catch (e) {
    fail('PDF_UNREADABLE', e);
  }

  let out: Uint8Array;
  try {
    out = await doc.save({
      useObjectStreams: xref.kind === 'stream',
      addDefaultPage: false,
      updateFieldAppearances: false,
      objectsPerTick: Infinity,
    });
  } catch (e) {
    fail('PDF_UNREADABLE', e);
  }
  if (out.length < original.length || !prefixEqual(out, original)) {
    throw new StampError('PDF_UNREADABLE', 'the update did not keep the original bytes as a prefix');
  }
  return { pdf: await closeFile(out, original.length, options.sign), placements, ...(sealPage !== undefined ? { sealPage } : {}) };
}

function prefixEqual(out: Uint8Array, original: Uint8Array): boolean {
  return (
    Buffer.compare(
      Buffer.from(out.buffer, out.byteOffset, original.length),
      Buffer.from(original.buffer, original.byteOffset, original.length),
    ) === 0
  );
}

/** Patch /ByteRange in place, hash the covered bytes, sign, and patch /Contents with the signature. */
async function closeFile(out: Uint8Array, from: number, sign: StampOptions['sign']): Promise<Uint8Array> {
  const head = Buffer.from(SEAL_DICT_HEAD, 'latin1');
  const buf = Buffer.from(out.buffer, out.byteOffset, out.length);
  const start = buf.lastIndexOf(head);
  if (start < from) throw new StampError('PDF_UNREADABLE', 'seal dictionary not found in the update');
  const rangeAt = buf.indexOf('/ByteRange [', start, 'latin1') + '/ByteRange ['.length;
  const lt = buf.indexOf('/Contents <', start, 'latin1') + '/Contents '.length;
  const a = lt;
  const b = lt + 130;
  const c = out.length - b;
  const range = [0, a, b, c].map(formatRangeNumber).join(' ');
  buf.write(range, rangeAt, 'latin1');
  const digest = createHash('sha256').update(buf.subarray(0, a)).update(buf.subarray(b)).digest();
  const message = new Uint8Array(Buffer.concat([Buffer.from(PDF_CLOSE_PREFIX, 'utf8'), Buffer.from([0]), digest]));
  let sig: Uint8Array;
  try {
    sig = await sign(message);
  } catch (e) {
    throw new StampError('SIGNING_FAILED', e instanceof Error ? e.message : String(e), { cause: e });
  }
  if (!(sig instanceof Uint8Array) || sig.length !== 64) throw new StampError('SIGNING_FAILED', 'signature must be 64 bytes');
  buf.write(Buffer.from(sig).toString('hex'), a + 1, 'latin1');
  return out;
}
