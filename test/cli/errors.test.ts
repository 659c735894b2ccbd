// Every error a user can cause: one bilingual line with a URSEAL_E code, exit 2, no stack trace, nothing half-written.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../core/bytes.js';
import { testKey } from '../helpers/world.js';
import { ERROR_LINE, ok, setupNdc, urseal, workdir } from './helpers.js';

const FRESH_KEY = toHex(testKey('cli-errors-fresh').publicKey);

let dir: string;

beforeAll(() => {
  dir = workdir();
  setupNdc(dir);
  ok(dir, ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj-1.key', '--not-before', '2026-01-01']);
  writeFileSync(join(dir, 'broken.json'), '{"format": "urseal-trust-list-draft", ');
  writeFileSync(
    join(dir, 'bad-draft.json'),
    JSON.stringify({ format: 'urseal-trust-list-draft', version: 1, lastSequence: 0, validDays: 30, roots: [], agencies: [{ id: 'MOJ' }] }),
  );
  writeFileSync(join(dir, 'garbage.cose'), 'not a trust list');
  const key = JSON.parse(readFileSync(join(dir, 'moj-1.key'), 'utf8'));
  writeFileSync(join(dir, 'tampered.key'), JSON.stringify({ ...key, agency: 'MOI' }));
});

const SEAL = ['seal', '--type', 'poa', '--number', '1', '--passphrase-env', 'MOJ_PASS'];

const CASES: [string, string[], string, Record<string, string>?][] = [
  [
    'wrong passphrase',
    ['trust-list', 'sign', 'draft.json', '--root-key', 'root.key', '--passphrase-env', 'MOJ_PASS', '--out', 'tl.cose'],
    'URSEAL_E_WRONG_PASSPHRASE',
  ],
  ['tampered key file', [...SEAL, '--key', 'tampered.key'], 'URSEAL_E_WRONG_PASSPHRASE'],
  [
    'passphrase variable not set',
    [...SEAL.slice(0, 5), '--passphrase-env', 'NOT_SET_ANYWHERE', '--key', 'moj-1.key'],
    'URSEAL_E_PASSPHRASE_ENV_UNSET',
  ],
  [
    'passphrase given instead of a variable name',
    [...SEAL.slice(0, 5), '--passphrase-env', 'my secret pass', '--key', 'moj-1.key'],
    'URSEAL_E_USAGE',
  ],
  ['no terminal and no variable', ['seal', '--type', 'poa', '--number', '1', '--key', 'moj-1.key'], 'URSEAL_E_NO_PASSPHRASE'],
  [
    'weak passphrase on creation',
    ['root', 'init', '--out', 'weak.key', '--passphrase-env', 'SHORT'],
    'URSEAL_E_WEAK_PASSPHRASE',
    { SHORT: 'abc' },
  ],
  ['key file exists', ['root', 'init', '--out', 'root.key', '--passphrase-env', 'ROOT_PASS'], 'URSEAL_E_FILE_EXISTS'],
  ['missing key file', [...SEAL, '--key', 'nope.key'], 'URSEAL_E_FILE_NOT_FOUND'],
  [
    'agency key where a root key is needed',
    ['trust-list', 'sign', 'draft.json', '--root-key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS', '--out', 'tl.cose'],
    'URSEAL_E_WRONG_KEY_KIND',
  ],
  ['missing draft', ['trust-list', 'add-root', 'nope.json', '--public-key', 'root.key'], 'URSEAL_E_FILE_NOT_FOUND'],
  ['draft is not JSON', ['trust-list', 'show', 'broken.json'], 'URSEAL_E_DRAFT_MALFORMED'],
  ['draft breaks the format', ['trust-list', 'add-root', 'bad-draft.json', '--public-key', 'root.key'], 'URSEAL_E_DRAFT_MALFORMED'],
  ['malformed signed list', ['trust-list', 'show', 'garbage.cose'], 'URSEAL_E_TRUST_LIST_INVALID'],
  ['unknown agency', ['trust-list', 'add-key', 'draft.json', '--agency', 'NOPE', '--public-key', FRESH_KEY], 'URSEAL_E_UNKNOWN_AGENCY'],
  [
    'key file of another agency',
    ['trust-list', 'add-key', 'draft.json', '--agency', 'MOI', '--public-key', 'moj-1.key'],
    'URSEAL_E_UNKNOWN_AGENCY',
  ],
  [
    'root key admitted as an agency key',
    ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'root.key'],
    'URSEAL_E_WRONG_KEY_KIND',
  ],
  ['key already admitted', ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj-1.key'], 'URSEAL_E_KEY_EXISTS'],
  ['unknown key', ['trust-list', 'revoke-key', 'draft.json', '--kid', '0011223344556677'], 'URSEAL_E_UNKNOWN_KEY'],
  [
    'small-order key',
    ['trust-list', 'add-root', 'draft.json', '--public-key', '0000000000000000000000000000000000000000000000000000000000000000'],
    'URSEAL_E_BAD_PUBLIC_KEY',
  ],
  [
    'bad date',
    ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', FRESH_KEY, '--not-before', '31/12/2026'],
    'URSEAL_E_BAD_DATE',
  ],
  ['bad field syntax', [...SEAL, '--key', 'moj-1.key', '--field', 'novalue'], 'URSEAL_E_BAD_VALUE'],
  [
    'bad seal data',
    ['seal', '--type', 'bad type!', '--number', '1', '--passphrase-env', 'MOJ_PASS', '--key', 'moj-1.key'],
    'URSEAL_E_BAD_VALUE',
  ],
  ['bad QR extension', [...SEAL, '--key', 'moj-1.key', '--qr', 'out.gif'], 'URSEAL_E_USAGE'],
  ['unknown flag', ['verify', 'x', '--frobnicate'], 'URSEAL_E_USAGE'],
  ['unknown command', ['frobnicate'], 'URSEAL_E_USAGE'],
  ['missing required option', ['agency', 'keygen', '--out', 'x.key'], 'URSEAL_E_USAGE'],
  ['missing argument', ['trust-list', 'create'], 'URSEAL_E_USAGE'],
  ['status index out of range', ['status-list', 'create', 'sl.json', '--agency', 'MOJ', '--size', '3'], 'URSEAL_E_BAD_VALUE'],
];

describe('user errors', () => {
  it.each(CASES)('%s -> one line, exit 2', (_name, args, code, env) => {
    const r = urseal(dir, args, env ?? {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(ERROR_LINE.exec(r.stderr)![1]).toBe(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('help and version exit 0', () => {
    expect(urseal(dir, ['--help']).code).toBe(0);
    expect(urseal(dir, ['verify', '--help']).stdout).toContain('--trust-list');
    expect(urseal(dir, ['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('a failed sign writes nothing: no list, no export, no temp file, draft unchanged', () => {
    const before = readFileSync(join(dir, 'draft.json'), 'utf8');
    const r = urseal(dir, [
      'trust-list',
      'sign',
      'draft.json',
      '--root-key',
      'root.key',
      '--passphrase-env',
      'MOJ_PASS',
      '--out',
      'tl.cose',
    ]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).filter((f) => f.startsWith('tl') || f.includes('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'draft.json'), 'utf8')).toBe(before);
  });

  it('the passphrase never appears in output or in the key file', () => {
    const r = ok(dir, ['agency', 'keygen', '--agency', 'MOJ', '--out', 'moj-9.key', '--passphrase-env', 'MOJ_PASS']);
    expect(r.stdout + r.stderr).not.toContain('moj passphrase');
    expect(readFileSync(join(dir, 'moj-9.key'), 'utf8')).not.toContain('moj passphrase');
  });
});
