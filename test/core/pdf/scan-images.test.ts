// JBIG2 and JPEG 2000 page images: the test writers round-trip through pdf.js's decoders, and hostile streams are refused cleanly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { pdfImages, PDF_IMAGE_LIMITS } from '../../../core/pdf/images.js';
import { jbig2PageSize, readableImage } from '../../../core/pdf/scan-images.js';
import { UrsealError } from '../../../core/errors.js';
import { loadScanDecoders } from '../../../cli/scan-decoders.js';
import { imagePagePdf, jbig2Generic, jbig2Globals, jbig2Mmr, jbig2PageInfo, jbig2Segment, tiffStrip } from '../../helpers/scans.js';

const work = mkdtempSync(join(tmpdir(), 'urseal-scan-images-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A test pattern: a QR-like checkerboard of 8 px cells with a frame, 1 = black. */
const W = 203;
const H = 117;
const pattern = (x: number, y: number): number => (x < 3 || y < 3 || ((x >> 3) * 7 + (y >> 3) * 3) % 5 < 2 ? 1 : 0);

function blackAt(img: { width: number; data: Uint8Array }, x: number, y: number): number {
  return img.data[(y * img.width + x) * 4]! < 128 ? 1 : 0;
}

function differences(img: { width: number; height: number; data: Uint8Array }, f: (x: number, y: number) => number): number {
  let d = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (blackAt(img, x, y) !== f(x, y)) d++;
  return d;
}

/** The pattern as a Group 4 strip made by ImageMagick (white is zero, as PDF's and JBIG2's MMR expect). */
function g4Pattern(): Uint8Array {
  const rows: number[] = [];
  const rowBytes = (W + 7) >> 3;
  for (let y = 0; y < H; y++) {
    const row = new Uint8Array(rowBytes);
    for (let x = 0; x < W; x++) if (pattern(x, y)) row[x >> 3]! |= 0x80 >> (x & 7);
    rows.push(...row);
  }
  writeFileSync(join(work, 'p.pbm'), Buffer.concat([Buffer.from(`P4\n${W} ${H}\n`), Buffer.from(rows)]));
  execFileSync('convert', [join(work, 'p.pbm'), '-compress', 'Group4', '-define', 'tiff:rows-per-strip=100000', join(work, 'p.tif')]);
  const strip = tiffStrip(readFileSync(join(work, 'p.tif')));
  expect(strip).toMatchObject({ compression: 4, photometric: 0, width: W, height: H });
  return strip.data;
}

async function decodeOnly(pdf: Uint8Array) {
  const [img] = pdfImages(pdf);
  expect(img).toBeDefined();
  return readableImage(img!, loadScanDecoders);
}

describe('JBIG2 page images', () => {
  it('an MMR generic region (Group 4 data) decodes pixel for pixel', async () => {
    const data = jbig2Mmr(g4Pattern(), W, H);
    const img = await decodeOnly(
      imagePagePdf({ entries: `/Width ${W} /Height ${H} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode`, data }),
    );
    expect(img).toMatchObject({ kind: 'rgba', width: W, height: H });
    if (img.kind === 'rgba') expect(differences(img, pattern)).toBe(0);
  });

  it('an arithmetic generic region (MQ coder, template 0) decodes pixel for pixel, with /JBIG2Globals and /Decode [1 0]', async () => {
    const data = jbig2Generic(W, H, pattern);
    const pdf = imagePagePdf(
      {
        entries: `/Width ${W} /Height ${H} /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Filter [/JBIG2Decode] /DecodeParms [<< /JBIG2Globals 5 0 R >>]`,
        data,
      },
      [{ dict: `<< /Length ${deflateSync(jbig2Globals()).length} /Filter /FlateDecode >>`, stream: deflateSync(jbig2Globals()) }],
    );
    const img = await decodeOnly(pdf);
    expect(img).toMatchObject({ kind: 'rgba', width: W, height: H });
    if (img.kind === 'rgba') expect(differences(img, (x, y) => 1 - pattern(x, y))).toBe(0);
  });

  it('a whole JBIG2 file (sequential, with its file header) embedded instead of bare segments still decodes', async () => {
    const segments = jbig2Generic(W, H, pattern);
    const file = Buffer.concat([Buffer.from([0x97, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a, 0x01, 0, 0, 0, 1]), segments]);
    const img = await readableImage({ kind: 'jbig2', width: W, height: H, data: file, invert: false }, loadScanDecoders);
    expect(img).toMatchObject({ kind: 'rgba', width: W, height: H });
    if (img.kind === 'rgba') expect(differences(img, pattern)).toBe(0);
  });

  it('a missing /JBIG2Globals object skips the image (decoding without it would misread the page)', () => {
    const pdf = imagePagePdf({
      entries: `/Width ${W} /Height ${H} /BitsPerComponent 1 /Filter /JBIG2Decode /DecodeParms << /JBIG2Globals 99 0 R >>`,
      data: jbig2Generic(W, H, pattern),
    });
    expect(pdfImages(pdf)).toEqual([]);
  });

  it('refuses hostile headers before pdf.js allocates anything: huge or striped pages, huge regions, truncation', () => {
    const code = (chunks: Uint8Array[]): string => {
      try {
        jbig2PageSize(chunks);
        return 'OK';
      } catch (e) {
        return e instanceof UrsealError ? e.code : 'THREW';
      }
    };
    const page = (w: number, h: number) => jbig2Segment(1, 48, 1, jbig2PageInfo(w, h));
    expect(code([page(100, 100)])).toBe('OK');
    expect(code([page(100_000, 100_000)])).toBe('MALFORMED');
    expect(code([page(100, 0xffffffff)])).toBe('MALFORMED');
    const bigRegion = jbig2Segment(2, 38, 1, [0, 1, 0, 0, 0, 1, 0, 0, ...new Array(9).fill(0), 1]);
    expect(code([page(100, 100), bigRegion])).toBe('MALFORMED');
    expect(code([page(100, 100).subarray(0, 20)])).toBe('MALFORMED');
    expect(code([new Uint8Array()])).toBe('MALFORMED');
  });

  it('any bytes as a JBIG2 stream give an image or a clean MALFORMED, never another error or a hang', async () => {
    const valid = jbig2Generic(40, 30, pattern);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.nat(valid.length - 1), fc.boolean(), async (noise, at, splice) => {
        const data = splice ? Uint8Array.from([...valid.subarray(0, at), ...noise, ...valid.subarray(at + noise.length)]) : noise;
        try {
          const img = await readableImage({ kind: 'jbig2', width: 40, height: 30, data, invert: false }, loadScanDecoders);
          expect(img.kind).toBe('rgba');
        } catch (e) {
          expect(e).toBeInstanceOf(UrsealError);
          expect((e as UrsealError).code).toBe('MALFORMED');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('JPEG 2000 page images', () => {
  it('decodes a JP2 (grey) and a J2K codestream (colour) as ImageMagick wrote them, pixel for pixel (lossless)', async () => {
    const rowBytes = W;
    const grey = Buffer.alloc(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) grey[y * rowBytes + x] = pattern(x, y) ? 20 : 235;
    writeFileSync(join(work, 'g.pgm'), Buffer.concat([Buffer.from(`P5\n${W} ${H}\n255\n`), grey]));
    execFileSync('convert', [join(work, 'g.pgm'), '-quality', '0', join(work, 'g.jp2')]);
    execFileSync('convert', [join(work, 'g.pgm'), '-type', 'TrueColor', '-quality', '0', join(work, 'c.j2k')]);
    for (const [file, cs] of [
      ['g.jp2', '/ColorSpace /DeviceGray'],
      ['c.j2k', ''],
    ] as const) {
      const data = new Uint8Array(readFileSync(join(work, file)));
      const img = await decodeOnly(
        imagePagePdf({ entries: `/Width ${W} /Height ${H} ${cs} /BitsPerComponent 8 /Filter /JPXDecode`, data }),
      );
      expect(img, file).toMatchObject({ kind: 'rgba', width: W, height: H });
      if (img.kind !== 'rgba') continue;
      let off = 0;
      for (let p = 0; p < W * H; p++)
        if (img.data[4 * p] !== grey[p] || img.data[4 * p + 1] !== grey[p] || img.data[4 * p + 3] !== 255) off++;
      expect(off, file).toBe(0);
    }
  });

  it('a JPX stream whose size header claims more than PDF_IMAGE_LIMITS.maxPixels is refused before decoding', async () => {
    const data = new Uint8Array(readFileSync(join(work, 'c.j2k')));
    const siz = Buffer.from(data).indexOf(Buffer.from([0xff, 0x51]));
    const hostile = Uint8Array.from(data);
    hostile.set([0, 1, 0, 0, 0, 1, 0, 0], siz + 6); // Xsiz = Ysiz = 65536
    expect(65536 * 65536).toBeGreaterThan(PDF_IMAGE_LIMITS.maxPixels);
    await expect(readableImage({ kind: 'jpx', width: 10, height: 10, bytes: hostile }, loadScanDecoders)).rejects.toMatchObject({
      code: 'MALFORMED',
    });
  });

  it('any bytes as a JPX stream give an image or a clean MALFORMED', async () => {
    const valid = new Uint8Array(readFileSync(join(work, 'g.jp2')));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.nat(valid.length - 1), async (noise, at) => {
        const bytes = Uint8Array.from([...valid.subarray(0, at), ...noise, ...valid.subarray(at + noise.length)]);
        try {
          expect((await readableImage({ kind: 'jpx', width: W, height: H, bytes }, loadScanDecoders)).kind).toBe('rgba');
        } catch (e) {
          expect((e as UrsealError).code).toBe('MALFORMED');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('decoding bounded in time (CLI worker thread)', () => {
  it('a JBIG2 image that takes longer than SCAN_DECODE_LIMITS.timeoutMs stops its worker: MALFORMED, and the next image decodes', async () => {
    // The compiled CLI runs the decoders in a worker thread (under vitest the sources decode in this thread).
    const dist = (path: string): string => new URL(`../../../dist/${path}`, import.meta.url).href;
    const { readableImage: readable } = (await import(
      dist('core/pdf/scan-images.js')
    )) as typeof import('../../../core/pdf/scan-images.js');
    const { loadScanDecoders: load, SCAN_DECODE_LIMITS } = (await import(
      dist('cli/scan-decoders.js')
    )) as typeof import('../../../cli/scan-decoders.js');
    const be = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const N = 6000; // one full-page arithmetic region of 36 M pixels: seconds of decoding, within the header limits
    const region = [...be(N), ...be(N), ...be(0), ...be(0), 0, 0x00, 3, 255, 253, 255, 2, 254, 254, 254, ...new Array(64).fill(0x5a)];
    const data = Buffer.concat([jbig2Segment(1, 48, 1, jbig2PageInfo(N, N)), jbig2Segment(2, 38, 1, region)]);
    const saved = SCAN_DECODE_LIMITS.timeoutMs;
    SCAN_DECODE_LIMITS.timeoutMs = 200;
    try {
      const err = await readable({ kind: 'jbig2', width: N, height: N, data, invert: false }, load).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MALFORMED' });
      expect(String((err as Error).cause)).toMatch(/longer than 200 ms/);
    } finally {
      SCAN_DECODE_LIMITS.timeoutMs = saved;
    }
    const ok = await readable({ kind: 'jbig2', width: 40, height: 30, data: jbig2Generic(40, 30, pattern), invert: false }, load);
    expect(ok).toMatchObject({ kind: 'rgba', width: 40, height: 30 });
    if (ok.kind === 'rgba') expect(differences(ok, (x, y) => pattern(x, y))).toBe(0);
  }, 60_000);
});
