// Worker thread for the both-cores benchmark: verifies chunks of the seal texts (or, for the bare baseline,
// the decoded messages) it was given, taking the next chunk from a counter shared by all workers; answers
// with how many of its items were valid.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { nativeBackend } from '../../core/crypto/index.js';
import { verifySealSync } from '../../core/seal/verify.js';
import { verifyTrustListSync } from '../../core/trust-list/verify.js';

const data = workerData as {
  trustBytes: Uint8Array;
  rootPub: Uint8Array;
  now: number;
  next: Int32Array;
  texts?: string[];
  messages?: { tbs: Uint8Array; sig: Uint8Array }[];
  publicKey?: Uint8Array;
};
const { now, next } = data;
const backend = nativeBackend()!;
const r = verifyTrustListSync(data.trustBytes, backend, { roots: [data.rootPub], now });
if (!r.ok) throw new Error('worker: trust list did not verify');
const trust = r.trust;
const CHUNK = 50;

/** Verify item i; true when valid. */
let check: (i: number) => boolean;
let count: number;
if (data.texts) {
  const texts = data.texts;
  count = texts.length;
  check = (i) => verifySealSync(texts[i]!, backend, { trust, now }).valid;
} else {
  const messages = data.messages!;
  count = messages.length;
  const spki = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, ...data.publicKey!]);
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  check = (i) => nodeVerify(null, messages[i]!.tbs, key, messages[i]!.sig);
}

parentPort!.on('message', (m: { warmUp?: number; run?: boolean }) => {
  let valid = 0;
  if (m.warmUp !== undefined) {
    for (let i = 0; i < m.warmUp; i++) if (check(i % count)) valid++;
  } else {
    for (;;) {
      const start = Atomics.add(next, 0, CHUNK);
      if (start >= count) break;
      const end = Math.min(start + CHUNK, count);
      for (let i = start; i < end; i++) if (check(i)) valid++;
    }
  }
  parentPort!.postMessage(valid);
});
