// Scans of every kind: a stamped page rendered at 150/200/300 dpi, distorted as a scanner or phone would, wrapped as
// JPEG, Flate, CCITT G4, JBIG2 (MMR and arithmetic) and JPEG 2000 PDFs; each must read wherever zbarimg reads the pixels.
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealsInPageImages } from '../../cli/verify-pdf.js';
import { imagePagePdf, jbig2Generic, jbig2Globals, jbig2Mmr, tiffStrip, type RawObject } from '../helpers/scans.js';
import { ok, setupSignedTrustList, urseal, workdir } from './helpers.js';

const TRUST = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-01-20'];

/** One simulated scan per resolution: rotation, blur, noise and JPEG quality differ; grey at 200 dpi, colour else. */
const SCANS = [
  { dpi: 150, colour: true, rotate: 0.5, blur: 0.5, noise: 0.2, quality: 85 },
  { dpi: 200, colour: false, rotate: -1.2, blur: 0.7, noise: 0.3, quality: 70 },
  { dpi: 300, colour: true, rotate: 2, blur: 1.0, noise: 0.4, quality: 60 },
] as const;
type Scan = (typeof SCANS)[number];

const KINDS = ['jpeg', 'flate', 'flate-1bit', 'ccitt', 'jbig2-mmr', 'jbig2-generic', 'jpx'] as const;
type Kind = (typeof KINDS)[number];

let dir: string;
let sealText: string;
/** Per dpi: the PDF of each kind, and whether zbarimg read the seal from the same pixels. */
const made = new Map<number, { pdfs: Record<Kind, Uint8Array>; zbarContinuous: boolean; zbarBilevel: boolean }>();

/** Netpbm P4/P5/P6 to its size and samples. */
function netpbm(file: string): { width: number; height: number; channels: number; data: Uint8Array } {
  const b = readFileSync(file);
  const m = /^P([456])\s+(\d+)\s+(\d+)\s+(?:(\d+)\s)?/.exec(b.subarray(0, 64).toString('latin1'))!;
  const kind = m[1];
  const width = Number(m[2]);
  const height = Number(m[3]);
  return { width, height, channels: kind === '6' ? 3 : 1, data: new Uint8Array(b.subarray(m[0].length)) };
}

/** The samples with a PNG "Up" predictor byte before each row (what /Predictor 15 undoes). */
function pngUp(data: Uint8Array, rowBytes: number): Uint8Array {
  const rows = data.length / rowBytes;
  const out = new Uint8Array(rows * (rowBytes + 1));
  for (let y = 0; y < rows; y++) {
    out[y * (rowBytes + 1)] = 2;
    for (let x = 0; x < rowBytes; x++) {
      const up = y > 0 ? data[(y - 1) * rowBytes + x]! : 0;
      out[y * (rowBytes + 1) + 1 + x] = (data[y * rowBytes + x]! - up) & 255;
    }
  }
  return out;
}

function zbar(file: string): boolean {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', file], { encoding: 'utf8' });
  return r.stdout.split('\n').includes(sealText);
}

