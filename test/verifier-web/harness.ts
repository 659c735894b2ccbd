// Shared set-up of the browser tests: a test-world build of the page, a tiny static server, Chromium via playwright-core.
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import QRCode from 'qrcode';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { buildVerifierWeb, demoInputs, type WebBuildResult } from '../../verifier-web/build.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`verifier-web browser tests skipped: ${CHROMIUM} is not installed (.ci/run installs Debian's chromium)`);

export const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch(extraArgs: string[] = [], opts: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...extraArgs], ...opts });
}

/** A build of the page with the test world, in a fresh temporary folder. */
export async function buildTestPage(): Promise<{ build: WebBuildResult; seals: Record<string, string>; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'urseal-web-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const demo = await demoInputs();
  const build = await buildVerifierWeb({ ...demo, outDir: dir, minify: true });
  return { build, seals: demo.seals, dir };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface StaticServer {
  url: string;
  /** Extra routes served from memory (e.g. '/trust-list'), settable during a test. */
  routes: Map<string, Uint8Array>;
  /** Every path requested, in order. */
  log: string[];
  close(): Promise<void>;
}

/** Serve `dir` on 127.0.0.1 (random port), plus in-memory routes. */
export async function serve(dir: string): Promise<StaticServer> {
  const routes = new Map<string, Uint8Array>();
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    log.push(path);
    const mem = routes.get(path);
    if (mem) {
      res.writeHead(200, { 'content-type': 'application/cose', 'cache-control': 'no-cache' });
      res.end(mem);
      return;
    }
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    readFile(join(dir, rel)).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
        res.end(body);
      },
      () => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      },
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    routes,
    log,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** A QR PNG of a seal text (error correction M, 4 px per module, 4-module quiet zone). */
export function qrPng(text: string, scale = 4): Promise<Buffer> {
  return QRCode.toBuffer(text, { errorCorrectionLevel: 'M', scale, margin: 4 });
}

/** Open the page and wait until it has loaded its trust data. */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.__urseal?.ready === true);
}

/** Wait for a verdict and return its style and code. */
export async function verdict(page: Page): Promise<{ verdict: string; code: string; text: string }> {
  const v = page.getByTestId('verdict');
  await v.waitFor();
  return {
    verdict: (await v.getAttribute('data-verdict')) ?? '',
    code: (await v.getAttribute('data-code')) ?? '',
    text: await v.innerText(),
  };
}

/** Choose a file in the page's file input, as a person would. */
export async function chooseFile(page: Page, name: string, mimeType: string, buffer: Buffer | Uint8Array): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer: Buffer.from(buffer) });
}
