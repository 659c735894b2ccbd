// The stamp never covers what a page shows: for every corpus PDF (and letters made here: plain, encrypted, scanned),
// render the original page and check that the stamp's box was blank there; with the seal-page fallback, check the
// page is untouched and the seal page carries the QR.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts, rgb } from '@cantoo/pdf-lib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StampError, describePlacement, stampPdfDetailed, type Placement, type StampOptions } from '../../../issuer/stamp/stamp.js';
import { CLEARANCE, findSpot } from '../../../issuer/stamp/place.js';
import { contentRects } from '../../../issuer/stamp/occupied.js';
import { intersect, type Rect } from '../../../issuer/stamp/layout.js';
import { SEAL, hasTool, run, runBuffer, signer } from './helpers.js';
import { claims as worldClaims, seal as worldSeal } from '../../helpers/world.js';

const CORPUS = new URL('../../../../shared/corpus/pdfs/pdfs/', import.meta.url).pathname;
const FILES = (() => {
  try {
    return readdirSync(CORPUS)
      .filter((f) => f.endsWith('.pdf'))
      .sort();
  } catch {
    return [];
  }
})();
/** Refused by the stamper (permissions forbid changes): see corpus.test.ts. */
const REFUSED = new Set(['bug900822.pdf', 'issue17215.pdf', 'issue9972-1.pdf']);

const TOOLS = ['pdftoppm', 'zbarimg', 'qpdf', 'pdfinfo'].every(hasTool);
if (!TOOLS) console.warn('placement.test: poppler/zbar/qpdf missing: skipping the rendering checks');
const itTools = TOOLS ? it : it.skip;

const work = mkdtempSync(join(tmpdir(), 'urseal-place-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DPI = 72;
/** A pixel is ink when its darkest channel is below this (white paper is 255; anti-aliasing edges are light). */
const INK = 200;

interface Raster {
  width: number;
  height: number;
  /** Darkest channel per pixel. */
  dark: Uint8Array;
}

/** Render page `n` (visible area, after /Rotate) at DPI; the darkest channel of each pixel. */
function render(pdf: Uint8Array, name: string, n: number): Raster {
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, pdf);
  const ppm = runBuffer('pdftoppm', ['-q', '-cropbox', '-r', String(DPI), '-f', String(n), '-l', String(n), '-singlefile', path]);
  // Binary PPM (P6): header "P6\n<w> <h>\n255\n", then RGB bytes.
  const head = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!head) throw new Error('pdftoppm gave no P6 image');
  const width = Number(head[1]);
  const height = Number(head[2]);
  const px = ppm.subarray(head[0].length);
  const dark = new Uint8Array(width * height);
  for (let i = 0; i < dark.length; i++) dark[i] = Math.min(px[i * 3]!, px[i * 3 + 1]!, px[i * 3 + 2]!);
  return { width, height, dark };
}

/** Ink pixels of `r` inside the box (mm from the top-left), shrunk by one pixel for anti-aliasing at its edge. */
function inkIn(r: Raster, box: Placement['boxMm']): { ink: number; area: number } {
  const px = (mm: number) => (mm / 25.4) * DPI;
  const x0 = Math.max(0, Math.ceil(px(box.x)) + 1);
  const y0 = Math.max(0, Math.ceil(px(box.y)) + 1);
  const x1 = Math.min(r.width, Math.floor(px(box.x + box.width)) - 1);
  const y1 = Math.min(r.height, Math.floor(px(box.y + box.height)) - 1);
  let ink = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (r.dark[y * r.width + x]! < INK) ink++;
  return { ink, area: Math.max(0, x1 - x0) * Math.max(0, y1 - y0) };
}

function pageCount(pdf: Uint8Array, name: string): number {
  const path = join(work, `${name}-count.pdf`);
  writeFileSync(path, pdf);
  return Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [path]).stdout)?.[1] ?? -1);
}

