// Measure: stamp every corpus PDF, render the stamped page at 100/150/200 dpi, blur and JPEG it, read the QR with zbarimg and ours.

import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readQrCodesFromFile } from '../../cli/qr/read.js';
import { DEFAULT_MODULE_MM, StampError, qrSizeMm, stampPdfDetailed } from '../../issuer/stamp/stamp.js';
import { sealLikeText } from '../issuer/stamp/helpers.js';
import type { Bench, BenchRow } from './harness.js';

const exec = promisify(execFile);

/**
 * The shared stamping corpus (read in place): `shared/corpus/pdfs/pdfs` beside the repository, found by walking up
 * from this file (the source and the built copy in dist/ sit at different depths, and worktrees one level deeper).
 */
export const PRINT_CORPUS = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'shared', 'corpus', 'pdfs', 'pdfs');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), '..', 'shared', 'corpus', 'pdfs', 'pdfs');
})();

/**
 * A scan as an office scanner or a phone app writes it: Gaussian blur (sigma in pixels of the scan) and JPEG.
 * `none` is the plain render (anti-aliased edges only).
 */
export interface Degradation {
  name: string;
  blur: number;
  quality: number;
}

export const DEGRADATIONS: readonly Degradation[] = [
  { name: 'none', blur: 0, quality: 0 },
  { name: 'blur0.5+q75', blur: 0.5, quality: 75 },
  { name: 'blur0.8+q60', blur: 0.8, quality: 60 },
];

export const PRINT_DPIS = [100, 150, 200] as const;

/** One page read: which reader gave the exact seal text back. */
export interface PrintRead {
  file: string;
  moduleMm: number;
  dpi: number;
  degradation: string;
  zbar: boolean;
  ours: boolean;
}

/** Corpus PDFs (sorted). */
export function corpusFiles(dir = PRINT_CORPUS): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort();
}

async function zbar(path: string): Promise<string> {
  try {
    return (await exec('zbarimg', ['--raw', '-q', path], { maxBuffer: 1 << 24 })).stdout.replace(/\n$/, '');
  } catch {
    return ''; // exit 4: no symbol found
  }
}

/**
 * Stamp `file` (page 1, default corner) with `sealText` at `moduleMm`, then for every dpi and degradation
 * render the visible page (CropBox, after /Rotate) with pdftoppm, degrade it with ImageMagick and read it.
 * Returns `[]` for the files the stamper refuses on purpose (encrypted, changes forbidden).
 */
