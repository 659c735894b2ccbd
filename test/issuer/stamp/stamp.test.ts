// Stamper behaviour beyond the corpus: option errors, corners under rotation, page-size policy, encryption.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PDFDocument,
  PDFDict,
  PDFName,
  PDFArray,
  PDFNumber,
  PDFRawStream,
  StandardFonts,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StampError, stampPdf, stampPdfDetailed, type Corner, type StampOptions } from '../../../issuer/stamp/stamp.js';
import { displayToUser, placeBox, grownVisibleRect, boxInUser, type Rect } from '../../../issuer/stamp/layout.js';
import { rc4 } from '../../../issuer/stamp/pdf-crypt.js';
import { streamBytes } from '../../../issuer/stamp/occupied.js';
import { qrModules, visualRuns } from '../../../issuer/stamp/graphic.js';
import { unpredictPng } from '../../../issuer/stamp/load.js';
import QRCode from 'qrcode';
import { sealLikeText } from './helpers.js';
import { SEAL, closingVerifies, hasTool, run, signer } from './helpers.js';

const CORPUS = new URL('../../../../shared/corpus/pdfs/pdfs/', import.meta.url).pathname;
const corpus = (f: string) => new Uint8Array(readFileSync(join(CORPUS, f)));
const TOOLS = ['qpdf', 'pdftoppm', 'zbarimg', 'pdftotext', 'convert'].every(hasTool);
if (!TOOLS) console.warn('stamp.test: qpdf/poppler/zbar/imagemagick missing: skipping rendering and encryption checks');
const itTools = TOOLS ? it : it.skip;

const work = mkdtempSync(join(tmpdir(), 'urseal-stamp-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base = (extra: Partial<StampOptions> = {}): StampOptions => ({ sealText: SEAL.TYPICAL, sign: signer(), ...extra });

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StampError);
  return (e as StampError).code;
}

