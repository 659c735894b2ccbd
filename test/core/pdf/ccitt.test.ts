// CCITT fax page images: the run-length code tables, and whole images decoded bit for bit as poppler's pdfimages does.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CCITT_RUN_CODES, decodeCcitt } from '../../../core/pdf/ccitt.js';
import { pdfImages } from '../../../core/pdf/images.js';

const CORPUS = new URL('../../../../shared/corpus/pdfs/pdfs/', import.meta.url).pathname;
const HAVE_PDFIMAGES = existsSync('/usr/bin/pdfimages');
const work = mkdtempSync(join(tmpdir(), 'urseal-ccitt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** poppler's own decoding of a PDF's first page image, as PBM (P4) bits: 1 = set. */
function pdfimagesBits(pdf: string): { width: number; height: number; bit: (x: number, y: number) => number } {
  execFileSync('pdfimages', ['-f', '1', '-l', '1', join(CORPUS, pdf), join(work, pdf)]);
  const pbm = readFileSync(join(work, `${pdf}-000.pbm`));
  const m = /^P4\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s/.exec(pbm.subarray(0, 64).toString('latin1'))!;
  const width = Number(m[1]);
  const height = Number(m[2]);
  const rowBytes = (width + 7) >> 3;
  const at = m[0].length;
  return { width, height, bit: (x, y) => (pbm[at + y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 };
}

describe('CCITT fax decoding', () => {
  it('uses prefix-free run codes for each colour (T.4 Tables 2 and 3)', () => {
    for (const [colour, codes] of Object.entries(CCITT_RUN_CODES)) {
      const bits = codes.map(([, b]) => b);
      expect(new Set(bits).size, colour).toBe(bits.length);
      for (const a of bits) for (const b of bits) if (a !== b) expect(b.startsWith(a), `${colour}: ${a} prefixes ${b}`).toBe(false);
      expect(codes.filter(([run]) => run < 64).length, colour).toBe(64);
    }
  });

  it.skipIf(!HAVE_PDFIMAGES)('decodes a Group 4 image mask (issue13372.pdf) exactly as pdfimages', () => {
    const ref = pdfimagesBits('issue13372.pdf');
    const img = pdfImages(new Uint8Array(readFileSync(join(CORPUS, 'issue13372.pdf')))).find((i) => i.kind === 'rgba');
    expect(img).toMatchObject({ width: 646, height: 761 });
    if (img?.kind !== 'rgba') return;
    // pdfimages writes a stencil mask's samples as they are: 1 = not painted, which we show white.
    let differ = 0;
    let set = 0;
    for (let y = 0; y < ref.height; y++) {
      for (let x = 0; x < ref.width; x++) {
        const ours = img.data[(y * ref.width + x) * 4] === 255 ? 1 : 0;
        set += ref.bit(x, y);
        if (ours !== ref.bit(x, y)) differ++;
      }
    }
    expect(set).toBeGreaterThan(10_000);
    expect(differ).toBe(0);
  });

  it.skipIf(!HAVE_PDFIMAGES)('decodes a Group 3 page image with end-of-line codes and indirect parameters (issue5747.pdf) exactly', () => {
    const ref = pdfimagesBits('issue5747.pdf');
    const img = pdfImages(new Uint8Array(readFileSync(join(CORPUS, 'issue5747.pdf')))).find((i) => i.kind === 'rgba');
    expect(img).toMatchObject({ width: 2480, height: 1748 });
    if (img?.kind !== 'rgba') return;
    // A gray image: pdfimages' PBM has 1 = black, which we show black (0).
    let differ = 0;
    let black = 0;
    for (let y = 0; y < ref.height; y++) {
      for (let x = 0; x < ref.width; x++) {
        const ours = img.data[(y * ref.width + x) * 4] === 0 ? 1 : 0;
        black += ref.bit(x, y);
        if (ours !== ref.bit(x, y)) differ++;
      }
    }
    expect(black).toBeGreaterThan(10_000);
    expect(differ).toBe(0);
  });

  it('never throws on damaged data, and leaves rows after the damage white', () => {
    const r = () => Math.floor(Math.random() * 256);
    for (let i = 0; i < 2000; i++) {
      const data = Uint8Array.from({ length: 1 + (i % 200) }, r);
      for (const k of [-1, 0, 1]) {
        const out = decodeCcitt(data, 1 + (i % 97), 1 + (i % 13), k, i % 2 === 0);
        expect(out.length).toBe(((1 + (i % 97) + 7) >> 3) * (1 + (i % 13)));
      }
    }
  });
});
