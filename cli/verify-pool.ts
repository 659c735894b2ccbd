// Running a verification batch: in this thread for small batches, on a worker_threads pool (all cores) for large ones.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VerifySetup } from './sources.js';
import { verifyItem, type ItemResult, type Verifier } from './verify-engine.js';
import { itemCost, type VerifyItem } from './verify-items.js';
import type { WorkerReply, WorkerRequest } from './verify-worker.js';

/** Batches cheaper than this (in itemCost units: a seal text 1, an image 100) stay in one thread. */
export const PARALLEL_MIN_COST = 3000;
/** Work per message to a worker, in itemCost units: small enough to balance, large enough to amortise messaging. */
const CHUNK_COST = 400;

export interface RunOptions {
  /** Worker threads: 0 = automatic (all cores for large batches), 1 = this thread only. */
  jobs?: number;
  onProgress?: (done: number) => void;
}

function workerUrl(): URL {
  return new URL('./verify-worker.js', import.meta.url);
}

/** How many worker threads a batch gets (1 = none, run here). */
export function plannedJobs(items: readonly VerifyItem[], jobs = 0): number {
  if (jobs === 1) return 1;
  // Running from TypeScript sources (tests) there is no compiled worker: run in this thread.
  if (!existsSync(fileURLToPath(workerUrl()))) return 1;
  if (jobs > 1) return Math.min(jobs, items.length);
  const cost = items.reduce((s, i) => s + itemCost(i), 0);
  if (cost < PARALLEL_MIN_COST) return 1;
  return Math.max(1, Math.min(availableParallelism(), items.length));
}

function chunk(items: readonly VerifyItem[]): { start: number; items: VerifyItem[] }[] {
  const chunks: { start: number; items: VerifyItem[] }[] = [];
  let cur: VerifyItem[] = [];
  let cost = 0;
  let start = 0;
  items.forEach((item, i) => {
    if (cur.length > 0 && cost + itemCost(item) > CHUNK_COST) {
      chunks.push({ start, items: cur });
      cur = [];
      cost = 0;
      start = i;
    }
    cur.push(item);
    cost += itemCost(item);
  });
  if (cur.length) chunks.push({ start, items: cur });
  return chunks;
}

/**
 * Verify every item; results come back in input order whatever thread did the work.
 * @example const rows = (await runBatch(verifier, setup, items, { jobs: 0 })).flat();
 */
export async function runBatch(
  verifier: Verifier,
  setup: VerifySetup,
  items: readonly VerifyItem[],
  options: RunOptions = {},
): Promise<ItemResult[][]> {
  const jobs = plannedJobs(items, options.jobs);
  const out: ItemResult[][] = new Array(items.length);
  let done = 0;
  if (jobs <= 1) {
    for (let i = 0; i < items.length; i++) {
      out[i] = await verifyItem(verifier, items[i]!);
      options.onProgress?.(++done);
    }
    return out;
  }
  const chunks = chunk(items);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: jobs }, () => {
        const w = new Worker(workerUrl(), { workerData: setup });
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          const send = () => {
            if (next >= chunks.length) return resolve();
            const id = next++;
            w.postMessage({ id, items: chunks[id]!.items } satisfies WorkerRequest);
          };
          w.on('message', (reply: WorkerReply) => {
            if ('error' in reply) return reject(new Error(`verify worker: ${reply.error}`));
            const c = chunks[reply.id]!;
            reply.results.forEach((r, k) => (out[c.start + k] = r));
            done += c.items.length;
            options.onProgress?.(done);
            send();
          });
          w.on('error', reject);
          w.on('exit', (code) => {
            if (code !== 0) reject(new Error(`verify worker exited with ${code}`));
          });
          send();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
