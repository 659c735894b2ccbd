// Bench: issuer throughput (POST /v1/documents, 1-page PDFs, 32 clients, autocannon) on one node with SQLite, one node
// with PostgreSQL and two nodes sharing one PostgreSQL database, and revocation-to-published latency.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { isRevoked, verifyStatusListSync, verifyTrustListSync, nativeBackend } from '../../core/index.js';
import { openStore } from '../../issuer/registry/open.js';
import type { RegistryStore } from '../../issuer/registry/store.js';
import { createDatabase } from '../helpers/pg-database.js';
import type { Bench, BenchRow } from './harness.js';

/** The subset of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number; average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (o: {
  /** Several URLs: the connections are spread over them (round-robin), one histogram for all. */
  url: string | string[];
  method: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  body: Buffer;
  timeout?: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const CONNECTIONS = 32;
const DURATION_S = Number(process.env['URSEAL_BENCH_ISSUER_SECONDS'] ?? 10);
/** The PostgreSQL server the shared-store cases make a database on (dropped after); unset: those rows are skipped. */
const PG_ADMIN_URL = process.env['URSEAL_BENCH_DATABASE_URL'] ?? process.env['URSEAL_TEST_DATABASE_URL'];

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** A typical one-page issued letter: A4, 30 lines of text (classic xref), about 3 KB. */
async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Demo official letter - urseal issuer benchmark', { x: 56, y: 780, size: 14, font });
  for (let l = 0; l < 30; l++)
    page.drawText(`Line ${l + 1}: the quick brown fox jumps over the lazy dog 0123456789.`, { x: 56, y: 740 - l * 18, size: 10, font });
  return doc.save({ useObjectStreams: false });
}

interface Server {
  child: ChildProcess;
  base: string;
  /** The DEMO token: printed only by the node that set the DEMO registry up. */
  token?: string;
  /** Stamping workers, from /healthz (`workers:N` or `in-process`). */
  stamper: string;
  stop(): Promise<void>;
}

