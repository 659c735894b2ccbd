// The verifier page on a phone (360x740) and a desktop (1280x800), in Arabic, English and Kurdish: for every verdict
// kind, nothing is wider than its box, the verdict word is one line, "check another document" is in view; plus the
// wording rules of issue 11 (paper copies look different, no "صالح" in a revoked verdict's key line, file named).
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_CODES, type ResultCode } from '../../core/results.js';
import { stampPdf } from '../../issuer/stamp/stamp.js';
import { RESULT_CKB, UI } from '../../verifier-web/src/i18n.js';
import { backend, claims, MOJ_KEY_1, seal } from '../helpers/world.js';
import { buildTestPage, chooseFile, HAVE_CHROMIUM, launch, openPage, serve, verdict, type StaticServer } from './harness.js';

type Lang = 'ar' | 'en' | 'ckb';
const LANGS: Lang[] = ['ar', 'en', 'ckb'];
const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];

/** What is wrong with the layout now: anything wider than the screen or its box, the page scrolling sideways. */
function overflowProblems(): string[] {
  const vw = document.documentElement.clientWidth;
  const out: string[] = [];
  if (document.documentElement.scrollWidth > vw) out.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
  const name = (e: Element): string =>
    `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('[hidden], noscript, .visually-hidden, #file-input, script')) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -0.5 || r.right > vw + 0.5) out.push(`${name(e)} outside the screen (${r.left.toFixed(1)}..${r.right.toFixed(1)})`);
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
      out.push(`${name(e)} content wider than its box (${e.scrollWidth} > ${e.clientWidth})`);
    const p = e.parentElement;
    if (p && p !== document.body && getComputedStyle(e).position !== 'absolute') {
      const pr = p.getBoundingClientRect();
      if (r.left < pr.left - 0.5 || r.right > pr.right + 0.5) out.push(`${name(e)} wider than its parent ${name(p)}`);
    }
  }
  return out;
}

/** A 1x1 white PNG: a picture with no QR code in it. */
const BLANK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64');

async function makePdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 72, y: 760, size: 14, font });
  return doc.save();
}

describe.skipIf(!HAVE_CHROMIUM)('verifier page layout and wording on a phone and a desktop, in three languages', () => {
  let browser: Browser;
  let server: StaticServer;
  let seals: Record<string, string>;
  let stamped: Uint8Array;

  beforeAll(async () => {
    const b = await buildTestPage();
    seals = b.seals;
    server = await serve(b.dir);
    browser = await launch();
    const original = await makePdf('Power of attorney 1447/2026');
    const hash = new Uint8Array(createHash('sha256').update(original).digest());
    stamped = await stampPdf(original, {
      sealText: seal(claims({}, { hash, length: original.length, status: 42 })),
      sign: (m) => backend.signSync(MOJ_KEY_1, m),
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(lang: Lang, viewport: { width: number; height: number }, digits?: 'latn'): Promise<Page> {
    const context = await browser.newContext({ viewport });
    await context.addInitScript(
      ([l, d]) => {
        localStorage.setItem('urseal.lang', l!);
        if (d) localStorage.setItem('urseal.digits', d);
      },
      [lang, digits ?? ''],
    );
    const page = await context.newPage();
    await openPage(page, server.url);
    return page;
  }

  async function paste(page: Page, text: string): Promise<Awaited<ReturnType<typeof verdict>>> {
    await page.getByTestId('result').evaluate((e) => e.replaceChildren());
    await page.getByTestId('paste').fill(text);
    await page.getByTestId('paste').press('Enter');
    return verdict(page);
  }

  async function upload(page: Page, name: string, bytes: Uint8Array): Promise<Awaited<ReturnType<typeof verdict>>> {
    await page.getByTestId('result').evaluate((e) => e.replaceChildren());
    await chooseFile(page, name, 'application/pdf', bytes);
    return verdict(page);
  }

  async function image(page: Page, name: string, bytes: Uint8Array): Promise<Awaited<ReturnType<typeof verdict>>> {
    await page.getByTestId('result').evaluate((e) => e.replaceChildren());
    await chooseFile(page, name, 'image/png', bytes);
    return verdict(page);
  }

  /** Every verdict kind the page shows: [name, how to get it, expected code, expected look]. */
  function kinds(): [string, (p: Page) => Promise<Awaited<ReturnType<typeof verdict>>>, string, string][] {
    return [
      ['intact PDF', (p) => upload(p, 'stamped.pdf', stamped), 'VALID', 'valid'],
      [
        'modified PDF',
        (p) => upload(p, 'modified.pdf', new Uint8Array([...stamped, ...Buffer.from('%edited\n')])),
        'FILE_MODIFIED',
        'invalid',
      ],
      [
        'PDF without a seal',
        (p) => upload(p, 'plain-document-without-any-seal-2026.pdf', Buffer.from('%PDF-1.7\n%%EOF\n')),
        'NO_SEAL',
        'invalid',
      ],
      ['copy of a PDF-bound seal', (p) => paste(p, seals['valid']!), 'VALID', 'copy'],
      ['paper seal', (p) => paste(p, seals['paper']!), 'VALID', 'copy'],
      ['paper seal with long values', (p) => paste(p, seals['long']!), 'VALID', 'copy'],
      ['revoked document', (p) => paste(p, seals['revoked']!), 'DOCUMENT_REVOKED', 'invalid'],
      ['unknown key', (p) => paste(p, seals['unknownKey']!), 'UNKNOWN_KEY', 'invalid'],
      ['revocation not checked', (p) => paste(p, seals['statusUnknown']!), 'STATUS_UNKNOWN', 'warning'],
      ['malformed', (p) => paste(p, 'UR1:THIS-IS-NOT-A-SEAL'), 'MALFORMED', 'invalid'],
      ['picture without a QR code', (p) => image(p, 'blank-photo-of-a-desk.png', BLANK_PNG), 'noQr', 'problem'],
    ];
  }

  for (const viewport of VIEWPORTS) {
    for (const lang of LANGS) {
      it(`${viewport.width}x${viewport.height} ${lang}: no overflow, one-line verdict word, "check another" in view, for every verdict kind`, async () => {
        const page = await open(lang, viewport);
        expect(await page.evaluate(overflowProblems), 'before any verdict').toEqual([]);
        for (const [kind, run, code, look] of kinds()) {
          const v = await run(page);
          expect({ kind, code: v.code, look: await page.getByTestId('verdict').getAttribute('data-look') }).toEqual({ kind, code, look });
          // Kurdish for every code (never the Arabic or English fallback).
          if (lang === 'ckb' && look !== 'problem')
            expect(await page.getByTestId('message').innerText(), kind).toBe(RESULT_CKB[code as ResultCode]);
          expect(await page.evaluate(overflowProblems), `${kind}`).toEqual([]);
          const word = await page.locator('#verdict-word').evaluate((h) => {
            const lh = parseFloat(getComputedStyle(h).lineHeight);
            return { height: h.getBoundingClientRect().height, lh };
          });
          expect(word.height, `${kind}: verdict word on one line`).toBeLessThan(word.lh * 1.5);
          const again = await page.getByTestId('again').boundingBox();
          expect(again, kind).not.toBeNull();
          expect(again!.y, `${kind}: "check another" in view`).toBeGreaterThanOrEqual(0);
          expect(again!.y + again!.height, `${kind}: "check another" in view`).toBeLessThanOrEqual(viewport.height + 0.5);
        }
        await page.context().close();
      }, 120_000);
    }
  }

  it('the verdict word "غير صالح" stays on one line at 360 px and the title fits', async () => {
    const page = await open('ar', VIEWPORTS[0]!);
    const v = await paste(page, seals['unknownKey']!);
    expect(v.code).toBe('UNKNOWN_KEY');
    const word = await page.locator('#verdict-word').evaluate((h) => ({
      text: h.textContent,
      rects: h.getClientRects().length,
      lines: Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)),
    }));
    expect(word).toEqual({ text: 'غير صالح', rects: 1, lines: 1 });
    const h1 = await page.locator('h1').evaluate((h) => ({
      sw: h.scrollWidth,
      cw: h.clientWidth,
      right: h.getBoundingClientRect().right,
      left: h.getBoundingClientRect().left,
    }));
    expect(h1.sw).toBeLessThanOrEqual(h1.cw);
    expect(h1.left).toBeGreaterThanOrEqual(0);
    expect(h1.right).toBeLessThanOrEqual(360);
    await page.context().close();
  });

  it('the overflow measure finds a value wider than its box (it can fail)', async () => {
    const page = await open('ar', VIEWPORTS[0]!);
    await paste(page, seals['paper']!);
    expect(await page.evaluate(overflowProblems)).toEqual([]);
    await page.getByTestId('doc-number').evaluate((dd) => {
      (dd as HTMLElement).style.whiteSpace = 'nowrap';
      (dd as HTMLElement).style.overflowWrap = 'normal';
      dd.textContent = 'X'.repeat(80);
    });
    const problems = await page.evaluate(overflowProblems);
    expect(problems.some((p) => p.includes('doc-number'))).toBe(true);
    await page.context().close();
  });

  it('"check another document" clears the verdict and goes back to the camera button', async () => {
    const page = await open('ar', VIEWPORTS[0]!);
    await paste(page, seals['revoked']!);
    await page.getByTestId('again').click();
    expect(await page.getByTestId('verdict').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scan-start');
    expect(await page.getByTestId('paste').inputValue()).toBe('');
    await page.context().close();
  });

  it('a paper copy has its own look and heading; an intact PDF is the green card and names its file', async () => {
    const page = await open('en', VIEWPORTS[1]!);
    await paste(page, seals['paper']!);
    const card = page.getByTestId('verdict');
    expect(await card.getAttribute('data-look')).toBe('copy');
    expect(await card.getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('#verdict-word').innerText()).toBe('Paper copy');
    expect(await page.getByTestId('copy-sub').innerText()).toMatch(/compare the printed text/);
    const copyBg = await page.locator('.verdict-head').evaluate((e) => getComputedStyle(e).backgroundColor);
    // The compare-by-eye note comes before the details, near the top, not under them.
    const order = await card.evaluate((c) => [...c.children].map((e) => e.getAttribute('data-testid') ?? e.className));
    expect(order.indexOf('paper')).toBeLessThan(order.indexOf('facts'));

    await upload(page, 'stamped.pdf', stamped);
    expect(await card.getAttribute('data-look')).toBe('valid');
    expect(await page.locator('#verdict-word').innerText()).toBe('Valid');
    const validBg = await page.locator('.verdict-head').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(validBg).not.toBe(copyBg);
    expect(await page.getByTestId('file-name').innerText()).toBe('stamped.pdf');
    const fileLine = await page.getByTestId('file-check').innerText();
    expect(fileLine).toMatch(/^stamped\.pdf: File intact/);
    expect(fileLine).not.toMatch(/File: File|file:.*file intact/i);
    await page.context().close();
  });

  it('revoked: no "صالح" in the key-status line; the paste label isolates UR1: and #UR1B: left to right', async () => {
    const page = await open('ar', VIEWPORTS[0]!);
    const v = await paste(page, seals['revoked']!);
    expect(v.code).toBe('DOCUMENT_REVOKED');
    const keyLine = await page.getByTestId('key-status').innerText();
    expect(keyLine).toContain('ساري');
    expect(keyLine).not.toContain('صالح');
    const markers = await page.locator('#paste-label bdi').evaluateAll((es) => es.map((e) => [e.getAttribute('dir'), e.textContent]));
    expect(markers).toEqual([
      ['ltr', 'UR1:'],
      ['ltr', '#UR1B:'],
    ]);
    await page.context().close();
  });

  it('dates as Iraqis read them (ar-IQ, Sorani months), Arabic-Indic digits by default, Latin as a remembered option', async () => {
    const page = await open('ar', VIEWPORTS[1]!);
    await paste(page, seals['paper']!);
    // The test world's seals are issued on 2 January 2026.
    expect(await page.getByTestId('issued').innerText()).toMatch(/^٢ كانون الثاني ٢٠٢٦/);
    await page.locator('#digits-toggle').click();
    expect(await page.getByTestId('issued').innerText()).toMatch(/^2 كانون الثاني 2026/);
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    await paste(page, seals['paper']!);
    expect(await page.getByTestId('issued').innerText()).toMatch(/^2 كانون الثاني 2026/);
    await page.getByRole('button', { name: 'کوردی', exact: true }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('ckb');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getByTestId('issued').innerText()).toMatch(/^2ی کانوونی دووەمی 2026، \d{1,2}:\d\d$/);
    await page.locator('#digits-toggle').click();
    expect(await page.getByTestId('issued').innerText()).toMatch(/^٢ی کانوونی دووەمی ٢٠٢٦، [٠-٩]{1,2}:[٠-٩]{2}$/);
    await page.context().close();
  });

  it('Kurdish: page texts, verdict words and trust-list labels (ckb when published)', async () => {
    const page = await open('ckb', VIEWPORTS[1]!);
    expect(await page.locator('h1').innerText()).toBe(UI.title.ckb);
    expect(await page.locator('#lang-ckb').getAttribute('aria-pressed')).toBe('true');
    const v = await paste(page, seals['paper']!);
    expect(v.text).toContain('وەزارەتی داد');
    expect(v.text).toContain('وەکالەتنامەی گشتی');
    expect(await page.getByTestId('fields').innerText()).toContain('ناوی وەکالەتدەر');
    await paste(page, seals['unknownKey']!);
    expect(await page.locator('#verdict-word').innerText()).toBe(UI.wordInvalid.ckb);
    await page.context().close();
  });

  it('every result code and every page text has Kurdish, in Arabic script and not a copy of the Arabic', () => {
    for (const code of Object.keys(RESULT_CODES) as ResultCode[]) {
      const ckb = RESULT_CKB[code];
      expect(ckb, code).toMatch(/[\u0600-\u06ff]/);
      expect(ckb, code).not.toBe(RESULT_CODES[code].message.ar);
    }
    for (const [key, text] of Object.entries(UI)) {
      expect(text.ckb, key).not.toBe('');
      if (/[\u0600-\u06ff]/.test(text.ar) && !/^[{}\w\s:.#()/-]*$/.test(text.ckb)) expect(text.ckb, key).not.toBe(text.ar);
    }
  });

  it('screenshots on a phone: Arabic, Kurdish and English verdicts (docs/screenshots with URSEAL_UPDATE_SCREENSHOTS=1)', async () => {
    const dir = join(process.cwd(), process.env['URSEAL_UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : 'test/verifier-web/out');
    await mkdir(dir, { recursive: true });
    const shots: [string, Lang, (p: Page) => Promise<unknown>][] = [
      ['verifier-phone-invalid-ar.png', 'ar', (p) => paste(p, seals['revoked']!)],
      ['verifier-phone-copy-ar.png', 'ar', (p) => paste(p, seals['paper']!)],
      ['verifier-phone-valid-pdf-ckb.png', 'ckb', (p) => upload(p, 'stamped.pdf', stamped)],
      ['verifier-phone-warning-ckb.png', 'ckb', (p) => paste(p, seals['statusUnknown']!)],
      ['verifier-phone-copy-en.png', 'en', (p) => paste(p, seals['long']!)],
    ];
    for (const [name, lang, run] of shots) {
      const page = await open(lang, VIEWPORTS[0]!);
      await run(page);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      // What the phone shows (not the full page): the verdict head and the "check another" bar.
      await page.screenshot({ path: join(dir, name), animations: 'disabled' });
      await page.context().close();
    }
  }, 120_000);
});
