// Known-answer and property tests of every Ed25519 backend against ../shared/corpus/ed25519 (sources in its SOURCE.txt).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../core/bytes.js';
import type { BackendName, Ed25519Backend } from '../../../core/crypto/backend.js';
import { nativeBackend, nobleBackend, selectBackend, selectBackendSync, webCryptoBackend } from '../../../core/crypto/index.js';
import { UrsealError } from '../../../core/errors.js';

const CORPUS = new URL('../../../../shared/corpus/ed25519/', import.meta.url);
const corpusPath = (name: string): string => fileURLToPath(new URL(name, CORPUS));
const readJson = <T>(name: string): T => JSON.parse(readFileSync(corpusPath(name), 'utf8')) as T;

// ---- corpus files -------------------------------------------------------------------------------

interface RfcVector {
  name: string;
  secret_key: string;
  public_key: string;
  message: string;
  signature: string;
}
/** RFC 8032 §7.1 TEST 1, 2, 3, 1024, SHA(abc). */
const RFC8032 = readJson<RfcVector[]>('rfc8032-section7.1.json');

interface SignInputLine {
  line: number;
  seed: Uint8Array;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}
/** First 128 lines of ed25519.cr.yp.to sign.input: `sk(seed||pk):pk:msg:sig||msg:`. */
const SIGN_INPUT: SignInputLine[] = readFileSync(corpusPath('sign-input-first128/TESTVECTORS'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l, i) => {
    const [sk, pk, msg, sigMsg] = l.split(':') as [string, string, string, string];
    expect(sk.slice(64)).toBe(pk);
    expect(sigMsg.slice(128)).toBe(msg);
    return {
      line: i + 1,
      seed: fromHex(sk.slice(0, 64)),
      publicKey: fromHex(pk),
      message: fromHex(msg),
      signature: fromHex(sigMsg.slice(0, 128)),
    };
  });

interface WycheproofFile {
  numberOfTests: number;
  testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: string; flags: string[] }[] }[];
}
const WYCHEPROOF = readJson<WycheproofFile>('wycheproof/ed25519_test.json');
const WYCHEPROOF_TESTS = WYCHEPROOF.testGroups.flatMap((g) =>
  g.tests.map((t) => ({ ...t, publicKey: fromHex(g.publicKey.pk), message: fromHex(t.msg), signature: fromHex(t.sig) })),
);

interface CctvVector {
  number: number;
  key: string;
  sig: string;
  msg: string;
  flags: string[] | null;
}
const CCTV = readJson<CctvVector[]>('cctv-validation/VALIDATIONVECTORS.json');
/** ed25519-dalek verify_strict accepts exactly these (corpus README): flags within the mixed-order ones. */
const CCTV_STRICT_OK = new Set(['low_order_component_A', 'low_order_component_R']);
const CCTV_EXPECTED_ACCEPT = CCTV.filter((v) => (v.flags ?? []).every((f) => CCTV_STRICT_OK.has(f))).map((v) => v.number);

/** speccheck ("Taming the many EdDSAs") cases; listed in the corpus README but may be absent from the folder. */
const SPECCHECK_FILE = 'speccheck/cases.json';
const HAS_SPECCHECK = existsSync(corpusPath(SPECCHECK_FILE));
/** Dalek-strict row of speccheck results.md, cases 1-10: X X X V X X X X X X. */
const SPECCHECK_STRICT = [false, false, false, true, false, false, false, false, false, false];

// ---- helpers --------------------------------------------------------------------------------------

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** Verify through the sync API when the backend has one, and check the async API agrees. */
async function verifyBoth(ed: Ed25519Backend, pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const viaAsync = await ed.verify(pk, msg, sig);
  if (ed.sync) expect(ed.verifySync(pk, msg, sig)).toBe(viaAsync);
  return viaAsync;
}

const BACKENDS: BackendName[] = ['native', 'webcrypto', 'noble'];
const backends = new Map<BackendName, Ed25519Backend>();

beforeAll(async () => {
  const native = nativeBackend();
  const web = await webCryptoBackend(globalThis.crypto.subtle);
  // Node 20.16+ has both; a null here would silently skip a backend, so fail instead.
  expect(native).not.toBeNull();
  expect(web).not.toBeNull();
  backends.set('native', native!);
  backends.set('webcrypto', web!);
  backends.set('noble', nobleBackend());
});

const get = (name: BackendName): Ed25519Backend => backends.get(name)!;

// ---- corpus sanity (so a truncated or swapped file cannot make the suite pass vacuously) ------------

describe('corpus', () => {
  it('has the documented sizes', () => {
    expect(RFC8032).toHaveLength(5);
    expect(SIGN_INPUT).toHaveLength(128);
    expect(WYCHEPROOF_TESTS).toHaveLength(151);
    expect(WYCHEPROOF.numberOfTests).toBe(151);
    expect(WYCHEPROOF_TESTS.filter((t) => t.result === 'valid')).toHaveLength(88);
    expect(WYCHEPROOF_TESTS.filter((t) => t.result === 'invalid')).toHaveLength(63);
    expect(CCTV).toHaveLength(914);
    expect(CCTV_EXPECTED_ACCEPT).toHaveLength(43);
  });
});

