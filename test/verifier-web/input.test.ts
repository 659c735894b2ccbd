// Verifier page inputs in Chromium: a USB scanner typing through an Arabic layout, PDF files, no outside requests, screenshots.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stampPdf } from '../../issuer/stamp/stamp.js';
import { backend, claims, MOJ_KEY_1, seal } from '../helpers/world.js';
import { buildTestPage, chooseFile, HAVE_CHROMIUM, launch, openPage, qrPng, serve, verdict, type StaticServer } from './harness.js';

/** Windows Arabic (101): what each key that Base45 uses produces, with its physical key and Shift. */
const ARABIC_KEYS: Record<string, { key: string; code: string; shift: boolean }> = {
  A: { key: '\u0650', code: 'KeyA', shift: true },
  B: { key: 'لآ', code: 'KeyB', shift: true },
  C: { key: '}', code: 'KeyC', shift: true },
  D: { key: ']', code: 'KeyD', shift: true },
  E: { key: '\u064F', code: 'KeyE', shift: true },
  F: { key: '[', code: 'KeyF', shift: true },
  G: { key: 'لأ', code: 'KeyG', shift: true },
  H: { key: 'أ', code: 'KeyH', shift: true },
  I: { key: '÷', code: 'KeyI', shift: true },
  J: { key: '\u0640', code: 'KeyJ', shift: true },
  K: { key: '،', code: 'KeyK', shift: true },
  L: { key: '/', code: 'KeyL', shift: true },
  M: { key: '\u2019', code: 'KeyM', shift: true },
  N: { key: 'آ', code: 'KeyN', shift: true },
  O: { key: '×', code: 'KeyO', shift: true },
  P: { key: '؛', code: 'KeyP', shift: true },
  Q: { key: '\u064E', code: 'KeyQ', shift: true },
  R: { key: '\u064C', code: 'KeyR', shift: true },
  S: { key: '\u064D', code: 'KeyS', shift: true },
  T: { key: 'لإ', code: 'KeyT', shift: true },
  U: { key: '\u2018', code: 'KeyU', shift: true },
  V: { key: '{', code: 'KeyV', shift: true },
  W: { key: '\u064B', code: 'KeyW', shift: true },
  X: { key: '\u0652', code: 'KeyX', shift: true },
  Y: { key: 'إ', code: 'KeyY', shift: true },
  Z: { key: '~', code: 'KeyZ', shift: true },
  ' ': { key: ' ', code: 'Space', shift: false },
  $: { key: '$', code: 'Digit4', shift: true },
  '%': { key: '%', code: 'Digit5', shift: true },
  '*': { key: '*', code: 'Digit8', shift: true },
  '+': { key: '+', code: 'Equal', shift: true },
  '-': { key: '-', code: 'Minus', shift: false },
  '.': { key: 'ز', code: 'Period', shift: false },
  '/': { key: 'ظ', code: 'Slash', shift: false },
  ':': { key: ':', code: 'Semicolon', shift: true },
};
for (let d = 0; d <= 9; d++) ARABIC_KEYS[String(d)] = { key: String.fromCharCode(0x660 + d), code: `Digit${d}`, shift: false };

function arabicKeys(text: string): { key: string; code: string; shift: boolean }[] {
  return [...text].map((c) => {
    const k = ARABIC_KEYS[c];
    if (!k) throw new Error(`no Arabic-layout key for ${JSON.stringify(c)}`);
    return k;
  });
}

/** Type like a keyboard-wedge scanner: one keydown per character, then Enter. */
async function scannerTypes(page: Page, keys: { key: string; code: string; shift: boolean }[]): Promise<void> {
  await page.evaluate((ks) => {
    for (const k of [...ks, { key: 'Enter', code: 'Enter', shift: false }]) {
      document.body.dispatchEvent(
        new KeyboardEvent('keydown', { key: k.key, code: k.code, shiftKey: k.shift, bubbles: true, cancelable: true }),
      );
    }
  }, keys);
}

async function makePdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save({ useObjectStreams: false });
}

