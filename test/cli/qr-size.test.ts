// `urseal seal --qr` and `urseal stamp --size-mm` follow the module rule: 0.6 mm per module by default, 0.5 mm at least.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { qrMatrix, qrPrintSizeMm } from '../../issuer/qr/render.js';
import { minQrSizeMm } from '../../issuer/stamp/stamp.js';
import { ERROR_LINE, ok, setupSignedTrustList, urseal, workdir } from './helpers.js';

let dir: string;
const SEAL = ['seal', '--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS', '--type', 'poa', '--number', '1447/2026', '--field', 'n=سارة'];
const STAMP = ['--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS', '--type', 'poa', '--number', '1447/2026', '--field', 'n=سارة'];

beforeAll(async () => {
  dir = workdir();
  setupSignedTrustList(dir);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([595, 842]);
  writeFileSync(join(dir, 'letter.pdf'), await doc.save({ useObjectStreams: false }));
});

/** IHDR width and pHYs pixels per metre of a PNG. */
function pngInfo(png: Buffer): { width: number; ppm: number | undefined } {
  const width = png.readUInt32BE(16);
  const at = png.indexOf('pHYs');
  return { width, ppm: at < 0 ? undefined : png.readUInt32BE(at + 4) };
}

describe('urseal seal --qr', () => {
  it('writes a PNG of 8 px per module that records the resolution printing 0.6 mm per module', () => {
    const text = ok(dir, [...SEAL, '--qr', 'q.png']).stdout.trim();
    const { width, ppm } = pngInfo(readFileSync(join(dir, 'q.png')));
    expect(width).toBe((qrMatrix(text).size + 8) * 8);
    // 8 px per 0.6 mm: 13,333 px per metre (338.67 dpi).
    expect(ppm).toBe(13_333);
  });

  it('writes an SVG as wide as the module rule says, and refuses --qr-size or --qr-module below it', () => {
    const text = ok(dir, [...SEAL, '--qr', 'q.svg']).stdout.trim();
    expect(readFileSync(join(dir, 'q.svg'), 'utf8')).toContain(`width="${qrPrintSizeMm(text)}mm"`);
    const small = urseal(dir, [...SEAL, '--qr', 's.svg', '--qr-size', '20mm']);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/^urseal: URSEAL_E_BAD_VALUE: .*0\.5 mm per module/m);
    const px = urseal(dir, [...SEAL, '--qr', 's.png', '--qr-module', '3']);
    expect(px.code).toBe(2);
    expect(px.stderr).toMatch(ERROR_LINE);
    expect(px.stderr).toContain('URSEAL_E_BAD_VALUE');
  });
});

describe('urseal stamp --size-mm', () => {
  it('refuses a size under 0.5 mm per module for this seal, with one clear line and no output', () => {
    const r = urseal(dir, ['stamp', 'letter.pdf', '--out', 'small.pdf', ...STAMP, '--size-mm', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^urseal: URSEAL_E_BAD_VALUE: .*--size-mm is below the minimum for this seal: [\d.]+ mm/m);
    expect(existsSync(join(dir, 'small.pdf'))).toBe(false);
    const junk = urseal(dir, ['stamp', 'letter.pdf', '--out', 'junk.pdf', ...STAMP, '--size-mm', '4o']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('URSEAL_E_BAD_VALUE');
  });

  it('stamps at a given size in millimetres (decimals allowed) at or above the minimum', () => {
    const text = ok(dir, ['stamp', 'letter.pdf', '--out', 'big.pdf', ...STAMP, '--size-mm', '52.5']).stdout.trim();
    expect(52.5).toBeGreaterThanOrEqual(minQrSizeMm(text));
    const tail = readFileSync(join(dir, 'big.pdf')).toString('latin1');
    const widths = [...tail.matchAll(/\/BBox \[\s*0 0 ([\d.]+) /g)].map((m) => Number(m[1]));
    expect(widths.some((w) => Math.abs(w - (52.5 * 72) / 25.4) < 0.01)).toBe(true);
  });
});
