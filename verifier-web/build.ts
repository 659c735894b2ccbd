// Builds the verifier page: a folder the issuer serves (index.html, app.js, sw.js, reader wasm) and one self-contained verify.html.
import { build, type Metafile } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** What goes into a build: the trust anchors and data the page starts with. */
export interface WebBuildInputs {
  /** Output folder (it is emptied). Default: dist/verifier-web. */
  outDir?: string;
  /** The signed trust list (COSE) bundled for the first, possibly offline, visit. */
  trustList: Uint8Array;
  /** Pinned NDC root public keys (raw 32 bytes each). */
  roots: Uint8Array[];
  /** Signed status lists bundled with the page, by agency id. */
  statusLists?: Record<string, Uint8Array>;
  /** Where the issuer publishes `trust-list` and `status/<agency>`, relative to the page ('' = never fetch). Default './'. */
  dataBase?: string;
  /** Minify the code. Default true. */
  minify?: boolean;
}

export interface WebBuildFile {
  name: string;
  bytes: number;
  gzip: number;
}

export interface WebBuildResult {
  outDir: string;
  files: WebBuildFile[];
  /** Gzip size of what a first visit downloads, without the reader wasm (the budget: <= 400 KB). */
  firstLoadGzipExWasm: number;
  /** Gzip size of the reader wasm (fetched once the page is open, then cached). */
  wasmGzip: number;
  /** Gzip size of the JBIG2/JPEG 2000 decoders (scan-decoders.js + openjpeg.wasm), fetched only when a scan needs them. */
  scanDecodersGzip: number;
  /** Source files bundled into app.js (checked: no signing or issuing code, nothing Node-only). */
  bundledInputs: string[];
}

/** The project root (this file runs from verifier-web/ or bundled into dist/.build/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'verifier-web'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Files the page must never bundle: signing and issuing code (STYLE "Verifying never pulls in signing"). */
const FORBIDDEN_INPUT = /(^|\/)(issuer|keys|cli)\/|core\/(seal\/(sign|pack)|trust-list\/sign|status-list\/(sign|encode))\.ts$|^node:/;

const gz = (b: Uint8Array | string): number => gzipSync(b, { level: 9 }).length;

/** Escape text for an inline <script> (JSON or JS): nothing in it may close the element. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

async function bundle(
  entry: string,
  opts: { minify: boolean; define?: Record<string, string>; format: 'esm' | 'iife'; globalName?: string },
): Promise<{ code: string; metafile: Metafile }> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: opts.format,
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: opts.minify,
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    define: opts.define ?? {},
    ...(opts.globalName ? { globalName: opts.globalName } : {}),
    logLevel: 'silent',
  });
  return { code: r.outputFiles[0]!.text, metafile: r.metafile };
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/**
 * Build the page into `outDir`.
 * @example
 * await buildVerifierWeb({ trustList: signedList, roots: [rootPublicKey], outDir: 'dist/verifier-web' })
 */
