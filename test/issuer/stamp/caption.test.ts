// The stamp caption's bidi: UAX #9 runs (bidi-js), digits kept in order when rendered, logical order for pdftotext.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { bidiRuns, encodeLine, visualRuns } from '../../../issuer/stamp/graphic.js';
import { DEFAULT_CAPTION_CKB, stampPdf } from '../../../issuer/stamp/stamp.js';
import { SEAL, hasTool, run, signer } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'urseal-caption-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// pdftoppm and pdftotext (poppler-utils) are installed in CI (.ci/run).
const TOOLS = ['pdftoppm', 'pdftotext'].filter((t) => !hasTool(t));

/** Unicode bidi embedding controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI) that pdftotext adds around runs. */
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

async function stampedBlank(name: string, caption: { ar: string; en: string; ckb?: string }): Promise<string> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([300, 300]);
  const out = await stampPdf(await doc.save(), { sealText: SEAL.TYPICAL, sign: signer(), caption });
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, out);
  return path;
}

/** Render page 1 at `dpi` in grey and return its pixels (binary PGM, P5). */
function renderGray(pdf: string, dpi: number): { w: number; h: number; px: Uint8Array } {
  const base = pdf.replace(/\.pdf$/, '');
  expect(run('pdftoppm', ['-gray', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdf, base]).status).toBe(0);
  const bytes = readFileSync(`${base}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.toString('latin1', 0, 40))!;
  return { w: Number(header[1]), h: Number(header[2]), px: new Uint8Array(bytes.subarray(header[0].length)) };
}

/**
 * Glyph clusters of the bottom text line of a rendered page, left to right, each with its ink height in pixels.
 * The stamp sits in the bottom-left corner of an empty page, so the lowest band of ink is the caption's last line.
 */
function bottomLineClusters(img: { w: number; h: number; px: Uint8Array }): { x0: number; x1: number; height: number }[] {
  const ink = (x: number, y: number) => img.px[y * img.w + x]! < 128;
  const rowInk = (y: number) => {
    for (let x = 0; x < img.w; x++) if (ink(x, y)) return true;
    return false;
  };
  let y1 = img.h - 1;
  while (y1 > 0 && !rowInk(y1)) y1--;
  let y0 = y1;
  while (y0 > 0 && rowInk(y0 - 1)) y0--;
  const clusters: { x0: number; x1: number; height: number }[] = [];
  let current: { x0: number; x1: number; top: number; bottom: number } | undefined;
  for (let x = 0; x <= img.w; x++) {
    let top = -1;
    let bottom = -1;
    if (x < img.w) for (let y = y0; y <= y1; y++) if (ink(x, y)) ((top = top < 0 ? y : top), (bottom = y));
    if (top >= 0) {
      if (!current) current = { x0: x, x1: x, top, bottom };
      else ((current.x1 = x), (current.top = Math.min(current.top, top)), (current.bottom = Math.max(current.bottom, bottom)));
    } else if (current) {
      clusters.push({ x0: current.x0, x1: current.x1, height: current.bottom - current.top + 1 });
      current = undefined;
    }
  }
  return clusters;
}

describe('bidi runs (UAX #9 through bidi-js)', () => {
  it('keeps Arabic-Indic and European digits, and Latin, left to right inside Arabic', () => {
    expect(bidiRuns('وثيقة رقم ١٤٤٧')).toEqual([
      { text: '١٤٤٧', rtl: false, start: 10 },
      { text: 'وثيقة رقم ', rtl: true, start: 0 },
    ]);
    expect(visualRuns('وثيقة رقم 2024/117 صادرة عن MOJ')).toEqual(['MOJ', ' صادرة عن ', '2024/117', 'وثيقة رقم ']);
    // Extended Arabic-Indic digits (Persian, Urdu) and a number with a separator stay one left-to-right run.
    expect(visualRuns('رقم ۱۴۴۷/۲')).toEqual(['۱۴۴۷/۲', 'رقم ']);
  });

  it('leaves lines without right-to-left letters whole, and mirrors brackets in right-to-left runs (L4)', () => {
    expect(visualRuns('Secured document — scan to verify')).toEqual(['Secured document — scan to verify']);
    expect(visualRuns('وثيقة مؤمنة — امسح الرمز للتحقق')).toEqual(['وثيقة مؤمنة — امسح الرمز للتحقق']);
    expect(visualRuns('١٤٤٧')).toEqual(['١٤٤٧']);
    // Logical "(القاهرة)" in a right-to-left run: the brackets swap so that, drawn reversed, they face inwards.
    expect(bidiRuns('مصر (القاهرة)')).toEqual([{ text: 'مصر )القاهرة(', rtl: true, start: 0 }]);
    expect(bidiRuns('')).toEqual([]);
  });

  it('orders nested levels by rule L2 (Latin with a number inside an Arabic line)', () => {
    // "MOJ 12" is one left-to-right island: its parts keep their order, and the island sits left of the Arabic.
    expect(visualRuns('صادر عن MOJ 12')).toEqual(['MOJ 12', 'صادر عن ']);
    // An explicit left-to-right paragraph keeps the Arabic word as one reversed run at its logical place.
    expect(bidiRuns('ID 42 رقم', 'ltr').map((r) => [r.text, r.rtl])).toEqual([
      ['ID 42 ', false],
      ['رقم', true],
    ]);
  });
});

describe('encodeLine', () => {
  it('lists pieces in logical order at their visual offsets, and needs a font embedded from a file', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(fontkit);
    const path = createRequire(import.meta.url).resolve('vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf');
    const font = await doc.embedFont(readFileSync(path), { subset: true });
    const line = encodeLine(font, 'وثيقة رقم ١٤٤٧', 7);
    // وثيقة (rightmost), رقم, then the number (leftmost, at 0): drawn in that order.
    expect(line.pieces.length).toBe(3);
    expect(line.pieces.map((p) => p.x)).toEqual([...line.pieces.map((p) => p.x)].sort((a, b) => b - a));
    expect(line.pieces[2]!.x).toBe(0);
    // The digits are encoded in their own order: glyphs of ١, ٤, ٤, ٧ one by one.
    const glyph = (ch: string) => encodeLine(font, ch, 7).pieces[0]!.hex;
    expect(line.pieces[2]!.hex).toBe(['١', '٤', '٤', '٧'].map(glyph).join(''));
    expect(line.width).toBeCloseTo(font.widthOfTextAtSize('وثيقة رقم ١٤٤٧', 7), 1);
    const helvetica = await doc.embedFont(StandardFonts.Helvetica);
    expect(() => encodeLine(helvetica, 'abc', 7)).toThrow(TypeError);
  });
});

describe('the caption on a stamped page', () => {
  it('has poppler-utils', () => {
    expect(TOOLS).toEqual([]);
  });

  it('draws Arabic-Indic digits in their order (checked by rendering): ١٠ shows the tall ١ left of the small ٠', async () => {
    // In a right-to-left line the number is the leftmost thing drawn; ١ is a tall stroke, ٠ a small dot.
    const right = bottomLineClusters(renderGray(await stampedBlank('digits', { ar: 'وثيقة رقم ١٠', en: '' }), 600));
    expect(right.length).toBeGreaterThan(3);
    expect(right[0]!.height).toBeGreaterThan(2 * right[1]!.height);
    // Control: the number ٠١ starts with the dot, and the same measure sees it.
    const control = bottomLineClusters(renderGray(await stampedBlank('digits-control', { ar: 'وثيقة رقم ٠١', en: '' }), 600));
    expect(2 * control[0]!.height).toBeLessThan(control[1]!.height);
  });

  it('pdftotext gives the caption words in logical order', async () => {
    const words = ['وثيقة', 'رقم', '١٤٤٧', 'صادرة', 'عن', 'MOJ'];
    const inOrder = (text: string) => {
      const clean = text.replace(CONTROLS, '');
      const at = words.map((w) => clean.indexOf(w));
      return at.every((i) => i >= 0) && at.every((i, k) => k === 0 || i > at[k - 1]!);
    };
    const arabicOnly = await stampedBlank('order-ar', { ar: 'وثيقة رقم ١٤٤٧ صادرة عن MOJ', en: '' });
    const both = await stampedBlank('order-both', { ar: 'وثيقة رقم ١٤٤٧ صادرة عن MOJ', en: 'Document no. 1447 issued by MOJ' });
    // Content-stream order (-raw): the caption is drawn piece by piece in logical order, whatever the page.
    for (const pdf of [arabicOnly, both]) expect(inOrder(run('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-']).stdout)).toBe(true);
    // Reading order (plain pdftotext): poppler picks one direction per page; a right-to-left page reads logically.
    const plain = run('pdftotext', ['-enc', 'UTF-8', arabicOnly, '-']).stdout;
    expect(inOrder(plain)).toBe(true);
    expect(plain.replace(CONTROLS, ' ').split(/\s+/).filter(Boolean)).toEqual(words);
  });

  it('a Kurdish (Sorani) line goes between Arabic and English, in logical order, and the QR still reads', async () => {
    const pdf = await stampedBlank('ckb', DEFAULT_CAPTION_CKB);
    const raw = run('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-']).stdout.replace(CONTROLS, '');
    const at = (w: string) => raw.indexOf(w);
    const ckbWords = DEFAULT_CAPTION_CKB.ckb!.split(' ').filter((w) => w !== '—');
    for (const w of ckbWords) expect(at(w), w).toBeGreaterThan(at('امسح'));
    for (let k = 1; k < ckbWords.length; k++) expect(at(ckbWords[k]!)).toBeGreaterThan(at(ckbWords[k - 1]!));
    expect(at('Secured')).toBeGreaterThan(at(ckbWords.at(-1)!));
    const png = pdf.replace(/\.pdf$/, '');
    expect(run('pdftoppm', ['-png', '-r', '150', '-singlefile', pdf, png]).status).toBe(0);
    expect(run('zbarimg', ['-q', '--raw', `${png}.png`]).stdout.trim()).toBe(SEAL.TYPICAL);
  });
});
