// Bench: the verifier page's budgets in Chromium — first-load transfer (gzip, without the reader wasm) and image-to-verdict time.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import QRCode from 'qrcode';
import { chromium, type Page } from 'playwright-core';
import type { Bench, BenchRow } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'verifier-web'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** What the page exposes for tests and benches (verifier-web/src/main.ts); declared here as tsconfig.build.json does not see the page. */
interface Probed {
  __urseal: { ready: boolean; timings: { input: string; ms: number; code: string }[] };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serve the built folder; record each path requested and the gzip size of what was sent. */
async function serve(dir: string): Promise<{ url: string; sent: Map<string, number>; close: () => Promise<void> }> {
  const sent = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, rel);
    if (!existsSync(file) || rel.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    sent.set(path, (sent.get(path) ?? 0) + gzipSync(body, { level: 9 }).length);
    res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    sent,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** Choose a file made inside the page (as a person picking it), and return the page's own timing of the verdict. */
async function chooseInPage(page: Page, make: string, arg: unknown): Promise<{ ms: number; code: string }> {
  const before = await page.evaluate(() => (window as unknown as Probed).__urseal.timings.length);
  await page.evaluate(
    async ([src, a]) => {
      const makeFile = new Function('arg', `return (${src})(arg)`) as (x: unknown) => Promise<File>;
      const file = await makeFile(a);
      const input = document.querySelector<HTMLInputElement>('[data-testid=file-input]')!;
      const dt = new DataTransfer();
      dt.items.add(file);
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [make, arg] as const,
  );
  await page.waitForFunction((n) => (window as unknown as Probed).__urseal.timings.length > n, before);
  return page.evaluate(() => (window as unknown as Probed).__urseal.timings.at(-1)!);
}

/** A PNG file of a QR as printed (4 px per module). */
const PNG_FILE = `async (b64) => new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'seal.png', { type: 'image/png' })`;
/** A 12-megapixel JPEG "photo": grey paper with noise and the QR (about 8 px per module) off-centre. */
const PHOTO_FILE = `async (b64) => {
  const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
  const c = new OffscreenCanvas(4032, 3024); const g = c.getContext('2d');
  g.fillStyle = '#d8d4cc'; g.fillRect(0, 0, c.width, c.height);
  for (let i = 0; i < 4000; i++) { g.fillStyle = 'rgba(0,0,0,' + (Math.random() * 0.15) + ')'; g.fillRect(Math.random() * 4032, Math.random() * 3024, 3, 3); }
  g.imageSmoothingEnabled = false; g.drawImage(img, 2300, 1400, img.width * 2, img.height * 2);
  return new File([await c.convertToBlob({ type: 'image/jpeg', quality: 0.85 })], 'photo.jpg', { type: 'image/jpeg' });
}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const verifierWeb: Bench = async () => {
  const group = 'verifier-web';
  if (!existsSync(CHROMIUM)) return [{ group, name: `skipped: ${CHROMIUM} not installed`, value: 0, unit: '' }];
  const root = projectRoot();
  const dir = join(root, 'dist/verifier-web');
  if (!existsSync(join(dir, 'demo-seals.json')))
    execFileSync(process.execPath, [join(root, 'verifier-web/build.mjs')], { cwd: root, stdio: 'ignore' });
  const seals = JSON.parse(readFileSync(join(dir, 'demo-seals.json'), 'utf8')) as Record<string, { text: string }>;
  const png = (await QRCode.toBuffer(seals['valid']!.text, { errorCorrectionLevel: 'M', scale: 4, margin: 4 })).toString('base64');

  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const rows: BenchRow[] = [];
  try {
    // First load: everything the page and its service worker fetch, until the page is ready and the SW installed.
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as Partial<Probed>).__urseal?.ready === true);
    const readyMs = performance.now() - t0;
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForTimeout(300);
    const exWasm = [...server.sent].filter(([p]) => !p.endsWith('.wasm')).reduce((s, [, n]) => s + n, 0);
    const wasm = [...server.sent].filter(([p]) => p.endsWith('.wasm')).reduce((s, [, n]) => s + n, 0);
    rows.push({
      group,
      name: 'first-load transfer, gzip, without the reader wasm',
      value: Math.round((exWasm / 1024) * 10) / 10,
      unit: 'KB',
      target: '<= 400',
      pass: exWasm <= 400 * 1024,
      detail: [...server.sent].map(([p, n]) => `${p} ${n}`).join(', '),
    });
    rows.push({ group, name: 'reader wasm transfer, gzip (fetched once, cached)', value: Math.round((wasm / 1024) * 10) / 10, unit: 'KB' });
    rows.push({ group, name: 'page ready (trust list verified), local server', value: Math.round(readyMs), unit: 'ms' });

    // The first image right after load: includes waiting for the wasm to finish compiling.
    const first = await chooseInPage(page, PNG_FILE, png);
    rows.push({
      group,
      name: 'verdict after choosing an image, first right after load',
      value: Math.round(first.ms),
      unit: 'ms',
      detail: first.code,
    });

    const runs = 15;
    for (const [name, make] of [
      ['QR image (PNG, 4 px/module)', PNG_FILE],
      ['12 MP JPEG photo with the QR', PHOTO_FILE],
    ] as const) {
      const ms: number[] = [];
      let code = '';
      for (let i = 0; i < runs; i++) {
        const r = await chooseInPage(page, make, png);
        ms.push(r.ms);
        code = r.code;
      }
      const med = median(ms);
      const max = Math.max(...ms);
      rows.push({
        group,
        name: `verdict after choosing an image: ${name}, median of ${runs}`,
        value: Math.round(med),
        unit: 'ms',
        target: '<= 300',
        pass: med <= 300 && code === 'VALID',
        detail: `max ${Math.round(max)} ms; ${code}`,
      });
    }
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
};