function qrOnPage(pdf: Uint8Array, name: string, n: number): string {
  const path = join(work, `${name}-qr.pdf`);
  writeFileSync(path, pdf);
  const png = join(work, `${name}-qr-${n}`);
  expect(run('pdftoppm', ['-q', '-cropbox', '-r', '150', '-f', String(n), '-l', String(n), '-singlefile', '-png', path, png]).status).toBe(
    0,
  );
  return run('zbarimg', ['--raw', '-q', `${png}.png`]).stdout.replace(/\n$/, '');
}

const opts = (extra: Partial<StampOptions> = {}): StampOptions => ({ sealText: SEAL.TYPICAL, sign: signer(), ...extra });

/**
 * The default placement: the stamp's box was blank in the original (at most 0.2% of its pixels inked: a few
 * anti-aliased pixels of a neighbour's edge), or the stamp went to a seal page and the page itself is unchanged.
 */
async function checkDefault(name: string, original: Uint8Array): Promise<Placement[]> {
  const { pdf, placements, sealPage } = await stampPdfDetailed(original, opts());
  const before = pageCount(original, `${name}-orig`);
  for (const p of placements) {
    if (p.method === 'seal-page') {
      expect(sealPage, name).toBe(before + 1);
      expect(p.drawnOn).toBe(sealPage);
      continue;
    }
    expect(['corner', 'margin', 'grid'], `${name}: ${describePlacement(p)}`).toContain(p.method);
    const r = render(original, `${name}-orig`, p.page);
    const stamped = render(pdf, `${name}-stamped`, p.page);
    // A page smaller than the stamp is grown below and to the right of what it showed (the top-left corner as
    // shown stays): the part of the box outside the original page was no paper at all, so only the rest counts.
    const grown = stamped.width > r.width || stamped.height > r.height;
    const { ink, area } = inkIn(r, p.boxMm);
    if (!grown) expect(area, `${name}: box inside the rendered page`).toBeGreaterThan(0);
    expect(ink, `${name}: ${describePlacement(p)}: ${ink} inked pixels of ${area} under the stamp`).toBeLessThanOrEqual(
      Math.ceil(area * 0.002),
    );
    // And the stamp is really drawn there (its QR is mostly dark modules' worth of ink).
    const drawn = inkIn(stamped, p.boxMm);
    expect(drawn.ink, `${name}: stamp drawn in its box`).toBeGreaterThan(drawn.area * 0.2);
  }
  if (sealPage !== undefined) {
    expect(pageCount(pdf, `${name}-out`)).toBe(before + 1);
    expect(qrOnPage(pdf, name, sealPage)).toBe(SEAL.TYPICAL);
  }
  return placements;
}

/** The forced fallback: every stamped page untouched (same pixels), one seal page added with a readable QR. */
async function checkSealPage(name: string, original: Uint8Array): Promise<void> {
  const { pdf, placements, sealPage } = await stampPdfDetailed(original, opts({ placement: 'seal-page' }));
  const before = pageCount(original, `${name}-orig`);
  expect(sealPage).toBe(before + 1);
  expect(pageCount(pdf, `${name}-sealed`)).toBe(before + 1);
  expect(placements.map((p) => p.method)).toEqual(['seal-page']);
  const a = render(original, `${name}-orig`, 1);
  const b = render(pdf, `${name}-sealed`, 1);
  expect([b.width, b.height]).toEqual([a.width, a.height]);
  expect(Buffer.compare(Buffer.from(a.dark), Buffer.from(b.dark)), `${name}: page 1 unchanged`).toBe(0);
  expect(qrOnPage(pdf, `${name}-sealed`, sealPage!)).toBe(SEAL.TYPICAL);
}

describe.runIf(FILES.length > 0)('corpus: the stamp lands on blank paper', () => {
  for (const file of FILES.filter((f) => !REFUSED.has(f))) {
    itTools(`${file}: default placement, then the seal-page fallback`, async () => {
      const original = new Uint8Array(readFileSync(join(CORPUS, file)));
      await checkDefault(file, original);
      await checkSealPage(file, original);
    });
  }
});

