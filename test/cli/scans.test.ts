// Scans of every kind: a stamped page rendered at 150/200/300 dpi, distorted as a scanner or phone would, wrapped as
// JPEG, Flate, CCITT G4, JBIG2 (MMR and arithmetic) and JPEG 2000 PDFs; each must read wherever zbarimg reads the pixels.
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealsInPageImages } from '../../cli/verify-pdf.js';
import { makeScans, SCAN_KINDS, SCANS, type MadeScans } from '../helpers/scans.js';
import { MOJ_POA, ok, setupSignedTrustList, urseal, workdir } from './helpers.js';

const TRUST = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-01-20'];

const KINDS = SCAN_KINDS;

let dir: string;
let sealText: string;
/** Per dpi: the PDF of each kind, and whether zbarimg read the seal from the same pixels. */
const made = new Map<number, MadeScans>();

beforeAll(async () => {
  dir = workdir();
  setupSignedTrustList(dir);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  page.drawText('Power of attorney 1447/2026', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  writeFileSync(join(dir, 'deed.pdf'), await doc.save({ useObjectStreams: false }));
  const r = ok(dir, ['stamp', 'deed.pdf', '--out', 'sealed.pdf', ...MOJ_POA, '--number', '1447/2026']);
  sealText = r.stdout.trim().split('\n').at(-1)!;
  expect(sealText).toMatch(/^UR1:/);
  for (const s of SCANS) made.set(s.dpi, makeScans(dir, join(dir, 'sealed.pdf'), s, sealText));
}, 180_000);

describe('scans of every kind', () => {
  for (const kind of KINDS) {
    it(`${kind}: reads the seal at every dpi where zbarimg reads the same pixels`, async () => {
      const bilevel = kind === 'ccitt' || kind.startsWith('jbig2') || kind === 'flate-1bit';
      const read: number[] = [];
      const zbarRead: number[] = [];
      for (const s of SCANS) {
        const m = made.get(s.dpi)!;
        if (bilevel ? m.zbarBilevel : m.zbarContinuous) zbarRead.push(s.dpi);
        if ((await sealsInPageImages(m.pdfs[kind])).includes(sealText)) read.push(s.dpi);
      }
      // Not vacuous: the simulated scans are readable at 200 and 300 dpi at least.
      expect(zbarRead, 'zbarimg reads').toEqual(expect.arrayContaining([200, 300]));
      expect(read, `${kind} read at`).toEqual(expect.arrayContaining(zbarRead));
    }, 120_000);
  }

  it('urseal verify: every kind at 200 dpi is VALID, marked "scan: compare printed text", and the same with --json', () => {
    const files = KINDS.map((k) => `scan-${k}-200.pdf`);
    const r = urseal(dir, ['verify', ...files, ...TRUST]);
    for (const f of files) expect(r.stdout).toMatch(new RegExp(`✓ VALID +MOJ +poa +1447/2026 +${f} +\\(scan: compare printed text`));
    expect(r.code).toBe(0);
    const j = JSON.parse(urseal(dir, ['verify', 'scan-jbig2-mmr-200.pdf', 'scan-jpx-200.pdf', '--json', ...TRUST]).stdout);
    expect(j.results.map((x: { code: string; scanned: boolean }) => [x.code, x.scanned])).toEqual([
      ['VALID', true],
      ['VALID', true],
    ]);
  }, 120_000);

  it('a photo of a PDF-bound seal (not the file) is a copy: VALID with "compare printed text", never "file intact"', () => {
    const r = urseal(dir, ['verify', 'r200.jpg', sealText, '--details', ...TRUST]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +r200\.jpg +\(copy of a sealed PDF: compare printed text/);
    expect(r.stdout).toMatch(/printed text must be compared with the signed fields shown/);
    expect(r.stdout).not.toMatch(/file intact/);
    const csv = join(dir, 'copy.csv');
    urseal(dir, ['verify', 'r200.jpg', '--csv', csv, ...TRUST]);
    expect(readFileSync(csv, 'utf8')).toMatch(/,copy,[^,\r\n]*\r\n$/); // file, then message_ckb last
    expect(r.code).toBe(0);
  });
});
