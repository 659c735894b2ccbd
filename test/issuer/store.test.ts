// RegistryStore contract: one suite run against SqliteStore and PostgresStore, plus PostgreSQL multi-node races.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyId, MAX_STATUS_BITS, toHex, type StatusList } from '../../core/index.js';
import { signStatusListSync } from '../../core/status-list/sign.js';
import { isRevoked } from '../../core/status-list/codec.js';
import { verifyStatusListSync } from '../../core/status-list/verify.js';
import { sealSeed } from '../../issuer/master-key.js';
import { openStore } from '../../issuer/registry/open.js';
import { numberPlaceholders, PostgresStore, redactUrl, RegistryConnectError } from '../../issuer/registry/postgres.js';
import { STATUS_BLOCK, StatusListFullError, type IssueInput, type IssueOutcome } from '../../issuer/registry/registry.js';
import { SqliteStore } from '../../issuer/registry/sqlite.js';
import type { RegistryStore, StatusSigner } from '../../issuer/registry/store.js';
import { newToken } from '../../issuer/tokens.js';
import { backend, DAY, MOI_KEY, MOJ_KEY_1, ROOT, signedTrust, T0, testSeed, trustList, verifiedTrust } from '../helpers/world.js';
import { describePg, freshDatabase, PG_ADMIN_URL, pgEnabled, type FreshDatabase } from './pg.js';

const NOW = T0 + DAY;
const MASTER = new Uint8Array(32).fill(9);

function signer(key = MOJ_KEY_1): StatusSigner {
  return { validity: 7 * DAY, sign: (l: StatusList) => signStatusListSync(l, backend, key) };
}
const SIGNERS: Record<string, StatusSigner> = { MOJ: signer(MOJ_KEY_1), MOI: signer(MOI_KEY) };

/** One store under test and how to open another node on the same registry. */
interface Harness {
  store: RegistryStore;
  /** Another store on the same registry (PostgreSQL: a second node; SQLite: the same file reopened). */
  reopen(): Promise<RegistryStore>;
  close(): Promise<void>;
}

