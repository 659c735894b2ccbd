// Tests for issuer/qr/render.ts: segment modes, versions, and PNG/SVG output that decodes back to the exact text.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { create } from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQrCodes } from '../../../cli/qr/read.js';
import { UrsealError } from '../../../core/errors.js';
import { DEFAULT_MODULE_MM, MIN_MODULE_MM, qrMatrix, qrPng, qrPrintSizeMm, qrSvg, qrVersionFor } from '../../../issuer/qr/render.js';

const run = promisify(execFile);
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Deterministic pseudo-random text over an alphabet (a linear congruential generator is enough here). */
function randomText(alphabet: string, length: number, seed: number): string {
  let x = seed >>> 0;
  let s = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    s += alphabet[x % alphabet.length]!;
  }
  return s;
}

const TEXT = {
  /** A typical seal: 400 characters in all. */
  SEAL_400: 'UR1:' + randomText(B45, 396, 1),
  SEAL_SHORT: 'UR1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEZ',
  LINK: 'https://verify.example.gov/#UR1B:' + randomText(B32, 420, 2),
} as const;

async function hasTool(name: string, args: string[]): Promise<boolean> {
  try {
    await run(name, args);
    return true;
  } catch {
    return false;
  }
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof UrsealError ? e.code : `not a UrsealError: ${String(e)}`;
  }
  return undefined;
}

