// Bench: QR read rate of our reader (cli/qr/read.ts) vs zbarimg on photos and simulated print-and-scan seals.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readQrCodes, type ReadQrOptions } from '../../cli/qr/read.js';
import { qrMatrix, qrPng } from '../../issuer/qr/render.js';
import type { Bench, BenchRow } from './harness.js';

const run = promisify(execFile);

/** The bench sits in test/bench (sources) or dist/test/bench (built): find the project root either way. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

const ROOT = projectRoot();
/** Shared corpus of photographed QR codes (see its README.md and SOURCE.txt); `URSEAL_QR_CORPUS` overrides. */
export const PHOTO_CORPUS = process.env['URSEAL_QR_CORPUS'] ?? resolve(ROOT, '../shared/corpus/qr-photos');
/** Generated print-and-scan set (gitignored, regenerated when missing). */
export const SCAN_DIR = join(ROOT, 'test/bench/work/qr-scan');

/** One image with the text a correct reader returns (`null`: no ground truth; any answer is unverified). */
export interface QrCase {
  set: string;
  file: string;
  expected: string | null;
  /** Corpus class: the zxing folder (qrcode-1 ...) or the jsQR consensus class (both-agree ...). */
  tag?: string;
}

/** Options of {@link runQrReadBench}. */
export interface QrReadBenchOptions {
  /** Use at most this many images per set (spread evenly over the set). Default: all. */
  limit?: number;
  /** Also run zbarimg (skipped with a note when it is not installed). Default true. */
  zbar?: boolean;
  /** Reader options passed to ours (e.g. `{ fallbacks: false }` to measure the first pass alone). */
  reader?: ReadQrOptions;
}

// ---------------------------------------------------------------- corpus of photos

interface BlackboxManifest {
  images: { image: string; expected_utf8: string | null }[];
}
interface JsqrEntry {
  image: string;
  class: 'both-agree' | 'jsqr-only' | 'zbar-only' | 'disagree' | 'neither';
  jsqr_data: string | null;
  zbar_data: string | null;
}

/**
 * Ground truth fixes, checked by hand (the bench counts a read only on the exact text):
 * - zxing-blackbox qrcode-2/13.png: the .txt says "photograph", the symbol holds "photography". Re-encoding
 *   both texts (version 6-Q, byte mode, mask 7, as read) and sampling the photo: 1614 of 1681 modules agree
 *   with "photography", 1137 with "photograph".
 * - jsqr-real-world videogame-frame.png: UTF-8 bytes without ECI (c3 a9 = é); zbar's text in the manifest is
 *   those bytes read as Shift_JIS ("Fﾃｩlicitations").
 * - jsqr-real-world billboard-2.png: Shift_JIS byte 0x5C; zbar maps it to ¥, but in the MEBKM syntax
 *   (`URL:http\://`) it is the backslash escape, as in the zxing-blackbox texts.
 */
const CORRECTED: Record<string, (given: string | null) => string | null> = {
  'zxing-blackbox/qrcode-2/13.png': () => 'The 2005 USGS aerial photography of the Washington Monument is censored.',
  'jsqr-real-world/images/videogame-frame.png': () =>
    '- Congratulations! You successfully identified and scanned a QR code! Great Job!\n\n' +
    '- F\u00e9licitations! QR Code Num\u00e9ris\u00e9es!\n\n- Congratulazioni! Codice a barre Scansionati!\n\n' +
    '- Gl\u00fcckw\u00fcnsche! QR Code Gescannt!\n\n- \u00a1Felicidades! \u00a1C\u00f3digo QR E\u200bescaneados!\n\n' +
    '<3 Drinkbox Studios',
  'jsqr-real-world/images/billboard-2.png': (given) => given?.replace(/\u00a5/g, '\\') ?? null,
};

/**
 * Ground truth per README.md: zxing's hand-made .txt; for jsQR photos, the text both decoders agree on,
 * else the one decoder that read it; of the 'disagree' class, bus-stop-1 and tattoo-scan are jsQR's answer
 * (UTF-8 without ECI; one of two identical codes) and billboard-2 is zbar's (jsQR returns an empty string);
 * then {@link CORRECTED}.
 */
