// Several issuer processes (dist/issuer/main.js) on one PostgreSQL database: the same answers from every node, one
// signed status list per sequence, and no lost or doubled document when one node is SIGKILLed. PostgreSQL only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRevoked, verifyStatusListSync, verifyTrustListSync, type StatusList, type VerifiedTrustList } from '../../core/index.js';
import { resolveConfig } from '../../issuer/config.js';
import { openStore } from '../../issuer/registry/open.js';
import { startIssuer as startInProcess } from '../../issuer/server.js';
import type { RegistryStore } from '../../issuer/registry/store.js';
import { backend } from '../helpers/world.js';
import { onePagePdf } from './helpers.js';
import { ensureBuilt, expectRegistryHolds, issueBurstItem, startIssuer, type IssuerProcess } from './issuer-process.js';
import { onPostgres, testDatabase } from './test-store.js';

interface Cluster {
  a: IssuerProcess;
  b: IssuerProcess;
  token: string;
  store: RegistryStore;
  /** The registry's current trust list, verified against the roots pinned in the registry. */
  trust: VerifiedTrustList;
  /** Start one more node on the same database and folder (stopped by `close`). */
  another(): Promise<IssuerProcess>;
  close(): Promise<void>;
}

/**
 * Two issuer processes on one fresh database and one data folder (A sets the DEMO registry up and writes the master
 * key file there; B, started after, reads it), plus a store of the test's own on the same database.
 */