/** Minimal PNG reader for our own output (8-bit greyscale, filter 0): returns width, height and pixels. */
function decodeOurPng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array; chunks: string[] } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  const chunks: string[] = [];
  while (off < png.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    chunks.push(type);
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      expect([data[8], data[9]]).toEqual([8, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, pixels, chunks };
}

describe('qrMatrix', () => {
  it('puts a typical 400-character seal in one alphanumeric segment at level M, version <= 13', () => {
    const m = qrMatrix(TEXT.SEAL_400);
    expect(m.segments).toEqual([{ mode: 'alphanumeric', length: 400 }]);
    // 400 alphanumeric characters need version 12 at M (capacity 412); byte mode would need version 15.
    expect(m.version).toBe(12);
    expect(m.version).toBeLessThanOrEqual(13);
    expect(m.size).toBe(17 + 4 * m.version);
    expect(m.modules.length).toBe(m.size * m.size);
    expect(qrVersionFor(TEXT.SEAL_400)).toBe(12);
    expect(qrVersionFor(TEXT.SEAL_400, 'L')).toBeLessThan(12);
    expect(qrVersionFor(TEXT.SEAL_400, 'H')).toBeGreaterThan(12);
  });

  it('draws the finder patterns where ISO/IEC 18004 puts them', () => {
    const { size, modules } = qrMatrix(TEXT.SEAL_SHORT);
    const at = (x: number, y: number): number => modules[y * size + x]!;
    for (const [ox, oy] of [
      [0, 0],
      [size - 7, 0],
      [0, size - 7],
    ] as const) {
      for (let i = 0; i < 7; i++) {
        expect(at(ox + i, oy)).toBe(1);
        expect(at(ox + i, oy + 6)).toBe(1);
      }
      expect(at(ox + 1, oy + 1)).toBe(0);
      expect(at(ox + 3, oy + 3)).toBe(1);
    }
    expect([...modules].every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('encodes the link form as a byte segment then an alphanumeric one', () => {
    const m = qrMatrix(TEXT.LINK);
    const url = 'https://verify.example.gov/#';
    expect(m.segments).toEqual([
      { mode: 'byte', length: url.length },
      { mode: 'alphanumeric', length: TEXT.LINK.length - url.length },
    ]);
    const bytes = new TextEncoder().encode(TEXT.LINK);
    const allBytes = create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' });
    expect(m.version).toBeLessThan(allBytes.version);
  });

  it('is deterministic and honours a forced version', () => {
    expect(qrMatrix(TEXT.SEAL_400).modules).toEqual(qrMatrix(TEXT.SEAL_400).modules);
    expect(qrMatrix(TEXT.SEAL_SHORT, { version: 10 }).version).toBe(10);
  });

  it('rejects bad input with INVALID_ARGUMENT', () => {
    expect(codeOf(() => qrMatrix(''))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrMatrix('UR1:abc'))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrMatrix('UR1:' + 'A'.repeat(5000)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrMatrix(TEXT.SEAL_400, { version: 2 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrMatrix(TEXT.SEAL_400, { version: 41 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrPng(TEXT.SEAL_SHORT, { moduleSize: 2.5 }))).toBe('INVALID_ARGUMENT');
    // Under 4 px per module renderers smooth the image and the code stops reading (DESIGN traps).
    expect(codeOf(() => qrPng(TEXT.SEAL_SHORT, { moduleSize: 3 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrPng(TEXT.SEAL_SHORT, { moduleSize: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrPng(TEXT.SEAL_SHORT, { quietZone: 2 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrSvg(TEXT.SEAL_SHORT, { size: '35mm"/><script>' }))).toBe('INVALID_ARGUMENT');
  });
});

describe('qrPng / qrSvg', () => {
  it('draws whole pixels per module with a 4-module white quiet zone', () => {
    const m = qrMatrix(TEXT.SEAL_SHORT);
    const png = qrPng(TEXT.SEAL_SHORT, { moduleSize: 5, dpi: 300 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const { width, height, pixels, chunks } = decodeOurPng(png);
    expect(chunks).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(width).toBe((m.size + 8) * 5);
    expect(height).toBe(width);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const mx = Math.floor(x / 5) - 4;
        const my = Math.floor(y / 5) - 4;
        const inside = mx >= 0 && my >= 0 && mx < m.size && my < m.size;
        const dark = inside && m.modules[my * m.size + mx] === 1;
        if (pixels[y * width + x] !== (dark ? 0 : 255)) throw new Error(`pixel ${x},${y} wrong`);
      }
    }
    expect(qrPng(TEXT.SEAL_SHORT, { moduleSize: 5, dpi: 300 })).toEqual(png);
    expect(decodeOurPng(qrPng(TEXT.SEAL_SHORT)).width).toBe((m.size + 8) * 8);
  });

  it('sizes printed codes by module: at least 0.5 mm per module, 0.6 mm by default', () => {
    for (const text of [TEXT.SEAL_SHORT, TEXT.SEAL_400, TEXT.LINK]) {
      const full = qrMatrix(text).size + 8;
      expect(qrPrintSizeMm(text)).toBeCloseTo(full * DEFAULT_MODULE_MM, 2);
      expect(qrPrintSizeMm(text, MIN_MODULE_MM)).toBeCloseTo(full * 0.5, 2);
      const min = qrPrintSizeMm(text, MIN_MODULE_MM);
      expect(qrSvg(text, { size: `${min}mm` })).toContain(`width="${min}mm"`);
      expect(codeOf(() => qrSvg(text, { size: `${Math.floor(min * 100 - 1) / 100}mm` }))).toBe('INVALID_ARGUMENT');
      // The same limit in other absolute units (1 in = 25.4 mm = 72 pt = 96 px).
      expect(codeOf(() => qrSvg(text, { size: `${(min / 25.4) * 0.99}in` }))).toBe('INVALID_ARGUMENT');
      expect(qrSvg(text, { size: `${Math.ceil((min / 25.4) * 72)}pt` })).toContain('pt"');
    }
    expect(codeOf(() => qrSvg(TEXT.SEAL_SHORT, { size: '100%' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => qrSvg(TEXT.SEAL_SHORT, { size: '40' }))).toBe('INVALID_ARGUMENT'); // 40 px = 10.6 mm
    expect(codeOf(() => qrPrintSizeMm(TEXT.SEAL_SHORT, 0.4))).toBe('INVALID_ARGUMENT');
  });

  it('writes a crisp SVG with a white background and the quiet zone in the viewBox', () => {
    const m = qrMatrix(TEXT.SEAL_SHORT);
    const svg = qrSvg(TEXT.SEAL_SHORT, { size: '35mm' });
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain(`viewBox="0 0 ${m.size + 8} ${m.size + 8}"`);
    expect(svg).toContain('width="35mm" height="35mm"');
    expect(svg).toMatch(/<rect width="\d+" height="\d+" fill="#fff" stroke="none"\/>/);
    expect(svg).toMatch(/^<svg [^>]+>.*<\/svg>$/s);
  });

  it('PNG decodes back to the exact text with our reader, for seals and the link form', async () => {
    for (const text of [TEXT.SEAL_400, TEXT.SEAL_SHORT, TEXT.LINK]) {
      expect(await readQrCodes(qrPng(text, { moduleSize: 4 }))).toEqual([text]);
    }
  });

  describe('with external tools', () => {
    let dir = '';
    let zbar = false;
    let magick = false;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'urseal-qr-'));
      zbar = await hasTool('zbarimg', ['--version']);
      magick = await hasTool('convert', ['-version']);
      if (!zbar) console.warn('zbarimg not installed (Debian zbar-tools): skipping the zbarimg cross-checks');
      if (!magick) console.warn('ImageMagick convert not installed: skipping the SVG rasterisation checks');
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function zbarRead(file: string): Promise<string> {
      const { stdout } = await run('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', file]);
      return stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
    }

    it('zbarimg reads the PNG to the exact text (seal and link form)', async (ctx) => {
      if (!zbar) return ctx.skip();
      for (const [i, text] of [TEXT.SEAL_400, TEXT.LINK].entries()) {
        const file = join(dir, `png-${i}.png`);
        await writeFile(file, qrPng(text));
        expect(await zbarRead(file)).toBe(text);
      }
    });

    it('the SVG rasterised by ImageMagick reads back with zbarimg and with our reader', async (ctx) => {
      if (!magick) return ctx.skip();
      for (const [i, text] of [TEXT.SEAL_400, TEXT.LINK].entries()) {
        const svgFile = join(dir, `svg-${i}.svg`);
        const pngFile = join(dir, `svg-${i}.png`);
        await writeFile(svgFile, qrSvg(text, { size: `${qrPrintSizeMm(text)}mm` }));
        await run('convert', ['-density', '200', svgFile, pngFile]);
        expect(await readQrCodes(await readFile(pngFile))).toEqual([text]);
        if (zbar) expect(await zbarRead(pngFile)).toBe(text);
      }
    });
  });
});
