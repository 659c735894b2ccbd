// Worker thread of `urseal verify`: verifies the chunks of items it is sent against the setup it was started with.
import { parentPort, workerData } from 'node:worker_threads';
import type { VerifySetup } from './sources.js';
import { makeVerifier, verifyItem, type ItemResult } from './verify-engine.js';
import type { VerifyItem } from './verify-items.js';

/** A chunk of work: items in input order, tagged with the chunk id. */
export interface WorkerRequest {
  id: number;
  items: VerifyItem[];
}

export type WorkerReply = { id: number; results: ItemResult[][] } | { id: number; error: string };

const port = parentPort;
if (port) {
  // The main thread verified these lists already; a failure here would be a bug, reported per chunk.
  let verifier: ReturnType<typeof makeVerifier> | undefined;
  let setupError: string | undefined;
  try {
    verifier = makeVerifier(workerData as VerifySetup);
  } catch (e) {
    setupError = e instanceof Error ? e.message : String(e);
  }
  port.on('message', (req: WorkerRequest) => {
    void (async () => {
      if (!verifier) return port.postMessage({ id: req.id, error: setupError ?? 'worker setup failed' } satisfies WorkerReply);
      try {
        const results: ItemResult[][] = [];
        for (const item of req.items) results.push(await verifyItem(verifier, item));
        port.postMessage({ id: req.id, results } satisfies WorkerReply);
      } catch (e) {
        port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
      }
    })();
  });
}
