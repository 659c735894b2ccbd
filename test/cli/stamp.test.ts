// `urseal stamp` and PDFs in `urseal verify`: file intact, modified, appended, scanned paper copies, refusals.
import {
  PDFDocument,
  PDFName,
  StandardFonts,
  popGraphicsState,
  pushGraphicsState,
  concatTransformationMatrix,
  drawObject,
} from '@cantoo/pdf-lib';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_LINE, MOJ_POA, setupSignedTrustList, urseal, workdir } from './helpers.js';

let dir: string;
const NOW = '2026-01-20';
const TRUST = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', NOW];
const HAVE_PDFTOPPM = existsSync('/usr/bin/pdftoppm');

async function letter(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save({ useObjectStreams: false });
}

function stamp(input: string, out: string, extra: string[] = []) {
  return urseal(dir, ['stamp', input, '--out', out, ...MOJ_POA, '--number', '1447/2026', ...extra]);
}

/** A "scan": the stamped page rendered to an image and put back into a PDF as a JPEG or PNG page image. */
async function scanOf(pdf: string, kind: 'jpeg' | 'png', out: string): Promise<void> {
  const base = join(dir, `render-${kind}`);
  execFileSync('pdftoppm', [kind === 'jpeg' ? '-jpeg' : '-png', '-r', '200', '-f', '1', '-l', '1', '-singlefile', join(dir, pdf), base]);
  const img = readFileSync(`${base}.${kind === 'jpeg' ? 'jpg' : 'png'}`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const embedded = kind === 'jpeg' ? await doc.embedJpg(img) : await doc.embedPng(img);
  const page = doc.addPage([595, 842]);
  page.drawImage(embedded, { x: 0, y: 0, width: 595, height: 842 });
  writeFileSync(join(dir, out), await doc.save());
}

/** The one strip of a single-strip little-endian TIFF: its bytes, size and photometric interpretation. */
function tiffStrip(tif: Buffer): { data: Uint8Array; width: number; height: number; compression: number; photometric: number } {
  if (tif.toString('latin1', 0, 4) !== 'II*\0') throw new Error('not a little-endian TIFF');
  const ifd = tif.readUInt32LE(4);
  const tags = new Map<number, number>();
  for (let i = 0; i < tif.readUInt16LE(ifd); i++) {
    const e = ifd + 2 + 12 * i;
    const type = tif.readUInt16LE(e + 2);
    tags.set(tif.readUInt16LE(e), type === 3 ? tif.readUInt16LE(e + 8) : tif.readUInt32LE(e + 8));
  }
  const at = tags.get(273)!;
  return {
    data: tif.subarray(at, at + tags.get(279)!),
    width: tags.get(256)!,
    height: tags.get(257)!,
    compression: tags.get(259)!,
    photometric: tags.get(262)!,
  };
}

/**
 * A black-and-white scan of a PDF's first page as an office scanner writes it: one CCITT Group 4 page image
 * (rendered 1-bit by pdftoppm, Group 4 coded by ImageMagick, the coded strip placed in a PDF as is).
 */
async function faxScanOf(pdf: string, out: string): Promise<void> {
  const base = join(dir, 'render-mono');
  execFileSync('pdftoppm', ['-mono', '-r', '200', '-f', '1', '-l', '1', '-singlefile', join(dir, pdf), base]);
  execFileSync('convert', [`${base}.pbm`, '-compress', 'Group4', '-define', 'tiff:rows-per-strip=100000', `${base}.tif`]);
  const strip = tiffStrip(readFileSync(`${base}.tif`));
  expect(strip).toMatchObject({ compression: 4, photometric: 0 }); // Group 4, white is zero: what PDF's fax filter expects
  const doc = await PDFDocument.create({ updateMetadata: false });
  const image = doc.context.register(
    doc.context.stream(strip.data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: strip.width,
      Height: strip.height,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 1,
      Filter: 'CCITTFaxDecode',
      DecodeParms: { K: -1, Columns: strip.width, Rows: strip.height },
    }),
  );
  const page = doc.addPage([595, 842]);
  page.node.setXObject(PDFName.of('Scan'), image);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(595, 0, 0, 842, 0, 0), drawObject('Scan'), popGraphicsState());
  writeFileSync(join(dir, out), await doc.save());
}

beforeAll(async () => {
  dir = workdir();
  setupSignedTrustList(dir);
  writeFileSync(join(dir, 'deed.pdf'), await letter('Power of attorney 1447/2026'));
  const first = stamp('deed.pdf', 'deed-sealed.pdf', ['--trust-list', 'tl.cose', '--root', 'root.key']);
  if (first.code !== 0) throw new Error(`urseal stamp failed: ${first.stderr}`);
});

describe('urseal stamp', () => {
  it('writes the original bytes followed by one update, and prints the seal text', () => {
    const original = readFileSync(join(dir, 'deed.pdf'));
    const stamped = readFileSync(join(dir, 'deed-sealed.pdf'));
    expect(stamped.subarray(0, original.length).equals(original)).toBe(true);
    expect(stamped.length).toBeGreaterThan(original.length);
    expect(stamped.includes(Buffer.from('/Type /URSeal'))).toBe(true);
  });

  it('refuses to overwrite an existing output, and refuses a broken PDF with one clear line (exit 2)', () => {
    const again = stamp('deed.pdf', 'deed-sealed.pdf');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(ERROR_LINE);
    writeFileSync(join(dir, 'junk.pdf'), '%PDF-1.7\nthis is not a pdf\n');
    const junk = stamp('junk.pdf', 'junk-sealed.pdf');
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^urseal: URSEAL_E_PDF_REFUSED: .*PDF_UNREADABLE/);
    expect(existsSync(join(dir, 'junk-sealed.pdf'))).toBe(false);
  });
});