export async function buildVerifierWeb(inputs: WebBuildInputs): Promise<WebBuildResult> {
  const root = projectRoot();
  const src = join(root, 'verifier-web/src');
  const outDir = resolve(root, inputs.outDir ?? 'dist/verifier-web');
  const minify = inputs.minify ?? true;

  const app = await bundle(join(src, 'main.ts'), { minify, format: 'esm' });
  const bundledInputs = Object.keys(app.metafile.inputs);
  const bad = bundledInputs.filter((f) => FORBIDDEN_INPUT.test(f));
  if (bad.length > 0) throw new Error(`verifier-web: the page would bundle code it must not: ${bad.join(', ')}`);
  if (/\bfrom\s*["']node:|require\(["']node:/.test(app.code)) throw new Error('verifier-web: the page bundle imports a node: module');
  if (app.code.includes('cdn.jsdelivr.net') && !app.code.includes('locateFile'))
    throw new Error('verifier-web: zxing would load from a CDN');

  // pdf.js's JBIG2 and JPEG 2000 decoders: a classic script of their own, added to the page only when a scan needs
  // them (a script element passes the page's CSP from 'self' and, in verify.html, inline; a Blob URL module would not).
  const decoders = await bundle(join(src, 'scan-decoders.ts'), { minify, format: 'iife', globalName: 'ursealScanDecoders' });
  const badDecoderInputs = Object.keys(decoders.metafile.inputs).filter((f) => FORBIDDEN_INPUT.test(f));
  if (badDecoderInputs.length > 0)
    throw new Error(`verifier-web: the decoders would bundle code they must not: ${badDecoderInputs.join(', ')}`);
  if (/\bfrom\s*["']node:|require\(["']node:/.test(decoders.code))
    throw new Error('verifier-web: the decoders bundle imports a node: module');
  if (app.code.includes('pdf.image_decoders') || app.code.includes('Jbig2Error'))
    throw new Error('verifier-web: the pdf.js decoders ended up in app.js (first load)');
  const openjpeg = new Uint8Array(await readFile(createRequire(join(root, 'package.json')).resolve('pdfjs-dist/wasm/openjpeg.wasm')));

  const css = await readFile(join(src, 'styles.css'), 'utf8');
  const template = await readFile(join(src, 'index.html'), 'utf8');
  const wasm = new Uint8Array(await readFile(createRequire(join(root, 'package.json')).resolve('zxing-wasm/reader/zxing_reader.wasm')));

  const data = {
    trustList: b64(inputs.trustList),
    roots: inputs.roots.map((r) => Buffer.from(r).toString('hex')),
    statusLists: Object.fromEntries(Object.entries(inputs.statusLists ?? {}).map(([k, v]) => [k, b64(v)])),
    dataBase: inputs.dataBase ?? './',
    builtAt: Math.floor(Date.now() / 1000),
  };
  const dataTag = `<script type="application/json" id="urseal-data">${inlineScript(JSON.stringify(data))}</script>`;
  const fill = (head: string, scripts: string): string =>
    template.replace('<!--HEAD-->', () => head).replace('<!--SCRIPTS-->', () => scripts);

  const index = fill(`<link rel="stylesheet" href="app.css">\n${dataTag}`, '<script type="module" src="app.js"></script>');
  // file:// has no service worker and no fetch of siblings: everything inline, the wasm as base64.
  // The decoders too, as inert text (not run until a JBIG2 or JPEG 2000 scan needs them).
  const single = fill(
    `<style>${css}</style>\n${dataTag}\n<script type="application/octet-stream" id="urseal-wasm">${b64(wasm)}</script>\n` +
      `<script type="text/plain" id="urseal-decoders">${inlineScript(decoders.code)}</script>\n` +
      `<script type="application/octet-stream" id="urseal-openjpeg">${b64(openjpeg)}</script>`,
    `<script type="module">${inlineScript(app.code)}</script>`,
  );

  const buildId = createHash('sha256')
    .update(index)
    .update(app.code)
    .update(css)
    .update(wasm)
    .update(decoders.code)
    .update(openjpeg)
    .digest('hex')
    .slice(0, 16);
  // The service worker keeps the decoders for offline use; it fetches them after the page has loaded.
  const shell = ['./', 'index.html', 'app.js', 'app.css', 'zxing_reader.wasm', 'scan-decoders.js', 'openjpeg.wasm'];
  const sw = await bundle(join(src, 'sw.ts'), {
    minify,
    format: 'iife',
    define: { __URSEAL_BUILD__: JSON.stringify(buildId), __URSEAL_SHELL__: JSON.stringify(shell) },
  });

  const out: Record<string, string | Uint8Array> = {
    'index.html': index,
    'app.js': app.code,
    'app.css': css,
    'sw.js': sw.code,
    'zxing_reader.wasm': wasm,
    'scan-decoders.js': decoders.code,
    'openjpeg.wasm': openjpeg,
    'verify.html': single,
  };
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const files: WebBuildFile[] = [];
  for (const [name, content] of Object.entries(out)) {
    await writeFile(join(outDir, name), content);
    files.push({ name, bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.length, gzip: gz(content) });
  }
  const size = (n: string): number => files.find((f) => f.name === n)!.gzip;
  return {
    outDir,
    files,
    firstLoadGzipExWasm: size('index.html') + size('app.js') + size('app.css') + size('sw.js'),
    wasmGzip: size('zxing_reader.wasm'),
    scanDecodersGzip: size('scan-decoders.js') + size('openjpeg.wasm'),
    bundledInputs,
  };
}

/** Inputs for the demo and tests: the deterministic test world of test/helpers/world.ts, issued today. */
export async function demoInputs(now = Math.floor(Date.now() / 1000)): Promise<WebBuildInputs & { seals: Record<string, string> }> {
  const w = await import('../test/helpers/world.js');
  const day = now - (now % w.DAY);
  const base = w.trustList({ issuedAt: day, expiresAt: day + 30 * w.DAY });
  // The test world's agencies with their Kurdish (Sorani) names, as a trust list may carry them.
  const list = { ...base, agencies: base.agencies.map(withKurdish) };
  const seals = {
    valid: w.seal(),
    paper: w.seal(w.claims({}, { hash: undefined, length: undefined, status: 3 })),
    revoked: w.seal(w.claims({}, { status: 7 })),
    unknownKey: w.seal(w.claims(), w.STRANGER_KEY),
    // MOI publishes no status list in the demo: its revocable seals are STATUS_UNKNOWN ("revocation not checked").
    statusUnknown: w.seal(
      w.claims({ iss: 'MOI' }, { type: 'birth', number: 'B-2026-000417', fields: { n: 'ئاراس محەمەد' }, status: 5 }),
      w.MOI_KEY,
    ),
    // Long values (document number, names) for the layout tests on a phone.
    long: w.seal(
      w.claims(
        {},
        {
          hash: undefined,
          length: undefined,
          number: 'IQ-MOJ/2026/BAGHDAD-RUSAFA/NOTARY-01/000123456789012345',
          fields: {
            n: 'عبد الرحمن بن محمد بن عبد الله بن إبراهيم آل عبد الكريم الهاشمي البغدادي',
            a: 'AlexanderMaximilianChristopherBartholomewVonHohenzollernSigmaringen',
            nid: '199012345678901234567890',
            d: '2026-01-02',
            c: 'كتابة العدل الأولى في الرصافة',
          },
        },
      ),
    ),
    // As an older urseal could sign it: issuance now refuses such text; the page must show it neutralised.
    oddText: w.legacySeal(
      w.claims(
        {},
        { hash: undefined, length: undefined, number: '77\u202E1447', fields: { n: 'سارة\u0000', a: '\u2066x\u2069', nid: '  ' } },
      ),
    ),
  };
  return {
    trustList: w.signedTrust(list),
    roots: [w.ROOT.publicKey],
    statusLists: { MOJ: w.statusList([7], { issuedAt: day }) },
    seals,
  };
}

/** Kurdish (Sorani) names for the test world's agencies, document types and fields. */
const CKB: Record<string, string> = {
  MOJ: 'وەزارەتی داد',
  'MOJ/poa': 'وەکالەتنامەی گشتی',
  'MOJ/poa/n': 'ناوی وەکالەتدەر',
  'MOJ/poa/a': 'ناوی وەکیل',
  'MOJ/poa/nid': 'ژمارەی نیشتمانی',
  'MOJ/poa/d': 'ڕێکەوتی تۆمارکردن',
  'MOJ/poa/c': 'کاتبی عەدل',
  MOI: 'وەزارەتی ناوخۆ',
  'MOI/birth': 'بڕوانامەی لەدایکبوون',
  'MOI/birth/n': 'ناو',
};

function withKurdish<
  A extends {
    id: string;
    name: { ar: string; en: string; ckb?: string };
    documentTypes: {
      id: string;
      name: { ar: string; en: string; ckb?: string };
      fields: { id: string; label: { ar: string; en: string; ckb?: string } }[];
    }[];
  },
>(a: A): A {
  const ckb = (key: string): { ckb?: string } => (CKB[key] ? { ckb: CKB[key] } : {});
  return {
    ...a,
    name: { ...a.name, ...ckb(a.id) },
    documentTypes: a.documentTypes.map((t) => ({
      ...t,
      name: { ...t.name, ...ckb(`${a.id}/${t.id}`) },
      fields: t.fields.map((f) => ({ ...f, label: { ...f.label, ...ckb(`${a.id}/${t.id}/${f.id}`) } })),
    })),
  };
}

function usage(): never {
  console.error(`usage: node verifier-web/build.mjs [--out DIR] [--trust-list FILE --root HEX|FILE ...] [--status AGENCY=FILE ...] [--data-base URL] [--no-minify]
Without --trust-list, builds the demo with the test world (test-only keys).`);
  process.exit(2);
}

/** Command line: see usage(). */
export async function main(argv: string[]): Promise<void> {
  let outDir: string | undefined;
  let trustFile: string | undefined;
  const roots: Uint8Array[] = [];
  const status: Record<string, Uint8Array> = {};
  let dataBase: string | undefined;
  let minify = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => argv[++i] ?? usage();
    if (a === '--out') outDir = next();
    else if (a === '--trust-list') trustFile = next();
    else if (a === '--root') {
      const v = next();
      roots.push(/^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : new Uint8Array(await readFile(v)));
    } else if (a === '--status') {
      const [agency, file] = next().split('=');
      if (!agency || !file) usage();
      status[agency] = new Uint8Array(await readFile(file));
    } else if (a === '--data-base') dataBase = next();
    else if (a === '--no-minify') minify = false;
    else usage();
  }
  let inputs: WebBuildInputs;
  if (trustFile) {
    if (roots.length === 0) usage();
    inputs = { trustList: new Uint8Array(await readFile(trustFile)), roots, statusLists: status };
  } else {
    const demo = await demoInputs();
    inputs = demo;
    console.log('verifier-web: demo build with the TEST world (test-only keys); pass --trust-list and --root for a real one');
    const dir = resolve(projectRoot(), outDir ?? 'dist/verifier-web');
    outDir = dir;
    const r0 = await buildVerifierWeb({ ...inputs, outDir: dir, minify, ...(dataBase !== undefined ? { dataBase } : {}) });
    const links = Object.fromEntries(Object.entries(demo.seals).map(([k, v]) => [k, { text: v }]));
    await writeFile(join(dir, 'demo-seals.json'), JSON.stringify(links, null, 2));
    report(r0);
    return;
  }
  report(await buildVerifierWeb({ ...inputs, minify, ...(outDir ? { outDir } : {}), ...(dataBase !== undefined ? { dataBase } : {}) }));
}

function report(r: WebBuildResult): void {
  for (const f of r.files) console.log(`  ${f.name.padEnd(18)} ${String(f.bytes).padStart(9)} B  gzip ${String(f.gzip).padStart(8)} B`);
  console.log(
    `verifier-web: ${r.outDir}; first load (gzip, without wasm) ${(r.firstLoadGzipExWasm / 1024).toFixed(1)} KB; wasm gzip ${(r.wasmGzip / 1024).toFixed(1)} KB`,
  );
}
