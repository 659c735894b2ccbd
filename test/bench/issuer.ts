// Bench: issuer throughput (POST /v1/documents, 1-page PDFs, 32 clients, autocannon) and revocation-to-published latency.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { isRevoked, verifyStatusListSync, verifyTrustListSync, nativeBackend } from '../../core/index.js';
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
  url: string;
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
  token: string;
  stop(): Promise<void>;
}

/** Start the built issuer (dist/issuer/main.js) on a fresh DEMO data folder. */
async function startServer(dataDir: string): Promise<Server> {
  const main = join(projectRoot(), 'dist/issuer/main.js');
  const child = spawn(process.execPath, [main, '--data-dir', dataDir, '--port', '0', '--rate-limit', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const { port, token } = await new Promise<{ port: number; token: string }>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`issuer did not start:\n${out}`)), 30_000);
    const on = (b: Buffer) => {
      out += b.toString();
      const m = /URSEAL_LISTENING (\d+)/.exec(out);
      const tok = /^\s+(urs_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
      if (m && tok) {
        clearTimeout(t);
        res({ port: Number(m[1]), token: tok });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (c) => rej(new Error(`issuer exited with ${c}:\n${out}`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    token,
    stop: () =>
      new Promise((r) => {
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

async function revocationLatency(s: Server, rounds: number): Promise<number[]> {
  const backend = nativeBackend()!;
  const auth = { Authorization: `Bearer ${s.token}` };
  const tl = new Uint8Array(await (await fetch(`${s.base}/trust-list`)).arrayBuffer());
  // Bench only: trust the list's own roots (a verifier pins the NDC root instead).
  const json = (await (await fetch(`${s.base}/trust-list.json`)).json()) as { roots: { publicKey: string }[] };
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
      const bytes = new Uint8Array(await (await fetch(`${s.base}/status/DEMO`)).arrayBuffer());
      const v = verifyStatusListSync(bytes, trust.trust, backend);
      if (v.ok && isRevoked(v.status.list, issued.statusIndex)) break;
      if (performance.now() - t0 > 5000) throw new Error('bench: revocation not published within 5 s');
    }
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** The issuer bench (needs `npm run build`: it runs dist/issuer/main.js as a separate process). */
export const issuer: Bench = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'urseal-bench-issuer-'));
  const s = await startServer(dataDir);
  const rows: BenchRow[] = [];
  try {
    const pdf = await onePagePdf();
    const { body, type } = multipart(pdf);
    const opts = {
      url: `${s.base}/v1/documents`,
      method: 'POST',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': type },
      body,
      timeout: 30,
    };
    await autocannon({ ...opts, connections: CONNECTIONS, duration: 2 }); // warm-up: JIT, worker start, font load
    const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: DURATION_S });
    const docsPerSecond = r['2xx'] / DURATION_S;
    const detail = `${r['2xx']} stamped in ${DURATION_S} s, ${CONNECTIONS} clients, ${pdf.length}-byte 1-page PDF; non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`;
    rows.push({
      group: 'issuer',
      name: 'POST /v1/documents throughput (1-page PDF, 32 clients)',
      value: Math.round(docsPerSecond * 10) / 10,
      unit: 'docs/s',
      target: '>= 150',
      pass: docsPerSecond >= 150 && r.non2xx === 0,
      detail,
    });
    rows.push({
      group: 'issuer',
      name: 'POST /v1/documents p99 latency (32 clients)',
      value: r.latency.p99,
      unit: 'ms',
      target: '< 250',
      pass: r.latency.p99 < 250,
      detail: `p50 ${r.latency.p50} ms, max ${r.latency.max} ms`,
    });
    const times = await revocationLatency(s, 20);
    const max = times[times.length - 1]!;
    rows.push({
      group: 'issuer',
      name: 'revocation request -> re-signed status list served (max of 20)',
      value: Math.round(max * 100) / 100,
      unit: 'ms',
      target: '< 1000',
      pass: max < 1000,
      detail: `median ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms`,
    });
  } finally {
    await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
};

// `node dist/test/bench/issuer.js` runs this bench alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await issuer())
    console.log(
      `${row.pass === false ? 'FAIL' : 'ok  '} ${row.name}: ${row.value} ${row.unit} (target ${row.target}) — ${row.detail ?? ''}`,
    );
}
