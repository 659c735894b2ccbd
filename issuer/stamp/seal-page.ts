// The seal page: appended when a page has no blank spot for the stamp, so the stamp never covers what the page shows.
import fontkit from '@cantoo/fontkit';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFRef,
  type PDFContext,
  type PDFFont,
  type PDFObject,
} from '@cantoo/pdf-lib';
import { decodeSeal } from '../../core/seal/decode.js';
import type { DocumentType, Label } from '../../core/trust-list/types.js';
import { encodeLine, num } from './graphic.js';

/** Names shown on the seal page for the signed fields (from the agency's entry in the trust list). */
export interface SealLabels {
  agency?: Label;
  documentType?: DocumentType;
}

/** One line of the page: an Arabic text drawn right-aligned, or an English one left-aligned. */
interface Line {
  text: string;
  rtl: boolean;
  size: number;
}

const FONT_NAME = 'Vazirmatn-Regular';

interface SealFont {
  font: PDFFont;
  ctx: PDFContext;
  fontDict: PDFDict;
}
let sealFontTemplate: Promise<SealFont> | undefined;

/**
 * The whole caption font, embedded once per process and copied into each document that gets a seal page. A
 * subset per page would follow each document's own text but costs 50-100 ms of subsetting every time; the full
 * font costs about 120 KB in the file, only when a seal page is added. pdf-lib writes widths only for glyphs
 * the font's cmap reaches, so the widths of every glyph (Arabic joining forms, ligatures) are written here.
 */
function sealFont(bytes: Uint8Array): Promise<SealFont> {
  sealFontTemplate ??= (async () => {
    const scratch = await PDFDocument.create({ updateMetadata: false });
    scratch.registerFontkit(fontkit);
    const font = await scratch.embedFont(bytes, { subset: false, customName: FONT_NAME });
    await scratch.flush();
    const fontDict = scratch.context.lookup(font.ref);
    if (!(fontDict instanceof PDFDict)) throw new Error('seal page font was not embedded');
    const kit = fontkit.create(Buffer.from(bytes)) as unknown as {
      numGlyphs: number;
      unitsPerEm: number;
      getGlyph(id: number): { advanceWidth: number };
    };
    const widths: number[] = [];
    for (let id = 0; id < kit.numGlyphs; id++) widths.push(Math.round((kit.getGlyph(id).advanceWidth * 1000) / kit.unitsPerEm));
    const kids = scratch.context.lookup(fontDict.get(PDFName.of('DescendantFonts')));
    const cid = kids instanceof PDFArray ? scratch.context.lookup(kids.get(0)) : undefined;
    if (!(cid instanceof PDFDict)) throw new Error('seal page font has no CIDFont');
    cid.set(PDFName.of('W'), scratch.context.obj([0, widths]));
    return { font, ctx: scratch.context, fontDict };
  })();
  sealFontTemplate.catch(() => (sealFontTemplate = undefined));
  return sealFontTemplate;
}
const MAX_CHARS = 90;

/** Shorten a value that would not fit on its line. */
function clip(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_CHARS ? `${flat.slice(0, MAX_CHARS - 1)}…` : flat;
}

/** The page's lines: a heading, which pages it serves, then the signed claims with their labels, both languages. */
function sealLines(sealText: string, forPages: number[], labels: SealLabels | undefined): Line[] {
  const pages = forPages.join(', ');
  const lines: Line[] = [
    { text: 'صفحة ختم الوثيقة', rtl: true, size: 16 },
    { text: 'Document seal page', rtl: false, size: 16 },
    { text: `لا يوجد في الصفحة ${pages} مكان فارغ للختم، فوُضع هنا.`, rtl: true, size: 10 },
    { text: `Page ${pages} had no blank space for the stamp, so it is placed here.`, rtl: false, size: 10 },
  ];
  let claims;
  try {
    claims = decodeSeal(sealText).claims;
  } catch {
    return lines; // not a decodable seal (tests, foreign texts): the QR alone
  }
  const type = labels?.documentType && labels.documentType.id === claims.doc.type ? labels.documentType : undefined;
  const pairs: [Label, string][] = [
    [{ ar: 'الجهة المصدرة', en: 'Issuer' }, labels?.agency ? `${labels.agency.en} (${claims.iss})` : claims.iss],
    [{ ar: 'نوع الوثيقة', en: 'Document type' }, type ? type.name.en : claims.doc.type],
    [{ ar: 'رقم الوثيقة', en: 'Number' }, claims.doc.number],
    [{ ar: 'تاريخ الإصدار', en: 'Issued' }, new Date(claims.iat * 1000).toISOString().slice(0, 10)],
  ];
  const arValue: string[] = [
    labels?.agency ? `${labels.agency.ar} (${claims.iss})` : claims.iss,
    type ? type.name.ar : claims.doc.type,
    claims.doc.number,
    pairs[3]![1],
  ];
  for (const [id, value] of Object.entries(claims.doc.fields ?? {})) {
    const label = type?.fields.find((f) => f.id === id)?.label ?? { ar: id, en: id };
    pairs.push([label, String(value)]);
    arValue.push(String(value));
  }
  if (claims.exp !== undefined) {
    const d = new Date(claims.exp * 1000).toISOString().slice(0, 10);
    pairs.push([{ ar: 'تاريخ الانتهاء', en: 'Expires' }, d]);
    arValue.push(d);
  }
  lines.push({ text: 'البيانات الموقّعة', rtl: true, size: 12 }, { text: 'Signed fields', rtl: false, size: 12 });
  pairs.forEach(([label, value], i) => {
    lines.push({ text: clip(`${label.ar}: ${arValue[i]}`), rtl: true, size: 10 });
    lines.push({ text: clip(`${label.en}: ${value}`), rtl: false, size: 10 });
  });
  return lines;
}

