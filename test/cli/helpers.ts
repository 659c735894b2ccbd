// Running the built `urseal` CLI as a subprocess in a temp folder (tests run `npm run build` first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const MAIN = resolve('dist/cli/main.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Passphrases live in environment variables, as the CLI requires; scrypt is cheap in tests only. */
export const ENV = {
  URSEAL_SCRYPT_N: '1024',
  ROOT_PASS: 'root passphrase for tests',
  MOJ_PASS: 'moj passphrase for tests',
  URSEAL_TRUST_LIST: '',
  URSEAL_ROOT: '',
  // Arabic first, the default, whatever the shell running the tests chose.
  URSEAL_LANG: '',
};

/**
 * Run `node dist/cli/main.js ...args` in `cwd`.
 * @example const r = urseal(dir, ['verify', text, '--trust-list', 'tl.cose', '--root', 'root.key'])
 */
export function urseal(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build before the CLI tests`);
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    env: { ...process.env, ...ENV, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like `urseal` but fails the test unless the exit status is `expected`. */
export function ok(cwd: string, args: string[], expected = 0, env: Record<string, string> = {}): Run {
  const r = urseal(cwd, args, env);
  if (r.code !== expected) throw new Error(`urseal ${args.join(' ')} -> exit ${r.code} (expected ${expected})\n${r.stdout}\n${r.stderr}`);
  return r;
}

export function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'urseal-cli-'));
}

/** One user-error line: the URSEAL_E code, Arabic, then English; nothing else (no stack trace). */
export const ERROR_LINE = /^urseal: (URSEAL_E_[A-Z_]+): [^\n]+ \| [^\n]+\n$/;

/**
 * Arguments of `urseal seal` / `urseal stamp` that sign, with moj-1.key, a power of attorney for سارة issued on
 * 2026-01-10 (add --number and what the test is about).
 */
export const MOJ_POA = [
  '--key',
  'moj-1.key',
  '--passphrase-env',
  'MOJ_PASS',
  '--type',
  'poa',
  '--field',
  'n=سارة',
  '--issued-at',
  '2026-01-10',
] as const;

/**
 * Set up an NDC root, an MOJ agency key and a draft with MOJ in `dir`; `agencyOptions` go to add-agency
 * (e.g. `['--status-url', url]`).
 * @example const dir = workdir(); setupNdc(dir);
 */
export function setupNdc(dir: string, agencyOptions: readonly string[] = []): void {
  ok(dir, ['root', 'init', '--out', 'root.key', '--passphrase-env', 'ROOT_PASS']);
  ok(dir, ['agency', 'keygen', '--agency', 'MOJ', '--out', 'moj-1.key', '--passphrase-env', 'MOJ_PASS']);
  ok(dir, ['trust-list', 'create', 'draft.json', '--root', 'root.key', '--valid-days', '60']);
  ok(dir, [
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
    'poa:وكالة عامة:General power of attorney',
    '--field',
    'poa.n:اسم الموكل:Principal',
    '--field',
    'poa.a:اسم الوكيل:Agent',
    ...agencyOptions,
  ]);
}

/**
 * `setupNdc` (with `agencyOptions`), then admit moj-1.key from 2026-01-01 and sign the list into tl.cose (as of 2026-01-02).
 * @example const dir = workdir(); setupSignedTrustList(dir); urseal(dir, ['verify', text, '--trust-list', 'tl.cose', '--root', 'root.key'])
 */
export function setupSignedTrustList(dir: string, agencyOptions: readonly string[] = []): void {
  setupNdc(dir, agencyOptions);
  ok(dir, ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj-1.key', '--not-before', '2026-01-01']);
  signTrustList(dir);
}

/** The `urseal trust-list sign` arguments that sign draft.json with root.key into tl.cose, as of `now`. */
export function signTrustListArgs(now = '2026-01-02'): string[] {
  return ['trust-list', 'sign', 'draft.json', '--root-key', 'root.key', '--passphrase-env', 'ROOT_PASS', '--out', 'tl.cose', '--now', now];
}

/**
 * Sign draft.json with root.key into tl.cose, as of `now`.
 * @example signTrustList(dir)
 */
export function signTrustList(dir: string, now = '2026-01-02'): void {
  ok(dir, signTrustListArgs(now));
}

/**
 * Sign sl.json with moj-1.key into sl.cose, as of `now`.
 * @example ok(dir, ['status-list', 'create', 'sl.json', '--agency', 'MOJ']); signStatusList(dir, '2026-01-15')
 */
export function signStatusList(dir: string, now: string): void {
  ok(dir, ['status-list', 'sign', 'sl.json', '--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS', '--out', 'sl.cose', '--now', now]);
}

/**
 * Like `urseal` but without blocking the event loop (needed when the test itself serves HTTP).
 * @example const r = await ursealAsync(dir, ['verify', text, '--trust-list', url, '--root', 'root.key'])
 */
export function ursealAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, ...ENV, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
