// The built issuer (dist/issuer/main.js) as a child process, for the crash and several-node tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { RegistryStore } from '../../issuer/registry/store.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = join(ROOT, 'dist/issuer/main.js');

/** Build dist/ when it is missing (the process tests run the built issuer). */
export function ensureBuilt(): void {
  if (!existsSync(MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
}

export interface IssuerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** The DEMO token, printed only by the process that set the DEMO registry up. */
  token?: string;
  output: () => string;
  /** Resolves when the process has exited (at once if it already has). */
  exited(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Resolves when `child` has exited. */
export function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
}

/**
 * Start the built issuer on `dataDir` (plus `args`, e.g. `--database-url`) and wait for its URSEAL_LISTENING line.
 * @example const a = await startIssuer(dir, ['--database-url', url]); ...; await a.stop()
 */
export function startIssuer(dataDir: string, args: string[] = []): Promise<IssuerProcess> {
  const child = spawn(process.execPath, [MAIN, '--data-dir', dataDir, '--port', '0', '--rate-limit', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /URSEAL_LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.on('data', (x: Buffer) => (out += x.toString()));
        child.stderr!.on('data', (x: Buffer) => (out += x.toString()));
        const token = /^\s+(urs_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
        const port = Number(m[1]);
        resolveStart({
          child,
          port,
          base: `http://127.0.0.1:${port}`,
          ...(token ? { token } : {}),
          output: () => out,
          exited: () => exitOf(child),
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exitOf(child);
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

/** Start a built issuer that is expected to exit at once; its exit code and output. */
export function refusedStart(dataDir: string, args: string[] = []): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [MAIN, '--data-dir', dataDir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((r) => child.once('exit', (code) => r({ code, out })));
}

/** The registry's document counter inside a serial (the 8 hex digits after the registry id). */
export const counterOf = (serial: string): number => parseInt(serial.slice(8), 16);

/** A document a client received an answer for. */
export interface ReceivedDocument {
  serial: string;
  statusIndex: number;
  kind: string;
  /** Which node answered, for messages. */
  node?: string;
}

/**
 * What a crash must not break (one agency): every document a client received is in the registry as issued, with
 * its status index and kind; no serial or status index twice, among the answers or in the table; serial counters
 * 1..n and status indexes 0..n-1 without a hole (what the crash rolled back gave its numbers back); one issue entry
 * in the audit log per document. Returns the table's rows.
 */
export async function expectRegistryHolds(
  store: RegistryStore,
  received: readonly ReceivedDocument[],
): Promise<{ serial: string; status_index: number; state: string; kind: string }[]> {
  const rows = (await store.query('SELECT serial, status_index, state, kind FROM documents')) as {
    serial: string;
    status_index: number;
    state: string;
    kind: string;
  }[];
  const bySerial = new Map(rows.map((r) => [r.serial, r]));
  for (const d of received) {
    const row = bySerial.get(d.serial);
    expect(row, `document ${d.serial} was received${d.node ? ` from ${d.node}` : ''} but is not in the registry`).toBeDefined();
    expect(row!.status_index).toBe(d.statusIndex);
    expect(row!.state).toBe('issued');
    expect(row!.kind).toBe(d.kind);
  }
  expect(new Set(received.map((d) => d.serial)).size).toBe(received.length);
  expect(new Set(received.map((d) => d.statusIndex)).size).toBe(received.length);
  expect(new Set(rows.map((r) => r.serial)).size).toBe(rows.length);
  expect(new Set(rows.map((r) => r.status_index)).size).toBe(rows.length);
  // The table may hold more documents than the clients received (committed, then the node died before answering),
  // never fewer, and never a hole.
  expect(rows.length).toBeGreaterThanOrEqual(received.length);
  expect(rows.map((r) => counterOf(r.serial)).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
  expect(rows.map((r) => r.status_index).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i));
  const audit = (await store.query(
    "SELECT subject, COUNT(*) AS n FROM audit_log WHERE action LIKE 'document.issue.%' GROUP BY subject",
  )) as { subject: string; n: number }[];
  expect(audit.length).toBe(rows.length);
  expect(audit.every((e) => Number(e.n) === 1 && bySerial.has(e.subject))).toBe(true);
  return rows;
}

/**
 * One issuance of a crash burst against the DEMO agency: every fourth a stamped one-page PDF, the others paper
 * seals. `doc` is set when the node answered 201 (the client received a document); else `status` and `body` say why.
 * Throws when the connection breaks (a killed node).
 */
export async function issueBurstItem(
  base: string,
  token: string,
  pdf: Uint8Array,
  label: string,
  i: number,
): Promise<{ status: number; body?: string; doc?: ReceivedDocument }> {
  const headers = { Authorization: `Bearer ${token}` };
  if (i % 4 === 0) {
    const form = new FormData();
    form.set('file', new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'in.pdf');
    form.set('type', 'letter');
    form.set('number', `L-${label}${i}`);
    form.set('fields', JSON.stringify({ to: 'Office', subj: `burst ${i}` }));
    const res = await fetch(`${base}/v1/documents`, { method: 'POST', headers, body: form });
    if (res.status !== 201) return { status: res.status, body: await res.text() };
    await res.arrayBuffer();
    const serial = res.headers.get('x-urseal-serial')!;
    return { status: 201, doc: { serial, statusIndex: Number(res.headers.get('x-urseal-status-index')), kind: 'pdf' } };
  }
  const res = await fetch(`${base}/v1/seals?qr=none`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'cert', number: `C-${label}${i}`, fields: { n: `name ${i}`, nid: String(i), d: '2026-01-02' } }),
  });
  if (res.status !== 201) return { status: res.status, body: await res.text() };
  const b = (await res.json()) as { serial: string; statusIndex: number };
  return { status: 201, doc: { serial: b.serial, statusIndex: b.statusIndex, kind: 'paper' } };
}
