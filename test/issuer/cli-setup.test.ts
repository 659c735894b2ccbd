// Production set-up through the CLI: root and agency keys, trust list, `urseal issuer ...`, `urseal token ...`, `urseal serve`.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from './test-store.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
let dir: string;
let db: Awaited<ReturnType<typeof testDatabase>>;
const env = () => ({
  ...process.env,
  ...db.env,
  URSEAL_SCRYPT_N: '1024',
  ROOT_PASS: 'root passphrase 123',
  MOJ_PASS: 'agency passphrase 456',
  URSEAL_MASTER_KEY_FILE: join(dir, 'master.hex'),
  URSEAL_DATA_DIR: join(dir, 'data'),
});

async function urseal(...args: string[]): Promise<string> {
  const r = await run(process.execPath, [CLI, ...args], { cwd: dir, env: env() });
  return r.stdout;
}

async function ursealFails(...args: string[]): Promise<string> {
  try {
    await run(process.execPath, [CLI, ...args], { cwd: dir, env: env() });
  } catch (e) {
    const err = e as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    return err.stderr;
  }
  throw new Error(`urseal ${args.join(' ')} should have failed`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'urseal-cli-issuer-'));
  writeFileSync(join(dir, 'master.hex'), `${'5a'.repeat(32)}\n`, { mode: 0o600 });
  db = await testDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

describe.runIf(existsSync(CLI))('production set-up with the CLI', () => {
  it('root, agency key, trust list -> issuer pin-root/import-trust-list/import-key -> token -> serve -> issue; token revoke', async () => {
    const root = await urseal('root', 'init', '-o', 'root.key', '--passphrase-env', 'ROOT_PASS');
    const rootPub = /publicKey (\S+)/.exec(root)![1]!;
    await urseal('agency', 'keygen', '--agency', 'MOJ', '-o', 'moj.key', '--passphrase-env', 'MOJ_PASS');
    await urseal('trust-list', 'create', 'draft.json', '--root', rootPub);
    await urseal(
      'trust-list',
      'add-agency',
      'draft.json',
      '--id',
      'MOJ',
      '--name-ar',
      'وزارة العدل',
      '--name-en',
      'Ministry of Justice',
      '--type',
      'poa:وكالة:Power of attorney',
      '--field',
      'poa.n:الاسم:Name',
    );
    await urseal('trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj.key');
    await urseal('trust-list', 'sign', 'draft.json', '--root-key', 'root.key', '-o', 'trust-list.cose', '--passphrase-env', 'ROOT_PASS');

    // A list before any root is pinned is refused; then pin, import, import the key.
    expect(await ursealFails('issuer', 'import-trust-list', 'trust-list.cose')).toMatch(/URSEAL_E_TRUST_LIST_INVALID/);
    expect(await urseal('issuer', 'pin-root', rootPub)).toMatch(/pinned root [0-9a-f]{16}/);
    expect(await urseal('issuer', 'import-trust-list', 'trust-list.cose')).toMatch(/imported trust list #1/);
    expect(await urseal('issuer', 'import-key', '--key-file', 'moj.key', '--passphrase-env', 'MOJ_PASS')).toMatch(
      /imported key [0-9a-f]{16} for MOJ/,
    );
    expect(await ursealFails('issuer', 'import-key', '--key-file', 'moj.key', '--passphrase-env', 'MOJ_PASS')).toMatch(
      /URSEAL_E_KEY_EXISTS/,
    );
    const status = await urseal('issuer', 'status');
    expect(status, status).toMatch(/agency MOJ .* issuing key [0-9a-f]{16}/);

    const created = JSON.parse(await urseal('token', 'create', '--agency', 'MOJ', '--scopes', 'issue,read', '--json')) as {
      id: string;
      token: string;
    };
    expect(created.token).toMatch(/^urs_/);
    expect(await ursealFails('token', 'create', '--agency', 'NOPE')).toMatch(/URSEAL_E_UNKNOWN_AGENCY/);
    const listed = await urseal('token', 'list');
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.token);

    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', '1'], {
      cwd: dir,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((res, rej) => {
        let out = '';
        const t = setTimeout(() => rej(new Error(out)), 30_000);
        const on = (b: Buffer) => {
          out += b.toString();
          const m = /URSEAL_LISTENING (\d+)/.exec(out);
          if (m) {
            clearTimeout(t);
            res(Number(m[1]));
          }
        };
        child.stdout.on('data', on);
        child.stderr.on('data', on);
        child.once('exit', (c) => rej(new Error(`serve exited ${c}: ${out}`)));
      });
      const issue = () =>
        fetch(`http://127.0.0.1:${port}/v1/seals`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${created.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'poa', number: '1', fields: { n: 'سارة' } }),
        });
      expect((await issue()).status).toBe(201);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { demo: boolean; stamper: string };
      expect(health.demo).toBe(false);
      expect(health.stamper).toBe('workers:1');
      await urseal('token', 'revoke', created.id);
      expect((await issue()).status).toBe(401);
      const audit = JSON.parse(await urseal('issuer', 'audit', '--json')) as { action: string }[];
      expect(audit.map((e) => e.action)).toEqual(
        expect.arrayContaining(['root.pin', 'trust-list.import', 'key.import', 'token.create', 'document.issue.paper', 'token.revoke']),
      );
      expect(audit[0]!.action).toBe('token.revoke');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('serve refuses to start without a master key for a new data folder, in one line', async () => {
    try {
      await run(process.execPath, [CLI, 'serve', '--data-dir', join(dir, 'other'), '--port', '0'], {
        cwd: dir,
        env: { ...process.env, URSEAL_MASTER_KEY_FILE: '' },
      });
      throw new Error('should fail');
    } catch (e) {
      const err = e as { code: number; stderr: string };
      expect(err.code).toBe(2);
      expect(err.stderr).toMatch(/no master key/);
    }
  });
});
