// Property tests: seal round trips, and tampering with the text, the COSE bytes or the claims never verifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCbor } from '../../../core/cbor/index.js';
import { decodeSign1, encodeSign1 } from '../../../core/cose/sign1.js';
import { Tagged } from '../../../core/cbor/index.js';
import { BASE45_ALPHABET } from '../../../core/encoding/base45.js';
import { claimsToCbor, encodeClaims } from '../../../core/seal/claims.js';
import { decodeSeal } from '../../../core/seal/decode.js';
import { sealTextToCose } from '../../../core/seal/text.js';
import { coseToSealText } from '../../../core/seal/pack.js';
import { verifySealSync } from '../../../core/seal/verify.js';
import { claimsArb } from '../../helpers/arbitraries.js';
import { MAX_STATUS_BITS } from '../../../core/index.js';
import { backend, DAY, mojAgency, seal, T0, verifiedTrust } from '../../helpers/world.js';

const trust = verifiedTrust();
const NOW = T0 + 2 * DAY;
// No status list held: what a seal can say depends on its status index (none, one a list may hold, or beyond any list).
const check = (t: string) => verifySealSync(t, backend, { trust, now: NOW, statusLists: new Map() });

describe('seal properties', () => {
  it('round trip: sign then decode gives the same claims, and it verifies', () => {
    fc.assert(
      fc.property(claimsArb, (c) => {
        const t = seal(c);
        expect(decodeSeal(t).claims).toEqual(c);
        // VALID when the trust list publishes the type and every field; otherwise the warning that says which is not.
        const poa = mojAgency().documentTypes[0]!;
        const published = c.doc.type === poa.id && Object.keys(c.doc.fields).every((id) => poa.fields.some((f) => f.id === id));
        const index = c.doc.status;
        const expected =
          index !== undefined && index >= MAX_STATUS_BITS
            ? 'STATUS_OUT_OF_RANGE'
            : !published
              ? 'UNPUBLISHED_CONTENT'
              : index !== undefined
                ? 'STATUS_UNKNOWN'
                : 'VALID';
        expect(check(t).code).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('the hand-ordered claims encoder and the direct COSE_Sign1 writer give the generic deterministic bytes', () => {
    fc.assert(
      fc.property(claimsArb, fc.option(fc.integer({ min: T0 + 2 * DAY, max: T0 + 9000 * DAY }), { nil: undefined }), (c, exp) => {
        const withExp = exp === undefined ? c : { ...c, exp };
        const payload = encodeClaims(withExp);
        expect(Buffer.from(payload).toString('hex')).toBe(Buffer.from(encodeCbor(claimsToCbor(withExp))).toString('hex'));
        const p = new Uint8Array([0xa2, 0x01, 0x27, 0x04, 0x48, 1, 2, 3, 4, 5, 6, 7, 8]);
        const sig = new Uint8Array(64).fill(5);
        expect(Buffer.from(encodeSign1(p, payload, sig)).toString('hex')).toBe(
          Buffer.from(encodeCbor(new Tagged(18, [p, new Map(), payload, sig]))).toString('hex'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('any single changed character of the seal text makes it not valid', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), fc.nat(), (c, pos, pick) => {
        const t = seal(c);
        const i = pos % t.length;
        const alphabet = i < 4 ? 'ABCDUR12:' : BASE45_ALPHABET;
        let ch = alphabet[pick % alphabet.length]!;
        if (ch === t[i]) ch = alphabet[(pick + 1) % alphabet.length]!;
        const changed = t.slice(0, i) + ch + t.slice(i + 1);
        expect(check(changed).valid).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('any single changed byte of the COSE message makes it not valid', () => {
    fc.assert(
      fc.property(claimsArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (c, pos, xor) => {
        const cose = sealTextToCose(seal(c));
        const i = pos % cose.length;
        const changed = cose.slice();
        changed[i]! ^= xor;
        expect(check(coseToSealText(changed)).valid).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('changed claims under the original signature never verify', () => {
    fc.assert(
      fc.property(claimsArb, claimsArb, (a, b) => {
        const pa = encodeCbor(claimsToCbor(a));
        const pb = encodeCbor(claimsToCbor(b));
        fc.pre(Buffer.compare(pa, pb) !== 0);
        const m = decodeSign1(sealTextToCose(seal(a)));
        expect(check(coseToSealText(encodeSign1(m.protectedBytes, pb, m.signature))).code).toBe('BAD_SIGNATURE');
      }),
      { numRuns: 200 },
    );
  });
});
