// Stamps every PDF of the shared corpus and checks the result with qpdf, poppler and zbar.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CAPTION, StampError, stampPdf, stampPdfDetailed, type StampErrorCode } from '../../../issuer/stamp/stamp.js';
import { extractPdfSeal } from '../../../core/pdf/verify.js';
import { SEAL, closingVerifies, hasTool, run, signer } from './helpers.js';

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

/**
 * The documented refusals. Everything else must stamp.
 * - The three files whose /P forbids changes (RC4-40, RC4-128, AES-128): refused, as the issue asks.
 */
const REFUSED: Record<string, StampErrorCode> = {
  'bug900822.pdf': 'PDF_ENCRYPTED_NO_CHANGES',
  'issue17215.pdf': 'PDF_ENCRYPTED_NO_CHANGES',
  'issue9972-1.pdf': 'PDF_ENCRYPTED_NO_CHANGES',
};

/** Files that hold an earlier /ByteRange signature which must keep covering the same bytes. */
const SIGNED = new Set(['signed_verified.pdf', '160F-2019.pdf']);

const TOOLS = ['qpdf', 'pdfinfo', 'pdftoppm', 'zbarimg', 'pdftotext'].filter((t) => !hasTool(t));
if (TOOLS.length > 0) console.warn(`corpus.test: skipping external-tool checks, missing: ${TOOLS.join(', ')}`);
const withTools = TOOLS.length === 0;

const work = mkdtempSync(join(tmpdir(), 'urseal-stamp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const latin1 = new TextDecoder('latin1');

function pageCount(path: string): string {
  return /^Pages:\s+(\d+)/m.exec(run('pdfinfo', [path]).stdout)?.[1] ?? '?';
}

/** The default caption's words in logical order, with any white space between them. */
const CAPTION = new RegExp(
  '\\s*' +
    [...DEFAULT_CAPTION.ar.split(' '), ...DEFAULT_CAPTION.en.split(' ')].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'),
  'g',
);
/** Unicode bidi controls pdftotext puts around right-to-left runs. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Raw-order text of pages 1..`last` with the stamp caption taken out (the only text we add to the original pages;
 * an added seal page comes after `last`), blank lines and trailing spaces dropped.
 * The caption is drawn piece by piece in logical order, so its words come out in order; poppler puts them on lines
 * of their own or, when they line up with a line of the page, at its end.
 */
function textWithoutCaption(path: string, last: number): string {
  return run('pdftotext', ['-raw', '-enc', 'UTF-8', '-l', String(last), path, '-'])
    .stdout.replace(BIDI_CONTROLS, '')
    .replace(CAPTION, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .join('\n');
}

/** What the last startxref points at: an xref table or an xref stream. */
function xrefKind(bytes: Uint8Array): 'table' | 'stream' | 'broken' {
  const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.length - 2048)));
  const m = /.*startxref\s+(\d+)/s.exec(tail);
  if (!m) return 'broken';
  // Offsets count from the %PDF- header when junk precedes it (issue6069).
  const base = Math.max(0, latin1.decode(bytes.subarray(0, 1024)).indexOf('%PDF-'));
  const at = latin1.decode(bytes.subarray(base + Number(m[1]), base + Number(m[1]) + 400));
  if (/^xref\s/.test(at)) return 'table';
  if (/^\d+\s+\d+\s+obj[^]*?\/Type\s*\/XRef/.test(at)) return 'stream';
  return 'broken';
}

/** Every /ByteRange [a b c d] of earlier signatures in a file. */
function byteRanges(bytes: Uint8Array): number[][] {
  const s = latin1.decode(bytes);
  return [...s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number));
}

describe('stamping the corpus', () => {
  it('finds the corpus', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(32);
  });

  for (const file of FILES) {
    it(file, async () => {
      const inPath = join(CORPUS, file);
      const original = new Uint8Array(readFileSync(inPath));
      const options = { sealText: SEAL.TYPICAL, sign: signer() };

      if (REFUSED[file]) {
        const err = await stampPdf(original, options).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StampError);
        expect((err as StampError).code).toBe(REFUSED[file]);
        expect((err as StampError).messageAr.length).toBeGreaterThan(0);
        return;
      }

      const { pdf: out, sealPage } = await stampPdfDetailed(original, options);
      // Original bytes are an exact prefix: one incremental update, nothing rewritten.
      expect(Buffer.compare(Buffer.from(out.subarray(0, original.length)), Buffer.from(original))).toBe(0);
      expect(out.length).toBeGreaterThan(original.length);
      // Deterministic: the same input, seal and options give the same bytes.
      const again = await stampPdf(original, options);
      expect(Buffer.compare(Buffer.from(again), Buffer.from(out))).toBe(0);
      // The focused load (only the objects the stamp touches) writes exactly what a full parse does.
      const full = await stampPdf(original, options, { fullParse: true });
      expect(Buffer.compare(Buffer.from(full), Buffer.from(out))).toBe(0);
      // The closing signature verifies, and the seal text is the one drawn.
      expect(extractPdfSeal(out)?.sealText).toBe(SEAL.TYPICAL);
      expect(closingVerifies(out)).toBe(true);
      // Same kind of cross-reference section as the original (a broken one gets a table).
      const kind = xrefKind(original);
      expect(xrefKind(out)).toBe(kind === 'broken' ? 'table' : kind);
      if (SIGNED.has(file)) {
        const ranges = byteRanges(original);
        expect(ranges.length).toBeGreaterThan(0);
        for (const [, , c, d] of ranges) expect(c! + d!).toBeLessThanOrEqual(original.length);
      }
      if (!withTools) return;

      const outPath = join(work, file);
      writeFileSync(outPath, out);
      const q = run('qpdf', ['--check', outPath]).status;
      if (q !== 0) {
        expect(q).toBe(3);
        expect(run('qpdf', ['--check', inPath]).status).toBe(3); // only when the input was damaged already
      }
      const pages = pageCount(inPath);
      // A page with no blank spot gets its stamp on an added seal page (placement.test.ts checks where).
      expect(pageCount(outPath)).toBe(sealPage === undefined ? pages : String(Number(pages) + 1));
      // Render the visible area (CropBox, after /Rotate) and read the QR back.
      const png = join(work, file.replace(/\.pdf$/, ''));
      const qrPage = String(sealPage ?? 1);
      expect(run('pdftoppm', ['-cropbox', '-r', '150', '-f', qrPage, '-l', qrPage, '-singlefile', '-png', outPath, png]).status).toBe(0);
      const z = run('zbarimg', ['--raw', '-q', `${png}.png`]);
      expect(z.stdout.replace(/\n$/, '')).toBe(SEAL.TYPICAL);
      // Text of the original pages is unchanged (content-stream order; the caption is appended last).
      expect(textWithoutCaption(outPath, Number(pages))).toBe(textWithoutCaption(inPath, Number(pages)));
      if (SIGNED.has(file) && hasTool('pdfsig')) {
        const sigState = (p: string) => run('pdfsig', [p]).stdout.split(p).join('FILE');
        expect(sigState(outPath)).toBe(sigState(inPath));
      }
    });
  }
});
