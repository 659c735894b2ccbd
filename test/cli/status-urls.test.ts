// Revocation without being told where: the trust list publishes each agency's status-list URL; `urseal verify`
// fetches it when online, keeps the newest copy in --state for offline runs, and says STATUS_UNKNOWN otherwise.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOJ_POA, ok, setupSignedTrustList, signStatusList, ursealAsync, workdir } from './helpers.js';

let dir: string;
let server: Server;
let serving = true;
let fetches = 0;
let good: string;
let revoked: string;
const AT = ['--now', '2026-01-16'];

beforeAll(async () => {
  dir = workdir();
  server = createServer((req, res) => {
    fetches++;
    if (!serving || req.url !== '/status/MOJ') {
      res.writeHead(serving ? 404 : 503).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/cose' }).end(readFileSync(join(dir, 'sl.cose')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status/MOJ`;
  setupSignedTrustList(dir, ['--status-url', url]);
  const seal = (n: string, index: string) => ok(dir, ['seal', ...MOJ_POA, '--number', n, '--status-index', index]).stdout.trim();
  good = seal('G-1', '1');
  revoked = seal('R-1', '7');
  ok(dir, ['status-list', 'create', 'sl.json', '--agency', 'MOJ', '--size', '64']);
  ok(dir, ['status-list', 'revoke', 'sl.json', '--index', '7']);
  signStatusList(dir, '2026-01-15');
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const verify = (extra: string[]) =>
  ursealAsync(dir, ['verify', good, revoked, '--trust-list', 'tl.cose', '--root', 'root.key', ...AT, ...extra]);

describe('status lists the trust list publishes', () => {
  it('trust-list show prints where each agency publishes its status list', async () => {
    const r = await ursealAsync(dir, ['trust-list', 'show', 'tl.cose', '--root', 'root.key', ...AT]);
    expect(r.stdout).toMatch(/status list http:\/\/127\.0\.0\.1:\d+\/status\/MOJ/);
  });

  it('online: fetched without --status-list, so a revoked document is caught', async () => {
    serving = true;
    const before = fetches;
    const r = await verify(['--state', 'state.json']);
    expect(fetches).toBe(before + 1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ VALID +MOJ +poa +G-1 /);
    expect(lines[1]).toMatch(/^✗ DOCUMENT_REVOKED +MOJ +poa +R-1 /);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { statusListCopies: Record<string, string> };
    expect(Buffer.from(state.statusListCopies['MOJ']!, 'base64')).toEqual(readFileSync(join(dir, 'sl.cose')));
  });

  it('offline: the copy held in --state still catches the revoked document, and the failed fetch is named', async () => {
    serving = false;
    const r = await verify(['--state', 'state.json']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ VALID /);
    expect(lines[1]).toMatch(/^✗ DOCUMENT_REVOKED /);
    expect(r.stderr).toMatch(/status list of MOJ not fetched \(.*503.*\); the copy held is used/);
  });

  it('nothing fetched and nothing held (--offline, no state): ! STATUS_UNKNOWN, never VALID', async () => {
    serving = true;
    const before = fetches;
    const r = await verify(['--offline']);
    expect(fetches).toBe(before);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^! STATUS_UNKNOWN +MOJ +poa +G-1 /);
    expect(lines[1]).toMatch(/^! STATUS_UNKNOWN +MOJ +poa +R-1 /);
    expect(r.code).toBe(1);
  });
});