export async function measureFile(opts: {
  file: string;
  dir?: string;
  work: string;
  sealText: string;
  moduleMm: number;
  dpis?: readonly number[];
  degradations?: readonly Degradation[];
  sign: (m: Uint8Array) => Uint8Array;
}): Promise<PrintRead[]> {
  const dir = opts.dir ?? PRINT_CORPUS;
  const original = new Uint8Array(readFileSync(join(dir, opts.file)));
  let out: Uint8Array;
  // The page the stamp is drawn on: page 1, or the seal page added when page 1 has no blank space for it.
  let page = 1;
  try {
    const r = await stampPdfDetailed(
      original,
      { sealText: opts.sealText, sign: opts.sign, sizeMm: qrSizeMm(opts.sealText, opts.moduleMm) },
      { anySize: true },
    );
    out = r.pdf;
    page = r.placements[0]?.drawnOn ?? 1;
  } catch (e) {
    if (e instanceof StampError && e.code === 'PDF_ENCRYPTED_NO_CHANGES') return [];
    throw e;
  }
  const base = join(opts.work, `${opts.file.replace(/\.pdf$/, '')}-${opts.moduleMm}`);
  const pdf = `${base}.pdf`;
  writeFileSync(pdf, out);
  const reads: PrintRead[] = [];
  for (const dpi of opts.dpis ?? PRINT_DPIS) {
    const png = `${base}-${dpi}`;
    await exec('pdftoppm', ['-cropbox', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-png', pdf, png]);
    for (const d of opts.degradations ?? DEGRADATIONS) {
      let img = `${png}.png`;
      if (d.blur > 0 || d.quality > 0) {
        img = `${png}-${d.name}.jpg`;
        await exec('convert', [`${png}.png`, '-colorspace', 'Gray', '-blur', `0x${d.blur}`, '-quality', String(d.quality), img]);
      }
      const z = (await zbar(img)) === opts.sealText;
      const ours = (await readQrCodesFromFile(img)).includes(opts.sealText);
      reads.push({ file: opts.file, moduleMm: opts.moduleMm, dpi, degradation: d.name, zbar: z, ours });
    }
  }
  return reads;
}

/** Every corpus file at every module size; two files at a time (the machine has 2 cores). */
export async function measureCorpus(opts: {
  moduleMms: readonly number[];
  sealText?: string;
  dpis?: readonly number[];
  degradations?: readonly Degradation[];
  work: string;
  /** Only these corpus files (default: all). */
  files?: readonly string[];
}): Promise<PrintRead[]> {
  const key = generateKeyPairSync('ed25519').privateKey;
  const signer = (m: Uint8Array) => new Uint8Array(sign(null, m, key));
  const files = opts.files ?? corpusFiles();
  const jobs = opts.moduleMms.flatMap((moduleMm) => files.map((file) => ({ file, moduleMm })));
  const reads: PrintRead[] = [];
  const worker = async () => {
    for (let j = jobs.shift(); j; j = jobs.shift()) {
      reads.push(
        ...(await measureFile({
          ...j,
          work: opts.work,
          sealText: opts.sealText ?? sealLikeText(466),
          sign: signer,
          ...(opts.dpis ? { dpis: opts.dpis } : {}),
          ...(opts.degradations ? { degradations: opts.degradations } : {}),
        })),
      );
    }
  };
  await Promise.all([worker(), worker()]);
  return reads;
}

/** Counts per (module size, dpi, degradation): pages read by zbarimg, by ours, of how many. */
export function summarize(
  reads: readonly PrintRead[],
): { key: string; moduleMm: number; dpi: number; degradation: string; zbar: number; ours: number; of: number; missed: string[] }[] {
  const groups = new Map<string, PrintRead[]>();
  for (const r of reads) {
    const k = `${r.moduleMm} mm/module, ${r.dpi} dpi, ${r.degradation}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([key, rs]) => ({
      key,
      moduleMm: rs[0]!.moduleMm,
      dpi: rs[0]!.dpi,
      degradation: rs[0]!.degradation,
      zbar: rs.filter((r) => r.zbar).length,
      ours: rs.filter((r) => r.ours).length,
      of: rs.length,
      missed: rs.filter((r) => !r.zbar || !r.ours).map((r) => `${r.file}${r.zbar ? '' : ' (zbar)'}${r.ours ? '' : ' (ours)'}`),
    }))
    .sort((a, b) => a.moduleMm - b.moduleMm || a.dpi - b.dpi || a.degradation.localeCompare(b.degradation));
}

/** Module sizes measured by the bench: the old fixed 35 mm (0.455 mm at QR version 13), the minimum, the default, and zbarimg's limit after blur. */
const BENCH_MODULE_MM = [35 / 77, 0.5, 0.6, 0.7];

/** `npm run bench qr-print`: the table behind the module rule (README "QR size"). */
export const qrPrint: Bench = async () => {
  const work = join(process.cwd(), 'test', 'bench', 'work', 'qr-print');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const moduleMms = (process.env['URSEAL_BENCH_MODULE_MM']?.split(',').map(Number) ?? BENCH_MODULE_MM).map(
    (m) => Math.round(m * 1000) / 1000,
  );
  const reads = await measureCorpus({ moduleMms, work });
  const rows: BenchRow[] = [];
  for (const s of summarize(reads)) {
    rows.push({
      group: 'qr-print',
      name: `${s.key}: zbarimg / ours`,
      value: s.zbar,
      unit: `/ ${s.of} zbar, ${s.ours} / ${s.of} ours`,
      // The acceptance of the default module (print-read.test.ts): at 100 dpi ours reads every page, zbarimg every plain render.
      ...(s.dpi === 100 && s.moduleMm === DEFAULT_MODULE_MM
        ? s.degradation === 'none'
          ? { target: `both ${s.of} / ${s.of}`, pass: s.zbar === s.of && s.ours === s.of }
          : { target: `ours ${s.of} / ${s.of}`, pass: s.ours === s.of }
        : {}),
      ...(s.missed.length ? { detail: s.missed.join(', ') } : {}),
    });
  }
  return rows;
};

/** One row of the field-cost table: a variant of the typical seal and what its QR costs. */
export interface FieldCost {
  variant: string;
  chars: number;
  version: number;
  modules: number;
  /** Printed width at the default module (mm, quiet zone included). */
  sizeMm: number;
  /** Printed width at the minimum module. */
  minSizeMm: number;
}

/**
 * What each claim of the typical seal (test/bench/core.ts: Arabic name, 5 fields, hash, length, status) costs in
 * seal characters, QR version and printed size: the typical seal, then one part left out at a time.
 */
export async function fieldCosts(): Promise<FieldCost[]> {
  const { typicalClaims, benchWorld } = await import('./core.js');
  const { signSealSync } = await import('../../core/seal/sign.js');
  const { nativeBackend } = await import('../../core/crypto/index.js');
  const { qrMatrix } = await import('../../issuer/qr/render.js');
  const { agency } = benchWorld();
  const signer = { backend: nativeBackend()!, key: agency };
  type Claims = ReturnType<typeof typicalClaims>;
  const variants: [string, (c: Claims) => void][] = [
    ['typical (Arabic name, 4 more fields, hash, length, status; 6-byte serial)', () => undefined],
    ['serial of 12 random bytes (the CLI default)', (c) => void (c.cti = new Uint8Array(12).map((_, j) => (j * 73 + 11) & 255))],
    ['without the holder name (n)', (c) => void delete c.doc.fields!['n']],
    ['without place of birth (pob)', (c) => void delete c.doc.fields!['pob']],
    ['without nationality (nat)', (c) => void delete c.doc.fields!['nat']],
    ['without national id (nid)', (c) => void delete c.doc.fields!['nid']],
    ['without date of birth (dob)', (c) => void delete c.doc.fields!['dob']],
    ['without any field', (c) => void (c.doc.fields = {})],
    ['without hash and length (paper-only seal)', (c) => void (delete c.doc.hash, delete c.doc.length)],
    ['without status index', (c) => void delete c.doc.status],
    [
      'without fields, hash, length, status (type, number, serial, time only)',
      (c) => {
        c.doc.fields = {};
        delete c.doc.hash;
        delete c.doc.length;
        delete c.doc.status;
      },
    ],
  ];
  return variants.map(([variant, change]) => {
    const claims = typicalClaims();
    change(claims);
    const text = signSealSync(claims, signer);
    const m = qrMatrix(text);
    const full = m.size + 8;
    return {
      variant,
      chars: text.length,
      version: m.version,
      modules: m.size,
      sizeMm: Math.ceil(full * 0.6 * 100 - 1e-6) / 100,
      minSizeMm: Math.ceil(full * 0.5 * 100 - 1e-6) / 100,
    };
  });
}

/** `npm run bench qr-cost`: the field-cost table (README "QR size"). */
export const qrCost: Bench = async () =>
  (await fieldCosts()).map((c) => ({
    group: 'qr-cost',
    name: c.variant,
    value: c.chars,
    unit: `chars, QR v${c.version} (${c.modules} modules): ${c.sizeMm} mm at 0.6 mm/module, ${c.minSizeMm} mm at 0.5`,
  }));
