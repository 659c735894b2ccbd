// Status lists: signer must be a published, unrevoked key of the agency; rollback; bits; zip bombs.
import { describe, expect, it } from 'vitest';
import { encodeCbor } from '../../../core/cbor/index.js';
import { encodeProtected, signSign1Sync } from '../../../core/cose/sign1.js';
import { keyId } from '../../../core/hash.js';
import { isRevoked, setRevoked } from '../../../core/status-list/codec.js';
import { verifyStatusListSync } from '../../../core/status-list/verify.js';
import { deflate } from '../../../core/zlib/index.js';
import {
  agencyKey,
  backend,
  DAY,
  MOI_KEY,
  MOJ_KEY_1,
  mojAgency,
  moiAgency,
  statusList,
  STRANGER_KEY,
  T0,
  trustList,
  verifiedTrust,
} from '../../helpers/world.js';

const now = T0 + 2 * DAY;

describe('verifyStatusList', () => {
  const trust = verifiedTrust();

  it('accepts the agency key and reads the bits', () => {
    const r = verifyStatusListSync(statusList([0, 9, 1023]), trust, backend, { now });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const l = r.status.list;
    expect([0, 1, 8, 9, 1022, 1023, 1024, -1].map((i) => isRevoked(l, i))).toEqual([true, false, false, true, false, true, false, false]);
    expect(r.status.stale).toBe(false);
  });

  it('STATUS_LIST_INVALID for an unknown key, another agency, a revoked key', () => {
    expect(verifyStatusListSync(statusList([1], { key: STRANGER_KEY }), trust, backend).code).toBe('STATUS_LIST_INVALID');
    expect(verifyStatusListSync(statusList([1], { key: MOI_KEY }), trust, backend).code).toBe('STATUS_LIST_INVALID');
    const revoked = verifiedTrust(
      trustList({ agencies: [mojAgency([agencyKey(MOJ_KEY_1, { status: 'revoked', revokedAt: T0 + DAY })]), moiAgency()] }),
    );
    expect(verifyStatusListSync(statusList([1]), revoked, backend).code).toBe('STATUS_LIST_INVALID');
  });

  it('STATUS_LIST_ROLLBACK for a lower sequence; stale after exp', () => {
    expect(verifyStatusListSync(statusList([1], { sequence: 3 }), trust, backend, { lastSequence: 4, now }).code).toBe(
      'STATUS_LIST_ROLLBACK',
    );
    const r = verifyStatusListSync(statusList([1]), trust, backend, { now: T0 + 30 * DAY });
    expect(r.ok && r.status.stale).toBe(true);
  });

  it('a zip bomb in the bits is refused (MALFORMED) without inflating past the declared size', () => {
    const bomb = deflate(new Uint8Array(8 * 1024 * 1024));
    const payload = encodeCbor(
      new Map<string, number | string | Uint8Array>([
        ['v', 1],
        ['iss', 'MOJ'],
        ['seq', 1],
        ['iat', T0 + DAY],
        ['exp', T0 + 9 * DAY],
        ['size', 1024],
        ['bits', bomb],
      ]),
    );
    const bytes = signSign1Sync(backend, MOJ_KEY_1, encodeProtected(keyId(MOJ_KEY_1.publicKey)), payload);
    const r = verifyStatusListSync(bytes, trust, backend);
    expect(r.code).toBe('MALFORMED');
  });

  it('setRevoked sets exactly one bit and refuses out-of-range indexes', () => {
    const bits = setRevoked(new Uint8Array(2), 16, 10);
    expect(Array.from(bits)).toEqual([0, 0b00100000]);
    expect(() => setRevoked(bits, 16, 16)).toThrow();
  });
});
