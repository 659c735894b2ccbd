// Camera scanning in Chromium: the fake capture device plays a video of a seal's QR until the verdict shows.
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import QRCode from 'qrcode';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestPage, HAVE_CHROMIUM, launch, openPage, serve, verdict, type StaticServer } from './harness.js';

/**
 * A YUV4MPEG2 (4:2:0) video of a QR code: dark modules Y=16, light Y=235, chroma neutral. The first frames
 * are blank (the scanner must keep reading until a code appears), then the QR, slightly shifted per frame.
 */
export function qrY4m(text: string, width = 640, height = 480, frames = 12): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor((Math.min(width, height) - 40) / (n + 2 * quiet));
  const side = scale * (n + 2 * quiet);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const parts: Buffer[] = [header];
  for (let f = 0; f < frames; f++) {
    const y = Buffer.alloc(width * height, 235);
    if (f >= 3) {
      const x0 = Math.floor((width - side) / 2) + (f % 3) - 1;
      const y0 = Math.floor((height - side) / 2);
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          if (!qr.modules.get(r, c)) continue;
          for (let dy = 0; dy < scale; dy++) {
            const row = (y0 + (r + quiet) * scale + dy) * width;
            y.fill(16, row + x0 + (c + quiet) * scale, row + x0 + (c + quiet + 1) * scale);
          }
        }
      }
    }
    const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
    parts.push(Buffer.from('FRAME\n'), y, chroma);
  }
  return Buffer.concat(parts);
}

describe.skipIf(!HAVE_CHROMIUM)('camera scanning with the fake capture device', () => {
  let browser: Browser;
  let server: StaticServer;
  let dir: string;

  beforeAll(async () => {
    const b = await buildTestPage();
    dir = b.dir;
    server = await serve(b.dir);
    const videoDir = await mkdtemp(join(tmpdir(), 'urseal-cam-'));
    process.once('exit', () => rmSync(videoDir, { recursive: true, force: true }));
    const video = join(videoDir, 'qr.y4m');
    await writeFile(video, qrY4m(b.seals['valid']!));
    browser = await launch([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reads frames until the QR shows, then gives the verdict and stops the camera', async () => {
    const context = await browser.newContext({ permissions: ['camera'] });
    const page = await context.newPage();
    await openPage(page, server.url);
    await page.getByRole('button', { name: 'المسح بالكاميرا' }).click();
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    expect(await page.locator('#camera').isHidden()).toBe(true);
    expect(await page.evaluate(() => window.__urseal.timings.at(-1)!.input)).toBe('camera');
    await context.close();
  });

  it('also from verify.html opened as a file (file:// is a secure context for the camera)', async () => {
    const context = await browser.newContext({ permissions: ['camera'] });
    const page = await context.newPage();
    await openPage(page, pathToFileURL(join(dir, 'verify.html')).href);
    await page.getByRole('button', { name: 'المسح بالكاميرا' }).click();
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    await context.close();
  });
});
