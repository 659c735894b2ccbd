// verify.html opened from file:// (a USB stick): everything inline, no service worker, no network.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestPage, chooseFile, HAVE_CHROMIUM, launch, openPage, qrPng, verdict } from './harness.js';

describe.skipIf(!HAVE_CHROMIUM)('verify.html from file://', () => {
  let browser: Browser;
  let seals: Record<string, string>;
  let url: string;

  beforeAll(async () => {
    const b = await buildTestPage();
    seals = b.seals;
    url = pathToFileURL(join(b.dir, 'verify.html')).href;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('verifies a pasted seal, an image (inline wasm) and a link, with no request but the file itself', async () => {
    const context = await browser.newContext();
    await context.setOffline(true);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openPage(page, url);

    await page.getByTestId('paste').fill(seals['valid']!);
    await page.getByTestId('paste').press('Enter');
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });

    await page.getByTestId('result').evaluate((e) => e.replaceChildren());
    await chooseFile(page, 'seal.png', 'image/png', await qrPng(seals['revoked']!));
    expect(await verdict(page)).toMatchObject({ verdict: 'invalid', code: 'DOCUMENT_REVOKED' });

    const { toLinkForm } = await import('../../core/seal/pack.js');
    await page.goto(toLinkForm(seals['paper']!, url));
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });

    expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:') && !r.startsWith('blob:'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
