// Serves the built verifier page (dist/verifier-web) at `/`, or a short bilingual placeholder when it is not built.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Hono } from 'hono';
import type { IssuerEnv } from './env.js';

/** Options of {@link webRoutes}. */
export interface WebOptions {
  /** Folder of the built page (absolute). Missing folder: placeholder page. */
  root?: string;
  /** Shown on the placeholder page. */
  demo?: boolean;
  /**
   * The trust data to put into served pages instead of what the page was built with: this issuer's current trust
   * list, its pinned roots and status lists. The page then verifies this issuer's seals (the DEMO root included).
   */
  bundle?: () => Promise<{ trustList: Uint8Array; roots: Uint8Array[]; statusLists: Record<string, Uint8Array> } | undefined>;
}

const DATA_TAG = /(<script type="application\/json" id="urseal-data">)([\s\S]*?)(<\/script>)/;

/** Replace the page's bundled trust data (verifier-web/build.ts `urseal-data`) with this issuer's. */
async function injectBundle(html: string, bundle: NonNullable<WebOptions['bundle']>): Promise<string> {
  const b = await bundle();
  if (!b || !DATA_TAG.test(html)) return html;
  const b64 = (x: Uint8Array) => Buffer.from(x).toString('base64');
  const data = {
    trustList: b64(b.trustList),
    roots: b.roots.map((r) => Buffer.from(r).toString('hex')),
    statusLists: Object.fromEntries(Object.entries(b.statusLists).map(([k, v]) => [k, b64(v)])),
    dataBase: './',
    builtAt: Math.floor(Date.now() / 1000),
  };
  // Inside <script>, "<" could close the element: escape it (JSON stays equivalent).
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return html.replace(DATA_TAG, (_m, open: string, _old: string, close: string) => `${open}${json}${close}`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** The placeholder page: Arabic first, right to left. */
export function placeholderPage(demo: boolean): string {
  return `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>urseal — خدمة الإصدار / issuer service</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.6">
<h1>urseal — خدمة إصدار الأختام</h1>
<p>صفحة التحقق غير مبنية بعد. شغّل <code>npm run build</code> ثم أعد تشغيل الخدمة.</p>
${demo ? '<p><strong>وضع تجريبي:</strong> المفاتيح وقائمة الثقة هنا للتجربة فقط.</p>' : ''}
<hr>
<div dir="ltr" lang="en">
<h2>urseal issuer service</h2>
<p>The verifier page is not built yet. Run <code>npm run build</code> and restart the service.</p>
${demo ? '<p><strong>Demo mode:</strong> the keys and trust list here are for trying things out only.</p>' : ''}
<p>API description: <a href="/openapi.json">/openapi.json</a> · health: <a href="/healthz">/healthz</a> · trust list: <a href="/trust-list.json">/trust-list.json</a></p>
</div></body></html>`;
}

/**
 * Static files under `root`, with `index.html` for directories; paths are normalised and must stay inside `root`.
 * @example app.route('/', webRoutes({ root: '/srv/urseal/dist/verifier-web' }))
 */
export function webRoutes(options: WebOptions): Hono<IssuerEnv> {
  const app = new Hono<IssuerEnv>();
  const root = options.root && existsSync(join(options.root, 'index.html')) ? resolve(options.root) : undefined;
  const placeholder = placeholderPage(options.demo ?? false);
  app.get('/*', async (c) => {
    if (!root) {
      if (c.req.path === '/' || c.req.path === '/index.html') return c.html(placeholder);
      return c.notFound();
    }
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path);
    } catch {
      return c.notFound();
    }
    if (rel.includes('\0')) return c.notFound();
    let file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return c.notFound();
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      const ext = extname(file).toLowerCase();
      const type = TYPES[ext] ?? 'application/octet-stream';
      const cache = ext === '.html' || file.endsWith(`${sep}sw.js`) ? 'no-cache' : 'public, max-age=3600';
      const headers = { 'Content-Type': type, 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff' };
      if (ext === '.html' && options.bundle) return c.body(await injectBundle(body.toString('utf8'), options.bundle), 200, headers);
      return c.body(new Uint8Array(body), 200, headers);
    } catch {
      return c.notFound();
    }
  });
  return app;
}
