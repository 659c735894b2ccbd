// Every corpus PDF, stamped at the default module size, reads at 100 dpi: plain render, and after blur and JPEG.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_MM, MIN_MODULE_MM } from '../../../issuer/stamp/stamp.js';
import { DEGRADATIONS, PRINT_CORPUS, corpusFiles, measureCorpus, summarize } from '../../bench/qr-print.js';
import { hasTool } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'urseal-print-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// pdftoppm (poppler-utils), convert (imagemagick) and zbarimg (zbar-tools) are installed in CI (.ci/run).
const TOOLS = ['pdftoppm', 'convert', 'zbarimg'].filter((t) => !hasTool(t));

describe('stamped corpus pages read at 100 dpi (README "QR size")', () => {
  it('has the tools and the corpus', () => {
    expect(TOOLS).toEqual([]);
    expect(corpusFiles(PRINT_CORPUS).length).toBeGreaterThanOrEqual(32);
  });

  it(`at ${DEFAULT_MODULE_MM} mm per module: our reader reads every page after blur and JPEG, zbarimg every plain render`, async () => {
    const reads = await measureCorpus({ moduleMms: [DEFAULT_MODULE_MM], dpis: [100], work });
    const rows = summarize(reads);
    expect(rows.map((r) => r.degradation).sort()).toEqual(DEGRADATIONS.map((d) => d.name).sort());
    for (const r of rows) {
      // 29 pages: the corpus minus the 3 files whose permissions forbid changes.
      expect(r.of, r.key).toBeGreaterThanOrEqual(29);
      expect(r.ours, `${r.key}: ours missed ${r.missed.join(', ')}`).toBe(r.of);
      if (r.degradation === 'none') expect(r.zbar, `${r.key}: zbarimg missed ${r.missed.join(', ')}`).toBe(r.of);
    }
  }, 300_000);

  it('the measurement can fail: at the old fixed 35 mm (0.45 mm per module) zbarimg misses plain 100 dpi renders', async () => {
    const files = ['tracemonkey.pdf', 'issue11656.pdf', 'hello_world_rotated.pdf', 'ArabicCIDTrueType.pdf'];
    const reads = await measureCorpus({ moduleMms: [35 / 77], dpis: [100], degradations: [DEGRADATIONS[0]!], work, files });
    expect(35 / 77).toBeLessThan(MIN_MODULE_MM);
    expect(reads.length).toBe(files.length);
    expect(reads.filter((r) => !r.zbar).length).toBeGreaterThan(0);
  }, 120_000);
});