async function cluster(): Promise<Cluster> {
  ensureBuilt();
  const db = await testDatabase();
  const args = ['--database-url', db.flags.databaseUrl!];
  const dataDir = mkdtempSync(join(tmpdir(), 'urseal-nodes-'));
  const started: IssuerProcess[] = [];
  let store: RegistryStore | undefined;
  const close = async () => {
    await Promise.all(started.map((p) => p.stop()));
    await store?.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const a = await startIssuer(dataDir, args);
    started.push(a);
    const b = await startIssuer(dataDir, args);
    started.push(b);
    expect(a.token).toBeTruthy();
    expect(b.token).toBeUndefined(); // the DEMO registry was set up once, by A
    store = await openStore({ databaseUrl: db.flags.databaseUrl! });
    const roots = (await store.listRoots()).map((r) => r.publicKey);
    // Both nodes serve a trust list the pinned roots signed. Not the same one for now: in DEMO mode each node, as it
    // starts, re-signs the DEMO trust list to publish its own /status URL, and A picks B's up at its next 30 s reload.
    for (const node of [a, b]) {
      const served = verifyTrustListSync(await bytesOf(`${node.base}/trust-list`), backend, { roots });
      if (!served.ok) throw new Error(`trust list from ${node.base}: ${served.reason}`);
    }
    const latest = await store.latestTrustList();
    const tl = verifyTrustListSync(latest!.bytes, backend, { roots });
    if (!tl.ok) throw new Error(`trust list: ${tl.reason}`);
    const another = async () => {
      const p = await startIssuer(dataDir, args);
      started.push(p);
      return p;
    };
    return { a, b, token: a.token!, store, trust: tl.trust, another, close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function bytesOf(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The DEMO status list a node serves now, verified. */
async function statusOf(node: IssuerProcess, trust: VerifiedTrustList): Promise<{ list: StatusList; bytes: Uint8Array }> {
  const bytes = await bytesOf(`${node.base}/status/DEMO`);
  const v = verifyStatusListSync(bytes, trust, backend);
  if (!v.ok) throw new Error(`status list from ${node.base}: ${v.reason}`);
  return { list: v.status.list, bytes };
}

/** Issue a paper seal (no QR image) through `node`. */
async function issueSeal(node: IssuerProcess, token: string, n: string): Promise<{ serial: string; statusIndex: number }> {
  const res = await fetch(`${node.base}/v1/seals?qr=none`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'cert', number: n, fields: { n: `name ${n}`, nid: '1', d: '2026-01-02' } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { serial: string; statusIndex: number };
}

async function revoke(node: IssuerProcess, token: string, serial: string): Promise<{ sequence: number; already: boolean }> {
  const res = await fetch(`${node.base}/v1/documents/${serial}/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const b = (await res.json()) as { alreadyRevoked: boolean; statusList: { sequence: number } };
  return { sequence: b.statusList.sequence, already: b.alreadyRevoked };
}

/** The serial's counter (the 8 hex digits after the 8-digit registry id). */

describe.runIf(onPostgres)('Several issuer processes on one database serve the same answers', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('a document issued through one node is read through the other', async () => {
    const viaA = await issueSeal(c.a, c.token, 'A-1');
    const viaB = await issueSeal(c.b, c.token, 'B-1');
    expect(viaA.serial).not.toBe(viaB.serial);
    expect(viaA.statusIndex).not.toBe(viaB.statusIndex);
    for (const [issued, reader] of [
      [viaA, c.b],
      [viaB, c.a],
    ] as const) {
      const res = await fetch(`${reader.base}/v1/documents/${issued.serial}`, { headers: { Authorization: `Bearer ${c.token}` } });
      expect(res.status).toBe(200);
      const d = (await res.json()) as { serial: string; statusIndex: number; agency: string; revoked: boolean };
      expect(d).toMatchObject({ serial: issued.serial, statusIndex: issued.statusIndex, agency: 'DEMO', revoked: false });
    }
  });

  it('a revocation through node A is in the status list node B serves within 1 s', async () => {
    const doc = await issueSeal(c.a, c.token, 'R-1');
    // B has the current list cached (what it serves before the revocation).
    const before = await statusOf(c.b, c.trust);
    expect(isRevoked(before.list, doc.statusIndex)).toBe(false);
    const t0 = performance.now();
    const r = await revoke(c.a, c.token, doc.serial);
    expect(r.already).toBe(false);
    expect(r.sequence).toBeGreaterThan(before.list.sequence);
    let seen: { list: StatusList; bytes: Uint8Array } | undefined;
    while (performance.now() - t0 < 3000) {
      const s = await statusOf(c.b, c.trust);
      if (isRevoked(s.list, doc.statusIndex)) {
        seen = s;
        break;
      }
    }
    const elapsed = performance.now() - t0;
    expect(seen, 'node B never served the revocation').toBeDefined();
    expect(elapsed).toBeLessThan(1000);
    expect(seen!.list.sequence).toBeGreaterThanOrEqual(r.sequence);
    // Afterwards both nodes serve the same list, the one stored.
    await sleep(300);
    const [sa, sb] = await Promise.all([statusOf(c.a, c.trust), statusOf(c.b, c.trust)]);
    expect(sa.list.sequence).toBe(sb.list.sequence);
    expect(Buffer.from(sa.bytes)).toEqual(Buffer.from(sb.bytes));
    const [stored] = await c.store.query("SELECT sequence, signed FROM status_lists WHERE agency_id = 'DEMO'");
    expect(stored!['sequence']).toBe(sa.list.sequence);
    expect(Buffer.from(stored!['signed'] as Uint8Array)).toEqual(Buffer.from(sa.bytes));
  });

  it('concurrent revocations through both nodes: one list per sequence, and the final list has every bit', async () => {
    const docs: { serial: string; statusIndex: number }[] = [];
    for (let i = 0; i < 40; i++) docs.push(await issueSeal(i % 2 ? c.b : c.a, c.token, `CR-${i}`));
    const start = (await statusOf(c.a, c.trust)).list.sequence;

    // Collect every list both nodes serve while the revocations run.
    const served: { node: string; list: StatusList; bytes: Uint8Array }[] = [];
    let revoking = true;
    const poll = async (node: IssuerProcess, name: string) => {
      while (revoking) served.push({ node: name, ...(await statusOf(node, c.trust)) });
    };
    const pollers = [poll(c.a, 'A'), poll(c.b, 'B')];
    // 40 revocations, 20 through each node, 8 at a time per node.
    const queues = [docs.filter((_, i) => i % 2 === 0), docs.filter((_, i) => i % 2 === 1)];
    const sequences: number[] = [];
    await Promise.all(
      [c.a, c.b].flatMap((node, n) =>
        Array.from({ length: 8 }, async () => {
          for (let d = queues[n]!.shift(); d; d = queues[n]!.shift()) {
            const r = await revoke(node, c.token, d.serial);
            expect(r.already).toBe(false);
            sequences.push(r.sequence);
          }
        }),
      ),
    );
    await sleep(300); // past both nodes' 250 ms cache: the pollers see the final list too
    revoking = false;
    await Promise.all(pollers);

    // Every revocation signed a sequence of its own, all after the list before them.
    expect(new Set(sequences).size).toBe(docs.length);
    expect(Math.min(...sequences)).toBeGreaterThan(start);
    // Each sequence any node served is one list: the same bytes from both nodes and every read.
    const bySequence = new Map<number, Set<string>>();
    for (const s of served) {
      const set = bySequence.get(s.list.sequence) ?? new Set<string>();
      set.add(Buffer.from(s.bytes).toString('hex'));
      bySequence.set(s.list.sequence, set);
    }
    expect(served.length).toBeGreaterThan(2);
    for (const [sequence, lists] of bySequence) expect(lists.size, `sequence ${sequence} was signed ${lists.size} times`).toBe(1);
    expect(new Set(served.filter((s) => s.node === 'B').map((s) => s.list.sequence)).size).toBeGreaterThan(1);
    // A higher sequence never loses a bit a lower one had.
    const ordered = [...served].sort((x, y) => x.list.sequence - y.list.sequence);
    for (let i = 1; i < ordered.length; i++)
      for (const d of docs)
        if (isRevoked(ordered[i - 1]!.list, d.statusIndex)) expect(isRevoked(ordered[i]!.list, d.statusIndex)).toBe(true);
    // The final list, from both nodes, has every bit.
    const [fa, fb] = await Promise.all([statusOf(c.a, c.trust), statusOf(c.b, c.trust)]);
    expect(Buffer.from(fa.bytes)).toEqual(Buffer.from(fb.bytes));
    expect(fa.list.sequence).toBe(Math.max(...sequences));
    for (const d of docs) expect(isRevoked(fa.list, d.statusIndex), `status index ${d.statusIndex}`).toBe(true);
  });
});

describe.runIf(onPostgres)('SIGKILL of one of two nodes in the middle of a burst of issuances', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('every document a client received is in the registry once; the other node keeps serving, a restarted one joins', async () => {
    const pdf = await onePagePdf();
    const received: { serial: string; statusIndex: number; kind: string; node: string }[] = [];
    const KILL_AFTER = 200; // responses from both nodes before A is killed
    const AFTER_KILL = 100; // responses B must give after the kill
    let killedAt: number | undefined;
    let attemptedOnA = 0;
    let receivedOnA = 0;

    const issueOne = async (node: IssuerProcess, name: string, i: number): Promise<void> => {
      const r = await issueBurstItem(node.base, c.token, pdf, `${name}-`, i);
      if (!r.doc) expect.fail(`node ${name} answered ${r.status}: ${r.body}`);
      received.push({ ...r.doc, node: name });
    };

    // 16 clients, 8 on each node. A is SIGKILLed once KILL_AFTER documents have arrived; its clients stop there,
    // B's go on until B has given AFTER_KILL more.
    let n = 0;
    const clients = Array.from({ length: 16 }, async (_, k) => {
      const [node, name] = k % 2 === 0 ? [c.a, 'A'] : [c.b, 'B'];
      for (;;) {
        if (name === 'A' && killedAt !== undefined) return;
        if (name === 'B' && killedAt !== undefined && received.length - killedAt >= AFTER_KILL) return;
        const i = n++;
        if (name === 'A') attemptedOnA++;
        try {
          await issueOne(node, name, i);
        } catch (e) {
          // Only A's clients may lose a request (connection reset by the kill): B's must all succeed.
          if (name === 'B' || killedAt === undefined) throw e;
        }
        if (killedAt === undefined && received.length >= KILL_AFTER) {
          killedAt = received.length;
          c.a.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(clients);
    await c.a.exited();
    expect(c.a.child.signalCode).toBe('SIGKILL');
    receivedOnA = received.filter((r) => r.node === 'A').length;
    expect(receivedOnA).toBeGreaterThan(0);
    expect(attemptedOnA).toBeGreaterThan(receivedOnA); // requests were in flight on A when it died
    expect(received.length - killedAt!).toBeGreaterThanOrEqual(AFTER_KILL);

    // The surviving node keeps serving: issue, revoke, and the revocation in the list it serves.
    const after = await issueSeal(c.b, c.token, 'after');
    expect(received.every((r) => r.serial < after.serial)).toBe(true);
    const r = await revoke(c.b, c.token, after.serial);
    expect(r.already).toBe(false);
    const s = await statusOf(c.b, c.trust);
    expect(s.list.sequence).toBe(r.sequence);
    expect(isRevoked(s.list, after.statusIndex)).toBe(true);
    received.push({ ...after, kind: 'paper', node: 'B' });
    // A node started again in A's place joins in: it issues after everything, and B reads what it issued.
    const c2 = await c.another();
    const rejoined = await issueSeal(c2, c.token, 'rejoined');
    expect(rejoined.serial > after.serial).toBe(true);
    const read = await fetch(`${c.b.base}/v1/documents/${rejoined.serial}`, { headers: { Authorization: `Bearer ${c.token}` } });
    expect(read.status).toBe(200);
    received.push({ ...rejoined, kind: 'paper', node: 'C' });

    const rows = await expectRegistryHolds(c.store, received);
    // No serial or status index twice: besides the checks above, the table refuses it (primary key,
    // UNIQUE (agency_id, status_index)).
    const unique = await c.store.query(
      "SELECT constraint_type AS t, constraint_name AS n FROM information_schema.table_constraints WHERE table_name = 'documents' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
    );
    expect(unique).toEqual(
      expect.arrayContaining([
        { t: 'PRIMARY KEY', n: 'documents_pkey' },
        { t: 'UNIQUE', n: 'documents_status_unique' },
      ]),
    );
    const [counter] = await c.store.query("SELECT value FROM counters WHERE name = 'serial'");
    expect(counter!['value']).toBe(rows.length + 1);
  });
});

describe.runIf(onPostgres)('nodes starting together on a new database', () => {
  it('three DEMO nodes started at once: one sets the registry up, the others wait for it; all issue with one token', async () => {
    const db = await testDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'urseal-nodes-'));
    const quiet = { info: () => {}, warn: () => {} };
    // In one process, so the three start-ups interleave at every database round trip (processes start too far apart).
    const config = resolveConfig({ dataDir, port: '0', host: '127.0.0.1', workers: '0', ...db.flags }, {}, 'auto');
    const starts = await Promise.allSettled([0, 1, 2].map(() => startInProcess(config, quiet)));
    const nodes = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(starts.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);
      const tokens = nodes.flatMap((n) => (n.demo ? [n.demo.token] : []));
      expect(tokens).toHaveLength(1); // the DEMO set-up ran once
      for (const n of nodes) {
        const res = await fetch(`${n.url}/v1/seals?qr=none`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens[0]}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'cert', number: 'T-1', fields: { n: 'x', nid: '1', d: '2026-01-02' } }),
        });
        expect(res.status).toBe(201);
      }
      const store = await openStore({ databaseUrl: db.flags.databaseUrl! });
      try {
        expect((await store.listRoots()).length).toBe(1);
        expect((await store.listAgencyKeys()).length).toBe(1);
      } finally {
        await store.close();
      }
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