export async function photoCases(): Promise<QrCase[]> {
  const cases: QrCase[] = [];
  const blackboxJson = await readFile(join(PHOTO_CORPUS, 'zxing-blackbox/manifest.json'), 'utf8');
  const blackbox = JSON.parse(blackboxJson) as BlackboxManifest;
  for (const e of blackbox.images) {
    const fix = CORRECTED[`zxing-blackbox/${e.image}`];
    const expected = fix ? fix(e.expected_utf8) : e.expected_utf8;
    const file = join(PHOTO_CORPUS, 'zxing-blackbox', e.image);
    cases.push({ set: 'zxing-blackbox', file, expected, tag: e.image.split('/')[0]! });
  }
  const jsqr = JSON.parse(await readFile(join(PHOTO_CORPUS, 'jsqr-real-world/manifest.json'), 'utf8')) as JsqrEntry[];
  for (const e of jsqr) {
    let expected: string | null = null;
    if (e.class === 'both-agree' || e.class === 'jsqr-only') expected = e.jsqr_data;
    else if (e.class === 'zbar-only') expected = e.zbar_data;
    else if (e.class === 'disagree') expected = e.image.includes('billboard-2') ? e.zbar_data : e.jsqr_data;
    const fix = CORRECTED[`jsqr-real-world/${e.image}`];
    if (fix) expected = fix(expected);
    const file = join(PHOTO_CORPUS, 'jsqr-real-world', e.image);
    cases.push({ set: 'jsqr-real-world', file, expected, tag: e.class });
  }
  return cases;
}

// ---------------------------------------------------------------- simulated print-and-scan set

/** Base45 alphabet (RFC 9285) = QR alphanumeric set. */
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** mulberry32: a tiny deterministic PRNG, so the set is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seal-like text: `UR1:` + `length` random Base45 characters. */
export function sealLikeText(length: number, seed: number): string {
  const rnd = prng(seed);
  let s = 'UR1:';
  for (let i = 0; i < length; i++) s += B45[Math.floor(rnd() * 45)]!;
  return s;
}

/** Payload lengths: 300 (v10), 420 (v13, the design's ceiling) and 540 (v15) Base45 characters at level M. */
const SCAN_TEXT_LENGTHS = [300, 420, 540];
const SCAN_DPI = [150, 200, 300];
const SCAN_ROTATIONS = [0, 3, 10, 45, 90];
/** Scan degradations: Gaussian blur sigma (px), Gaussian noise strength (ImageMagick -attenuate), JPEG quality. */
const SCAN_DEGRADATIONS = [
  { name: 'light', blur: 0.6, noise: 0.5, quality: 90 },
  { name: 'medium', blur: 1.0, noise: 1.0, quality: 70 },
  { name: 'heavy', blur: 1.4, noise: 1.5, quality: 45 },
];
/** Printed symbol width, without the quiet zone: the design's minimum. */
const CODE_MM = 35;
const SCAN_VERSION = 'v1';

/**
 * Generate the print-and-scan set into {@link SCAN_DIR} unless it is there already: 3 texts × 3 dpi ×
 * 5 rotations × 3 degradations = 135 JPEGs. Each is the QR (level M, 4-module quiet zone) area-resampled
 * to 35 mm at the dpi (edges become grey, as on a scanner's sensor), set on white paper, rotated, blurred,
 * noised with a fixed seed, printed with a 10 % lighter black and a slightly grey paper, and saved as JPEG.
 */
export async function ensureScanSet(): Promise<QrCase[]> {
  const texts = SCAN_TEXT_LENGTHS.map((n, i) => sealLikeText(n, 1000 + i));
  const cases: QrCase[] = [];
  const jobs: { file: string; args: string[] }[] = [];
  const stamp = join(SCAN_DIR, `complete-${SCAN_VERSION}`);
  const complete = existsSync(stamp);
  if (!complete) {
    await rm(SCAN_DIR, { recursive: true, force: true });
    await mkdir(SCAN_DIR, { recursive: true });
  }
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t]!;
    const source = join(SCAN_DIR, `source-${t}.png`);
    const modules = qrMatrix(text).size;
    if (!complete) await writeFile(source, qrPng(text, { moduleSize: 12 }));
    await writeFile(join(SCAN_DIR, `text-${t}.txt`), text);
    for (const dpi of SCAN_DPI) {
      const side = Math.round((((CODE_MM / 25.4) * dpi) / modules) * (modules + 8));
      for (const rot of SCAN_ROTATIONS) {
        for (const [d, deg] of SCAN_DEGRADATIONS.entries()) {
          const name = `t${t}-${dpi}dpi-r${rot}-${deg.name}.jpg`;
          const file = join(SCAN_DIR, name);
          cases.push({ set: 'print-scan', file, expected: text });
          const seed = 1 + t * 1000 + dpi * 10 + rot * 3 + d;
          jobs.push({
            file,
            args: [
              source,
              '-colorspace',
              'Gray',
              '-filter',
              'Box',
              '-resize',
              `${side}x${side}!`,
              '+level',
              '10%,94%',
              '-bordercolor',
              'rgb(240,240,240)',
              '-border',
              String(Math.round(dpi / 6)),
              '-background',
              'rgb(240,240,240)',
              '-rotate',
              String(rot),
              '-blur',
              `0x${deg.blur}`,
              '-seed',
              String(seed),
              '-attenuate',
              String(deg.noise),
              '+noise',
              'Gaussian',
              '-quality',
              String(deg.quality),
              '-strip',
              file,
            ],
          });
        }
      }
    }
  }
  if (!complete) {
    const queue = [...jobs];
    const worker = async (): Promise<void> => {
      for (let job = queue.shift(); job; job = queue.shift()) await run('convert', job.args);
    };
    await Promise.all([worker(), worker()]);
    await writeFile(stamp, `${jobs.length} images\n`);
  }
  return cases;
}