/** A letter as agencies send them: letterhead, body, a footer rule, signature blocks in both bottom corners. */
async function letter(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595, 842]);
  page.drawText('MINISTRY OF JUSTICE - NOTARY OFFICE 7', { x: 56, y: 790, size: 16, font: bold });
  page.drawLine({ start: { x: 40, y: 776 }, end: { x: 555, y: 776 }, thickness: 1.5, color: rgb(0, 0, 0.5) });
  for (let i = 0; i < 22; i++)
    page.drawText(`Line ${i + 1} of the decision: the parties agree to the terms set out below, MMWW.`, {
      x: 56,
      y: 740 - i * 16,
      size: 11,
      font,
    });
  // Signature blocks low on the page, left and right, and a footer rule with the address under it.
  for (const x of [56, 340]) {
    page.drawText('Registrar', { x, y: 150, size: 11, font: bold });
    page.drawText('Khalid Al-Otaibi', { x, y: 134, size: 11, font });
    page.drawLine({ start: { x, y: 100 }, end: { x: x + 180, y: 100 }, thickness: 0.8 });
  }
  page.drawLine({ start: { x: 40, y: 60 }, end: { x: 555, y: 60 }, thickness: 1 });
  page.drawText('12 Court Street - Tel 555 0100', { x: 200, y: 44, size: 9, font });
  return doc.save({ useObjectStreams: false });
}

describe('letters nobody on the project wrote the corners of', () => {
  let plain: Uint8Array;
  beforeAll(async () => {
    plain = await letter();
  });

  itTools('a letter with signature blocks and a footer rule: the stamp goes to blank paper', async () => {
    const ps = await checkDefault('letter', plain);
    expect(ps[0]!.method).not.toBe('corner'); // every corner holds a signature block, the rule or the letterhead
    await checkSealPage('letter', plain);
  });

  for (const [name, args] of [
    ['RC4-128', ['--allow-weak-crypto', '--encrypt', '', 'owner', '128', '--use-aes=n', '--']],
    ['AES-128', ['--encrypt', '', 'owner', '128', '--use-aes=y', '--']],
    ['AES-256', ['--encrypt', '', 'owner', '256', '--']],
  ] as const) {
    itTools(`the same letter encrypted (${name}): its content is decrypted to be seen`, async () => {
      const plainPath = join(work, 'letter-plain.pdf');
      writeFileSync(plainPath, plain);
      const encPath = join(work, `letter-${name}.pdf`);
      expect(run('qpdf', [...args, plainPath, encPath]).status).toBe(0);
      const enc = new Uint8Array(readFileSync(encPath));
      const ps = await checkDefault(`letter-${name}`, enc);
      const clear = await stampPdfDetailed(plain, opts());
      expect(ps.map((p) => p.boxMm)).toEqual(clear.placements.map((p) => p.boxMm));
    });
  }

  itTools('the same letter scanned (one page-sized JPEG): its blank area is found from the pixels', async () => {
    const plainPath = join(work, 'letter-scan-src.pdf');
    writeFileSync(plainPath, plain);
    const jpg = runBuffer('pdftoppm', ['-q', '-r', '150', '-gray', '-jpeg', '-singlefile', plainPath]);
    const doc = await PDFDocument.create({ updateMetadata: false });
    const img = await doc.embedJpg(jpg);
    doc.addPage([595, 842]).drawImage(img, { x: 0, y: 0, width: 595, height: 842 });
    const scan = await doc.save({ useObjectStreams: false });
    const ps = await checkDefault('letter-scan', scan);
    expect(ps[0]!.method).not.toBe('seal-page');
    // A scan with ink everywhere (a full-page dark picture) has no blank spot: seal page.
    const dark = await PDFDocument.create({ updateMetadata: false });
    const black = await dark.embedJpg(runBuffer('convert', ['-size', '300x420', 'plasma:', 'jpg:-']));
    dark.addPage([595, 842]).drawImage(black, { x: 0, y: 0, width: 595, height: 842 });
    const ps2 = await checkDefault('dark-scan', await dark.save({ useObjectStreams: false }));
    expect(ps2[0]!.method).toBe('seal-page');
  });
});

