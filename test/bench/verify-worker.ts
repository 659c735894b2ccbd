// Worker thread for the both-cores benchmark: verifies chunks of the seal texts it was given, taking the
// next chunk from a counter shared by all workers; answers with how many of its seals were valid.
import { parentPort, workerData } from 'node:worker_threads';
import { nativeBackend } from '../../core/crypto/index.js';
import { verifySealSync } from '../../core/seal/verify.js';
import { verifyTrustListSync } from '../../core/trust-list/verify.js';

const { trustBytes, rootPub, now, texts, next } = workerData as {
  trustBytes: Uint8Array;
  rootPub: Uint8Array;
  now: number;
  texts: string[];
  next: Int32Array;
};
const backend = nativeBackend()!;
const r = verifyTrustListSync(trustBytes, backend, { roots: [rootPub], now });
if (!r.ok) throw new Error('worker: trust list did not verify');
const trust = r.trust;
const CHUNK = 200;

parentPort!.on('message', (m: { warmUp?: number; run?: boolean }) => {
  let valid = 0;
  if (m.warmUp !== undefined) {
    for (let i = 0; i < m.warmUp; i++) if (verifySealSync(texts[i % texts.length]!, backend, { trust, now }).valid) valid++;
  } else {
    for (;;) {
      const start = Atomics.add(next, 0, CHUNK);
      if (start >= texts.length) break;
      const end = Math.min(start + CHUNK, texts.length);
      for (let i = start; i < end; i++) if (verifySealSync(texts[i]!, backend, { trust, now }).valid) valid++;
    }
  }
  parentPort!.postMessage(valid);
});
