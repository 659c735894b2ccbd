// Bench (issue 10): scanned PDFs of every kind (JPEG, Flate, CCITT G4, JBIG2 MMR/arithmetic, JPEG 2000) at 150/200/300
// dpi, read as `urseal verify` reads them; reads against zbarimg on the same pixels, and time per file.
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nativeBackend } from '../../core/crypto/index.js';
import { sha256 } from '../../core/hash.js';
import { signSealSync } from '../../core/seal/sign.js';
import { stampPdf } from '../../issuer/stamp/stamp.js';
import { sealsInPageImages } from '../../cli/verify-pdf.js';
import { makeScans, SCAN_KINDS, SCANS } from '../helpers/scans.js';
import { benchWorld, typicalClaims } from './core.js';
import type { Bench, BenchRow } from './harness.js';

const WORK = fileURLToPath(new URL('../../../test/bench/work/scan-read/', import.meta.url));

export const scanRead: Bench = async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const { agency } = benchWorld();
  const backend = nativeBackend()!;
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc
    .addPage([595, 842])
    .drawText('Power of attorney - urseal bench', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  const original = await doc.save();
  const claims = typicalClaims(1);
  claims.doc.hash = sha256(original);
  claims.doc.length = original.length;
  const sealText = signSealSync(claims, { backend, key: agency });
  writeFileSync(`${WORK}sealed.pdf`, await stampPdf(original, { sealText, sign: (m) => backend.signSync(agency, m) }));

  const rows: BenchRow[] = [];
  let ours = 0;
  let zbar = 0;
  let total = 0;
  for (const s of SCANS) {
    const made = makeScans(WORK, `${WORK}sealed.pdf`, s, sealText);
    for (const kind of SCAN_KINDS) {
      const bilevel = kind === 'ccitt' || kind === 'flate-1bit' || kind.startsWith('jbig2');
      const start = performance.now();
      const read = (await sealsInPageImages(made.pdfs[kind])).includes(sealText);
      const ms = performance.now() - start;
      total++;
      if (read) ours++;
      if (bilevel ? made.zbarBilevel : made.zbarContinuous) zbar++;
      rows.push({
        group: 'scan-read',
        name: `${kind} scan at ${s.dpi} dpi (${s.colour ? 'colour' : 'grey'}, rotated ${s.rotate}°, JPEG ${s.quality}): extract, decode, read`,
        value: Math.round(ms),
        unit: 'ms',
        detail: `${read ? 'read' : 'NOT read'}; ${made.pdfs[kind].length} bytes`,
      });
    }
  }
  rows.unshift({
    group: 'scan-read',
    name: `scanned PDFs read, all kinds x 150/200/300 dpi (zbarimg on the same pixels: ${zbar} of ${total})`,
    value: ours,
    unit: `of ${total}`,
    ratio: zbar ? ours / zbar : undefined,
    target: '>= zbarimg',
    pass: ours >= zbar,
  });
  return rows;
};
