// Bench (issue 4): `urseal verify` over a folder of 2,000 stamped 1-page PDFs, files per second (target >= 500).
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nativeBackend } from '../../core/crypto/index.js';
import { toHex } from '../../core/bytes.js';
import { sha256 } from '../../core/hash.js';
import { signSealSync } from '../../core/seal/sign.js';
import { stampPdf } from '../../issuer/stamp/stamp.js';
import { benchWorld, typicalClaims } from './core.js';
import type { Bench } from './harness.js';

const WORK = fileURLToPath(new URL('../../../test/bench/work/pdf-verify/', import.meta.url));
const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const COUNT = Number(process.env['URSEAL_BENCH_PDF_COUNT'] ?? 2000);

async function ensureFolder(): Promise<{ root: string }> {
  const { root, agency, trustBytes } = benchWorld();
  const folder = `${WORK}files/`;
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${WORK}tl.cose`, trustBytes);
  if (!existsSync(folder) || readdirSync(folder).length !== COUNT) {
    const backend = nativeBackend()!;
    for (let i = 0; i < COUNT; i++) {
      const doc = await PDFDocument.create({ updateMetadata: false });
      const page = doc.addPage([595, 842]);
      page.drawText(`Certificate ${i} - urseal bench`, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
      const original = await doc.save();
      const claims = typicalClaims(i);
      claims.doc.hash = sha256(original);
      claims.doc.length = original.length;
      const sealText = signSealSync(claims, { backend, key: agency });
      const stamped = await stampPdf(original, { sealText, sign: (m) => backend.signSync(agency, m) });
      writeFileSync(`${folder}${String(i).padStart(5, '0')}.pdf`, stamped);
    }
  }
  return { root: toHex(root.publicKey) };
}

export const pdfVerify: Bench = async () => {
  const { root } = await ensureFolder();
  const args = [
    MAIN,
    'verify',
    `${WORK}files`,
    '--trust-list',
    `${WORK}tl.cose`,
    '--root',
    root,
    '--now',
    '2026-01-02',
    '--no-progress',
    '--json',
  ];
  let best = Infinity;
  let valid = 0;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`urseal verify exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    valid = (JSON.parse(r.stdout) as { summary: { valid: number } }).summary.valid;
    best = Math.min(best, ms);
  }
  if (valid !== COUNT) throw new Error(`only ${valid} of ${COUNT} stamped PDFs verified`);
  const perSecond = (COUNT * 1000) / best;
  return [
    {
      group: 'pdf-verify',
      name: `urseal verify over a folder of ${COUNT} stamped 1-page PDFs (whole command, best of 3)`,
      value: Math.round(perSecond),
      unit: 'files/s',
      target: '>= 500',
      pass: perSecond >= 500,
      detail: `${Math.round(best)} ms for ${COUNT} files, all VALID and intact`,
    },
  ];
};
