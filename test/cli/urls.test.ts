// Trust lists and status lists fetched over HTTP by `urseal verify` and `trust-list show`.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_LINE, ok, setupSignedTrustList, ursealAsync, workdir } from './helpers.js';

let dir: string;
let server: Server;
let base: string;
let revokedSeal: string;
let endlessSent = 0;
let endlessClosed = false;

beforeAll(async () => {
  dir = workdir();
  setupSignedTrustList(dir);
  revokedSeal = ok(dir, [
    'seal',
    '--key',
    'moj-1.key',
    '--passphrase-env',
    'MOJ_PASS',
    '--type',
    'poa',
    '--number',
    'U-1',
    '--status-index',
    '2',
    '--issued-at',
    '2026-01-10',
  ]).stdout.trim();
  ok(dir, ['status-list', 'create', 'sl.json', '--agency', 'MOJ', '--size', '16']);
  ok(dir, ['status-list', 'revoke', 'sl.json', '--index', '2']);
  ok(dir, [
    'status-list',
    'sign',
    'sl.json',
    '--key',
    'moj-1.key',
    '--passphrase-env',
    'MOJ_PASS',
    '--out',
    'sl.cose',
    '--now',
    '2026-01-12',
  ]);
  server = createServer((req, res) => {
    if (req.url === '/endless.cose') {
      // No Content-Length and no end: a client must stop at its size limit while reading.
      res.writeHead(200, { 'content-type': 'application/cose' });
      const chunk = Buffer.alloc(256 * 1024, 0x41);
      const pump = () => {
        while (!res.destroyed && endlessSent < 512 * 1024 * 1024) {
          endlessSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (endlessClosed = true));
      pump();
      return;
    }
    const file = { '/tl.cose': 'tl.cose', '/sl.cose': 'sl.cose' }[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/cose' }).end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('lists from URLs', () => {
  it('verify fetches the trust list and the status list', async () => {
    const r = await ursealAsync(dir, [
      'verify',
      revokedSeal,
      '--trust-list',
      `${base}/tl.cose`,
      '--status-list',
      `${base}/sl.cose`,
      '--root',
      'root.key',
      '--now',
      '2026-01-13',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ DOCUMENT_REVOKED +MOJ +poa +U-1 /);
  });

  it('trust-list show reads a URL', async () => {
    const r = await ursealAsync(dir, ['trust-list', 'show', `${base}/tl.cose`, '--root', 'root.key', '--now', '2026-01-13']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('signature verified');
  });

  it('a 404 or an unreachable host is one error line, exit 2', async () => {
    for (const url of [`${base}/missing.cose`, 'http://127.0.0.1:1/tl.cose']) {
      const r = await ursealAsync(dir, ['verify', revokedSeal, '--trust-list', url, '--root', 'root.key']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ERROR_LINE);
      expect(r.stderr).toContain('URSEAL_E_NETWORK');
    }
  });

  it('a download stops at the size limit while reading (no Content-Length, endless body)', async () => {
    const r = await ursealAsync(dir, ['verify', revokedSeal, '--trust-list', `${base}/endless.cose`, '--root', 'root.key']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(r.stderr).toContain('URSEAL_E_NETWORK');
    expect(r.stderr).toContain('download too large');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endlessClosed).toBe(true);
    // The limit is 16 MiB; socket buffers add a few MiB at most, far below the 512 MiB the server would send.
    expect(endlessSent).toBeLessThan(64 * 1024 * 1024);
  });
});