async function sqliteHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'urseal-store-'));
  const path = join(dir, 'registry.db');
  const opened: RegistryStore[] = [SqliteStore.open(path)];
  return {
    store: opened[0]!,
    async reopen() {
      const s = SqliteStore.open(path);
      opened.push(s);
      return s;
    },
    async close() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgHarness(): Promise<Harness & { db: FreshDatabase }> {
  const db = await freshDatabase();
  const opened: RegistryStore[] = [await PostgresStore.open(db.url, { poolSize: 4 })];
  return {
    db,
    store: opened[0]!,
    async reopen() {
      const s = await PostgresStore.open(db.url, { poolSize: 4 });
      opened.push(s);
      return s;
    },
    async close() {
      for (const s of opened) await s.close();
      await db.drop();
    },
  };
}

/** MOJ and MOI from the test trust list, their keys, a token each and a first status list each. */
async function seed(s: RegistryStore): Promise<{ mojToken: string; moiToken: string }> {
  const l = trustList();
  await s.addRoot(toHex(keyId(ROOT.publicKey)), ROOT.publicKey, NOW, 'NDC root');
  await s.addTrustList(
    { sequence: l.sequence, bytes: signedTrust(l), issuedAt: l.issuedAt, expiresAt: l.expiresAt, agencies: l.agencies },
    NOW,
  );
  for (const [agencyId, label, key] of [
    ['MOJ', 'moj-1', MOJ_KEY_1],
    ['MOI', 'moi-1', MOI_KEY],
  ] as const) {
    const kid = toHex(keyId(key.publicKey));
    await s.addAgencyKey({
      kid,
      agencyId,
      publicKey: key.publicKey,
      sealedSeed: sealSeed(MASTER, agencyId, kid, testSeed(label)),
      addedAt: NOW,
    });
  }
  const ids: string[] = [];
  for (const agencyId of ['MOJ', 'MOI']) {
    const t = newToken();
    await s.addToken({ id: t.id, agencyId, hash: t.hash, scopes: ['issue', 'revoke', 'read'], createdAt: NOW });
    ids.push(t.id);
    await s.renewStatusList(agencyId, NOW, SIGNERS[agencyId]!);
  }
  return { mojToken: ids[0]!, moiToken: ids[1]! };
}

function request(tokenId: string, over: Partial<IssueInput> = {}): IssueInput {
  return {
    agencyId: 'MOJ',
    kid: toHex(keyId(MOJ_KEY_1.publicKey)),
    kind: 'paper',
    type: 'poa',
    number: '1447/2026',
    fields: { n: 'سارة', a: 'محمد', d: '2026-01-02' },
    tokenId,
    requestHash: new Uint8Array(32).fill(1),
    now: NOW,
    ...over,
  };
}

function counterOf(serial: string): number {
  return parseInt(serial.slice(8), 16);
}

/** Sorted numbers are exactly start, start+1, … */
function expectContiguous(values: number[], start: number): void {
  const sorted = [...values].sort((a, b) => a - b);
  expect(sorted).toEqual(Array.from({ length: values.length }, (_, i) => start + i));
}

const kinds: ('sqlite' | 'postgres')[] = pgEnabled ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(kinds)('RegistryStore contract: %s', (kind) => {
  let h: Harness | undefined;
  let s: RegistryStore;
  let tokens: { mojToken: string; moiToken: string };
  beforeEach(async () => {
    h = kind === 'sqlite' ? await sqliteHarness() : await pgHarness();
    s = h.store;
    tokens = await seed(s);
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('identity: kind, a 4-byte registry id kept across opens, shared only on PostgreSQL', async () => {
    expect(s.kind).toBe(kind);
    expect(s.shared).toBe(kind === 'postgres');
    expect(s.registryId).toMatch(/^[0-9a-f]{8}$/);
    const again = await h!.reopen();
    expect(again.registryId).toBe(s.registryId);
    if (kind === 'postgres') {
      expect(s.where).not.toContain(':urseal@');
      expect(s.where).toMatch(/\*\*\*@/);
      expect(await s.query('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
      // Durability: a document whose promise resolved is on the server's disk (the default, not turned off).
      expect(await s.query('SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
      // A schema newer than this code knows is refused at open (a node left behind in a rolling upgrade).
      await s.query('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [99, NOW]);
      await expect(h!.reopen()).rejects.toMatchObject({ code: 'REGISTRY_SCHEMA_NEWER', message: expect.stringMatching(/version 99/) });
    }
  });

  it('meta: set, overwrite, setMetaOnce keeps the first value', async () => {
    expect(await s.getMeta('x')).toBeUndefined();
    await s.setMeta('x', 'one');
    await s.setMeta('x', new Uint8Array([0, 255, 7]));
    expect([...(await s.getMeta('x'))!]).toEqual([0, 255, 7]);
    expect((await s.setMetaOnce('y', 'first')).toString()).toBe('first');
    expect((await s.setMetaOnce('y', 'second')).toString()).toBe('first');
    expect((await s.getMeta('y'))!.toString()).toBe('first');
  });

  it('roots, trust lists, agencies, keys and tokens round-trip', async () => {
    const roots = await s.listRoots();
    expect(roots).toHaveLength(1);
    expect(roots[0]!.name).toBe('NDC root');
    expect(Buffer.from(roots[0]!.publicKey).equals(Buffer.from(ROOT.publicKey))).toBe(true);
    await s.addRoot(roots[0]!.kid, new Uint8Array(32), NOW + 1); // already pinned: kept as it was
    expect(Buffer.from((await s.listRoots())[0]!.publicKey).equals(Buffer.from(ROOT.publicKey))).toBe(true);

    const l = trustList();
    expect(await s.latestTrustListSequence()).toBe(1);
    expect(Buffer.from((await s.latestTrustList())!.bytes).equals(Buffer.from(signedTrust(l)))).toBe(true);
    // The store keeps what the caller verified: the bytes of list 2 and the agencies it names (here one more).
    const l2 = trustList({ sequence: 2 });
    const agencies2 = [...l.agencies, { id: 'MOH', name: { ar: 'الصحة', en: 'Health' } }];
    const newRoot = new Uint8Array(32).fill(3);
    await s.addTrustList({ sequence: 2, bytes: signedTrust(l2), issuedAt: NOW, expiresAt: NOW + DAY, agencies: agencies2 }, NOW, 'ops', [
      { kid: 'aa00', publicKey: newRoot },
    ]);
    expect(await s.latestTrustListSequence()).toBe(2);
    expect((await s.latestTrustList())!.sequence).toBe(2);
    expect((await s.listRoots()).map((r) => r.kid)).toContain('aa00');
    expect((await s.listAgencies()).map((a) => a.id)).toEqual(['MOH', 'MOI', 'MOJ']);
    expect(await s.hasAgency('MOH')).toBe(true);
    expect(await s.hasAgency('NOPE')).toBe(false);
    await s.ensureAgency('MOH', { ar: 'x', en: 'renamed?' }, NOW);
    expect((await s.listAgencies()).find((a) => a.id === 'MOH')!.name.en).toBe('Health');

    const keys = await s.listAgencyKeys('MOJ');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.kid).toBe(toHex(keyId(MOJ_KEY_1.publicKey)));
    expect(keys[0]!.sealedSeed.length).toBeGreaterThan(32);
    expect((await s.listAgencyKeys()).map((k) => k.agencyId)).toEqual(['MOI', 'MOJ']);

    const t = newToken();
    await s.addToken({ id: t.id, agencyId: 'MOI', hash: t.hash, scopes: ['read'], label: 'reader', createdAt: NOW + 5 });
    const found = await s.findTokenByHash(t.hash);
    expect(found).toEqual({ id: t.id, agencyId: 'MOI', hash: found!.hash, scopes: ['read'], label: 'reader', createdAt: NOW + 5 });
    expect(Buffer.from(found!.hash).equals(Buffer.from(t.hash))).toBe(true);
    expect((await s.listTokens('MOI')).map((x) => x.id)).toEqual([tokens.moiToken, t.id]);
    expect(await s.revokeToken(t.id, NOW + 6)).toBe(true);
    expect(await s.revokeToken(t.id, NOW + 7)).toBe(false);
    expect((await s.findTokenByHash(t.hash))!.revokedAt).toBe(NOW + 6);
    const actions = (await s.listAudit(3)).map((e) => e.action);
    expect(actions).toEqual(['token.revoke', 'token.create', 'root.pin']);
  });

  it('admitAgency writes agency, key, trust list, roots and token together, or nothing', async () => {
    const t = newToken();
    const l3 = trustList({ sequence: 3 });
    const admission = {
      agency: { id: 'MOE', name: { ar: 'التعليم', en: 'Education' } },
      key: { kid: 'ee01', agencyId: 'MOE', publicKey: new Uint8Array(32).fill(5), sealedSeed: new Uint8Array(60), addedAt: NOW },
      trustList: { sequence: 3, bytes: signedTrust(l3), issuedAt: NOW, expiresAt: NOW + DAY, agencies: l3.agencies },
      newRoots: [{ kid: 'bb00', publicKey: new Uint8Array(32).fill(6), name: 'second root' }],
      token: { id: t.id, agencyId: 'MOE', hash: t.hash, scopes: ['issue' as const], createdAt: NOW },
      actor: 'demo',
      now: NOW,
    };
    // The same token hash again: the last write fails, so nothing of the admission may stay.
    const dup = newToken();
    await expect(
      s.admitAgency({
        ...admission,
        agency: { ...admission.agency, id: 'MOX' },
        key: { ...admission.key, kid: 'ee02', agencyId: 'MOX' },
        token: { ...admission.token, id: dup.id, agencyId: 'MOX', hash: (await s.listTokens('MOJ'))[0]!.hash },
      }),
    ).rejects.toThrow();
    expect(await s.hasAgency('MOX')).toBe(false);
    expect(await s.latestTrustListSequence()).toBe(1);
    await s.admitAgency(admission);
    expect(await s.hasAgency('MOE')).toBe(true);
    expect((await s.listAgencyKeys('MOE')).map((k) => k.kid)).toEqual(['ee01']);
    expect(await s.latestTrustListSequence()).toBe(3);
    expect((await s.listRoots()).find((r) => r.kid === 'bb00')?.name).toBe('second root');
    expect((await s.findTokenByHash(t.hash))?.agencyId).toBe('MOE');
  });

  it('issue: new, replay of the same request, conflict for another request under the same key', async () => {
    const hash = new Uint8Array(32).fill(0xab);
    const first = await s.issue(request(tokens.mojToken, { idempotencyKey: 'k1', kind: 'pdf', hash, length: 1234, expiresAt: NOW + DAY }));
    expect(first.kind).toBe('new');
    const d = first.document;
    expect(d.serial).toBe(`${s.registryId}00000001`);
    expect(d.statusIndex).toBe(0);
    expect(await s.getDocument(d.serial)).toEqual({ ...d, hash: expect.anything(), requestHash: expect.anything() });
    const stored = (await s.getDocument(d.serial))!;
    expect(Buffer.from(stored.hash!).equals(Buffer.from(hash))).toBe(true);
    expect(stored.fields).toEqual({ n: 'سارة', a: 'محمد', d: '2026-01-02' });
    expect(stored).toMatchObject({ length: 1234, expiresAt: NOW + DAY, idempotencyKey: 'k1', state: 'issued', kind: 'pdf' });

    const replay = await s.issue(request(tokens.mojToken, { idempotencyKey: 'k1', kind: 'pdf', hash, length: 1234, expiresAt: NOW + DAY }));
    expect(replay.kind).toBe('replay');
    expect(replay.document.serial).toBe(d.serial);
    const conflict = await s.issue(request(tokens.mojToken, { idempotencyKey: 'k1', requestHash: new Uint8Array(32).fill(2) }));
    expect(conflict.kind).toBe('conflict');
    expect(conflict.document.serial).toBe(d.serial);
    // The same key at another agency is another request.
    const moi = await s.issue(request(tokens.moiToken, { agencyId: 'MOI', idempotencyKey: 'k1' }));
    expect(moi.kind).toBe('new');
    expect(moi.document.statusIndex).toBe(0);
    expect(counterOf(moi.document.serial)).toBe(2);
    expect(await s.countDocuments()).toBe(2);
    expect(await s.countDocuments('MOJ')).toBe(1);
    const audit = await s.listAudit(2);
    expect(audit.map((e) => [e.action, e.subject, e.detail])).toEqual([
      ['document.issue.paper', moi.document.serial, 'status 0'],
      ['document.issue.pdf', d.serial, 'status 0'],
    ]);
  });

  it('StatusListFullError records nothing and moves no counter', async () => {
    await s.query('UPDATE agencies SET next_status = ? WHERE id = ?', [MAX_STATUS_BITS, 'MOJ']);
    const before = await s.listAudit(1);
    await expect(s.issue(request(tokens.mojToken, { idempotencyKey: 'full' }))).rejects.toBeInstanceOf(StatusListFullError);
    expect(await s.countDocuments()).toBe(0);
    expect(await s.listAudit(1)).toEqual(before);
    expect(await s.query('SELECT next_status FROM agencies WHERE id = ?', ['MOJ'])).toEqual([{ next_status: MAX_STATUS_BITS }]);
    const next = await s.issue(request(tokens.moiToken, { agencyId: 'MOI' }));
    expect(next.document.serial).toBe(`${s.registryId}00000001`);
  });

  it('group commit: a failing item is rolled back alone, the others commit', async () => {
    const results = await Promise.allSettled([
      s.issue(request(tokens.mojToken)),
      s.issue(request(tokens.mojToken, { agencyId: 'NOPE' })),
      s.issue(request(tokens.mojToken, { idempotencyKey: 'g1' })),
      s.issue(request('tok_missing', { idempotencyKey: 'g2' })), // foreign key: no such token
      s.issue(request(tokens.mojToken, { idempotencyKey: 'g1' })),
      s.issue(request(tokens.moiToken, { agencyId: 'MOI' })),
    ]);
    const outcome = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : 'error'));
    expect(outcome).toEqual(['new', 'error', 'new', 'error', 'replay', 'new']);
    expect(await s.countDocuments()).toBe(3);
    const rows = await s.query('SELECT serial, agency_id, status_index FROM documents ORDER BY serial');
    expect(rows.map((r) => [counterOf(r.serial as string), r.agency_id, r.status_index])).toEqual([
      [1, 'MOJ', 0],
      [2, 'MOJ', 1],
      [3, 'MOI', 0],
    ]);
  });

  it('markFailed frees the Idempotency-Key, keeps the serial and status index used, and is audited', async () => {
    const a = await s.issue(request(tokens.mojToken, { idempotencyKey: 'retry-me' }));
    await s.markFailed(a.document.serial, NOW + 1, 'stamping failed: ' + 'x'.repeat(600));
    const failed = (await s.getDocument(a.document.serial))!;
    expect(failed.state).toBe('failed');
    expect(failed.idempotencyKey).toBeUndefined();
    const [e] = await s.listAudit(1);
    expect(e).toMatchObject({ action: 'document.failed', subject: a.document.serial, actor: 'service', agencyId: 'MOJ' });
    expect(e!.detail!.length).toBe(500);
    const b = await s.issue(request(tokens.mojToken, { idempotencyKey: 'retry-me' }));
    expect(b.kind).toBe('new');
    expect(counterOf(b.document.serial)).toBe(2);
    expect(b.document.statusIndex).toBe(1);
    await s.markFailed('ffffffffffffffff', NOW, 'unknown'); // no such serial: nothing happens
    expect((await s.listAudit(1))[0]!.action).toBe('document.issue.paper');
  });

  it('revokeDocument: signs the next list with the bit set; twice is harmless; unknown serial is undefined', async () => {
    const a = await s.issue(request(tokens.mojToken));
    const b = await s.issue(request(tokens.mojToken));
    const seq0 = (await s.getStatusList('MOJ'))!.sequence;
    const r1 = await s.revokeDocument(b.document.serial, { actor: 'tok_x', reason: 'lost', now: NOW + 10, ...SIGNERS.MOJ! });
    expect(r1!.already).toBe(false);
    expect(r1!.document).toMatchObject({ revokedAt: NOW + 10, revokeReason: 'lost' });
    expect(r1!.statusList.sequence).toBe(seq0 + 1);
    const decoded = verifiedList(r1!.statusList.signed);
    expect(decoded.sequence).toBe(seq0 + 1);
    expect(isRevoked(decoded, b.document.statusIndex)).toBe(true);
    expect(isRevoked(decoded, a.document.statusIndex)).toBe(false);
    const r2 = await s.revokeDocument(b.document.serial, { actor: 'tok_x', now: NOW + 20, ...SIGNERS.MOJ! });
    expect(r2!.already).toBe(true);
    expect(r2!.statusList.sequence).toBe(seq0 + 1);
    expect(r2!.document.revokedAt).toBe(NOW + 10);
    expect(await s.revokeDocument('0000000000000000', { actor: 'x', now: NOW, ...SIGNERS.MOJ! })).toBeUndefined();
    expect((await s.getStatusList('MOJ'))!.sequence).toBe(seq0 + 1);
    expect((await s.listAudit(1))[0]).toMatchObject({ action: 'document.revoke', detail: `status 1, list ${seq0 + 1}` });
  });

  it('renewStatusList: next sequence with the same bits; ifIssuedBefore skips a list already renewed', async () => {
    const cur = (await s.getStatusList('MOI'))!;
    expect(cur).toMatchObject({ sequence: 1, size: STATUS_BLOCK, issuedAt: NOW, expiresAt: NOW + 7 * DAY });
    const same = await s.renewStatusList('MOI', NOW + 100, SIGNERS.MOI!, NOW);
    expect(same.sequence).toBe(1);
    const next = await s.renewStatusList('MOI', NOW + 100, SIGNERS.MOI!, NOW + 50);
    expect(next).toMatchObject({ sequence: 2, issuedAt: NOW + 100 });
    expect((await s.getStatusList('MOI'))!.sequence).toBe(2);
    expect(await s.getStatusList('MOH')).toBeUndefined();
  });

  it('the status list grows by a block, in the issuing transaction, when an index passes its end', async () => {
    await s.query('UPDATE agencies SET next_status = ? WHERE id = ?', [STATUS_BLOCK - 1, 'MOJ']);
    const grow = { growStatusList: SIGNERS.MOJ! };
    const last = await s.issue(request(tokens.mojToken, grow));
    expect(last.document.statusIndex).toBe(STATUS_BLOCK - 1);
    expect((await s.getStatusList('MOJ'))!).toMatchObject({ sequence: 1, size: STATUS_BLOCK });
    const past = await s.issue(request(tokens.mojToken, { ...grow, now: NOW + 5 }));
    expect(past.document.statusIndex).toBe(STATUS_BLOCK);
    const grown = (await s.getStatusList('MOJ'))!;
    expect(grown).toMatchObject({ sequence: 2, size: 2 * STATUS_BLOCK, issuedAt: NOW + 5 });
    expect(grown.bits.length).toBe((2 * STATUS_BLOCK) / 8);
    expect(verifiedList(grown.signed)).toMatchObject({ sequence: 2, size: 2 * STATUS_BLOCK });
  });

  it('the audit log refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)', async () => {
    await s.audit({ at: NOW, actor: 'test', action: 'x', subject: 's', detail: 'd', agencyId: 'MOJ' });
    await expect(s.query("UPDATE audit_log SET action = 'y'")).rejects.toThrow(/append-only/);
    await expect(s.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    if (kind === 'postgres') await expect(s.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const [e] = await s.listAudit(1);
    expect(e).toMatchObject({ at: NOW, actor: 'test', action: 'x', subject: 's', detail: 'd', agencyId: 'MOJ' });
    expect(typeof e!.id).toBe('number');
  });

  it('query: ? placeholders, rows as plain objects with numbers for integers', async () => {
    const rows = await s.query('SELECT id, next_status FROM agencies WHERE id = ? OR id = ? ORDER BY id', ['MOI', 'MOJ']);
    expect(rows).toEqual([
      { id: 'MOI', next_status: 0 },
      { id: 'MOJ', next_status: 0 },
    ]);
    expect(await s.query("SELECT COUNT(*) AS n FROM agencies WHERE name_en <> '?'")).toEqual([{ n: 2 }]);
  });
});

describe('store helpers', () => {
  it('numberPlaceholders numbers ? outside quotes', () => {
    expect(numberPlaceholders('SELECT ? , \'?\', "a?", ?')).toBe('SELECT $1 , \'?\', "a?", $2');
    expect(numberPlaceholders('UPDATE t SET a = ? WHERE b = ? AND c = ?')).toBe('UPDATE t SET a = $1 WHERE b = $2 AND c = $3');
  });

  it('redactUrl hides the password, in the URL or its query', () => {
    expect(redactUrl('postgres://u:s3cret@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(redactUrl('postgres://u@db/x?password=s3cret&sslmode=require')).toBe('postgres://u@db/x?password=***&sslmode=require');
    expect(redactUrl('host=db password=s3cret dbname=x')).toBe('host=db password=*** dbname=x');
    expect(redactUrl('postgres://u@db/x')).toBe('postgres://u@db/x');
  });

  it('openStore opens SQLite without a database URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urseal-open-'));
    try {
      const s = await openStore({ path: join(dir, 'r.db') });
      expect(s.kind).toBe('sqlite');
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePg('PostgresStore: open and errors', () => {
  it('openStore opens PostgreSQL for a database URL; the global pg int8 parser is untouched', async () => {
    const db = await freshDatabase();
    try {
      const s = await openStore({ databaseUrl: db.url, path: '/nonexistent/never-used.db' });
      expect(s.kind).toBe('postgres');
      expect(await s.query('SELECT 9007199254740991::int8 AS n')).toEqual([{ n: 9007199254740991 }]);
      await expect(s.query('SELECT 9007199254740993::int8 AS n')).rejects.toThrow(/2\^53/);
      expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5');
      await s.close();
    } finally {
      await db.drop();
    }
  });

  it('two nodes opening a fresh database together both succeed; migrations run once', async () => {
    const db = await freshDatabase();
    try {
      const [a, b] = await Promise.all([PostgresStore.open(db.url), PostgresStore.open(db.url)]);
      expect(a.registryId).toBe(b.registryId);
      expect(await a.query('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
      expect(await a.query("SELECT value FROM counters WHERE name = 'serial'")).toEqual([{ value: 1 }]);
      await a.close();
      await b.close();
    } finally {
      await db.drop();
    }
  });

  it('refused connection, wrong password and unknown database fail with a code, never the password', async () => {
    const u = new URL(PG_ADMIN_URL ?? 'postgres://urseal:urseal@127.0.0.1:5432/urseal');
    const refused = new URL(u);
    refused.port = '1';
    refused.password = 'hunter2-secret';
    const badPw = new URL(u);
    badPw.password = 'hunter2-secret';
    const noDb = new URL(u);
    noDb.pathname = '/urseal_no_such_database';
    noDb.password = u.password;
    for (const [url, code] of [
      [refused, 'REGISTRY_UNREACHABLE'],
      [badPw, 'REGISTRY_AUTH'],
      [noDb, 'REGISTRY_NO_DATABASE'],
    ] as const) {
      const e = await PostgresStore.open(url.toString()).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(RegistryConnectError);
      expect((e as RegistryConnectError).code).toBe(code);
      expect((e as Error).message).toContain(url.hostname);
      expect((e as Error).message).not.toContain('hunter2');
      if (u.password) expect((e as Error).message).not.toContain(`:${u.password}@`);
      expect((e as RegistryConnectError).ar.length).toBeGreaterThan(10);
    }
  });
});

describePg('PostgresStore: two nodes on one database', () => {
  let h: Awaited<ReturnType<typeof pgHarness>> | undefined;
  let a: RegistryStore;
  let b: RegistryStore;
  let tokens: { mojToken: string; moiToken: string };
  beforeEach(async () => {
    h = await pgHarness();
    a = h.store;
    b = await h.reopen();
    tokens = await seed(a);
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('300 issuances interleaved across both nodes: serials and status indexes unique and contiguous; one growth', async () => {
    // MOJ starts near the end of its first block, so the list grows once while both nodes issue.
    await a.query('UPDATE agencies SET next_status = ? WHERE id = ?', [STATUS_BLOCK - 50, 'MOJ']);
    const all: Promise<IssueOutcome>[] = [];
    for (let i = 0; i < 300; i++) {
      const node = i % 2 === 0 ? a : b;
      const agencyId = i % 3 === 0 ? 'MOI' : 'MOJ';
      const tokenId = agencyId === 'MOJ' ? tokens.mojToken : tokens.moiToken;
      all.push(node.issue(request(tokenId, { agencyId, idempotencyKey: `k${i}`, growStatusList: SIGNERS[agencyId]! })));
      if (i % 7 === 6) await new Promise((r) => setImmediate(r)); // let batches form and overlap
    }
    const out = await Promise.all(all);
    expect(out.every((o) => o.kind === 'new')).toBe(true);
    const rows = await a.query('SELECT serial, agency_id, status_index FROM documents');
    expect(rows).toHaveLength(300);
    expectContiguous(
      rows.map((r) => counterOf(r.serial as string)),
      1,
    );
    expect(new Set(rows.map((r) => (r.serial as string).slice(0, 8)))).toEqual(new Set([a.registryId]));
    const moi = rows.filter((r) => r.agency_id === 'MOI').map((r) => r.status_index as number);
    const moj = rows.filter((r) => r.agency_id === 'MOJ').map((r) => r.status_index as number);
    expect(moi).toHaveLength(100);
    expectContiguous(moi, 0);
    expectContiguous(moj, STATUS_BLOCK - 50);
    expect(await b.getStatusList('MOJ')).toMatchObject({ sequence: 2, size: 2 * STATUS_BLOCK });
    expect(await b.getStatusList('MOI')).toMatchObject({ sequence: 1, size: STATUS_BLOCK });
    expect(await b.query("SELECT value FROM counters WHERE name = 'serial'")).toEqual([{ value: 301 }]);
  });

  it('the same Idempotency-Key on both nodes at once: one new, one replay (or conflict); no serial lost', async () => {
    // Hold the counters row so both nodes look the key up before either inserts: the loser must then hit the
    // UNIQUE constraint, roll back to its savepoint and answer from the winner's row.
    const holder = new pg.Client({ connectionString: h!.db.url });
    await holder.connect();
    try {
      for (const [key, hashes, expected] of [
        ['same', [1, 1], ['new', 'replay']],
        ['other', [1, 2], ['conflict', 'new']],
      ] as const) {
        await holder.query('BEGIN');
        await holder.query("SELECT value FROM counters WHERE name = 'serial' FOR UPDATE");
        const results = Promise.all(
          [a, b].map((node, i) =>
            node.issue(request(tokens.mojToken, { idempotencyKey: key, requestHash: new Uint8Array(32).fill(hashes[i]!) })),
          ),
        );
        // Wait (by polling, not by time) until both nodes are queued on the row lock.
        for (;;) {
          const w = await holder.query(
            "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          if (w.rows[0].n >= 2) break;
          await new Promise((r) => setImmediate(r));
        }
        await holder.query('COMMIT');
        const out = await results;
        expect(out.map((o) => o.kind).sort()).toEqual([...expected]);
        expect(new Set(out.map((o) => o.document.serial)).size).toBe(1);
      }
      expect(await a.countDocuments()).toBe(2);
      const next = await b.issue(request(tokens.mojToken));
      expect(counterOf(next.document.serial)).toBe(3);
      expect(next.document.statusIndex).toBe(2);
    } finally {
      await holder.end();
    }
  });

  it('concurrent revocations on both nodes: every sequence once, strictly increasing, final list has every bit', async () => {
    const docs: IssueOutcome[] = [];
    for (let i = 0; i < 24; i++) docs.push(await (i % 2 ? a : b).issue(request(tokens.mojToken)));
    const seq0 = (await a.getStatusList('MOJ'))!.sequence;
    const revoke = docs.slice(0, 20);
    const results = await Promise.all(
      revoke.map((d, i) => (i % 2 ? a : b).revokeDocument(d.document.serial, { actor: 't', now: NOW + i, ...SIGNERS.MOJ! })),
    );
    expect(results.every((r) => r && !r.already)).toBe(true);
    const seqs = results.map((r) => r!.statusList.sequence);
    expectContiguous(seqs, seq0 + 1);
    // Each revocation's list holds every bit of the lists before it (the lock serialised them).
    const bySeq = [...results].sort((x, y) => x!.statusList.sequence - y!.statusList.sequence);
    for (let i = 1; i < bySeq.length; i++) {
      const prev = decodeBits(bySeq[i - 1]!.statusList.signed);
      const curr = decodeBits(bySeq[i]!.statusList.signed);
      for (let j = 0; j < prev.length; j++) expect(curr[j]! & prev[j]!).toBe(prev[j]);
    }
    // In commit order (audit ids), the list sequences strictly increase.
    const committed = (await a.listAudit(1000))
      .filter((e) => e.action === 'document.revoke')
      .reverse()
      .map((e) => Number(/list (\d+)$/.exec(e.detail!)![1]));
    expect(committed).toEqual(Array.from({ length: 20 }, (_, i) => seq0 + 1 + i));
    const final = (await b.getStatusList('MOJ'))!;
    expect(final.sequence).toBe(seq0 + 20);
    const list = verifiedList(final.signed);
    expect(list.sequence).toBe(seq0 + 20);
    for (const d of docs) expect(isRevoked(list, d.document.statusIndex)).toBe(revoke.includes(d));
    // Revoking again on the other node is harmless.
    const again = await a.revokeDocument(revoke[1]!.document.serial, { actor: 't', now: NOW + 99, ...SIGNERS.MOJ! });
    expect(again!.already).toBe(true);
    expect((await b.getStatusList('MOJ'))!.sequence).toBe(seq0 + 20);
  });

  it('concurrent renewStatusList with the same ifIssuedBefore: one new sequence only', async () => {
    for (let round = 1; round <= 5; round++) {
      const now = NOW + round * 1000;
      // Each call with its own clock (nodes' clocks differ): without the lock two would sign different lists.
      const out = await Promise.all([a, b, a, b].map((n, k) => n.renewStatusList('MOJ', now + k, SIGNERS.MOJ!, now - 10)));
      expect(out.map((r) => r.sequence)).toEqual([round + 1, round + 1, round + 1, round + 1]);
      expect(new Set(out.map((r) => Buffer.from(r.signed).toString('hex'))).size).toBe(1);
    }
    expect((await a.getStatusList('MOJ'))!.sequence).toBe(6);
    // A first list for an agency that has none: created once although both nodes try.
    await a.ensureAgency('MOH', { ar: 'الصحة', en: 'Health' }, NOW);
    const first = await Promise.all([a, b].map((n) => n.renewStatusList('MOH', NOW, SIGNERS.MOJ!, NOW)));
    expect(first.map((r) => r.sequence)).toEqual([1, 1]);
  });
});

/** A signed status list, verified against the test trust list (so a wrong key or a broken signature fails). */
function verifiedList(signed: Uint8Array): StatusList {
  const r = verifyStatusListSync(signed, verifiedTrust(), backend, { now: NOW + 30 });
  if (!r.ok) throw new Error(`status list did not verify: ${r.code} ${r.reason}`);
  return r.status.list;
}

function decodeBits(signed: Uint8Array): Uint8Array {
  return verifiedList(signed).bits;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT_PG = join(REPO, 'dist/issuer/registry/postgres.js');

/** A node process issuing in waves of 5 on the built PostgresStore, printing each serial once its promise resolved. */
const CHILD = `
const { PostgresStore } = await import(process.env.STORE_MODULE);
const s = await PostgresStore.open(process.env.STORE_URL);
const input = JSON.parse(process.env.ISSUE_INPUT);
for (let i = 0; ; i += 5)
  await Promise.all([0, 1, 2, 3, 4].map(async (k) => {
    const o = await s.issue({ ...input, idempotencyKey: 'crash' + (i + k), requestHash: new Uint8Array(32) });
    process.stdout.write(o.document.serial + '\\n');
  }));
`;

describePg('PostgresStore: a node killed in the middle of a burst', () => {
  it('every serial it reported survives, the killed transaction leaves no gap, the other node goes on', async () => {
    if (!existsSync(BUILT_PG)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'ignore' });
    const h = await pgHarness();
    try {
      const tokens = await seed(h.store);
      const input = request(tokens.mojToken);
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
        env: { ...process.env, STORE_MODULE: pathToFileURL(BUILT_PG).href, STORE_URL: h.db.url, ISSUE_INPUT: JSON.stringify(input) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
      await new Promise<void>((r, reject) => {
        child.stdout!.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.split('\n').length > 60) {
            child.kill('SIGKILL');
            r();
          }
        });
        child.once('exit', () => reject(new Error(`child exited before the kill: ${err}`)));
      });
      expect(await exited).toBe('SIGKILL');
      const reported = out.split('\n').filter((l) => /^[0-9a-f]{16}$/.test(l));
      expect(reported.length).toBeGreaterThanOrEqual(60);
      const rows = await h.store.query('SELECT serial, status_index, state FROM documents');
      const stored = new Set(rows.map((r) => r.serial as string));
      for (const serial of reported) expect(stored.has(serial)).toBe(true);
      expect(rows.every((r) => r.state === 'issued')).toBe(true);
      expectContiguous(
        rows.map((r) => counterOf(r.serial as string)),
        1,
      );
      expectContiguous(
        rows.map((r) => r.status_index as number),
        0,
      );
      const next = await h.store.issue(request(tokens.mojToken));
      expect(counterOf(next.document.serial)).toBe(rows.length + 1);
      expect(next.document.statusIndex).toBe(rows.length);
    } finally {
      await h.close();
    }
  });
});
