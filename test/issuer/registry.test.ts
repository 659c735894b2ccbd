// Registry and key-protection units: append-only audit log, sealed agency seeds, tokens, counters, master key checks.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenAuth } from '../../issuer/http/auth.js';
import {
  createMasterKeyFile,
  masterKeyCheck,
  MasterKeyError,
  openSeed,
  parseMasterKey,
  readMasterKeyFile,
  sealSeed,
  verifyMasterKeyCheck,
} from '../../issuer/master-key.js';
import { Registry } from '../../issuer/registry/registry.js';
import { hashToken, newToken, parseScopes, tokenMatches } from '../../issuer/tokens.js';
import { Hono } from 'hono';
import { createApp } from '../../issuer/app.js';
import { issuerWorld, NOW } from './helpers.js';
import { onPostgres } from './test-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'urseal-reg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(onPostgres)('SQLite registry', () => {
  it('opens with WAL, synchronous FULL and foreign keys on; integrity ok', () => {
    const r = Registry.open(join(dir, 'r.db'));
    expect(r.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(r.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(r.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(r.integrityCheck()).toBe('ok');
    expect(r.registryId).toMatch(/^[0-9a-f]{8}$/);
    const again = Registry.open(join(dir, 'r.db'));
    expect(again.registryId).toBe(r.registryId);
    r.close();
    again.close();
  });

  it('the audit log is append-only: UPDATE and DELETE are refused by triggers', () => {
    const r = Registry.open(join(dir, 'r.db'));
    r.audit({ at: NOW, actor: 'test', action: 'x' });
    expect(() => r.db.prepare("UPDATE audit_log SET action = 'y'").run()).toThrow(/append-only/);
    expect(() => r.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(r.listAudit()[0]!.action).toBe('x');
    r.close();
  });

  it('records token creation and revocation in the audit log', () => {
    const r = Registry.open(join(dir, 'r.db'));
    r.ensureAgency('MOJ', { ar: 'و', en: 'M' }, NOW);
    const t = newToken();
    r.addToken({ id: t.id, agencyId: 'MOJ', hash: t.hash, scopes: ['read'], createdAt: NOW });
    expect(r.revokeToken(t.id, NOW + 1)).toBe(true);
    expect(r.revokeToken(t.id, NOW + 2)).toBe(false);
    expect(r.listAudit().map((e) => e.action)).toEqual(['token.revoke', 'token.create']);
    expect(r.findTokenByHash(t.hash)?.revokedAt).toBe(NOW + 1);
    r.close();
  });

  it('foreign keys: a token for an unknown agency is refused', () => {
    const r = Registry.open(join(dir, 'r.db'));
    const t = newToken();
    expect(() => r.addToken({ id: t.id, agencyId: 'NOPE', hash: t.hash, scopes: ['read'], createdAt: NOW })).toThrow(/FOREIGN KEY/);
    r.close();
  });
});

describe('master key and sealed seeds', () => {
  const master = new Uint8Array(randomBytes(32));
  const seed = new Uint8Array(randomBytes(32));

  it('round-trips, and refuses another agency, another kid, another master key or a changed byte', () => {
    const sealed = sealSeed(master, 'MOJ', 'aabbccddeeff0011', seed);
    expect(Buffer.from(openSeed(master, 'MOJ', 'aabbccddeeff0011', sealed)).equals(Buffer.from(seed))).toBe(true);
    expect(() => openSeed(master, 'MOI', 'aabbccddeeff0011', sealed)).toThrow(MasterKeyError);
    expect(() => openSeed(master, 'MOJ', 'aabbccddeeff0012', sealed)).toThrow(MasterKeyError);
    expect(() => openSeed(new Uint8Array(32), 'MOJ', 'aabbccddeeff0011', sealed)).toThrow(MasterKeyError);
    const bad = sealed.slice();
    bad[20]! ^= 1;
    expect(() => openSeed(master, 'MOJ', 'aabbccddeeff0011', bad)).toThrow(MasterKeyError);
    expect(Buffer.from(sealed).includes(Buffer.from(seed))).toBe(false);
  });

  it('parses hex and base64 keys, refuses anything else', () => {
    const hex = Buffer.from(master).toString('hex');
    expect(Buffer.from(parseMasterKey(hex)).equals(Buffer.from(master))).toBe(true);
    expect(Buffer.from(parseMasterKey(Buffer.from(master).toString('base64'))).equals(Buffer.from(master))).toBe(true);
    expect(Buffer.from(parseMasterKey(Buffer.from(master).toString('base64url'))).equals(Buffer.from(master))).toBe(true);
    for (const bad of ['', 'abc', hex.slice(2), `${hex}00`]) expect(() => parseMasterKey(bad)).toThrow(MasterKeyError);
  });

  it('creates demo key files with mode 0600 and never overwrites', () => {
    const p = join(dir, 'master.key');
    const k = createMasterKeyFile(p);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readMasterKeyFile(p)).equals(Buffer.from(k))).toBe(true);
    expect(() => createMasterKeyFile(p)).toThrow(MasterKeyError);
  });

  it('tells a wrong master key from the stored check value', () => {
    const check = masterKeyCheck(master);
    expect(verifyMasterKeyCheck(master, check)).toBe(true);
    expect(verifyMasterKeyCheck(new Uint8Array(randomBytes(32)), check)).toBe(false);
  });
});

describe('tokens', () => {
  it('are urs_ + 43 base64url characters, hashed with SHA-256', () => {
    const t = newToken();
    expect(t.secret).toMatch(/^urs_[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(hashToken(t.secret), t.hash)).toBe(true);
    const other = `${t.secret.slice(0, -1)}${t.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(tokenMatches(hashToken(other), t.hash)).toBe(false);
    expect(parseScopes('issue, read')).toEqual(['issue', 'read']);
    expect(() => parseScopes('admin')).toThrow();
  });

  it('the constant-time comparison decides, not the lookup: a row whose hash differs is refused', async () => {
    const t = newToken();
    const wrongHash = t.hash.slice();
    wrongHash[31]! ^= 1;
    const app = new Hono();
    app.onError(
      (e) => new Response(String((e as { status?: number }).status ?? 500), { status: (e as { status?: number }).status ?? 500 }),
    );
    app.use(
      '*',
      tokenAuth({ findByHash: async () => ({ id: 'tok_x', agencyId: 'MOJ', hash: wrongHash, scopes: ['read'], createdAt: 0 }) }) as never,
    );
    app.get('/', (c) => c.text('ok'));
    expect((await app.request('/', { headers: { Authorization: `Bearer ${t.secret}` } })).status).toBe(401);
    const good = new Hono();
    good.use(
      '*',
      tokenAuth({ findByHash: async () => ({ id: 'tok_x', agencyId: 'MOJ', hash: t.hash, scopes: ['read'], createdAt: 0 }) }) as never,
    );
    good.get('/', (c) => c.text('ok'));
    expect((await good.request('/', { headers: { Authorization: `Bearer ${t.secret}` } })).status).toBe(200);
  });
});

describe('service start-up', () => {
  it('decrypts every held key once: a registry opened with the wrong master key fails at start', async () => {
    const w = await issuerWorld();
    try {
      const { IssuerService } = await import('../../issuer/service.js');
      await expect(IssuerService.open({ registry: w.registry, master: new Uint8Array(32), clock: () => NOW })).rejects.toThrow(
        MasterKeyError,
      );
      expect(createApp({ service: w.service })).toBeTruthy();
    } finally {
      await w.close();
    }
  });
});

describe('group commit', () => {
  it('issuances in one event-loop turn share a transaction; a failing one is rolled back alone', async () => {
    const w = await issuerWorld();
    try {
      const tokenId = (await w.registry.listTokens('MOJ'))[1]!.id;
      const base = {
        kid: 'k',
        kind: 'paper' as const,
        type: 'poa',
        number: '1',
        fields: { n: 'x' },
        tokenId,
        requestHash: new Uint8Array(32),
        now: NOW,
      };
      const results = await Promise.allSettled([
        w.registry.issue({ ...base, agencyId: 'MOJ' }),
        w.registry.issue({ ...base, agencyId: 'NOPE' }),
        w.registry.issue({ ...base, agencyId: 'MOJ', idempotencyKey: 'k1' }),
        w.registry.issue({ ...base, agencyId: 'MOJ', idempotencyKey: 'k1' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const kinds = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : 'error'));
      expect(kinds).toEqual(['new', 'error', 'new', 'replay']);
      expect(await w.registry.countDocuments()).toBe(2);
      const statuses = (
        (await w.registry.query('SELECT status_index FROM documents ORDER BY status_index')) as { status_index: number }[]
      ).map((r) => Number(r.status_index));
      expect(statuses).toEqual([0, 1]);
    } finally {
      await w.close();
    }
  });
});