// ---- per backend ----------------------------------------------------------------------------------

describe.each(BACKENDS)('Ed25519 backend %s', (name) => {
  it('reports its name and sync flag', () => {
    const ed = get(name);
    expect(ed.name).toBe(name);
    expect(ed.sync).toBe(name !== 'webcrypto');
  });

  it('RFC 8032 §7.1: derives pk, signs exactly, verifies, rejects every flipped bit of sig and pk', async () => {
    const ed = get(name);
    for (const v of RFC8032) {
      const key = await ed.importSigningKey(fromHex(v.secret_key));
      expect(key.backend).toBe(name);
      expect(toHex(key.publicKey)).toBe(v.public_key);
      const msg = fromHex(v.message);
      const sig = await ed.sign(key, msg);
      expect(sig).toBeInstanceOf(Uint8Array);
      expect(toHex(sig)).toBe(v.signature);
      if (ed.sync) {
        const keySync = ed.importSigningKeySync(fromHex(v.secret_key));
        expect(toHex(keySync.publicKey)).toBe(v.public_key);
        expect(toHex(ed.signSync(keySync, msg))).toBe(v.signature);
      }
      const pk = fromHex(v.public_key);
      expect(await verifyBoth(ed, pk, msg, sig)).toBe(true);
      const rejected: number[] = [];
      for (let bit = 0; bit < 512; bit++) if (!(await ed.verify(pk, msg, flipBit(sig, bit)))) rejected.push(bit);
      expect(rejected).toHaveLength(512);
      let pkRejected = 0;
      for (let bit = 0; bit < 256; bit++) if (!(await ed.verify(flipBit(pk, bit), msg, sig))) pkRejected++;
      expect(pkRejected).toBe(256);
      if (msg.length > 0) {
        let msgRejected = 0;
        const bits = Math.min(msg.length * 8, 64);
        for (let bit = 0; bit < bits; bit++) if (!(await ed.verify(pk, flipBit(msg, bit), sig))) msgRejected++;
        expect(msgRejected).toBe(bits);
      } else {
        expect(await ed.verify(pk, new Uint8Array([0]), sig)).toBe(false);
      }
    }
  });

  it('sign.input first 128 lines: pk and signature exact, verify passes, a flipped bit fails', async () => {
    const ed = get(name);
    for (const v of SIGN_INPUT) {
      const key = await ed.importSigningKey(v.seed);
      expect(toHex(key.publicKey), `line ${v.line}`).toBe(toHex(v.publicKey));
      expect(toHex(await ed.sign(key, v.message)), `line ${v.line}`).toBe(toHex(v.signature));
      expect(await verifyBoth(ed, v.publicKey, v.message, v.signature), `line ${v.line}`).toBe(true);
      expect(await ed.verify(v.publicKey, v.message, flipBit(v.signature, v.line % 512))).toBe(false);
    }
  });

  it('Wycheproof ed25519_test.json: verdict equals result for all 151', async () => {
    const ed = get(name);
    const wrong: number[] = [];
    for (const t of WYCHEPROOF_TESTS) {
      if ((await verifyBoth(ed, t.publicKey, t.message, t.signature)) !== (t.result === 'valid')) wrong.push(t.tcId);
    }
    expect(wrong).toEqual([]);
  });

  it('CCTV: accepts exactly the 43 vectors ed25519-dalek verify_strict accepts', async () => {
    const ed = get(name);
    const accepted: number[] = [];
    for (const v of CCTV) if (await verifyBoth(ed, fromHex(v.key), utf8(v.msg), fromHex(v.sig))) accepted.push(v.number);
    expect(accepted).toEqual(CCTV_EXPECTED_ACCEPT);
  });

  it.skipIf(!HAS_SPECCHECK)(`speccheck cases: 1-3 (small order) and 5-10 rejected, 4 accepted (${SPECCHECK_FILE})`, async () => {
    const ed = get(name);
    const cases = readJson<{ message: string; pub_key: string; signature: string }[]>(SPECCHECK_FILE);
    expect(cases).toHaveLength(10);
    const verdicts: boolean[] = [];
    for (const c of cases) verdicts.push(await verifyBoth(ed, fromHex(c.pub_key), fromHex(c.message), fromHex(c.signature)));
    expect(verdicts).toEqual(SPECCHECK_STRICT);
  });

  it('verify never throws on malformed input, and returns false', async () => {
    const ed = get(name);
    const v = RFC8032[1]!;
    const pk = fromHex(v.public_key);
    const msg = fromHex(v.message);
    const sig = fromHex(v.signature);
    const bad: [unknown, unknown, unknown][] = [
      [pk.subarray(0, 31), msg, sig],
      [new Uint8Array(33), msg, sig],
      [pk, msg, sig.subarray(0, 63)],
      [pk, msg, new Uint8Array(65)],
      [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)],
      // y = 2 is not on the curve: canonical bytes, passes the pre-checks, must fail at decoding
      [fromHex('02'.padEnd(64, '0')), msg, sig],
      ['not bytes', msg, sig],
      [pk, null, sig],
      [pk, msg, undefined],
    ];
    for (const [a, m, s] of bad) {
      expect(await ed.verify(a as Uint8Array, m as Uint8Array, s as Uint8Array)).toBe(false);
      if (ed.sync) expect(ed.verifySync(a as Uint8Array, m as Uint8Array, s as Uint8Array)).toBe(false);
    }
  });

  it('rejects a wrong seed length with INVALID_ARGUMENT', async () => {
    const ed = get(name);
    for (const len of [0, 31, 33, 64]) {
      await expect(ed.importSigningKey(new Uint8Array(len))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      if (ed.sync)
        expect(() => ed.importSigningKeySync(new Uint8Array(len))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it("refuses another backend's signing key with INVALID_ARGUMENT", async () => {
    const ed = get(name);
    const other = get(name === 'noble' ? 'native' : 'noble');
    const foreign = await other.importSigningKey(new Uint8Array(32));
    await expect(ed.sign(foreign, new Uint8Array(1))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('property: round trip, and any single flipped bit of message, signature or key fails', async () => {
    const ed = get(name);
    const runs = name === 'noble' ? 40 : 150;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.nat(),
        fc.constantFrom('message', 'signature', 'key'),
        async (seed, message, bitSeed, where) => {
          const key = await ed.importSigningKey(seed);
          const sig = await ed.sign(key, message);
          expect(sig).toHaveLength(64);
          expect(await ed.verify(key.publicKey, message, sig)).toBe(true);
          if (where === 'message') {
            const tampered = message.length === 0 ? new Uint8Array([bitSeed & 255]) : flipBit(message, bitSeed % (message.length * 8));
            expect(await ed.verify(key.publicKey, tampered, sig)).toBe(false);
          } else if (where === 'signature') {
            expect(await ed.verify(key.publicKey, message, flipBit(sig, bitSeed % 512))).toBe(false);
          } else {
            expect(await ed.verify(flipBit(key.publicKey, bitSeed % 256), message, sig)).toBe(false);
          }
        },
      ),
      { numRuns: runs },
    );
  });
});

// ---- across backends ------------------------------------------------------------------------------

describe('all backends', () => {
  it('give the same verdict on every CCTV, Wycheproof and sign.input vector', async () => {
    const cases = [
      ...CCTV.map((v) => ({ id: `cctv ${v.number}`, pk: fromHex(v.key), msg: utf8(v.msg), sig: fromHex(v.sig) })),
      ...WYCHEPROOF_TESTS.map((t) => ({ id: `wycheproof ${t.tcId}`, pk: t.publicKey, msg: t.message, sig: t.signature })),
      ...SIGN_INPUT.map((v) => ({ id: `sign.input ${v.line}`, pk: v.publicKey, msg: v.message, sig: v.signature })),
    ];
    const disagreements: string[] = [];
    for (const c of cases) {
      const verdicts = await Promise.all(BACKENDS.map((n) => get(n).verify(c.pk, c.msg, c.sig)));
      if (new Set(verdicts).size !== 1) disagreements.push(`${c.id}: ${verdicts.join(',')}`);
    }
    expect(cases).toHaveLength(914 + 151 + 128);
    expect(disagreements).toEqual([]);
  });

  it('property: every backend makes the same signature bytes and accepts the others', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), async (seed, message) => {
        const sigs: string[] = [];
        for (const n of BACKENDS) {
          const ed = get(n);
          const key = await ed.importSigningKey(seed);
          sigs.push(toHex(await ed.sign(key, message)));
        }
        expect(new Set(sigs).size).toBe(1);
        const sig = fromHex(sigs[0]!);
        const pk = (await get('native').importSigningKey(seed)).publicKey;
        for (const n of BACKENDS) expect(await get(n).verify(pk, message, sig)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('WebCrypto *Sync methods throw CRYPTO_UNAVAILABLE', () => {
    const ed = get('webcrypto');
    const calls = [
      () => ed.importSigningKeySync(new Uint8Array(32)),
      () => ed.verifySync(new Uint8Array(32), new Uint8Array(0), new Uint8Array(64)),
      () => ed.signSync({ backend: 'webcrypto', publicKey: new Uint8Array(32) }, new Uint8Array(0)),
    ];
    for (const call of calls) {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(UrsealError);
      expect((thrown as UrsealError).code).toBe('CRYPTO_UNAVAILABLE');
    }
  });

  it('webCryptoBackend returns null for a SubtleCrypto without Ed25519', async () => {
    const noEd25519 = {
      importKey: () => Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError')),
    } as unknown as SubtleCrypto;
    expect(await webCryptoBackend(noEd25519)).toBeNull();
  });

  it('selectBackend picks node:crypto in Node and caches the choice', async () => {
    const a = await selectBackend();
    expect(a.name).toBe('native');
    expect(await selectBackend()).toBe(a);
    const s = selectBackendSync();
    expect(s.name).toBe('native');
    expect(selectBackendSync()).toBe(s);
  });
});