describe('explicit place', () => {
  let plain: Uint8Array;
  beforeAll(async () => {
    plain = await letter();
  });
  itTools('puts the stamp exactly there, measured from the top-left corner as shown', async () => {
    const { pdf, placements } = await stampPdfDetailed(plain, opts({ place: { xMm: 120, yMm: 30 } }));
    expect(placements[0]!.method).toBe('place');
    expect(placements[0]!.boxMm.x).toBe(120);
    expect(placements[0]!.boxMm.y).toBe(30);
    expect(inkIn(render(pdf, 'placed', 1), placements[0]!.boxMm).ink).toBeGreaterThan(100);
  });
  it('refuses a place off the page (PLACE_OFF_PAGE) and a size below the seal minimum (QR_TOO_SMALL)', async () => {
    const err = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => (e instanceof StampError ? e.code : String(e)),
      );
    expect(await err(stampPdfDetailed(plain, opts({ place: { xMm: 190, yMm: 10 } })))).toBe('PLACE_OFF_PAGE');
    expect(await err(stampPdfDetailed(plain, opts({ place: { xMm: 10, yMm: 280 } })))).toBe('PLACE_OFF_PAGE');
    expect(await err(stampPdfDetailed(plain, opts({ place: { xMm: 10, yMm: 10, sizeMm: 20 } })))).toBe('QR_TOO_SMALL');
    expect(await err(stampPdfDetailed(plain, opts({ place: { xMm: -1, yMm: 10 } })))).toBe('INVALID_OPTIONS');
  });
});

describe('findSpot', () => {
  const page: [number, number, number, number] = [0, 0, 595, 842];
  it('takes the preferred corner when it is free, the next corner when not', () => {
    expect(findSpot(page, 0, 100, 130, 'bottom-left', [])).toMatchObject({ method: 'corner', corner: 'bottom-left', x: 24, y: 24 });
    expect(findSpot(page, 0, 100, 130, 'bottom-left', [[0, 0, 200, 200]])).toMatchObject({ method: 'corner', corner: 'bottom-right' });
  });
  it('slides along the margin when every corner is taken, then scans the page, then gives up', () => {
    const corners: [number, number, number, number][] = [
      [0, 0, 150, 200],
      [445, 0, 595, 200],
      [0, 642, 150, 842],
      [445, 642, 595, 842],
    ];
    const s = findSpot(page, 0, 100, 130, 'bottom-left', corners)!;
    expect(s.method).toBe('margin');
    expect(s.y).toBe(24);
    expect(s.x).toBeGreaterThanOrEqual(150 + 4);
    const band: [number, number, number, number][] = [
      [0, 0, 595, 300],
      [0, 542, 595, 842],
      [0, 0, 200, 842],
      [395, 0, 595, 842],
    ];
    const g = findSpot(page, 0, 100, 130, 'bottom-left', band)!;
    expect(g.method).toBe('grid');
    expect(g.x).toBeGreaterThanOrEqual(204);
    expect(g.y).toBeGreaterThanOrEqual(304);
    expect(findSpot(page, 0, 100, 130, 'bottom-left', [[0, 0, 595, 842]])).toBeNull();
  });
  it('works in display space on rotated pages', () => {
    // /Rotate 90: display bottom-left is user (595, 0) .. the stamp's user box must avoid user rectangles.
    const taken: [number, number, number, number][] = [[400, 0, 595, 250]];
    const s = findSpot(page, 90, 100, 130, 'bottom-left', taken)!;
    const [a, b, c, d, e, f] = s.m;
    const xs = [e, e + a * 100, e + c * 130, e + a * 100 + c * 130];
    const ys = [f, f + b * 100, f + d * 130, f + b * 100 + d * 130];
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    expect(box[0]! >= 595 - 0 || box[2]! <= 400 || box[1]! >= 250 || box[3]! <= 0).toBe(true);
  });
});

