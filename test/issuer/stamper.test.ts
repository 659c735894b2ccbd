// Stamping for the service: the worker pool gives the same bytes as in-process stamping; refusals keep their codes.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sha256, signSealSync } from '../../core/index.js';
import { inProcessStamper, workerStamper } from '../../issuer/stamper.js';
import { StampError } from '../../issuer/stamp/stamp.js';
import { backend, claims, MOJ_KEY_1 } from '../helpers/world.js';
import { onePagePdf } from './helpers.js';

const WORKER = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist/issuer/stamp-worker.js');

async function job(i: number) {
  const pdf = await onePagePdf();
  const sealText = signSealSync(claims({}, { number: `N-${i}`, hash: sha256(pdf), length: pdf.length, status: i }), {
    backend,
    key: MOJ_KEY_1,
  });
  return { pdf, job: { sealText, pages: [1], corner: 'bottom-left' as const, sign: (m: Uint8Array) => backend.signSync(MOJ_KEY_1, m) } };
}

const bad0 = (jobs: { pdf: Uint8Array }[]) => jobs[0]!.pdf;

describe('stampers', () => {
  it('in-process stamping is deterministic across documents (the caption template is built once per process)', async () => {
    const s = inProcessStamper();
    const a = await job(1);
    const first = (await s.stamp(a.pdf, a.job)).pdf;
    await s.stamp((await job(2)).pdf, (await job(2)).job);
    const again = (await s.stamp(a.pdf, a.job)).pdf;
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it.runIf(existsSync(WORKER))(
    'the worker pool returns the same bytes as in-process, signing in the main thread, and keeps StampError codes',
    async () => {
      const pool = workerStamper({ size: 2, script: WORKER });
      const local = inProcessStamper();
      try {
        const jobs = await Promise.all(Array.from({ length: 8 }, (_, i) => job(i)));
        const [fromPool, fromLocal] = await Promise.all([
          Promise.all(jobs.map((j) => pool.stamp(j.pdf, j.job))),
          Promise.all(jobs.map((j) => local.stamp(j.pdf, j.job))),
        ]);
        fromPool.forEach((b, i) => {
          expect(Buffer.from(b.pdf).equals(Buffer.from(fromLocal[i]!.pdf))).toBe(true);
          expect(b.placements).toEqual(fromLocal[i]!.placements);
        });
        // Placement options and the seal-page answer cross the thread boundary too.
        const sp = await pool.stamp(jobs[0]!.pdf, { ...jobs[0]!.job, placement: 'seal-page' });
        expect(sp.sealPage).toBe(2);
        expect(sp.placements).toEqual([expect.objectContaining({ page: 1, method: 'seal-page', drawnOn: 2 })]);
        await expect(pool.stamp(bad0(jobs), { ...jobs[0]!.job, place: { xMm: 500, yMm: 0 } })).rejects.toSatisfy(
          (e) => e instanceof StampError && e.code === 'PLACE_OFF_PAGE',
        );
        const bad = await job(99);
        await expect(pool.stamp(new TextEncoder().encode('%PDF-1.4 nothing else here at all'), bad.job)).rejects.toSatisfy(
          (e) => e instanceof StampError && e.code === 'PDF_UNREADABLE',
        );
        await expect(pool.stamp(bad.pdf, { ...bad.job, pages: [5] })).rejects.toSatisfy(
          (e) => e instanceof StampError && e.code === 'PDF_PAGE_NOT_FOUND',
        );

        // A seal-text function is called only for a file that can be stamped, once, in the main thread; its
        // result is the same file as the text given up front, and its own error reaches the caller unchanged.
        let asked = 0;
        const lazy = { ...jobs[1]!.job, sealText: async () => (asked++, jobs[1]!.job.sealText) };
        for (const s of [pool, local]) {
          const out = await s.stamp(jobs[1]!.pdf, lazy);
          expect(Buffer.from(out.pdf).equals(Buffer.from(fromLocal[1]!.pdf))).toBe(true);
          await expect(s.stamp(new TextEncoder().encode('%PDF-1.4 nothing else here at all'), lazy)).rejects.toBeInstanceOf(StampError);
          await expect(s.stamp(bad.pdf, { ...lazy, pages: [5] })).rejects.toBeInstanceOf(StampError);
          const own = new Error('no serial left');
          await expect(s.stamp(jobs[1]!.pdf, { ...lazy, sealText: () => Promise.reject(own) })).rejects.toBe(own);
        }
        expect(asked).toBe(2);
      } finally {
        await pool.close();
      }
    },
  );
});
