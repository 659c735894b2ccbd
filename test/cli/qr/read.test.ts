// Tests for cli/qr/read.ts: exact reads of corpus photos, bad files, empty images, RGBA input, and no network use.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QrReadError, initQrReader, readQrCodes, readQrCodesFromFile, readQrCodesFromRgba } from '../../../cli/qr/read.js';
import { qrMatrix, qrPng } from '../../../issuer/qr/render.js';

const CORPUS = resolve(import.meta.dirname, '../../../../shared/corpus/qr-photos');

/** Corpus photos with their exact expected text (zxing-blackbox .txt files; jsQR's end-to-end outputs). */
const PHOTO = {
  WIKIPEDIA_BOOKMARK: {
    file: 'zxing-blackbox/qrcode-1/1.png',
    text: 'MEBKM:URL:http\\://en.wikipedia.org/wiki/Main_Page;;',
  },
  ANGEL_HOTEL: { file: 'jsqr-real-world/images/angel-hotel.png', text: 'http://en.qrwp.org/The_Angel_Hotel,_Monmouth' },
  BIKE: { file: 'jsqr-real-world/images/bike-1.png', text: 'http://www.o.bike/download/app.html?m=886508547' },
} as const;

const SEAL = 'UR1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEZ';

/** A greyscale PNG without any code: a horizontal gradient (PNG spec §5: IHDR, IDAT, IEND, each with its CRC-32). */
function gradientPng(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array): number => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.floor((x * 255) / width);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Expect a promise to reject with QrReadError of this code (and nothing else). */
async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QrReadError);
  expect((err as QrReadError).code).toBe(code);
}

describe('readQrCodes', () => {
  const fetchSpy = vi.fn(() => Promise.reject(new Error('network used')));
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    // The wasm must come from the installed package: any fetch during loading or reading is a failure.
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
    await initQrReader();
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('loads zxing-wasm without any network request', async () => {
    expect(await readQrCodes(qrPng(SEAL))).toEqual([SEAL]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  describe.skipIf(!existsSync(CORPUS))('corpus photos (shared/corpus/qr-photos)', () => {
    for (const [name, { file, text }] of Object.entries(PHOTO)) {
      it(`reads ${name} exactly`, async () => {
        expect(await readQrCodes(await readFile(join(CORPUS, file)))).toEqual([text]);
      });
    }

    it('agrees with the expected .txt for a whole zxing folder (qrcode-5: 19 photos, all must read)', async () => {
      let reads = 0;
      for (let i = 1; i <= 19; i++) {
        const base = join(CORPUS, 'zxing-blackbox/qrcode-5', String(i).padStart(2, '0'));
        const expected = await readFile(`${base}.txt`, 'utf8');
        const texts = await readQrCodes(await readFile(`${base}.png`));
        if (texts.includes(expected)) reads++;
        else expect(texts).toEqual([]); // never a wrong text
      }
      expect(reads).toBe(19);
    });
  });

  it('returns [] for an image without a code', async () => {
    expect(await readQrCodes(gradientPng(200, 150))).toEqual([]);
    expect(await readQrCodes(gradientPng(200, 150), { fallbacks: false })).toEqual([]);
  });

  it('rejects non-images and truncated files with UNREADABLE_IMAGE, nothing else', async () => {
    const png = qrPng(SEAL);
    await expectCode(readQrCodes(new TextEncoder().encode('not an image at all')), 'UNREADABLE_IMAGE');
    await expectCode(readQrCodes(new Uint8Array(0)), 'UNREADABLE_IMAGE');
    await expectCode(readQrCodes(png.subarray(0, 40)), 'UNREADABLE_IMAGE');
    await expectCode(readQrCodes(png.subarray(0, 8)), 'UNREADABLE_IMAGE');
    await expectCode(readQrCodesFromFile('/nonexistent/scan.png'), 'UNREADABLE_IMAGE');
    // A PNG cut in its image data: either unreadable or no code, never a throw of another kind or a wrong text.
    const cut = await readQrCodes(png.subarray(0, Math.floor(png.length / 2))).catch((e: unknown) => e);
    if (Array.isArray(cut)) expect(cut.filter((t) => t !== SEAL)).toEqual([]);
    else expect((cut as QrReadError).code).toBe('UNREADABLE_IMAGE');
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    await expectCode(readQrCodes(qrPng(SEAL), { maxSymbols: 0 }), 'INVALID_ARGUMENT');
  });

  it('reads many images in one process (the wasm is loaded once)', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `${SEAL}${i}`);
    for (const t of texts) expect(await readQrCodes(qrPng(t, { moduleSize: 4 }))).toEqual([t]);
  });

  it('returns every code in an image, each text once', async () => {
    // Two different codes side by side in one RGBA buffer.
    const a = qrMatrix('UR1:AAAA');
    const b = qrMatrix('UR1:BBBB');
    const scale = 4;
    const w = (a.size + b.size + 12) * scale;
    const h = (Math.max(a.size, b.size) + 8) * scale;
    const rgba = new Uint8Array(w * h * 4).fill(255);
    const draw = (m: typeof a, ox: number): void => {
      for (let y = 0; y < m.size * scale; y++) {
        for (let x = 0; x < m.size * scale; x++) {
          if (!m.modules[Math.floor(y / scale) * m.size + Math.floor(x / scale)]) continue;
          const i = ((y + 4 * scale) * w + ox + x) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
      }
    };
    draw(a, 4 * scale);
    draw(b, (a.size + 8) * scale);
    expect((await readQrCodesFromRgba(rgba, w, h)).sort()).toEqual(['UR1:AAAA', 'UR1:BBBB']);
    expect(await readQrCodesFromRgba(new Uint8Array(40 * 40 * 4).fill(255), 40, 40)).toEqual([]);
    await expectCode(readQrCodesFromRgba(new Uint8Array(10), 40, 40), 'INVALID_ARGUMENT');
  });
});
