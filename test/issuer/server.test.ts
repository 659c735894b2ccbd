// The real listening server: first start (DEMO set-up, token shown once), HTTP on a random port, restarts, bad configuration.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySealSync, verifyTrustListSync, keyId } from '../../core/index.js';
import { ConfigError, resolveConfig } from '../../issuer/config.js';
import { startIssuer, type IssuerLog } from '../../issuer/server.js';
import { backend } from '../helpers/world.js';

let dir: string;
let lines: string[];
const log: IssuerLog = { info: (l) => lines.push(l), warn: (l) => lines.push(l) };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'urseal-server-'));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = (over: Record<string, string> = {}, demo: boolean | 'auto' = 'auto') =>
  resolveConfig({ dataDir: dir, port: '0', host: '127.0.0.1', workers: '0', ...over }, {}, demo);

describe('first start', () => {
  it('sets up the DEMO, prints one token with a curl example, serves HTTP on 127.0.0.1, and restarts without a new token', async () => {
    const s = await startIssuer(config(), log);
    try {
      expect(s.demo?.token).toMatch(/^urs_/);
      const out = lines.join('\n');
      expect(out).toContain(s.demo!.token);
      expect(out).toMatch(/curl -sS -X POST http:\/\/127\.0\.0\.1:\d+\/v1\/seals/);
      expect(out).toMatch(/DEMO/);
      expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'demo-root.key')).mode & 0o777).toBe(0o600);

      const res = await fetch(`${s.url}/v1/seals`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${s.demo!.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'cert', number: 'D-1', fields: { n: 'سارة', nid: '1', d: '2026-01-02' } }),
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { sealText: string };
      const tl = new Uint8Array(await (await fetch(`${s.url}/trust-list`)).arrayBuffer());
      const roots = s.service.registry.listRoots().map((r) => r.publicKey);
      const trust = verifyTrustListSync(tl, backend, { roots });
      if (!trust.ok) throw new Error(trust.reason);
      expect(verifySealSync(body.sealText, backend, { trust: trust.trust }).code).toBe('VALID');
      expect(trust.trust.list.agencies[0]!.name.en).toMatch(/demo/i);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      expect(keyId(roots[0]!).length).toBe(8);
    } finally {
      await s.close();
    }
    lines = [];
    const again = await startIssuer(config(), log);
    try {
      expect(again.demo).toBeUndefined();
      expect(lines.join('\n')).not.toMatch(/urs_/);
      expect(again.service.registry.countDocuments()).toBe(1);
    } finally {
      await again.close();
    }
  });
});

describe('bad configuration fails at start-up with one clear line', () => {
  it('wrong master key for an existing registry', async () => {
    const s = await startIssuer(config(), log);
    await s.close();
    await expect(startIssuer(config({ masterKey: 'ab'.repeat(32) }), log)).rejects.toThrow(/master key does not match/);
  });

  it('no master key and no demo', async () => {
    await expect(startIssuer(config({}, false), log)).rejects.toBeInstanceOf(ConfigError);
  });

  it('no trust list imported', async () => {
    await expect(startIssuer(resolveConfig({ dataDir: dir, port: '0', masterKey: 'cd'.repeat(32) }, {}, false), log)).rejects.toThrow(
      /no trust list/,
    );
  });

  it('unreadable master key file, bad port, bad numbers', async () => {
    writeFileSync(join(dir, 'k'), 'not a key');
    await expect(startIssuer(resolveConfig({ dataDir: dir, port: '0', masterKeyFile: join(dir, 'k') }, {}, false), log)).rejects.toThrow(
      /master key file/,
    );
    expect(() => resolveConfig({ port: '70000' }, {}, 'auto')).toThrow(ConfigError);
    expect(() => resolveConfig({}, { URSEAL_RATE_LIMIT: 'lots' }, 'auto')).toThrow(/URSEAL_RATE_LIMIT/);
    expect(() => resolveConfig({ masterKey: 'x', masterKeyFile: 'y' }, {}, 'auto')).toThrow(/not both/);
  });

  it('stamp places per document type: read and checked at start-up, refused with one clear line', () => {
    writeFileSync(join(dir, 'places.json'), JSON.stringify({ 'MOJ/poa': '150,20', cert: '10.5,250,40' }));
    expect(resolveConfig({ stampPlaces: join(dir, 'places.json') }, {}, 'auto').stampPlaces).toEqual({
      'MOJ/poa': { xMm: 150, yMm: 20 },
      cert: { xMm: 10.5, yMm: 250, sizeMm: 40 },
    });
    expect(resolveConfig({}, { URSEAL_STAMP_PLACES: join(dir, 'places.json') }, 'auto').stampPlaces?.['cert']).toBeDefined();
    for (const bad of [{ poa: '10;20' }, { poa: '10,20,20' }, { 'a/b/c': '1,1' }, ['1,1'], { poa: 7 }]) {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
      expect(() => resolveConfig({ stampPlaces: join(dir, 'bad.json') }, {}, 'auto')).toThrow(ConfigError);
    }
    expect(() => resolveConfig({ stampPlaces: join(dir, 'missing.json') }, {}, 'auto')).toThrow(/stamp places file/);
  });

  it('port in use', async () => {
    const s = await startIssuer(config(), log);
    try {
      await expect(startIssuer(config({ port: String(s.port) }), log)).rejects.toThrow(/already in use/);
    } finally {
      await s.close();
    }
  });
});

describe('demo trust list', () => {
  it('is re-signed with the next sequence when it nears expiry, and the service keeps issuing', async () => {
    const { Registry } = await import('../../issuer/registry/registry.js');
    const { setupDemo, refreshDemoTrustList } = await import('../../issuer/demo.js');
    const { loadTrustList } = await import('../../issuer/trust.js');
    const registry = Registry.open(join(dir, 'registry.db'));
    try {
      const t0 = 1_767_225_600;
      const master = new Uint8Array(32).fill(9);
      setupDemo(registry, master, backend, dir, t0);
      // The DEMO root's seed is never on disk in clear: only sealed under the master key.
      const rootFile = JSON.parse(readFileSync(join(dir, 'demo-root.key'), 'utf8')) as Record<string, string>;
      expect(Object.keys(rootFile).sort()).toEqual(['format', 'kid', 'note', 'publicKey', 'sealed']);
      expect(refreshDemoTrustList(registry, master, backend, dir, t0 + 100 * 86_400)).toBe(false);
      expect(refreshDemoTrustList(registry, master, backend, dir, t0 + 340 * 86_400)).toBe(true);
      const t = loadTrustList(registry, backend, t0 + 340 * 86_400)!;
      expect(t.list.sequence).toBe(2);
      expect(t.list.expiresAt).toBeGreaterThan(t0 + 700 * 86_400);
    } finally {
      registry.close();
    }
  });
});