/**
 * Append a seal page to the document (a page of `width` × `height` points, the size of the stamped page as
 * shown, or larger when the stamp would not fit): the stamp form (QR and caption) near the top, then why the page exists and the signed fields in
 * Arabic and English. The page is added last to the root of the page tree. Returns its 1-based number.
 *
 * @example const n = await appendSealPage(ctx, rootRef, form, 595, 842, { sealText, forPages: [1], pageCount: 3, font })
 */
export async function appendSealPage(
  ctx: PDFContext,
  ensure: (o: PDFObject | undefined) => PDFObject | undefined,
  pagesRef: PDFObject | undefined,
  form: { ref: PDFRef; width: number; height: number },
  width: number,
  height: number,
  info: { sealText: string; forPages: number[]; pageCount: number; labels?: SealLabels | undefined; font: Uint8Array },
): Promise<{ pageNumber: number; changed: PDFRef[]; box: [number, number] }> {
  // The size of the stamped page, grown when that page is smaller than the stamp (the QR is never shrunk).
  width = Math.max(width, form.width + 48);
  height = Math.max(height, form.height + 48);
  const root = ensure(pagesRef);
  if (!(pagesRef instanceof PDFRef) || !(root instanceof PDFDict)) throw new Error('page tree root is not an indirect dictionary');
  const lines = sealLines(info.sealText, info.forPages, info.labels);

  const { font, ctx: fontCtx, fontDict } = await sealFont(info.font);
  const margin = Math.min(56, width / 10);
  const shown: string[] = [];
  // The stamp at its own size (never smaller: the QR's size rule holds here too), centred near the top.
  const fx = Math.max(0, (width - form.width) / 2);
  const fy = Math.max(0, height - Math.min(margin, (height - form.height) / 2) - form.height);
  shown.push(`q 1 0 0 1 ${num(fx)} ${num(fy)} cm /S Do Q`);
  let y = fy - 24;
  const avail = width - 2 * margin;
  shown.push('0 g', 'BT');
  for (const l of lines) {
    y -= l.size * 1.4;
    if (y < margin / 2) break;
    // Laid out as the caption is (bidi runs shaped with their direction, pieces in logical order): Arabic-Indic
    // digits keep their order, and text extraction gives the words in logical order.
    let size = l.size;
    let line = encodeLine(font, l.text, size);
    if (line.width > avail) {
      size = Math.max(4, (l.size * avail) / line.width);
      line = encodeLine(font, l.text, size);
    }
    const x = l.rtl ? width - margin - line.width : margin;
    shown.push(`/F0 ${num(size)} Tf`);
    for (const piece of line.pieces) shown.push(`1 0 0 1 ${num(x + piece.x)} ${num(y)} Tm`, `<${piece.hex}> Tj`);
  }
  shown.push('ET');
  const fontRef = ctx.register(PDFObjectCopier.for(fontCtx, ctx).copy(fontDict));

  const content = ctx.register(ctx.stream(new TextEncoder().encode(`/Artifact BMC\n${shown.join('\n')}\nEMC\n`)));
  const page = ctx.register(
    ctx.obj({
      Type: 'Page',
      Parent: pagesRef,
      MediaBox: [0, 0, Math.round(width * 1000) / 1000, Math.round(height * 1000) / 1000],
      Resources: { XObject: { S: form.ref }, Font: { F0: fontRef } },
      Contents: content,
    }),
  );
  const kids = ensure(root.get(PDFName.of('Kids')));
  const list = kids instanceof PDFArray ? kids.asArray() : [];
  root.set(PDFName.of('Kids'), ctx.obj([...list, page]));
  const count = ensure(root.get(PDFName.of('Count')));
  const n = count instanceof PDFNumber ? count.asNumber() : info.pageCount;
  root.set(PDFName.of('Count'), ctx.obj(n + 1));
  return { pageNumber: info.pageCount + 1, changed: [pagesRef], box: [fx, fy] };
}
