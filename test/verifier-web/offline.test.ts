// The verifier page offline and its trust data: service worker, background updates, rollback, stale list, wrong clock.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../../core/hash.js';
import {
  agencyKey,
  DAY,
  MOI_KEY,
  moiAgency,
  MOJ_KEY_1,
  mojAgency,
  signedTrust,
  statusList,
  T0,
  testKey,
  trustList,
} from '../helpers/world.js';
import { buildTestPage, chooseFile, HAVE_CHROMIUM, launch, openPage, qrPng, serve, verdict, type StaticServer } from './harness.js';

const now = Math.floor(Date.now() / 1000);
const today = now - (now % DAY);

async function pasteAndVerify(page: Page, text: string): Promise<{ verdict: string; code: string; text: string }> {
  await page.getByTestId('result').evaluate((e) => e.replaceChildren());
  await page.getByTestId('paste').fill(text);
  await page.getByTestId('paste').press('Enter');
  return verdict(page);
}

describe.skipIf(!HAVE_CHROMIUM)('verifier page offline and trust data', () => {
  let browser: Browser;
  let server: StaticServer;
  let seals: Record<string, string>;
  let context: BrowserContext;

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

  it('works offline after the first load (service worker), including reading an image', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    await openPage(page, server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    });
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    await page.getByTestId('result').evaluate((e) => e.replaceChildren());
    await chooseFile(page, 'seal.png', 'image/png', await qrPng(seals['valid']!));
    expect(await verdict(page)).toMatchObject({ verdict: 'valid', code: 'VALID' });
    await context.close();
  });

  it('updates trust and status lists in the background, refuses a rollback, keeps the newest offline', async () => {
    // The agency's key is revoked in list 2, and document 42 is revoked in the status list.
    const list2 = trustList({
      sequence: 2,
      issuedAt: today,
      expiresAt: today + 30 * DAY,
      agencies: [mojAgency([agencyKey(MOJ_KEY_1, { status: 'revoked', revokedAt: today })])],
    });
    server.routes.set('/status/MOJ', statusList([42], { sequence: 2, issuedAt: today }));
    context = await browser.newContext();
    const page = await context.newPage();
    await openPage(page, server.url);
    await page.waitForFunction(() => window.__urseal.updated > 0);
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'DOCUMENT_REVOKED', verdict: 'invalid' });
    expect(server.log).toContain('/trust-list');
    expect(server.log).toContain('/status/MOJ');

    server.routes.set('/trust-list', signedTrust(list2));
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true && window.__urseal.updated > 0);
    expect(await page.getByTestId('trust-info').innerText()).toMatch(/رقم ٢/);
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'KEY_REVOKED', verdict: 'invalid' });

    // The server (or someone in between) now offers the old list 1: refused, list 2 kept.
    server.routes.set('/trust-list', signedTrust(trustList({ issuedAt: today, expiresAt: today + 30 * DAY })));
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    await page.getByTestId('trust-rejected').waitFor();
    expect(await page.getByTestId('trust-rejected').innerText()).toContain('TRUST_LIST_ROLLBACK');
    expect(await page.getByTestId('trust-info').innerText()).toMatch(/رقم ٢/);

    // Offline: the stored list 2 is used (not the bundled list 1).
    server.routes.clear();
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    expect(await page.getByTestId('trust-info').innerText()).toMatch(/رقم ٢/);
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'KEY_REVOKED' });
    await context.close();
  });

  it('status lists from where the trust list says each agency publishes them: verified, newest kept, no rollback, out of date said', async () => {
    const list2 = trustList({
      sequence: 2,
      issuedAt: today,
      expiresAt: today + 30 * DAY,
      agencies: [
        { ...mojAgency(), statusUrl: `${server.url}lists/moj-status` },
        { ...moiAgency(), statusUrl: `${server.url}lists/moi-status` },
      ],
    });
    server.routes.set('/trust-list', signedTrust(list2));
    server.routes.set('/lists/moj-status', statusList([42], { sequence: 3, issuedAt: today }));
    // MOI's list is months old (it was due for renewal a week after it was made).
    server.routes.set('/lists/moi-status', statusList([], { issuer: 'MOI', key: MOI_KEY, sequence: 1, issuedAt: T0 + 2 * DAY }));
    const logStart = server.log.length;
    context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await openPage(page, server.url);
    await page.waitForFunction(() => window.__urseal.updated > 0);
    const requested = server.log.slice(logStart);
    expect(requested).toEqual(expect.arrayContaining(['/trust-list', '/lists/moj-status', '/lists/moi-status']));
    expect(requested).not.toContain('/status/MOJ');
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'DOCUMENT_REVOKED', verdict: 'invalid' });
    expect(await page.getByTestId('status-info').innerText()).toMatch(/الإلغاءات حتى .* رقم ٣/);

    // The out-of-date list is said on the page, in the verdict and in the trust panel.
    await pasteAndVerify(page, seals['statusUnknown']!);
    const line = page.getByTestId('status-info');
    expect(await line.getAttribute('data-stale')).toBe('1');
    expect(await line.innerText()).toMatch(/الإلغاءات حتى .*قديمة/);
    expect(await page.locator('[data-testid=status-held][data-agency=MOI]').getAttribute('data-stale')).toBe('1');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    expect(await line.innerText()).toMatch(/^Revocations as of .*, out of date/);

    // An older MOJ list offered later is refused (and said); the newer one held is kept, also when nothing is served.
    server.routes.set('/lists/moj-status', statusList([], { sequence: 2, issuedAt: today }));
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    await page.getByTestId('status-rejected').waitFor();
    expect(await page.getByTestId('status-rejected').innerText()).toContain('STATUS_LIST_ROLLBACK');
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'DOCUMENT_REVOKED' });
    server.routes.clear();
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true);
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'DOCUMENT_REVOKED' });
    await context.close();
  });

  it('root rotation: a new root is trusted only after a list signed by a trusted root names it', async () => {
    const root2 = testKey('root-2');
    const rootKey2 = { kid: keyId(root2.publicKey), publicKey: root2.publicKey };
    const list3 = signedTrust(trustList({ sequence: 3, issuedAt: today, expiresAt: today + 30 * DAY, roots: [rootKey2] }), root2);

    // A device that never saw the hand-over refuses a list signed by the new root.
    server.routes.set('/trust-list', list3);
    context = await browser.newContext();
    let page = await context.newPage();
    await openPage(page, server.url);
    await page.getByTestId('trust-rejected').waitFor();
    expect(await page.getByTestId('trust-rejected').innerText()).toContain('TRUST_LIST_UNTRUSTED');
    await context.close();

    // A device that accepted list 2 (signed by the old root, naming the new one) then accepts list 3.
    context = await browser.newContext();
    page = await context.newPage();
    server.routes.set(
      '/trust-list',
      signedTrust(trustList({ sequence: 2, issuedAt: today, expiresAt: today + 30 * DAY, roots: [rootKey2] })),
    );
    await openPage(page, server.url);
    await page.waitForFunction(() => window.__urseal.updated > 0);
    server.routes.set('/trust-list', list3);
    await page.reload();
    await page.waitForFunction(() => window.__urseal?.ready === true && window.__urseal.updated > 0);
    expect(await page.getByTestId('trust-info').innerText()).toMatch(/رقم ٣/);
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ code: 'VALID' });
    server.routes.clear();
    await context.close();
  });

  it('warns when the trust list is past its update date, and when the device clock is behind it', async () => {
    context = await browser.newContext({ serviceWorkers: 'block' });
    let page = await context.newPage();
    await page.clock.setFixedTime(new Date((today + 45 * DAY) * 1000));
    await openPage(page, server.url);
    await page.getByTestId('trust-stale').waitFor();
    expect(await pasteAndVerify(page, seals['valid']!)).toMatchObject({ verdict: 'warning', code: 'TRUST_LIST_STALE' });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const shots = join(process.cwd(), process.env['URSEAL_UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : 'test/verifier-web/out');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'verifier-warning-ar.png'), fullPage: true, animations: 'disabled' });
    await context.close();

    context = await browser.newContext({ serviceWorkers: 'block' });
    page = await context.newPage();
    await page.clock.setFixedTime(new Date((today - 3 * DAY) * 1000));
    await openPage(page, server.url);
    expect(await page.getByTestId('clock-behind').innerText()).toMatch(/ساعة هذا الجهاز/);
    await context.close();
  });
});
