// Crash test: the built server is SIGKILLed in the middle of a burst of issuances, then restarted on the same data.
// Runs on both stores: the data folder's SQLite registry, or (project `postgres`) a fresh PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../issuer/registry/open.js';
import { onePagePdf } from './helpers.js';
import { ensureBuilt, expectRegistryHolds, issueBurstItem, refusedStart, startIssuer, type ReceivedDocument } from './issuer-process.js';
import { onPostgres, testDatabase } from './test-store.js';

let dataDir: string;
let db: Awaited<ReturnType<typeof testDatabase>>;
/** `--database-url URL` on PostgreSQL, nothing on SQLite. */
let dbArgs: string[];
beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'urseal-crash-'));
  db = await testDatabase();
  dbArgs = db.flags.databaseUrl !== undefined ? ['--database-url', db.flags.databaseUrl] : [];
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await db?.drop();
});

/** The serial's counter (the 8 hex digits after the 8-digit registry id). */

describe('SIGKILL in the middle of a burst of issuances', () => {
  it('every document a client received is in the registry; no serial or status index was handed out twice', async () => {
    const first = await startIssuer(dataDir, dbArgs);
    const token = first.token!;
    expect(token).toBeTruthy();
    if (!onPostgres) {
      // A second process on the same folder refuses to start (it would serve a status list nobody updates). On
      // PostgreSQL no folder lock is taken: several processes share the database (test/issuer/nodes.test.ts).
      const refused = await refusedStart(dataDir, dbArgs);
      expect(refused.code).toBe(2);
      expect(refused.out).toContain('URSEAL_E_DATA_DIR_IN_USE');
      expect(refused.out).toContain(`process ${first.child.pid} `);
    }
    const base = first.base;
    const pdf = await onePagePdf();
    const received: ReceivedDocument[] = [];
    let attempted = 0;
    let killed = false;

    const issueOne = async (i: number): Promise<void> => {
      const r = await issueBurstItem(base, token, pdf, '', i);
      if (r.doc) received.push(r.doc);
    };

    // 32 concurrent clients issue until the server dies; it is killed once 300 responses have arrived.
    const clients = Array.from({ length: 32 }, async () => {
      while (!killed) {
        const i = attempted++;
        try {
          await issueOne(i);
        } catch {
          // connection reset by the kill: the client got no document
        }
        if (!killed && received.length >= 300) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(clients);
    await first.exited();
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(received.length).toBeGreaterThanOrEqual(300);
    expect(attempted).toBeGreaterThan(received.length); // requests were in flight when it died

    // Restart on the same data: it opens cleanly and keeps issuing after every serial handed out.
    const second = await startIssuer(dataDir, dbArgs);
    try {
      expect(second.token).toBeUndefined();
      const res = await fetch(`${second.base}/v1/seals?qr=none`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'cert', number: 'after', fields: { n: 'after', nid: '1', d: '2026-01-02' } }),
      });
      expect(res.status).toBe(201);
      const after = (await res.json()) as { serial: string; statusIndex: number };
      expect(received.every((r) => r.serial < after.serial)).toBe(true);
      expect(received.every((r) => r.statusIndex < after.statusIndex)).toBe(true);
    } finally {
      await second.stop();
    }

    const store = await openStore(
      db.flags.databaseUrl !== undefined ? { databaseUrl: db.flags.databaseUrl } : { path: join(dataDir, 'registry.db') },
    );
    try {
      if (store.kind === 'sqlite') expect((await store.query('PRAGMA integrity_check'))[0]).toEqual({ integrity_check: 'ok' });
      await expectRegistryHolds(store, received);
    } finally {
      await store.close();
    }
  });
});