const sh = (cmd: string, args: string[]): void => void execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Render, distort and wrap one scan in every kind. */
function makeScans(s: Scan): void {
  const base = join(dir, `r${s.dpi}`);
  sh('pdftoppm', [
    ...(s.colour ? [] : ['-gray']),
    '-png',
    '-r',
    String(s.dpi),
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    join(dir, 'sealed.pdf'),
    base,
  ]);
  const jpg = `${base}.jpg`;
  // Rotation, blur, noise, then JPEG: what a scanner or phone does to the page.
  sh('convert', [
    `${base}.png`,
    '-background',
    'white',
    '-rotate',
    String(s.rotate),
    '-blur',
    `0x${s.blur}`,
    '-attenuate',
    String(s.noise),
    '+noise',
    'Gaussian',
    '-quality',
    String(s.quality),
    jpg,
  ]);
  const pnm = `${base}.${s.colour ? 'ppm' : 'pgm'}`;
  sh('convert', [jpg, ...(s.colour ? [] : ['-colorspace', 'Gray']), pnm]);
  const px = netpbm(pnm);
  const pbm = `${base}.pbm`;
  sh('convert', [jpg, '-colorspace', 'Gray', '-threshold', '55%', pbm]);
  const bits = netpbm(pbm);
  sh('convert', [pbm, '-compress', 'Group4', '-define', 'tiff:rows-per-strip=1000000', `${base}.tif`]);
  const g4 = tiffStrip(readFileSync(`${base}.tif`));
  sh('convert', [pnm, '-quality', '0', `${base}.${s.dpi === 200 ? 'j2k' : 'jp2'}`]); // lossless: the same pixels
  const jpx = new Uint8Array(readFileSync(`${base}.${s.dpi === 200 ? 'j2k' : 'jp2'}`));

  const size = `/Width ${px.width} /Height ${px.height}`;
  const bsize = `/Width ${bits.width} /Height ${bits.height}`;
  const cs = s.colour ? '/DeviceRGB' : '/DeviceGray';
  const jpeg = new Uint8Array(readFileSync(jpg));
  const pdfs = {} as Record<Kind, Uint8Array>;

  // JPEG: plain at 150; behind Flate ([/FlateDecode /DCTDecode]) at 200; indirect /Length at 300.
  pdfs.jpeg =
    s.dpi === 200
      ? imagePagePdf({
          entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter [/FlateDecode /DCTDecode]`,
          data: deflateSync(jpeg),
        })
      : imagePagePdf({ entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /DCTDecode`, data: jpeg }, [], s.dpi === 300);

  // Flate 8-bit: an ICCBased colour space through an indirect object at 150; PNG predictor at 200; plain, indirect /Length at 300.
  const rowBytes = px.width * px.channels;
  if (s.dpi === 150) {
    const icc: RawObject[] = [
      { dict: '[/ICCBased 6 0 R]' },
      { dict: `<< /N 3 /Alternate /DeviceRGB /Length 16 >>`, stream: new Uint8Array(16) },
    ];
    pdfs.flate = imagePagePdf(
      { entries: `${size} /ColorSpace 5 0 R /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(px.data) },
      icc,
    );
  } else if (s.dpi === 200) {
    pdfs.flate = imagePagePdf({
      entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ${px.channels} /Columns ${px.width} >>`,
      data: deflateSync(pngUp(px.data, rowBytes)),
    });
  } else {
    pdfs.flate = imagePagePdf(
      { entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(px.data) },
      [],
      true,
    );
  }

  // Flate 1-bit (PBM: 1 = black, so /Decode [1 0]), with a PNG predictor.
  pdfs['flate-1bit'] = imagePagePdf({
    entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns ${bits.width} >>`,
    data: deflateSync(pngUp(bits.data, (bits.width + 7) >> 3)),
  });

  pdfs.ccitt = imagePagePdf({
    entries: `/Width ${g4.width} /Height ${g4.height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns ${g4.width} /Rows ${g4.height} >>`,
    data: g4.data,
  });

  // JBIG2 MMR (Group 4 data in a generic region); with a /JBIG2Globals stream at 200 dpi.
  const mmr = jbig2Mmr(g4.data, g4.width, g4.height);
  pdfs['jbig2-mmr'] =
    s.dpi === 200
      ? imagePagePdf(
          {
            entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode /DecodeParms << /JBIG2Globals 5 0 R >>`,
            data: mmr,
          },
          [{ dict: `<< /Length ${jbig2Globals().length} >>`, stream: jbig2Globals() }],
        )
      : imagePagePdf({ entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode`, data: mmr });

  const rb = (bits.width + 7) >> 3;
  const generic = jbig2Generic(bits.width, bits.height, (x, y) => (bits.data[y * rb + (x >> 3)]! >> (7 - (x & 7))) & 1);
  pdfs['jbig2-generic'] = imagePagePdf({
    entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode`,
    data: generic,
  });

  pdfs.jpx = imagePagePdf({ entries: `${size} ${s.colour ? '' : '/ColorSpace /DeviceGray '}/Filter /JPXDecode`, data: jpx });

  for (const k of KINDS) writeFileSync(join(dir, `scan-${k}-${s.dpi}.pdf`), pdfs[k]);
  made.set(s.dpi, { pdfs, zbarContinuous: zbar(jpg), zbarBilevel: zbar(pbm) });
}

beforeAll(async () => {
  dir = workdir();
  setupSignedTrustList(dir);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  page.drawText('Power of attorney 1447/2026', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  writeFileSync(join(dir, 'deed.pdf'), await doc.save({ useObjectStreams: false }));
  const r = ok(dir, [
    'stamp',
    'deed.pdf',
    '--out',
    'sealed.pdf',
    '--key',
    'moj-1.key',
    '--passphrase-env',
    'MOJ_PASS',
    '--type',
    'poa',
    '--number',
    '1447/2026',
    '--field',
    'n=سارة',
    '--issued-at',
    '2026-01-10',
  ]);
  sealText = r.stdout.trim().split('\n').at(-1)!;
  expect(sealText).toMatch(/^UR1:/);
  for (const s of SCANS) makeScans(s);
}, 180_000);

describe('scans of every kind', () => {
  for (const kind of KINDS) {
    it(`${kind}: reads the seal at every dpi where zbarimg reads the same pixels`, async () => {
      const bilevel = kind === 'ccitt' || kind.startsWith('jbig2') || kind === 'flate-1bit';
      const read: number[] = [];
      const zbarRead: number[] = [];
      for (const s of SCANS) {
        const m = made.get(s.dpi)!;
        if (bilevel ? m.zbarBilevel : m.zbarContinuous) zbarRead.push(s.dpi);
        if ((await sealsInPageImages(m.pdfs[kind])).includes(sealText)) read.push(s.dpi);
      }
      // Not vacuous: the simulated scans are readable at 200 and 300 dpi at least.
      expect(zbarRead, 'zbarimg reads').toEqual(expect.arrayContaining([200, 300]));
      expect(read, `${kind} read at`).toEqual(expect.arrayContaining(zbarRead));
    }, 120_000);
  }

  it('urseal verify: every kind at 200 dpi is VALID, marked "scan: compare printed text", and the same with --json', () => {
    const files = KINDS.map((k) => `scan-${k}-200.pdf`);
    const r = urseal(dir, ['verify', ...files, ...TRUST]);
    for (const f of files) expect(r.stdout).toMatch(new RegExp(`✓ VALID +MOJ +poa +1447/2026 +${f} +\\(scan: compare printed text`));
    expect(r.code).toBe(0);
    const j = JSON.parse(urseal(dir, ['verify', 'scan-jbig2-mmr-200.pdf', 'scan-jpx-200.pdf', '--json', ...TRUST]).stdout);
    expect(j.results.map((x: { code: string; scanned: boolean }) => [x.code, x.scanned])).toEqual([
      ['VALID', true],
      ['VALID', true],
    ]);
  }, 120_000);

  it('a photo of a PDF-bound seal (not the file) is a copy: VALID with "compare printed text", never "file intact"', () => {
    const r = urseal(dir, ['verify', 'r200.jpg', sealText, '--details', ...TRUST]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +r200\.jpg +\(copy of a sealed PDF: compare printed text/);
    expect(r.stdout).toMatch(/printed text must be compared with the signed fields shown/);
    expect(r.stdout).not.toMatch(/file intact/);
    const csv = join(dir, 'copy.csv');
    urseal(dir, ['verify', 'r200.jpg', '--csv', csv, ...TRUST]);
    expect(readFileSync(csv, 'utf8')).toMatch(/,copy\r\n$/);
    expect(r.code).toBe(0);
  });
});
