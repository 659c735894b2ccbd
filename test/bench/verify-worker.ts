// Worker thread for the both-cores benchmark: verifies the seal texts it is sent, returns how many were valid.
import { parentPort, workerData } from 'node:worker_threads';
import { nativeBackend } from '../../core/crypto/index.js';
import { verifySealSync } from '../../core/seal/verify.js';
import { verifyTrustListSync } from '../../core/trust-list/verify.js';

const { trustBytes, rootPub, now } = workerData as { trustBytes: Uint8Array; rootPub: Uint8Array; now: number };
const backend = nativeBackend()!;
const r = verifyTrustListSync(trustBytes, backend, { roots: [rootPub], now });
if (!r.ok) throw new Error('worker: trust list did not verify');
const trust = r.trust;

parentPort!.on('message', (texts: string[]) => {
  let valid = 0;
  for (const t of texts) if (verifySealSync(t, backend, { trust, now }).valid) valid++;
  parentPort!.postMessage(valid);
});