describe('urseal stamp: where the stamp goes', () => {
  it('says where the stamp went: a blank corner by default', () => {
    const r = stamp('deed.pdf', 'deed-where.pdf');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/page 1: stamp in the bottom-left corner/);
  });

  it('--place x,y[,size] puts it exactly there (mm from the top-left as shown), and the file verifies', () => {
    const r = stamp('deed.pdf', 'deed-placed.pdf', ['--place', '120,30,40']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/page 1: stamp at the requested place, 120,30 mm from the top-left/);
    const v = urseal(dir, ['verify', 'deed-placed.pdf', ...TRUST]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/VALID/);
  });

  it('refuses a place off the page, a malformed place and a size below the minimum, with one clear line', () => {
    const off = stamp('deed.pdf', 'deed-off.pdf', ['--place', '190,10']);
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/^urseal: URSEAL_E_PDF_REFUSED: .*PLACE_OFF_PAGE/);
    expect(existsSync(join(dir, 'deed-off.pdf'))).toBe(false);
    const bad = stamp('deed.pdf', 'deed-bad.pdf', ['--place', '10;20']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^urseal: URSEAL_E_BAD_VALUE: /);
    const small = stamp('deed.pdf', 'deed-small.pdf', ['--place', '10,20,30']);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/^urseal: URSEAL_E_BAD_VALUE: .*35 to 200/);
  });

  it('--seal-page puts the stamp on an added page with the signed fields, says so, and the file verifies', () => {
    const r = stamp('deed.pdf', 'deed-sealpage.pdf', ['--seal-page', '--trust-list', 'tl.cose', '--root', 'root.key']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/page 1: no blank space, stamp placed on an added seal page \(page 2\)/);
    const v = urseal(dir, ['verify', 'deed-sealpage.pdf', ...TRUST]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/VALID/);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('pdftotext', ['-f', '2', '-l', '2', '-enc', 'UTF-8', join(dir, 'deed-sealpage.pdf'), '-']).toString('utf8');
      expect(text).toContain('Document seal page');
      expect(text).toContain('1447/2026');
    }
  });
});

describe('urseal verify with PDFs', () => {
  it('VALID with "file intact" for the stamped file as issued', () => {
    const r = urseal(dir, ['verify', 'deed-sealed.pdf', ...TRUST]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +deed-sealed\.pdf +\(file intact/);
  });

  it('FILE_MODIFIED when bytes are appended after the stamp or the original part is changed; NO_SEAL without the stamp', () => {
    const stamped = readFileSync(join(dir, 'deed-sealed.pdf'));
    writeFileSync(join(dir, 'appended.pdf'), stamped);
    appendFileSync(join(dir, 'appended.pdf'), '%%EOF\n');
    const changed = Buffer.from(stamped);
    changed[40] ^= 0x01; // one bit inside the original part
    writeFileSync(join(dir, 'changed.pdf'), changed);
    const r = urseal(dir, ['verify', 'appended.pdf', 'changed.pdf', 'deed.pdf', '--json', ...TRUST]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { input: string; code: string; file?: { intact: boolean } }[] };
    expect(report.results.map((x) => [x.input, x.code])).toEqual([
      ['appended.pdf', 'FILE_MODIFIED'],
      ['changed.pdf', 'FILE_MODIFIED'],
      ['deed.pdf', 'NO_SEAL'],
    ]);
    expect(report.results[0]!.file?.intact).toBe(false);
  });

  it.skipIf(!HAVE_PDFTOPPM)(
    'a scanned paper copy (JPEG or PNG page image): the QR is found, verified, and marked "compare printed text"',
    async () => {
      await scanOf('deed-sealed.pdf', 'jpeg', 'scan-jpeg.pdf');
      await scanOf('deed-sealed.pdf', 'png', 'scan-png.pdf');
      const r = urseal(dir, ['verify', 'scan-jpeg.pdf', 'scan-png.pdf', '--details', ...TRUST]);
      expect(r.stdout).toMatch(/✓ VALID +MOJ +poa +1447\/2026 +scan-jpeg\.pdf +\(scan: compare printed text/);
      expect(r.stdout).toMatch(/✓ VALID +MOJ +poa +1447\/2026 +scan-png\.pdf +\(scan: compare printed text/);
      expect(r.stdout).toMatch(/printed text must be compared with the signed fields/);
      expect(r.code).toBe(0);
    },
  );

  it.skipIf(!HAVE_PDFTOPPM || !existsSync('/usr/bin/convert'))(
    'a black-and-white office scan (CCITT Group 4 page image): the QR is found and verified',
    async () => {
      await faxScanOf('deed-sealed.pdf', 'scan-fax.pdf');
      expect(readFileSync(join(dir, 'scan-fax.pdf')).includes('/CCITTFaxDecode')).toBe(true);
      const r = urseal(dir, ['verify', 'scan-fax.pdf', ...TRUST]);
      expect(r.stdout).toMatch(/✓ VALID +MOJ +poa +1447\/2026 +scan-fax\.pdf +\(scan: compare printed text/);
      expect(r.code).toBe(0);
    },
  );
});