let sample: Uint8Array;
beforeAll(async () => {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 2; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Decision 2024/117 page ${i + 1}`, { x: 72, y: 760, size: 14, font });
  }
  sample = await doc.save({ useObjectStreams: false });
});

/** Render page `n` (visible area) and decode the QR inside a corner-sized crop at `corner`. */
function qrAt(pdf: Uint8Array, name: string, n: number, corner: Corner | 'whole'): { text: string; up: boolean } {
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, pdf);
  const png = join(work, `${name}-${n}`);
  expect(run('pdftoppm', ['-cropbox', '-r', '150', '-f', String(n), '-l', String(n), '-singlefile', '-png', path, png]).status).toBe(0);
  let img = `${png}.png`;
  if (corner !== 'whole') {
    const gravity = { 'bottom-left': 'SouthWest', 'bottom-right': 'SouthEast', 'top-left': 'NorthWest', 'top-right': 'NorthEast' }[corner];
    const crop = `${png}-${corner}.png`;
    // 46.2 mm (a version-13 seal at 0.6 mm per module) + caption + 24 pt margin at 150 dpi is about 323 x 370 px.
    expect(run('convert', [img, '-gravity', gravity, '-crop', '360x410+0+0', '+repage', crop]).status).toBe(0);
    img = crop;
  }
  const xml = run('zbarimg', ['--xml', '-q', img]).stdout;
  const text = /<!\[CDATA\[([^]*?)\]\]>/.exec(xml)?.[1] ?? '';
  return { text, up: /orientation='UP'/.test(xml) || !/orientation=/.test(xml) };
}

describe('options and refusals', () => {
  it('rejects a bad seal text', async () => {
    expect(await code(stampPdf(sample, base({ sealText: 'UR1:abc(def)' })))).toBe('INVALID_SEAL_TEXT');
    expect(await code(stampPdf(sample, base({ sealText: 'HC1:ABCDEFGH' })))).toBe('INVALID_SEAL_TEXT');
  });
  it('rejects a QR below 0.5 mm per module, a bad corner, bad pages', async () => {
    expect(await code(stampPdf(sample, base({ sizeMm: 30 })))).toBe('QR_TOO_SMALL');
    expect(await code(stampPdf(sample, base({ corner: 'middle' as Corner })))).toBe('INVALID_OPTIONS');
    expect(await code(stampPdf(sample, base({ pages: [0] })))).toBe('INVALID_OPTIONS');
    expect(await code(stampPdf(sample, base({ pages: [] })))).toBe('INVALID_OPTIONS');
  });
  it('refuses a caption character the font does not cover', async () => {
    expect(await code(stampPdf(sample, base({ caption: { ar: 'وثيقة', en: 'Sealed \u{1F600}' } })))).toBe('INVALID_OPTIONS');
  });
  it('refuses a page that does not exist', async () => {
    expect(await code(stampPdf(sample, base({ pages: [3] })))).toBe('PDF_PAGE_NOT_FOUND');
  });
  it('refuses bytes that are not a PDF', async () => {
    expect(await code(stampPdf(new TextEncoder().encode('hello, this is not a PDF at all'), base()))).toBe('PDF_UNREADABLE');
    expect(await code(stampPdf(new Uint8Array(0), base()))).toBe('PDF_UNREADABLE');
  });
  it('reports a failing or wrong signer as SIGNING_FAILED', async () => {
    expect(await code(stampPdf(sample, base({ sign: () => new Uint8Array(10) })))).toBe('SIGNING_FAILED');
    expect(
      await code(
        stampPdf(
          sample,
          base({
            sign: () => {
              throw new Error('hsm offline');
            },
          }),
        ),
      ),
    ).toBe('SIGNING_FAILED');
  });
  it('gives Arabic and English messages', async () => {
    const e = (await stampPdf(sample, base({ pages: [9] })).catch((x: unknown) => x)) as StampError;
    expect(e.messageAr).toMatch(/[\u0600-\u06FF]/);
    expect(e.messageEn).toMatch(/page/);
  });
  it('accepts an async signer and a larger QR', async () => {
    const out = await stampPdf(sample, base({ sign: async (m) => signer()(m), sizeMm: 50, sealText: SEAL.LONG }));
    expect(closingVerifies(out)).toBe(true);
  });
});

describe('geometry', () => {
  it('maps display space to user space with exact integer rotations', () => {
    const v: Rect = [10, 20, 110, 220];
    for (const r of [0, 90, 180, 270] as const) {
      const m = displayToUser(v, r);
      expect(m.slice(0, 4).every((x) => Number.isInteger(x) && Math.abs(x) <= 1)).toBe(true);
      for (const corner of ['bottom-left', 'bottom-right', 'top-left', 'top-right'] as const) {
        const p = placeBox(v, r, 40, 50, corner)!;
        const box = boxInUser(p, 40, 50);
        expect(box[0]).toBeGreaterThanOrEqual(v[0]);
        expect(box[1]).toBeGreaterThanOrEqual(v[1]);
        expect(box[2]).toBeLessThanOrEqual(v[2] + 1e-9);
        expect(box[3]).toBeLessThanOrEqual(v[3] + 1e-9);
      }
    }
  });
  it('grows a page too small for the stamp so the box fits', () => {
    for (const r of [0, 90, 180, 270] as const) {
      const v: Rect = [0, 0, 8.5, 11];
      const g = grownVisibleRect(v, r, 99, 118, 'bottom-left');
      expect(g[0] <= 0 && g[1] <= 0 && g[2] >= 8.5 && g[3] >= 11).toBe(true);
      expect(placeBox(g, r, 99, 118, 'bottom-left')).not.toBeNull();
    }
  });
  it('QR grid equals the qrcode library symbol (same mask choice) for many seal lengths', () => {
    for (let n = 150; n <= 700; n += 25) {
      const text = sealLikeText(n, n * 7919);
      const ours = qrModules(text);
      const lib = QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' });
      expect(ours.size).toBe(lib.modules.size);
      for (let r = 0; r < ours.size; r++) for (let c = 0; c < ours.size; c++) expect(ours.dark(r, c)).toBe(!!lib.modules.get(r, c));
    }
  });
  it('undoes PNG Up/Sub/Paeth row filters', () => {
    // rows of 3 columns: [None 1 2 3] [Sub 1 1 1] [Up 1 1 1] [Paeth 0 0 0]
    const out = unpredictPng(Uint8Array.from([0, 1, 2, 3, 1, 1, 1, 1, 2, 1, 1, 1, 4, 0, 0, 0]), 3);
    expect([...out]).toEqual([1, 2, 3, 1, 2, 3, 2, 3, 4, 2, 3, 4]);
  });
  it('keeps numbers and Latin in order inside an Arabic caption (visual runs; more in caption.test.ts)', () => {
    expect(visualRuns('وثيقة مؤمنة — امسح الرمز للتحقق')).toEqual(['وثيقة مؤمنة — امسح الرمز للتحقق']);
    expect(visualRuns('Secured document — scan to verify')).toEqual(['Secured document — scan to verify']);
    expect(visualRuns('وثيقة رقم 2024/117 صادرة عن MOJ')).toEqual(['MOJ', ' صادرة عن ', '2024/117', 'وثيقة رقم ']);
  });
  it('RC4 matches the classic test vector', () => {
    const out = rc4(new TextEncoder().encode('Key'), new TextEncoder().encode('Plaintext'));
    expect(Buffer.from(out).toString('hex')).toBe('bbf316e8d940af0ad3');
  });
});

describe('placement on rotated and offset pages', () => {
  const cases: [string, string][] = [
    ['hello_world_rotated.pdf', '/Rotate 90'],
    ['issue14415.pdf', '/Rotate 180'],
    ['issue5747.pdf', '/Rotate 270'],
    ['bug852992_reduced.pdf', 'MediaBox origin (-270,-95)'],
    ['issue6413.pdf', 'CropBox origin (173,247)'],
  ];
  for (const [file, what] of cases) {
    itTools(`${file} (${what}): every corner lands where asked, upright`, async () => {
      const input = corpus(file);
      for (const corner of ['bottom-left', 'bottom-right', 'top-left', 'top-right'] as const) {
        const out = await stampPdf(input, base({ corner, avoidContent: false }));
        const r = qrAt(out, `${file}-${corner}`, 1, corner);
        expect(r.text, `${file} ${corner}`).toBe(SEAL.TYPICAL);
        expect(r.up, `${file} ${corner} upright`).toBe(true);
      }
    });
  }

  itTools('stamps several pages, and only those', async () => {
    const out = await stampPdf(corpus('hello_world_rotated.pdf'), base({ pages: [1, 3, 5] }));
    for (const n of [1, 3, 5]) expect(qrAt(out, 'multi', n, 'bottom-left').text).toBe(SEAL.TYPICAL);
    for (const n of [2, 4]) expect(qrAt(out, 'multi', n, 'whole').text).toBe('');
  });

  itTools('avoids a corner covered by an annotation', async () => {
    const doc = await PDFDocument.load(sample, { updateMetadata: false });
    const page = doc.getPage(0);
    const annot = doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Square', Rect: [0, 0, 200, 200], C: [1, 0, 0], F: 4 }));
    page.node.set(PDFName.of('Annots'), doc.context.obj([annot]));
    const withAnnot = await doc.save({ useObjectStreams: false });
    const out = await stampPdf(withAnnot, base());
    expect(qrAt(out, 'annot', 1, 'bottom-right').text).toBe(SEAL.TYPICAL);
  });

  /** A page with text in the given corners (a footer line, a page number, a signature caption). */
  async function withTextIn(corners: Corner[], how: 'plain' | 'form' | 'image' = 'plain'): Promise<Uint8Array> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    page.drawText('Decision 2024/117', { x: 72, y: 760, size: 14, font });
    const spots: Record<Corner, { x: number; y: number }> = {
      'bottom-left': { x: 40, y: 60 },
      'bottom-right': { x: 420, y: 60 },
      'top-left': { x: 40, y: 800 },
      'top-right': { x: 420, y: 800 },
    };
    for (const c of corners) {
      const { x, y } = spots[c];
      if (how === 'image') {
        const png = await doc.embedPng(await QRCode.toBuffer('signature', { margin: 1 }));
        page.drawImage(png, { x, y: y - 40, width: 120, height: 60 });
      } else if (how === 'form') {
        // drawn inside a form XObject, as some writers wrap footers
        const form = doc.context.register(
          doc.context.stream(`BT /F1 11 Tf ${x} ${y} Td (Registrar: Khalid Al-Otaibi) Tj ET`, {
            Type: 'XObject',
            Subtype: 'Form',
            BBox: [0, 0, 595, 842],
            Resources: { Font: { F1: page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict).values()[0]! } },
          }),
        );
        page.node.setXObject(PDFName.of(`Footer${c}`), form);
        page.pushOperators(pushGraphicsState(), drawObject(`Footer${c}`), popGraphicsState());
      } else {
        page.drawText('Registrar: Khalid Al-Otaibi', { x, y, size: 11, font });
      }
    }
    return doc.save({ useObjectStreams: false });
  }

  itTools('keeps the stamp off text already printed in the chosen corner: the next free corner is used', async () => {
    const out = await stampPdf(await withTextIn(['bottom-left']), base());
    expect(qrAt(out, 'text-bl', 1, 'bottom-right').text).toBe(SEAL.TYPICAL);
    expect(qrAt(out, 'text-bl', 1, 'bottom-left').text).toBe('');
    // The same for text drawn through a form XObject, and for a picture (a scanned signature): with both
    // bottom corners taken, and the title line in the top left, the top right is the free corner.
    for (const how of ['form', 'image'] as const) {
      const o = await stampPdf(await withTextIn(['bottom-left', 'bottom-right'], how), base());
      expect(qrAt(o, `${how}-bottom`, 1, 'top-right').text, how).toBe(SEAL.TYPICAL);
    }
  });

  it('reads page content within a bound: a content stream that inflates past 8 MB is not read, and the stamp goes to a seal page', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage([595, 842]);
    const bomb = doc.context.register(doc.context.flateStream(new Uint8Array(20 * 1024 * 1024).fill(0x20)));
    page.node.set(PDFName.of('Contents'), bomb);
    const input = await doc.save({ useObjectStreams: false });
    expect(input.length).toBeLessThan(200_000);
    const { pdf: out, placements } = await stampPdfDetailed(input, base());
    expect(Buffer.from(out.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
    // Unread content may show anything anywhere: the page is left alone and the stamp goes on a seal page.
    expect(placements).toEqual([expect.objectContaining({ page: 1, method: 'seal-page', drawnOn: 2 })]);
    expect(Buffer.from(out).toString('latin1')).not.toMatch(/\/URSealStamp\d* Do/);
    // With content not avoided (--keep-corner) the corner is used as before.
    const kept = await stampPdf(input, base({ avoidContent: false }));
    expect(Buffer.from(kept).toString('latin1')).toMatch(/\/Artifact BMC q [\d. -]+ cm \/URSealStamp\d* Do Q EMC/);
    // The reader itself: refuses the bomb, reads a normal stream, and one whose length counts a final line break.
    const loaded = await PDFDocument.load(input, { updateMetadata: false });
    expect(streamBytes(loaded.context.lookup(loaded.getPage(0).node.get(PDFName.of('Contents'))))).toBeUndefined();
    const small = doc.context.flateStream('BT /F1 9 Tf (x) Tj ET');
    expect(Buffer.from(streamBytes(small)!).toString('latin1')).toBe('BT /F1 9 Tf (x) Tj ET');
    const withEol = doc.context.flateStream('q Q');
    const raw = withEol.getContents();
    const padded = PDFRawStream.of(withEol.dict, new Uint8Array([...raw, 13, 10]));
    expect(Buffer.from(streamBytes(padded)!).toString('latin1')).toBe('q Q');
  });

  itTools('slides along the margin when every corner holds text; keeps the chosen corner when asked to', async () => {
    const all = await withTextIn(['bottom-left', 'bottom-right', 'top-left', 'top-right']);
    const { pdf, placements } = await stampPdfDetailed(all, base());
    expect(placements[0]!.method).toBe('margin');
    expect(qrAt(pdf, 'text-all', 1, 'whole').text).toBe(SEAL.TYPICAL);
    for (const c of ['bottom-left', 'bottom-right', 'top-left', 'top-right'] as const) expect(qrAt(pdf, 'text-all', 1, c).text).toBe('');
    const one = await withTextIn(['bottom-left']);
    expect(qrAt(await stampPdf(one, base({ avoidContent: false })), 'text-keep', 1, 'bottom-left').text).toBe(SEAL.TYPICAL);
  });

  itTools('grows a tiny page beside the content instead of shrinking the QR', async () => {
    const input = corpus('issue19176.pdf');
    const out = await stampPdf(input, base());
    const doc = await PDFDocument.load(out, { updateMetadata: false });
    const box = (doc.getPage(0).node.MediaBox() as PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());
    expect(box[2]! - box[0]!).toBeGreaterThanOrEqual(99);
    expect(box[3]! - box[1]!).toBeGreaterThanOrEqual(118);
    expect(doc.getPageCount()).toBe(1);
    expect(qrAt(out, 'tiny', 1, 'whole').text).toBe(SEAL.TYPICAL);
  });
});

describe('encrypted files', () => {
  const variants: [string, string[]][] = [
    ['RC4 40-bit (R2)', ['--allow-weak-crypto', '--encrypt', '', 'owner', '40', '--']],
    ['RC4 128-bit (R3)', ['--allow-weak-crypto', '--encrypt', '', 'owner', '128', '--use-aes=n', '--']],
    ['AES-128 (R4)', ['--encrypt', '', 'owner', '128', '--use-aes=y', '--']],
    ['AES-256 (R6)', ['--encrypt', '', 'owner', '256', '--']],
  ];
  for (const [name, args] of variants) {
    itTools(`${name}, empty user password: new objects are encrypted with the file key`, async () => {
      const plain = join(work, 'plain.pdf');
      writeFileSync(plain, sample);
      const encPath = join(work, `enc-${name.replace(/\W+/g, '')}.pdf`);
      expect(run('qpdf', [...args, plain, encPath]).status).toBe(0);
      const input = new Uint8Array(readFileSync(encPath));
      const out = await stampPdf(input, base());
      const outPath = `${encPath}.stamped.pdf`;
      writeFileSync(outPath, out);
      expect(run('qpdf', ['--check', outPath]).status).toBe(0);
      expect(run('qpdf', ['--show-encryption', outPath]).stdout).toBe(run('qpdf', ['--show-encryption', encPath]).stdout);
      expect(qrAt(out, `enc-${name.replace(/\W+/g, '')}`, 1, 'bottom-left').text).toBe(SEAL.TYPICAL);
      const text = run('pdftotext', ['-raw', outPath, '-']).stdout;
      expect(text).toContain('Decision 2024/117 page 1');
      expect(text).toContain('scan to verify');
      expect(closingVerifies(out)).toBe(true);
    });
  }

  itTools('refuses a file whose permissions forbid changes', async () => {
    const plain = join(work, 'plain2.pdf');
    writeFileSync(plain, sample);
    const encPath = join(work, 'enc-nomodify.pdf');
    expect(run('qpdf', ['--encrypt', '', 'owner', '256', '--modify=none', '--', plain, encPath]).status).toBe(0);
    expect(await code(stampPdf(new Uint8Array(readFileSync(encPath)), base()))).toBe('PDF_ENCRYPTED_NO_CHANGES');
  });

  itTools('refuses an encrypted file with object streams (PDF_ENCRYPTED_UNSUPPORTED)', async () => {
    const plain = join(work, 'plain4.pdf');
    writeFileSync(plain, sample);
    const encPath = join(work, 'enc-objstm.pdf');
    expect(run('qpdf', ['--object-streams=generate', '--encrypt', '', 'owner', '256', '--', plain, encPath]).status).toBe(0);
    expect(await code(stampPdf(new Uint8Array(readFileSync(encPath)), base()))).toBe('PDF_ENCRYPTED_UNSUPPORTED');
  });

  itTools('refuses a file that needs a user password', async () => {
    const plain = join(work, 'plain3.pdf');
    writeFileSync(plain, sample);
    for (const bits of ['128', '256']) {
      const encPath = join(work, `enc-pw-${bits}.pdf`);
      const aes = bits === '128' ? ['--use-aes=y'] : [];
      expect(run('qpdf', ['--encrypt', 'secret', 'owner', bits, ...aes, '--', plain, encPath]).status).toBe(0);
      expect(await code(stampPdf(new Uint8Array(readFileSync(encPath)), base()))).toBe('PDF_ENCRYPTED_PASSWORD');
    }
  });
});
