// Scans of every kind in the page (Chromium): the same PDFs as the CLI's scan tests read the same, JBIG2/JPEG 2000
// decoders load only when a scan needs them (also offline from verify.html), and a photo of a PDF-bound seal is a copy.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealsInPageImages } from '../../cli/verify-pdf.js';
import { stampPdf } from '../../issuer/stamp/stamp.js';
import { backend, claims, MOJ_KEY_1, seal } from '../helpers/world.js';
import { imagePagePdf, jbig2PageInfo, jbig2Segment, makeScans, SCAN_KINDS, SCANS, type MadeScans } from '../helpers/scans.js';
import { buildTestPage, chooseFile, HAVE_CHROMIUM, launch, openPage, serve, verdict, type StaticServer } from './harness.js';

describe.skipIf(!HAVE_CHROMIUM)('scanned PDFs of every kind in the page', () => {
  let browser: Browser;
  let server: StaticServer;
  let buildDir: string;
  let text: string;
  const scans = new Map<number, MadeScans>();
  const outside: string[] = [];

  beforeAll(async () => {
    const b = await buildTestPage();
    buildDir = b.dir;
    server = await serve(b.dir);
    browser = await launch();
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc
      .addPage([595, 842])
      .drawText('Power of attorney 1447/2026', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    const original = await doc.save({ useObjectStreams: false });
    const hash = new Uint8Array(createHash('sha256').update(original).digest());
    text = seal(claims({}, { hash, length: original.length, status: 42 }));
    const dir = mkdtempSync(join(tmpdir(), 'urseal-web-scans-'));
    writeFileSync(join(dir, 'sealed.pdf'), await stampPdf(original, { sealText: text, sign: (m) => backend.signSync(MOJ_KEY_1, m) }));
    for (const s of [SCANS[0], SCANS[1]]) scans.set(s.dpi, makeScans(dir, join(dir, 'sealed.pdf'), s, text));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function fresh(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 820, height: 1000 } });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
    });
    await openPage(page, server.url);
    return page;
  }

  const loads = (page: Page): Promise<number> => page.evaluate(() => window.__urseal.decoderLoads.count);

  it('every kind at 150 and 200 dpi reads as in the CLI: VALID with "compare by eye"; decoders load only for JBIG2/JPX', async () => {
    const page = await fresh();
    for (const [dpi, made] of scans) {
      for (const kind of SCAN_KINDS) {
        const cli = (await sealsInPageImages(made.pdfs[kind])).includes(text);
        await page.getByTestId('result').evaluate((e) => e.replaceChildren());
        await chooseFile(page, `scan-${kind}-${dpi}.pdf`, 'application/pdf', made.pdfs[kind]);
        const v = await verdict(page);
        expect({ kind, dpi, page: v.code === 'VALID' }).toEqual({ kind, dpi, page: cli });
        if (v.code === 'VALID') {
          expect(await page.getByTestId('paper').innerText()).toMatch(/قارن بعينك/);
          expect(await page.evaluate(() => window.__urseal.timings.at(-1)!.input)).toBe('pdf-scan');
        }
        // The decoder chunk is loaded once, by the first JBIG2 or JPEG 2000 scan, never before.
        const coded = SCAN_KINDS.indexOf(kind) >= SCAN_KINDS.indexOf('jbig2-mmr');
        if (dpi === SCANS[0].dpi) expect(await loads(page), kind).toBe(coded ? 1 : 0);
      }
    }
    expect(scans.get(200)!.zbarContinuous && scans.get(200)!.zbarBilevel).toBe(true);
    expect(server.log).toContain('/scan-decoders.js');
    expect(server.log).toContain('/openjpeg.wasm');
    await page.context().close();
  }, 180_000);

  it('a hostile JBIG2 page image gives a clean NO_SEAL, and the page still works', async () => {
    const page = await fresh();
    const huge = Buffer.concat([jbig2Segment(1, 48, 1, jbig2PageInfo(100_000, 100_000)), jbig2Segment(2, 49, 1, [])]);
    const pdf = imagePagePdf({ entries: '/Width 100 /Height 100 /BitsPerComponent 1 /Filter /JBIG2Decode', data: huge });
    await chooseFile(page, 'hostile.pdf', 'application/pdf', pdf);
    expect(await verdict(page)).toMatchObject({ verdict: 'invalid', code: 'NO_SEAL' });
    await chooseFile(page, 'scan.pdf', 'application/pdf', scans.get(200)!.pdfs['jbig2-mmr']);
    await expect.poll(async () => (await verdict(page)).code).toBe('VALID');
    await page.context().close();
  });

  it('a photo of a PDF-bound seal (not the file) is a copy: VALID with the note to compare the printed text', async () => {
    const page = await fresh();
    await chooseFile(page, 'photo.jpg', 'image/jpeg', readFileSync(scans.get(200)!.jpg));
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    const note = await page.getByTestId('paper').innerText();
    expect(note).toMatch(/قارن النص المطبوع/);
    expect(note).toMatch(/ملف PDF/);
    expect(await page.getByTestId('file-check').count()).toBe(0);
    await page.context().close();
  });

  it('verify.html from file://, offline: JBIG2 and JPEG 2000 scans read with the inline decoders, no request', async () => {
    const context = await browser.newContext();
    await context.setOffline(true);
    const page = await context.newPage();
    const url = pathToFileURL(join(buildDir, 'verify.html')).href;
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openPage(page, url);
    for (const kind of ['jbig2-generic', 'jpx'] as const) {
      await page.getByTestId('result').evaluate((e) => e.replaceChildren());
      await chooseFile(page, `${kind}.pdf`, 'application/pdf', scans.get(200)!.pdfs[kind]);
      expect(await verdict(page), kind).toMatchObject({ verdict: 'valid', code: 'VALID' });
    }
    expect(await loads(page)).toBe(1);
    expect(requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:') && !r.startsWith('blob:'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('served page offline (service worker): JBIG2 and JPEG 2000 scans still read, their decoders from the cache', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openPage(page, server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    });
    expect(await loads(page)).toBe(0); // opening the page loads no decoder
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    for (const kind of ['jbig2-mmr', 'jpx'] as const) {
      await page.getByTestId('result').evaluate((e) => e.replaceChildren());
      await chooseFile(page, `${kind}.pdf`, 'application/pdf', scans.get(150)!.pdfs[kind]);
      expect(await verdict(page), kind).toMatchObject({ verdict: 'valid', code: 'VALID' });
    }
    await context.close();
  });

  it('made no request outside the page origin', () => {
    expect(outside).toEqual([]);
  });
});