describe.skipIf(!HAVE_CHROMIUM)('verifier page inputs in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  let seals: Record<string, string>;
  let page: Page;
  const outside: string[] = [];

  beforeAll(async () => {
    const b = await buildTestPage();
    seals = b.seals;
    server = await serve(b.dir);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function fresh(lang: 'ar' | 'en' = 'ar'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 820, height: 1000 } });
    if (lang === 'en') await context.addInitScript(() => localStorage.setItem('urseal.lang', 'en'));
    page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
    });
    await openPage(page, server.url);
    return page;
  }

  it('USB scanner with an Arabic keyboard layout (physical key codes): verdict at once', async () => {
    await fresh();
    await scannerTypes(page, arabicKeys(seals['valid']!));
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
  });

  it('USB scanner, Arabic layout, no key codes (only the Arabic characters and Arabic-Indic digits)', async () => {
    await fresh();
    await scannerTypes(
      page,
      arabicKeys(seals['valid']!).map((k) => ({ ...k, code: '' })),
    );
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
  });

  it('USB scanner typing Arabic-layout text into the text box, ending with Enter', async () => {
    await fresh();
    const arabic = arabicKeys(seals['valid']!)
      .map((k) => k.key)
      .join('');
    await page.getByTestId('paste').focus();
    await page.keyboard.insertText(arabic);
    await page.keyboard.press('Enter');
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
  });

  it('PDF upload: valid and intact; modified after stamping; not stamped', async () => {
    const original = await makePdf('Power of attorney 1447/2026');
    const hash = new Uint8Array(createHash('sha256').update(original).digest());
    const text = seal(claims({}, { hash, length: original.length, status: 42 }));
    const stamped = await stampPdf(original, { sealText: text, sign: (m) => backend.signSync(MOJ_KEY_1, m) });

    await fresh();
    await chooseFile(page, 'stamped.pdf', 'application/pdf', stamped);
    let v = await verdict(page);
    expect(v).toMatchObject({ verdict: 'valid', code: 'VALID' });
    expect(await page.getByTestId('file-check').innerText()).toMatch(/مطابق تماماً/);

    await chooseFile(page, 'modified.pdf', 'application/pdf', new Uint8Array([...stamped, ...Buffer.from('%edited\n')]));
    await expect.poll(async () => (await verdict(page)).code).toBe('FILE_MODIFIED');
    v = await verdict(page);
    expect(v.verdict).toBe('invalid');
    expect(v.text).toMatch(/ليس الملف الذي أصدرته الجهة/);

    await chooseFile(page, 'plain.pdf', 'application/pdf', original);
    await expect.poll(async () => (await verdict(page)).code).toBe('NO_SEAL');
  });

  it('PDF upload: a scanned paper document (page image only) is read from its JPEG page image', async () => {
    await fresh();
    const png = (await qrPng(seals['paper']!)).toString('base64');
    // A 150 dpi A4 "scan" made by the browser's own JPEG encoder, with the QR at 8 px per module.
    const jpeg = await page.evaluate(async (b64) => {
      const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const c = new OffscreenCanvas(1240, 1754);
      const g = c.getContext('2d')!;
      g.fillStyle = '#f4f1ea';
      g.fillRect(0, 0, c.width, c.height);
      g.imageSmoothingEnabled = false;
      g.drawImage(img, 120, 1754 - 120 - img.height * 2, img.width * 2, img.height * 2);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 })).arrayBuffer());
      let bin = '';
      for (const b of bytes) bin += String.fromCharCode(b);
      return btoa(bin);
    }, png);
    const doc = await PDFDocument.create();
    const image = await doc.embedJpg(Buffer.from(jpeg, 'base64'));
    doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    await chooseFile(page, 'scan.pdf', 'application/pdf', await doc.save());
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    expect(await page.getByTestId('paper').innerText()).toMatch(/قارن بعينك/);
    expect(await page.evaluate(() => window.__urseal.timings.at(-1)!.input)).toBe('pdf-scan');
    // A paper copy in look, and the verdict names the scanned file.
    expect(await page.getByTestId('verdict').getAttribute('data-look')).toBe('copy');
    expect(await page.getByTestId('scanned-file').innerText()).toBe('الملف: scan.pdf');
  });

  it('PDF upload: a lossless scan (Flate page image, PNG-like) is read from its decoded pixels', async () => {
    await fresh();
    const png = (await qrPng(seals['paper']!)).toString('base64');
    // A 150 dpi A4 page as PNG (pdf-lib stores it as a Flate image with PNG predictors), QR at 6 px per module.
    const page150 = await page.evaluate(async (b64) => {
      const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const c = new OffscreenCanvas(1240, 1754);
      const g = c.getContext('2d')!;
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, c.width, c.height);
      g.imageSmoothingEnabled = false;
      g.drawImage(img, 1240 - 120 - img.width * 1.5, 120, img.width * 1.5, img.height * 1.5);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let bin = '';
      for (const b of bytes) bin += String.fromCharCode(b);
      return btoa(bin);
    }, png);
    const doc = await PDFDocument.create();
    const image = await doc.embedPng(Buffer.from(page150, 'base64'));
    doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    const pdf = await doc.save();
    expect(Buffer.from(pdf).includes('/DCTDecode')).toBe(false); // no JPEG in it: the Flate path is what reads it
    await chooseFile(page, 'lossless-scan.pdf', 'application/pdf', pdf);
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    expect(await page.evaluate(() => window.__urseal.timings.at(-1)!.input)).toBe('pdf-scan');
  });

  it('screenshots of a valid and an invalid verdict, Arabic and English', async () => {
    // Written to test/verifier-web/out (ignored) unless URSEAL_UPDATE_SCREENSHOTS=1 refreshes the README's copies.
    const dir = join(process.cwd(), process.env['URSEAL_UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : 'test/verifier-web/out');
    await mkdir(dir, { recursive: true });
    const original = await makePdf('Power of attorney 1447/2026');
    const hash = new Uint8Array(createHash('sha256').update(original).digest());
    const text = seal(claims({}, { hash, length: original.length, status: 42 }));
    const stamped = await stampPdf(original, { sealText: text, sign: (m) => backend.signSync(MOJ_KEY_1, m) });
    // [file, language, seal text to paste, or a PDF to open]
    const shots: [string, 'ar' | 'en', string | Uint8Array][] = [
      ['verifier-valid-ar.png', 'ar', stamped],
      ['verifier-invalid-ar.png', 'ar', seals['revoked']!],
      ['verifier-valid-en.png', 'en', seals['paper']!],
      ['verifier-invalid-en.png', 'en', seals['unknownKey']!],
    ];
    for (const [name, lang, input] of shots) {
      await fresh(lang);
      if (typeof input === 'string') {
        await page.getByTestId('paste').fill(input);
        await page.getByTestId('paste').press('Enter');
      } else await chooseFile(page, 'power-of-attorney-1447.pdf', 'application/pdf', input);
      await verdict(page);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: join(dir, name), fullPage: true, animations: 'disabled' });
      await page.context().close();
    }
  });

  it('made no request outside the page origin (the reader wasm is ours, no CDN)', () => {
    expect(outside).toEqual([]);
    expect(server.log).toContain('/zxing_reader.wasm');
  });
});
