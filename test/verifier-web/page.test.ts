// The verifier page in real Chromium: image, paste, link, scanner, PDF, languages, trust updates, screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLinkForm } from '../../core/seal/pack.js';
import { buildTestPage, chooseFile, HAVE_CHROMIUM, launch, openPage, qrPng, serve, verdict, type StaticServer } from './harness.js';

describe.skipIf(!HAVE_CHROMIUM)('verifier page in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  let seals: Record<string, string>;
  let context: BrowserContext;
  let page: Page;

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

  async function fresh(): Promise<Page> {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 900, height: 1100 } });
    page = await context.newPage();
    await openPage(page, server.url);
    return page;
  }

  it('is Arabic and right to left first', async () => {
    await fresh();
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getByTestId('trust-info').innerText()).toMatch(/قائمة المفاتيح المعتمدة رقم ١/);
  });

  it('image upload: a valid seal shows valid, agency, document type, fields, within 300 ms', async () => {
    await fresh();
    await page.waitForTimeout(300); // let the wasm finish compiling, as a person choosing a file would
    await chooseFile(page, 'seal.png', 'image/png', await qrPng(seals['valid']!));
    const v = await verdict(page);
    expect(v).toMatchObject({ verdict: 'valid', code: 'VALID' });
    // A picture of a PDF-bound seal is a copy: its own look and heading, not the green card of an intact file.
    expect(await page.getByTestId('verdict').getAttribute('data-look')).toBe('copy');
    expect(v.text).toContain('نسخة ورقية');
    expect(v.text).toContain('وزارة العدل');
    expect(v.text).toContain('وكالة عامة');
    expect(v.text).toContain('سارة بنت عبد الله القحطاني');
    expect(await page.getByTestId('key-status').innerText()).toContain('ساري');
    const ms = await page.evaluate(() => window.__urseal.timings.at(-1)!.ms);
    expect(ms).toBeLessThan(300);
  });

  it('image upload: a seal by an unknown key is not valid, and says why', async () => {
    await fresh();
    await chooseFile(page, 'forged.png', 'image/png', await qrPng(seals['unknownKey']!));
    const v = await verdict(page);
    expect(v).toMatchObject({ verdict: 'invalid', code: 'UNKNOWN_KEY' });
    expect(v.text).toContain('غير صالح');
    expect(v.text).toMatch(/غير موجود في قائمة الجهات المعتمدة/);
  });

  it('an older seal with controls and bidi controls in its text shows them as marks, each value isolated', async () => {
    await fresh();
    await page.getByTestId('paste').fill(seals['oddText']!);
    await page.getByTestId('paste').press('Enter');
    const v = await verdict(page);
    expect(v).toMatchObject({ verdict: 'valid', code: 'VALID' });
    expect(v.text).toContain('77⟨U+202E⟩1447');
    const fields = await page.getByTestId('fields').innerText();
    expect(fields).toContain('سارة⟨U+0000⟩');
    expect(fields).toContain('⟨U+2066⟩x⟨U+2069⟩');
    expect(fields).toContain('⟨U+0020⟩⟨U+0020⟩');
    expect(v.text).not.toMatch(/[\u0000-\u0008\u202a-\u202e\u2066-\u2069]/);
    const dirs = await page.locator('[data-testid=fields] td bdi').evaluateAll((es) => es.map((e) => e.getAttribute('dir')));
    expect(dirs.length).toBeGreaterThan(0);
    expect(dirs.every((d) => d === 'auto')).toBe(true);
  });

  it('an image without a QR code says so', async () => {
    await fresh();
    const blank = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');
    await chooseFile(page, 'blank.png', 'image/png', blank);
    expect(await verdict(page)).toMatchObject({ verdict: 'problem', code: 'noQr' });
  });

  it('paste: a paper seal is valid and says what to compare by eye; a revoked document is not valid', async () => {
    await fresh();
    await page.getByTestId('paste').fill(seals['paper']!);
    await page.getByRole('button', { name: 'تحقّق', exact: true }).click();
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    await expect.poll(() => page.getByTestId('paper').innerText()).toMatch(/قارن بعينك/);

    await page.getByTestId('paste').fill(seals['revoked']!);
    await page.getByTestId('paste').press('Enter');
    await expect.poll(async () => (await verdict(page)).code).toBe('DOCUMENT_REVOKED');
  });

  it('link form: opening <page>#UR1B:... shows the verdict at once', async () => {
    await context?.close();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(toLinkForm(seals['valid']!, server.url));
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
  });

  it('verdict colours meet WCAG AA contrast (4.5:1) for valid, invalid, warning, problem and paper copy', async () => {
    await fresh();
    const ratios = await page.evaluate(() => {
      const lum = (rgb: string): number => {
        const [r, g, b] = rgb
          .match(/\d+/g)!
          .slice(0, 3)
          .map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const out: Record<string, number> = {};
      for (const style of ['valid', 'invalid', 'warning', 'problem', 'copy']) {
        const card = document.createElement('div');
        card.className = `verdict verdict-${style}`;
        card.innerHTML = '<div class="verdict-head"><h2 class="verdict-word">x</h2></div>';
        document.body.append(card);
        const cs = getComputedStyle(card.querySelector('.verdict-head')!);
        const [a, b] = [lum(cs.color), lum(cs.backgroundColor)].sort((x, y) => y - x);
        out[style] = (a! + 0.05) / (b! + 0.05);
        card.remove();
      }
      return out;
    });
    for (const [style, ratio] of Object.entries(ratios)) expect(ratio, style).toBeGreaterThanOrEqual(4.5);
  });

  it('works by keyboard alone: Tab to the language toggle and the text box, Enter to verify', async () => {
    await fresh();
    const focused: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(focused).toEqual(
      expect.arrayContaining(['lang-ar', 'lang-en', 'lang-ckb', 'scan-start', 'file-input', 'paste', 'paste-verify']),
    );
    await page.focus('#paste');
    await page.keyboard.insertText(seals['valid']!);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await verdict(page)).toMatchObject({ verdict: 'valid' });
    expect(await page.locator('#result-region').getAttribute('aria-live')).toBe('polite');
  });

  it('English on a three-way language choice, remembered after a reload', async () => {
    await fresh();
    expect(await page.locator('#lang-ar').getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    expect(await page.locator('#lang-en').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByTestId('paste').fill(seals['valid']!);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const v = await verdict(page);
    expect(v.text).toContain('Valid');
    expect(v.text).toContain('Ministry of Justice');
    expect(v.text).toContain('Principal');
  });
});
