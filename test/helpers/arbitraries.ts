// fast-check arbitraries shared by the seal property tests.
import fc from 'fast-check';
import { unsafeTextReason, type SealClaims } from '../../core/seal/claims.js';
import { DAY, T0 } from './world.js';

// Field ids: mostly the ones the test trust list publishes for 'poa' (test/helpers/world.ts), sometimes any id.
const id = fc.oneof(fc.constantFrom('n', 'a', 'nid', 'd', 'c'), fc.stringMatching(/^[a-z][a-z0-9_-]{0,7}$/));
// Issuance refuses blank values, controls, bidi controls and lone surrogates (validateIssuedClaims).
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => unsafeTextReason(s) === undefined),
  fc.constantFrom('محمد', 'فاطمة الزهراء', 'عبد الرحمن بن خالد', 'Jean-Luc Ørsted'),
);

/** Claims of the published MOJ agency with random texts, fields and optional file binding and status. */
export const claimsArb: fc.Arbitrary<SealClaims> = fc
  .record({
    iss: fc.constant('MOJ'),
    iat: fc.integer({ min: T0, max: T0 + DAY }),
    cti: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    doc: fc.record(
      {
        type: fc.constantFrom('poa', 'poa', 'other'),
        number: text,
        fields: fc.dictionary(id, fc.oneof(text, fc.integer({ min: -1e9, max: 1e9 })), { maxKeys: 6 }),
        hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
        length: fc.nat(),
        status: fc.nat({ max: 1_000_000 }),
      },
      { requiredKeys: ['type', 'number', 'fields'] },
    ),
  })
  .filter((c) => (c.doc.hash === undefined) === (c.doc.length === undefined));