/** Start the built issuer (dist/issuer/main.js) on a DEMO data folder (fresh, or shared with `--database-url`). */
async function startServer(dataDir: string, args: string[] = []): Promise<Server> {
  const main = join(projectRoot(), 'dist/issuer/main.js');
  const child = spawn(process.execPath, [main, '--data-dir', dataDir, '--port', '0', '--rate-limit', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const { port, token } = await new Promise<{ port: number; token?: string }>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`issuer did not start:\n${out}`)), 30_000);
    const on = (b: Buffer) => {
      out += b.toString();
      const m = /URSEAL_LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        const tok = /^\s+(urs_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
        res({ port: Number(m[1]), ...(tok ? { token: tok } : {}) });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (c) => rej(new Error(`issuer exited with ${c}:\n${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const health = (await (await fetch(`${base}/healthz`)).json()) as { stamper: string };
  return {
    child,
    base,
    ...(token ? { token } : {}),
    stamper: health.stamper,
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** multipart/form-data body for POST /v1/documents, built once. */
function multipart(pdf: Uint8Array): { body: Buffer; type: string } {
  const boundary = '----urseal-bench-7d3f9a';
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head =
    part('type', 'letter') +
    part('number', 'BENCH-1') +
    part('fields', JSON.stringify({ to: 'مكتب الاستقبال', subj: 'Benchmark letter' })) +
    part('page', '1') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="letter.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), Buffer.from(pdf), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Revoke through `s`, then poll `reader` (another node on the same database, or `s`) until it serves the bit. */
async function revocationLatency(s: Server, token: string, rounds: number, reader: Server = s): Promise<number[]> {
  const backend = nativeBackend()!;
  const auth = { Authorization: `Bearer ${token}` };
  const tl = new Uint8Array(await (await fetch(`${reader.base}/trust-list`)).arrayBuffer());
  // Bench only: trust the list's own roots (a verifier pins the NDC root instead).
  const json = (await (await fetch(`${reader.base}/trust-list.json`)).json()) as { roots: { publicKey: string }[] };
  const roots = json.roots.map((r) => new Uint8Array(Buffer.from(r.publicKey, 'base64url')));
  const trust = verifyTrustListSync(tl, backend, { roots });
  if (!trust.ok) throw new Error(`bench: trust list: ${trust.reason}`);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const issued = (await (
      await fetch(`${s.base}/v1/seals?qr=none`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'cert', number: `R-${i}`, fields: { n: 'x', nid: '1', d: '2026-01-02' } }),
      })
    ).json()) as { serial: string; statusIndex: number };
    const t0 = performance.now();
    const r = await fetch(`${s.base}/v1/documents/${issued.serial}/revoke`, { method: 'POST', headers: auth });
    if (r.status !== 200) throw new Error(`bench: revoke answered ${r.status}`);
    await r.arrayBuffer();
    // Poll the public status list until a verified copy shows the bit (normally the first fetch does).
    for (;;) {
      const bytes = new Uint8Array(await (await fetch(`${reader.base}/status/DEMO`)).arrayBuffer());
      const v = verifyStatusListSync(bytes, trust.trust, backend);
      if (v.ok && isRevoked(v.status.list, issued.statusIndex)) break;
      if (performance.now() - t0 > 5000) throw new Error('bench: revocation not published within 5 s');
    }
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** One throughput case: how to start its nodes and what its rows are called. */
interface Case {
  /** Added to the row names, e.g. ', PostgreSQL, 2 nodes'. */
  label: string;
  /** Start the nodes (the first one prints the DEMO token); undefined: the case is skipped for `skipped`. */
  start?: () => Promise<{ nodes: Server[]; done(): Promise<void> }>;
  skipped?: string;
  /** Also measure revocation latency (through the first node, read from the last). */
  revocation?: string;
}

async function throughputRows(c: Case, body: Buffer, type: string, pdfBytes: number): Promise<BenchRow[]> {
  const names = {
    docs: `POST /v1/documents throughput (1-page PDF, 32 clients${c.label})`,
    p99: `POST /v1/documents p99 latency (32 clients${c.label})`,
  };
  if (!c.start)
    return [
      { group: 'issuer', name: names.docs, value: Number.NaN, unit: 'docs/s', skipped: c.skipped ?? 'not run' },
      { group: 'issuer', name: names.p99, value: Number.NaN, unit: 'ms', skipped: c.skipped ?? 'not run' },
    ];
  const { nodes, done } = await c.start();
  const rows: BenchRow[] = [];
  try {
    const token = nodes[0]!.token!;
    const opts = {
      // 32 connections spread evenly over the nodes (autocannon deals them out round-robin), one histogram for all.
      url: nodes.map((n) => `${n.base}/v1/documents`),
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
      body,
      timeout: 30,
    };
    await autocannon({ ...opts, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, worker start, font load
    const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: DURATION_S });
    const docsPerSecond = r['2xx'] / DURATION_S;
    const where = `${nodes.length} node${nodes.length > 1 ? 's' : ''}, stamper ${nodes.map((n) => n.stamper).join(' + ')} on ${cpus().length} cores`;
    rows.push({
      group: 'issuer',
      name: names.docs,
      value: Math.round(docsPerSecond * 10) / 10,
      unit: 'docs/s',
      // The targets are the single-node service's; the PostgreSQL rows are comparisons (nodes, database and load all
      // on one 2-core machine here), with no target of their own.
      ...(c.label === '' ? { target: '>= 150', pass: docsPerSecond >= 150 && r.non2xx === 0 } : {}),
      detail: `${r['2xx']} stamped in ${DURATION_S} s, ${CONNECTIONS} clients, ${pdfBytes}-byte 1-page PDF; ${where}; non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`,
    });
    rows.push({
      group: 'issuer',
      name: names.p99,
      value: r.latency.p99,
      unit: 'ms',
      ...(c.label === '' ? { target: '< 250', pass: r.latency.p99 < 250 } : {}),
      detail: `p50 ${r.latency.p50} ms, max ${r.latency.max} ms; ${where}`,
    });
    if (c.revocation) {
      const times = await revocationLatency(nodes[0]!, token, 20, nodes[nodes.length - 1]!);
      const max = times[times.length - 1]!;
      rows.push({
        group: 'issuer',
        name: c.revocation,
        value: Math.round(max * 100) / 100,
        unit: 'ms',
        target: '< 1000',
        pass: max < 1000,
        detail: `median ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms`,
      });
    }
  } finally {
    await done();
  }
  return rows;
}

/** `n` issuer nodes on one fresh PostgreSQL database (and one DEMO data folder), started one after the other. */
function postgresNodes(n: number, workers?: number): () => Promise<{ nodes: Server[]; done(): Promise<void> }> {
  return async () => {
    const db = await createDatabase(PG_ADMIN_URL!, 'urseal_bench');
    const dataDir = mkdtempSync(join(tmpdir(), 'urseal-bench-issuer-pg-'));
    const nodes: Server[] = [];
    const done = async () => {
      await Promise.all(nodes.map((s) => s.stop()));
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      const args = ['--database-url', db.url, ...(workers !== undefined ? ['--workers', String(workers)] : [])];
      for (let i = 0; i < n; i++) nodes.push(await startServer(dataDir, args));
    } catch (e) {
      await done();
      throw e;
    }
    return { nodes, done };
  };
}

/**
 * The registry alone, without HTTP or stamping: how many issuances per second `stores` (one, or two on one database
 * = two nodes) record with 32 callers at once. This is the ceiling that adding stamping nodes runs into: serial and
 * status index come from one counter row each, so issuances queue on it whatever the number of nodes.
 */
async function registryCeiling(kind: 'sqlite' | 'postgres', storeCount: number): Promise<BenchRow> {
  const name = `registry alone: issuances recorded per second (32 callers, ${kind === 'sqlite' ? 'SQLite' : `PostgreSQL, ${storeCount} store${storeCount > 1 ? 's' : ''}`})`;
  if (kind === 'postgres' && !PG_ADMIN_URL)
    return { group: 'issuer', name, value: Number.NaN, unit: 'docs/s', skipped: 'skipped: no PostgreSQL (set URSEAL_BENCH_DATABASE_URL)' };
  const dir = mkdtempSync(join(tmpdir(), 'urseal-bench-registry-'));
  const db = kind === 'postgres' ? await createDatabase(PG_ADMIN_URL!, 'urseal_bench') : undefined;
  const stores: RegistryStore[] = [];
  try {
    for (let i = 0; i < storeCount; i++) stores.push(await openStore(db ? { databaseUrl: db.url } : { path: join(dir, 'registry.db') }));
    const now = Math.floor(Date.now() / 1000);
    await stores[0]!.ensureAgency('BENCH', { ar: 'جهة', en: 'Bench' }, now);
    await stores[0]!.addToken({ id: 'tok_bench', agencyId: 'BENCH', hash: new Uint8Array(32), scopes: ['issue'], createdAt: now });
    const input = {
      agencyId: 'BENCH',
      kid: '0011223344556677',
      kind: 'pdf' as const,
      type: 'letter',
      number: 'B-1',
      fields: { to: 'مكتب الاستقبال', subj: 'Benchmark letter' },
      hash: new Uint8Array(32),
      length: 3000,
      tokenId: 'tok_bench',
      requestHash: new Uint8Array(32),
      now,
    };
    const run = async (ms: number) => {
      let n = 0;
      const until = performance.now() + ms;
      await Promise.all(
        Array.from({ length: 32 }, async (_, i) => {
          const store = stores[i % stores.length]!;
          while (performance.now() < until) {
            await store.issue(input);
            n++;
          }
        }),
      );
      return n;
    };
    await run(1000); // warm-up
    const seconds = 5;
    const n = await run(seconds * 1000);
    return {
      group: 'issuer',
      name,
      value: Math.round(n / seconds),
      unit: 'docs/s',
      detail: `${n} issuances in ${seconds} s (counters, document and audit entry each, group-committed); no HTTP, no stamping`,
    };
  } finally {
    for (const s of stores) await s.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The issuer bench (needs `npm run build`: it runs dist/issuer/main.js as separate processes). The PostgreSQL cases
 * need URSEAL_BENCH_DATABASE_URL (or URSEAL_TEST_DATABASE_URL): a server where the bench may create databases.
 */
export const issuer: Bench = async () => {
  const pdf = await onePagePdf();
  const { body, type } = multipart(pdf);
  const noPg = 'skipped: no PostgreSQL (set URSEAL_BENCH_DATABASE_URL)';
  const cases: Case[] = [
    {
      label: '',
      start: async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'urseal-bench-issuer-'));
        const s = await startServer(dataDir);
        return {
          nodes: [s],
          done: async () => {
            await s.stop();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
      revocation: 'revocation request -> re-signed status list served (max of 20)',
    },
    PG_ADMIN_URL ? { label: ', PostgreSQL, 1 node', start: postgresNodes(1) } : { label: ', PostgreSQL, 1 node', skipped: noPg },
    PG_ADMIN_URL
      ? {
          label: ', PostgreSQL, 2 nodes',
          start: postgresNodes(2),
          revocation: 'revocation through node A -> re-signed list served by node B (PostgreSQL, max of 20)',
        }
      : { label: ', PostgreSQL, 2 nodes', skipped: noPg },
    // Each node defaults to min(cores, 4) + 1 stamping workers: two default nodes on one 2-core machine run 2 main
    // threads + 6 workers next to PostgreSQL and autocannon, oversubscribed. Two nodes with one worker each keep
    // about the thread count of one default node (2 + 2 against 1 + 3): the like-for-like comparison on one machine.
    // Neither shows scale-out (that needs a machine per node); both show what sharing the database costs.
    PG_ADMIN_URL
      ? { label: ', PostgreSQL, 2 nodes x 1 worker', start: postgresNodes(2, 1) }
      : { label: ', PostgreSQL, 2 nodes x 1 worker', skipped: noPg },
  ];
  const rows: BenchRow[] = [];
  for (const c of cases) rows.push(...(await throughputRows(c, body, type, pdf.length)));
  rows.push(await registryCeiling('sqlite', 1), await registryCeiling('postgres', 1), await registryCeiling('postgres', 2));
  return rows;
};

// `node dist/test/bench/issuer.js` runs this bench alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await issuer())
    console.log(
      row.skipped !== undefined
        ? `skip ${row.name}: ${row.skipped}`
        : `${row.pass === false ? 'FAIL' : 'ok  '} ${row.name}: ${row.value} ${row.unit} (target ${row.target}) — ${row.detail ?? ''}`,
    );
}
