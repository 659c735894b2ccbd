// The real listening server: first start (DEMO set-up, token shown once), HTTP on a random port, restarts, bad configuration.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySealSync, verifyStatusListSync, verifyTrustListSync, keyId } from '../../core/index.js';
import { ConfigError, resolveConfig } from '../../issuer/config.js';
import { DataFolderInUseError } from '../../issuer/data-lock.js';
import { startIssuer, type IssuerLog } from '../../issuer/server.js';
import { backend } from '../helpers/world.js';
import { onePagePdf } from './helpers.js';
import { onPostgres, openTestStore, testDatabase } from './test-store.js';

let dir: string;
let lines: string[];
let db: Awaited<ReturnType<typeof testDatabase>>;
const log: IssuerLog = { info: (l) => lines.push(l), warn: (l) => lines.push(l) };
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'urseal-server-'));
  lines = [];
  db = await testDatabase();
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

/** The issuer's configuration in this test's folder (and, on PostgreSQL, this test's database). */
const config = (over: Record<string, string> = {}, demo: boolean | 'auto' = 'auto') =>
  resolveConfig({ dataDir: dir, port: '0', host: '127.0.0.1', workers: '0', ...db.flags, ...over }, {}, demo);

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
      const roots = (await s.service.registry.listRoots()).map((r) => r.publicKey);
      const trust = verifyTrustListSync(tl, backend, { roots });
      if (!trust.ok) throw new Error(trust.reason);
      // The DEMO trust list says where this issuer serves the status list; an online verifier checks it there.
      const demoAgency = trust.trust.list.agencies.find((a) => a.id === 'DEMO')!;
      expect(demoAgency.statusUrl).toBe(`${s.url}/status/DEMO`);
      const sl = verifyStatusListSync(new Uint8Array(await (await fetch(demoAgency.statusUrl!)).arrayBuffer()), trust.trust, backend, {});
      if (!sl.ok) throw new Error(sl.reason);
      expect(verifySealSync(body.sealText, backend, { trust: trust.trust, statusLists: new Map([['DEMO', sl.status]]) }).code).toBe(
        'VALID',
      );
      expect(verifySealSync(body.sealText, backend, { trust: trust.trust }).code).toBe('STATUS_UNKNOWN');
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
      expect(await again.service.registry.countDocuments()).toBe(1);
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
    await expect(
      startIssuer(resolveConfig({ dataDir: dir, port: '0', masterKey: 'cd'.repeat(32), ...db.flags }, {}, false), log),
    ).rejects.toThrow(/no trust list/);
  });

  it('unreadable master key file, bad port, bad numbers', async () => {
    writeFileSync(join(dir, 'k'), 'not a key');
    await expect(startIssuer(resolveConfig({ dataDir: dir, port: '0', masterKeyFile: join(dir, 'k') }, {}, false), log)).rejects.toThrow(
      /master key file/,
    );
    expect(() => resolveConfig({ port: '70000' }, {}, 'auto')).toThrow(ConfigError);
    expect(() => resolveConfig({}, { URSEAL_RATE_LIMIT: 'lots' }, 'auto')).toThrow(/URSEAL_RATE_LIMIT/);
    expect(() => resolveConfig({ masterKey: 'x', masterKeyFile: 'y' }, {}, 'auto')).toThrow(/not both/);
    expect(resolveConfig({}, {}, 'auto').captionLanguages).toBe('ar,en');
    expect(resolveConfig({}, { URSEAL_CAPTION_LANGUAGES: 'ar, ckb, en' }, 'auto').captionLanguages).toBe('ar,ckb,en');
    expect(() => resolveConfig({ captionLanguages: 'ckb' }, {}, 'auto')).toThrow(/ar,en or ar,ckb,en/);
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
    const other = mkdtempSync(join(tmpdir(), 'urseal-server-'));
    try {
      // Another folder on SQLite (this one is locked); on PostgreSQL the same folder, whose master key the shared
      // registry needs (a folder without it would be refused for that before the port is tried).
      await expect(startIssuer(config({ port: String(s.port), dataDir: onPostgres ? dir : other }), log)).rejects.toThrow(/already in use/);
    } finally {
      await s.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});

// A SQLite data folder belongs to one process; a PostgreSQL registry is shared by design (test/issuer/nodes.test.ts).
describe.skipIf(onPostgres)('one data folder, one process', () => {
  it('a second issuer on a folder in use refuses to start and names the first; it starts once the first has stopped', async () => {
    const s = await startIssuer(config(), log);
    try {
      const second = startIssuer(config(), log);
      await expect(second).rejects.toBeInstanceOf(DataFolderInUseError);
      await expect(startIssuer(config(), log)).rejects.toThrow(
        new RegExp(`already used by another running issuer \\(process ${process.pid} `),
      );
      // The refused start changed nothing: the first keeps serving.
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
    const again = await startIssuer(config(), log);
    await again.close();
  });

  it('registry.db and its WAL files are readable by the owner only', async () => {
    const s = await startIssuer(config(), log);
    try {
      for (const f of ['registry.db', 'registry.db-wal', 'registry.db-shm', 'serve.lock'])
        expect({ f, mode: statSync(join(dir, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    } finally {
      await s.close();
    }
  });

  it('an older folder with 0644 files is narrowed to 0600 when opened', async () => {
    const s = await startIssuer(config(), log);
    await s.close();
    chmodSync(join(dir, 'registry.db'), 0o644);
    const again = await startIssuer(config(), log);
    try {
      expect(statSync(join(dir, 'registry.db')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'registry.db-wal')).mode & 0o777).toBe(0o600);
    } finally {
      await again.close();
    }
  });
});

describe('demo trust list', () => {
  it('is re-signed with the next sequence when it nears expiry, and the service keeps issuing', async () => {
    const { setupDemo, refreshDemoTrustList } = await import('../../issuer/demo.js');
    const { loadTrustList } = await import('../../issuer/trust.js');
    const opened = await openTestStore(dir);
    const registry = opened.store;
    try {
      const t0 = 1_767_225_600;
      const master = new Uint8Array(32).fill(9);
      await setupDemo(registry, master, backend, dir, t0);
      // The DEMO root's seed is never on disk in clear: only sealed under the master key.
      const rootFile = JSON.parse(readFileSync(join(dir, 'demo-root.key'), 'utf8')) as Record<string, string>;
      expect(Object.keys(rootFile).sort()).toEqual(['format', 'kid', 'note', 'publicKey', 'sealed']);
      expect(await refreshDemoTrustList(registry, master, backend, dir, t0 + 100 * 86_400)).toBe(false);
      expect(await refreshDemoTrustList(registry, master, backend, dir, t0 + 340 * 86_400)).toBe(true);
      const t = (await loadTrustList(registry, backend, t0 + 340 * 86_400))!;
      expect(t.list.sequence).toBe(2);
      expect(t.list.expiresAt).toBeGreaterThan(t0 + 700 * 86_400);
    } finally {
      await opened.close();
    }
  });
});

/**
 * Write a whole request (headers, then after a pause the body) before reading anything, as Python's http.client
 * does: a write that fails (the server closed the connection) is what such a client sees instead of the answer.
 */
function sendAllThenRead(port: number, head: string, body: Uint8Array): Promise<string> {
  return new Promise((resolveAnswer, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    socket.on('error', (e) => reject(new Error(`the client could not send its body: ${e.message}`)));
    socket.write(head);
    // A slow link: the body starts arriving well after the server could have answered from the headers.
    setTimeout(
      () =>
        socket.write(body, (e) => {
          if (e) return;
          let answer = '';
          socket.on('data', (b: Buffer) => (answer += b.toString('latin1')));
          socket.on('close', () => resolveAnswer(answer));
          socket.resume();
        }),
      800,
    );
  });
}

describe('uploads over the limit', () => {
  it('a client that sends the whole body first, slowly, still reads 413, declared or chunked', async () => {
    const s = await startIssuer(config(), log);
    try {
      const auth = `Authorization: Bearer ${s.demo!.token}\r\nContent-Type: multipart/form-data; boundary=XX\r\nConnection: keep-alive\r\n`;
      // 70 MB against the default 50 MB limit: more than node-server's own 64 MB drain would read.
      const body = new Uint8Array(70 * 1024 * 1024).fill(97);
      const declared = await sendAllThenRead(
        s.port,
        `POST /v1/documents HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: ${body.length}\r\n\r\n`,
        body,
      );
      expect(declared).toMatch(/^HTTP\/1\.1 413 /);
      expect(declared).toMatch(/connection: close/i);
      expect(declared).toContain('PAYLOAD_TOO_LARGE');

      // Chunked (no Content-Length): found while reading; within the 100 MB bound.
      const chunk = new Uint8Array(1024 * 1024).fill(98);
      const parts: Uint8Array[] = [];
      for (let i = 0; i < 70; i++)
        parts.push(new TextEncoder().encode(`${chunk.length.toString(16)}\r\n`), chunk, new TextEncoder().encode('\r\n'));
      parts.push(new TextEncoder().encode('0\r\n\r\n'));
      const chunked = await sendAllThenRead(
        s.port,
        `POST /v1/documents HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\n`,
        Buffer.concat(parts),
      );
      expect(chunked).toMatch(/^HTTP\/1\.1 413 /);

      // Within the limit the same path still stamps (the limit reads through, it does not swallow good bodies).
      const form = new FormData();
      form.set('file', new Blob([(await onePagePdf()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'in.pdf');
      form.set('type', 'letter');
      form.set('number', 'U-1');
      form.set('fields', JSON.stringify({ to: 'Office', subj: 'upload' }));
      const ok = await fetch(`${s.url}/v1/documents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${s.demo!.token}` },
        body: form,
      });
      expect(ok.status).toBe(201);
    } finally {
      await s.close();
    }
  });
});