// ---------------------------------------------------------------- readers

interface Outcome {
  /** Files read to the exact expected text. */
  read: Set<string>;
  reads: number;
  wrong: number;
  unverified: number;
  ms: number;
}

function judge(outcome: Outcome, texts: string[], c: QrCase): void {
  if (texts.length === 0) return;
  if (c.expected === null) outcome.unverified++;
  else if (texts.includes(c.expected)) {
    outcome.reads++;
    outcome.read.add(c.file);
  } else outcome.wrong++;
}

async function ours(cases: QrCase[], options: ReadQrOptions): Promise<Outcome> {
  const out: Outcome = { read: new Set(), reads: 0, wrong: 0, unverified: 0, ms: 0 };
  await readQrCodes(await readFile(cases[0]!.file), options); // warm-up: wasm load, not counted
  for (const c of cases) {
    const bytes = await readFile(c.file);
    const t0 = performance.now();
    let texts: string[] = [];
    try {
      texts = await readQrCodes(bytes, options);
    } catch {
      texts = [];
    }
    out.ms += performance.now() - t0;
    judge(out, texts, c);
  }
  out.ms /= cases.length;
  return out;
}

export async function hasZbarimg(): Promise<boolean> {
  try {
    await run('zbarimg', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * zbarimg's `--raw` output is each symbol's text and a newline. A text may itself hold newlines, so accept
 * either the whole output or any single line as that symbol's text.
 */
async function zbarTexts(file: string): Promise<string[]> {
  let stdout = '';
  try {
    const args = ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', file];
    ({ stdout } = await run('zbarimg', args, { timeout: 30_000, maxBuffer: 1 << 24 }));
  } catch (e) {
    stdout = (e as { stdout?: string }).stdout ?? ''; // exit status 4: nothing found
  }
  if (stdout === '') return [];
  const whole = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
  return [whole, ...whole.split('\n')];
}

async function zbar(cases: QrCase[]): Promise<Outcome> {
  const out: Outcome = { read: new Set(), reads: 0, wrong: 0, unverified: 0, ms: 0 };
  for (const c of cases) {
    const t0 = performance.now();
    const texts = await zbarTexts(c.file);
    out.ms += performance.now() - t0;
    judge(out, texts, c);
  }
  out.ms /= cases.length;
  return out;
}

function spread<T>(items: T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= items.length) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}

// ---------------------------------------------------------------- bench

/** Reads per group (corpus folder, or scan dpi and degradation), as "name ours/zbar/n". */
function breakdown(cases: QrCase[], a: Outcome, b: Outcome | undefined): string {
  const keysOf = (c: QrCase): string[] => {
    if (c.set === 'zxing-blackbox') return [c.file.split('/').slice(-2, -1)[0]!];
    if (c.set !== 'print-scan') return [c.set];
    const m = /-(\d+dpi)-r\d+-(\w+)\.jpg$/.exec(c.file);
    return m ? [m[1]!, m[2]!] : [];
  };
  const groups = new Map<string, [number, number, number]>();
  for (const c of cases) {
    if (c.expected === null) continue;
    for (const k of keysOf(c)) {
      const g = groups.get(k) ?? [0, 0, 0];
      g[0] += a.read.has(c.file) ? 1 : 0;
      g[1] += b?.read.has(c.file) ? 1 : 0;
      g[2]++;
      groups.set(k, g);
    }
  }
  const parts = [...groups]
    .sort(([x], [y]) => Number(y.endsWith('dpi')) - Number(x.endsWith('dpi')))
    .map(([k, [x, y, n]]) => `${k} ${x}${b ? `/${y}` : ''}/${n}`);
  return `; ours${b ? '/zbarimg' : ''}/n by group: ${parts.join(', ')}`;
}

/** zxing's own pass counts at rotation 0 (corpus README.md), and the jsQR photos both decoders agree on. */
const MUST_PASS: Record<string, number> = {
  'qrcode-1': 17,
  'qrcode-2': 32,
  'qrcode-3': 38,
  'qrcode-4': 36,
  'qrcode-5': 19,
  'qrcode-6': 15,
};

function acceptanceRows(cases: QrCase[], a: Outcome): BenchRow[] {
  const count = (tag: string): [number, number] => {
    const of = cases.filter((c) => c.tag === tag);
    return [of.filter((c) => a.read.has(c.file)).length, of.length];
  };
  const folders = Object.entries(MUST_PASS).map(([tag, need]) => ({ tag, need, got: count(tag)[0] }));
  const met = folders.filter((f) => f.got >= f.need).length;
  const [agreeRead, agree] = count('both-agree');
  return [
    {
      group: 'qr-read',
      name: 'photos: zxing-blackbox folders meeting zxing mustPass (rotation 0)',
      value: met,
      unit: `of ${folders.length}`,
      target: `>= ${folders.length}`,
      pass: met === folders.length,
      detail: folders.map((f) => `${f.tag} ${f.got}/${f.need}`).join(', '),
    },
    {
      group: 'qr-read',
      name: 'photos: jsQR both-agree class read (must decode)',
      value: agreeRead,
      unit: `of ${agree}`,
      target: `>= ${agree}`,
      pass: agreeRead === agree,
    },
  ];
}

/**
 * Run the comparison and return the rows. Environment `URSEAL_BENCH_QR_LIMIT` (images per set) applies
 * when `options.limit` is not given, so `npm run bench` can be shortened.
 *
 * @example
 * const rows = await runQrReadBench({ limit: 30 });
 */
export async function runQrReadBench(options: QrReadBenchOptions = {}): Promise<BenchRow[]> {
  const envLimit = Number(process.env['URSEAL_BENCH_QR_LIMIT']);
  const limit = options.limit ?? (Number.isInteger(envLimit) && envLimit > 0 ? envLimit : undefined);
  const withZbar = (options.zbar ?? true) && (await hasZbarimg());
  const rows: BenchRow[] = [];
  const sets: { name: string; cases: QrCase[] }[] = [];
  if (existsSync(PHOTO_CORPUS)) sets.push({ name: 'photos', cases: spread(await photoCases(), limit) });
  else rows.push({ group: 'qr-read', name: 'photos: corpus missing', value: 0, unit: 'images', detail: PHOTO_CORPUS });
  try {
    sets.push({ name: 'print-scan', cases: spread(await ensureScanSet(), limit) });
  } catch (e) {
    const detail = `ImageMagick convert is needed to generate ${SCAN_DIR}: ${(e as Error).message.split('\n')[0]}`;
    rows.push({ group: 'qr-read', name: 'print-scan: set not generated', value: 0, unit: 'images', detail });
  }

  let oursMs = 0;
  let zbarMs = 0;
  let images = 0;
  let photos: { cases: QrCase[]; ours: Outcome } | undefined;
  for (const { name, cases } of sets) {
    const truth = cases.filter((c) => c.expected !== null).length;
    const a = await ours(cases, options.reader ?? {});
    if (name === 'photos') photos = { cases, ours: a };
    const b = withZbar ? await zbar(cases) : undefined;
    oursMs += a.ms * cases.length;
    zbarMs += (b?.ms ?? 0) * cases.length;
    images += cases.length;
    const ratio = b && b.reads > 0 ? a.reads / b.reads : undefined;
    rows.push({
      group: 'qr-read',
      name: `${name}: exact reads, ours (zxing-wasm) vs zbarimg`,
      value: a.reads,
      unit: `of ${truth}`,
      ...(ratio === undefined ? {} : { ratio, target: '>= 1.0', pass: ratio >= 1 }),
      detail:
        `zbarimg ${b ? b.reads : 'not installed'}; wrong results ours ${a.wrong}` +
        (b ? `, zbarimg ${b.wrong}` : '') +
        (cases.length > truth
          ? `; no ground truth for ${cases.length - truth}, answered: ours ${a.unverified}` + (b ? `, zbarimg ${b.unverified}` : '')
          : '') +
        breakdown(cases, a, b),
    });
  }
  if (photos && limit === undefined) rows.push(...acceptanceRows(photos.cases, photos.ours));
  rows.push({
    group: 'qr-read',
    name: 'mean time per image, ours (in process)',
    value: Math.round((oursMs / images) * 10) / 10,
    unit: 'ms',
    ...(withZbar ? { ratio: oursMs / zbarMs } : {}),
    detail: `${images} images` + (withZbar ? `; zbarimg ${Math.round((zbarMs / images) * 10) / 10} ms incl. process start` : ''),
  });
  return rows;
}

/** Read rate of our QR reader against zbarimg (photos corpus and generated print-and-scan set). */
export const qrRead: Bench = () => runQrReadBench();
