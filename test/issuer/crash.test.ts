// Crash test: the built server is SIGKILLed in the middle of a burst of issuances, then restarted on the same data.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onePagePdf } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'dist/issuer/main.js');

interface Started {
  child: ChildProcess;
  port: number;
  token?: string;
  output: () => string;
}

/** Start the built issuer and wait for its URSEAL_LISTENING line. */
function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, '--data-dir', dataDir, '--port', '0', '--rate-limit', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /URSEAL_LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const token = /^\s+(urs_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
        resolveStart({ child, port: Number(m[1]), ...(token ? { token } : {}), output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/** Start a second built issuer that is expected to exit at once; its exit code and output. */
function refusedStart(dir: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [MAIN, '--data-dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((r) => child.once('exit', (code) => r({ code, out })));
}

let dataDir: string;
beforeAll(() => {
  if (!existsSync(MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  dataDir = mkdtempSync(join(tmpdir(), 'urseal-crash-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SIGKILL in the middle of a burst of issuances', () => {
  it('every document a client received is in the registry; no serial or status index was handed out twice', async () => {
    const first = await start(dataDir);
    const token = first.token!;
    expect(token).toBeTruthy();
    // A second process on the same folder refuses to start (it would serve a status list nobody updates).
    const refused = await refusedStart(dataDir);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('URSEAL_E_DATA_DIR_IN_USE');
    expect(refused.out).toContain(`process ${first.child.pid} `);
    const base = `http://127.0.0.1:${first.port}`;
    const pdf = await onePagePdf();
    const received: { serial: string; statusIndex: number; kind: string }[] = [];
    let attempted = 0;
    let killed = false;

    const issueOne = async (i: number): Promise<void> => {
      const headers = { Authorization: `Bearer ${token}` };
      let res: Response;
      if (i % 4 === 0) {
        const form = new FormData();
        form.set('file', new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'in.pdf');
        form.set('type', 'letter');
        form.set('number', `L-${i}`);
        form.set('fields', JSON.stringify({ to: 'Office', subj: `burst ${i}` }));
        res = await fetch(`${base}/v1/documents`, { method: 'POST', headers, body: form });
        if (res.status === 201) {
          await res.arrayBuffer();
          received.push({
            serial: res.headers.get('x-urseal-serial')!,
            statusIndex: Number(res.headers.get('x-urseal-status-index')),
            kind: 'pdf',
          });
        }
      } else {
        res = await fetch(`${base}/v1/seals?qr=none`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'cert', number: `C-${i}`, fields: { n: `name ${i}`, nid: String(i), d: '2026-01-02' } }),
        });
        if (res.status === 201) {
          const b = (await res.json()) as { serial: string; statusIndex: number };
          received.push({ serial: b.serial, statusIndex: b.statusIndex, kind: 'paper' });
        }
      }
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
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(received.length).toBeGreaterThanOrEqual(300);
    expect(attempted).toBeGreaterThan(received.length); // requests were in flight when it died

    // Restart on the same data: it opens cleanly and keeps issuing after every serial handed out.
    const second = await start(dataDir);
    try {
      expect(second.token).toBeUndefined();
      const res = await fetch(`http://127.0.0.1:${second.port}/v1/seals?qr=none`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'cert', number: 'after', fields: { n: 'after', nid: '1', d: '2026-01-02' } }),
      });
      expect(res.status).toBe(201);
      const after = (await res.json()) as { serial: string; statusIndex: number };
      expect(received.every((r) => r.serial < after.serial)).toBe(true);
      expect(received.every((r) => r.statusIndex < after.statusIndex)).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }

    const db = new Database(join(dataDir, 'registry.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT serial, status_index, state, kind FROM documents').all() as {
        serial: string;
        status_index: number;
        state: string;
        kind: string;
      }[];
      const bySerial = new Map(rows.map((r) => [r.serial, r]));
      for (const r of received) {
        const row = bySerial.get(r.serial);
        expect(row, `document ${r.serial} was received but is not in the registry`).toBeDefined();
        expect(row!.status_index).toBe(r.statusIndex);
        expect(row!.state).toBe('issued');
        expect(row!.kind).toBe(r.kind);
      }
      expect(new Set(received.map((r) => r.serial)).size).toBe(received.length);
      expect(new Set(received.map((r) => r.statusIndex)).size).toBe(received.length);
      expect(new Set(rows.map((r) => r.status_index)).size).toBe(rows.length);
      const audit = db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'document.issue.%'").get() as { n: number };
      expect(audit.n).toBe(rows.length);
    } finally {
      db.close();
    }
  });
});
