// The module rule: the stamp's QR is sized by its module count (default 0.6 mm, minimum 0.5 mm per module).

import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MODULE_MM,
  MAX_QR_TEXT,
  MIN_MODULE_MM,
  StampError,
  minQrSizeMm,
  qrModuleCount,
  qrSizeMm,
  stampPdf,
  type StampOptions,
} from '../../../issuer/stamp/stamp.js';
import { SEAL, closingVerifies, sealLikeText, signer } from './helpers.js';

const PT_PER_MM = 72 / 25.4;
let sample: Uint8Array;
beforeAll(async () => {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  page.drawText('Decision 2024/117', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  sample = await doc.save({ useObjectStreams: false });
});

const base = (extra: Partial<StampOptions> = {}): StampOptions => ({ sealText: SEAL.TYPICAL, sign: signer(), ...extra });

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  return e instanceof StampError ? e.code : undefined;
}

/** Width of the stamp form (the QR square incl. quiet zone) in points, read from the update's /BBox. */
function formWidthPt(out: Uint8Array): number {
  const tail = Buffer.from(out.subarray(sample.length)).toString('latin1');
  const m = /\/Subtype \/Form[^]*?\/BBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]|\/BBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\][^]*?\/Subtype \/Form/.exec(
    tail,
  );
  expect(m).not.toBeNull();
  return Number(m![1] ?? m![3]);
}

describe('QR size by module', () => {
  it('is (modules + 8) × module size, for seals of every version the stamper sees', () => {
    for (let n = 100; n <= 1200; n += 50) {
      const text = sealLikeText(n, n * 31);
      const modules = QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' }).modules.size;
      expect(qrModuleCount(text)).toBe(modules);
      expect(qrSizeMm(text)).toBeCloseTo((modules + 8) * DEFAULT_MODULE_MM, 2);
      expect(minQrSizeMm(text)).toBeCloseTo((modules + 8) * MIN_MODULE_MM, 2);
      expect(qrSizeMm(text)).toBeGreaterThanOrEqual((modules + 8) * DEFAULT_MODULE_MM - 1e-9); // rounded up, never down
    }
    expect(MIN_MODULE_MM).toBe(0.5);
    // A typical seal (466 characters) is version 13: 69 modules, 77 with the quiet zone.
    expect(qrModuleCount(SEAL.TYPICAL)).toBe(69);
    expect(qrSizeMm(SEAL.TYPICAL)).toBe(46.2);
    expect(minQrSizeMm(SEAL.TYPICAL)).toBe(38.5);
  });

  it('knows the module count at every version boundary, and refuses a seal longer than a QR code holds', async () => {
    const capacity = (v: number) => ALPHANUMERIC_M[v - 1]!;
    const ALPHANUMERIC_M = [
      20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816, 909, 970, 1035, 1134, 1248, 1326, 1451, 1542,
      1637, 1732, 1839, 1994, 2113, 2238, 2369, 2506, 2632, 2780, 2894, 3054, 3220, 3391,
    ];
    for (const v of [1, 2, 9, 10, 12, 13, 14, 26, 27, 39, 40]) {
      // The last text of version v, and the first of version v + 1.
      for (const n of v < 40 ? [capacity(v) - 4, capacity(v) - 3] : [capacity(v) - 4]) {
        const text = sealLikeText(n, v);
        const lib = QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' }).modules.size;
        expect(qrModuleCount(text), `${text.length} characters`).toBe(lib);
      }
    }
    expect(qrModuleCount('UR1:' + 'A'.repeat(MAX_QR_TEXT - 4))).toBe(177);
    expect(() => qrModuleCount('UR1:' + 'A'.repeat(MAX_QR_TEXT - 3))).toThrow(RangeError);
    expect(await codeOf(stampPdf(sample, base({ sealText: 'UR1:' + 'A'.repeat(MAX_QR_TEXT - 3) })))).toBe('INVALID_SEAL_TEXT');
  });

  it('stamps at the default size unless told otherwise, and a longer seal gets a larger square', async () => {
    const typical = formWidthPt(await stampPdf(sample, base()));
    expect(typical).toBeCloseTo(qrSizeMm(SEAL.TYPICAL) * PT_PER_MM, 2);
    const long = formWidthPt(await stampPdf(sample, base({ sealText: SEAL.LONG })));
    expect(qrModuleCount(SEAL.LONG)).toBeGreaterThan(qrModuleCount(SEAL.TYPICAL));
    expect(long).toBeCloseTo(qrSizeMm(SEAL.LONG) * PT_PER_MM, 2);
    const given = formWidthPt(await stampPdf(sample, base({ sizeMm: 60 })));
    expect(given).toBeCloseTo(60 * PT_PER_MM, 2);
  });

  it('accepts exactly the minimum and refuses anything smaller with QR_TOO_SMALL', async () => {
    const min = minQrSizeMm(SEAL.TYPICAL);
    const out = await stampPdf(sample, base({ sizeMm: min }));
    expect(closingVerifies(out)).toBe(true);
    expect(formWidthPt(out)).toBeCloseTo(min * PT_PER_MM, 2);
    expect(await codeOf(stampPdf(sample, base({ sizeMm: min - 0.01 })))).toBe('QR_TOO_SMALL');
    // The old fixed minimum (35 mm) is below 0.5 mm per module for this seal.
    expect(await codeOf(stampPdf(sample, base({ sizeMm: 35 })))).toBe('QR_TOO_SMALL');
    // A short seal may be smaller than 35 mm: the rule is per module, not per width.
    const short = sealLikeText(150);
    expect(minQrSizeMm(short)).toBeLessThan(35);
    expect(closingVerifies(await stampPdf(sample, base({ sealText: short, sizeMm: minQrSizeMm(short) })))).toBe(true);
    const e = (await stampPdf(sample, base({ sizeMm: 30 })).catch((x: unknown) => x)) as StampError;
    expect(e.messageAr).toMatch(/[\u0600-\u06FF]/);
    expect(e.message).toContain(String(min));
  });

  it('refuses a size that is not a number of millimetres up to 200 with INVALID_OPTIONS', async () => {
    for (const sizeMm of [Number.NaN, Infinity, 201, '50' as unknown as number]) {
      expect(await codeOf(stampPdf(sample, base({ sizeMm })))).toBe('INVALID_OPTIONS');
    }
  });
});