describe('findSpot: property', () => {
  it('a spot it returns lies on the page, clear of every rectangle by the clearance', () => {
    const rect = fc
      .tuple(
        fc.integer({ min: -50, max: 640 }),
        fc.integer({ min: -50, max: 880 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
      )
      .map(([x, y, w, h]): Rect => [x, y, x + w, y + h]);
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 12 }), fc.constantFrom(0, 90, 180, 270) as fc.Arbitrary<0 | 90 | 180 | 270>, (taken, rot) => {
        const page: Rect = [0, 0, 595, 842];
        const s = findSpot(page, rot, 100, 130, 'bottom-left', taken);
        if (!s) return true;
        const [a, b, c, d, e, f] = s.m;
        const xs = [e, e + a * 100, e + c * 130, e + a * 100 + c * 130];
        const ys = [f, f + b * 100, f + d * 130, f + b * 100 + d * 130];
        const box: Rect = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
        expect(box[0]).toBeGreaterThanOrEqual(-0.01);
        expect(box[1]).toBeGreaterThanOrEqual(-0.01);
        expect(box[2]).toBeLessThanOrEqual(595.01);
        expect(box[3]).toBeLessThanOrEqual(842.01);
        const grown: Rect = [box[0] - CLEARANCE + 0.01, box[1] - CLEARANCE + 0.01, box[2] + CLEARANCE - 0.01, box[3] + CLEARANCE - 0.01];
        for (const t of taken) expect(intersect(t, grown), `${JSON.stringify(t)} vs ${JSON.stringify(box)}`).toBeNull();
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('what counts as shown (occupied.ts)', () => {
  async function rectsOf(draw: string, extra?: (doc: PDFDocument) => Promise<Record<string, unknown>>): Promise<Rect[]> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage([595, 842]);
    const res = extra ? await extra(doc) : {};
    page.node.set(PDFName.of('Resources'), doc.context.obj(res as never));
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(draw)));
    const loaded = await PDFDocument.load(await doc.save({ useObjectStreams: false }), { updateMetadata: false });
    return contentRects(loaded.getPage(0).node, (o) => loaded.context.lookup(o), 595 * 842);
  }
  const hits = (rects: Rect[], r: Rect) => rects.some((x) => intersect(x, r));

  it('a stroked frame counts by its edges (the inside stays free); a fill counts whole; white paint and `n` do not count', async () => {
    const frame = await rectsOf('2 w 20 20 555 802 re S');
    expect(hits(frame, [20, 20, 30, 30])).toBe(true);
    expect(hits(frame, [100, 100, 400, 700])).toBe(false);
    const fill = await rectsOf('0 0 1 rg 100 100 200 200 re f');
    expect(hits(fill, [150, 150, 160, 160])).toBe(true);
    expect(await rectsOf('1 g 0 0 595 842 re f 1 1 1 RG 10 10 500 500 re S 0 g 50 50 100 100 re n')).toEqual([]);
    // A clip narrows what a later fill shows.
    const clipped = await rectsOf('q 0 0 100 100 re W n 0 g 0 0 595 842 re f Q');
    expect(hits(clipped, [200, 200, 300, 300])).toBe(false);
    expect(hits(clipped, [10, 10, 20, 20])).toBe(true);
  });

  it('text is as wide as the font says: /Widths of a wide font, not a guess of half an em per byte', async () => {
    const wide = async (doc: PDFDocument) => ({
      Font: {
        F1: doc.context.obj({
          Type: 'Font',
          Subtype: 'Type1',
          BaseFont: 'Wide',
          FirstChar: 65,
          LastChar: 65,
          Widths: [2000],
        }),
      },
    });
    // 10 glyphs of 2 em at 10 pt from x = 50: 200 pt wide, so x = 240 is covered; a half-em guess would stop at 100.
    const rects = await rectsOf('BT /F1 10 Tf 50 400 Td (AAAAAAAAAA) Tj ET', wide);
    expect(hits(rects, [235, 402, 245, 404])).toBe(true);
    expect(hits(rects, [270, 402, 280, 404])).toBe(false);
  });

  it('an image is its box; a page-sized one counts only where it has ink', async () => {
    const small = await rectsOf('q 100 0 0 50 20 20 cm /Im Do Q', async (doc) => ({
      XObject: {
        Im: doc.context.register(
          doc.context.stream(new Uint8Array(4), {
            Type: 'XObject',
            Subtype: 'Image',
            Width: 2,
            Height: 2,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 8,
          }),
        ),
      },
    }));
    expect(hits(small, [30, 30, 40, 40])).toBe(true);
    // A 100 x 100 white page image with a black square in its top-left quarter (rows from the top).
    const px = new Uint8Array(100 * 100).fill(255);
    for (let y = 0; y < 50; y++) for (let x = 0; x < 50; x++) px[y * 100 + x] = 0;
    const scan = await rectsOf('q 595 0 0 842 0 0 cm /Im Do Q', async (doc) => ({
      XObject: {
        Im: doc.context.register(
          doc.context.flateStream(px, {
            Type: 'XObject',
            Subtype: 'Image',
            Width: 100,
            Height: 100,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 8,
          }),
        ),
      },
    }));
    expect(hits(scan, [50, 600, 100, 650])).toBe(true); // top-left of the page
    expect(hits(scan, [400, 100, 500, 300])).toBe(false); // bottom-right: white paper
  });
});

describe('several pages, some full', () => {
  itTools('one seal page serves every page without room; the others are stamped in place', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const full = doc.addPage([595, 842]);
    full.drawRectangle({ x: 0, y: 0, width: 595, height: 842, color: rgb(0.2, 0.3, 0.8) });
    doc.addPage([595, 842]);
    const full2 = doc.addPage([595, 842]);
    full2.drawRectangle({ x: 0, y: 0, width: 595, height: 842, color: rgb(0.1, 0.1, 0.1) });
    const input = await doc.save({ useObjectStreams: false });
    const { pdf, placements, sealPage } = await stampPdfDetailed(input, opts({ pages: [1, 2, 3] }));
    expect(sealPage).toBe(4);
    expect(placements.map((p) => [p.page, p.method, p.drawnOn])).toEqual([
      [1, 'seal-page', 4],
      [2, 'corner', 2],
      [3, 'seal-page', 4],
    ]);
    expect(pageCount(pdf, 'multi')).toBe(4);
    expect(qrOnPage(pdf, 'multi', 4)).toBe(SEAL.TYPICAL);
    expect(qrOnPage(pdf, 'multi', 2)).toBe(SEAL.TYPICAL);
    expect(qrOnPage(pdf, 'multi', 1)).toBe('');
  });
});

describe('seal page text', () => {
  it.runIf(hasTool('pdftotext'))(
    'lays out Arabic-Indic digits and Arabic words as the caption does: logical order in pdftotext -raw',
    async () => {
      const doc = await PDFDocument.create();
      doc.addPage([595, 842]);
      const original = await doc.save({ useObjectStreams: false });
      const sealText = worldSeal(worldClaims({}, { number: '١٤٤٧/٢٠٢٦', fields: { n: 'سارة ١٢٣' } }));
      const { pdf, sealPage } = await stampPdfDetailed(original, { sealText, sign: signer(), placement: 'seal-page' });
      expect(sealPage).toBe(2);
      const dir = mkdtempSync(join(tmpdir(), 'urseal-sealpage-'));
      try {
        writeFileSync(join(dir, 'out.pdf'), pdf);
        // The whole-font embedding maps shaped glyphs to Arabic presentation forms: compare their base letters.
        const text = run('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', '2', join(dir, 'out.pdf'), '-'])
          .stdout.replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
          .normalize('NFKC');
        expect(text).toContain('١٤٤٧/٢٠٢٦');
        expect(text).not.toContain('٧٤٤١');
        expect(text).toMatch(/سارة\s+١٢٣/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
