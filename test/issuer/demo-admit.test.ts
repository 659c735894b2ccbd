// The demo admits a second agency with the documented CLI step, and the README's verify command still works after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../issuer/config.js';
import { startIssuer, type IssuerLog } from '../../issuer/server.js';
import { ursealAsync } from '../cli/helpers.js';
import { admitDemoAgency, DemoAdmitError } from '../../issuer/demo.js';
import { backend } from '../helpers/world.js';
import { issuerWorld, NOW, onePagePdf } from './helpers.js';
import { testDatabase } from './test-store.js';

let dir: string;
let db: Awaited<ReturnType<typeof testDatabase>>;
const log: IssuerLog = { info: () => {}, warn: () => {} };
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'urseal-demo-admit-'));
  db = await testDatabase();
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

const ADMIT = [
  'issuer',
  'demo-admit-agency',
  '--id',
  'MOH',
  '--name-ar',
  'وزارة الصحة',
  '--name-en',
  'Ministry of Health',
  '--type',
  'sick:إجازة مرضية:Sick leave',
  '--field',
  'sick.n:الاسم:Name',
  '--field',
  'sick.days:عدد الأيام:Days',
];

/** The registry option of CLI commands when the suite runs on PostgreSQL. */
function dbArgs(): string[] {
  return db.flags.databaseUrl ? ['--database-url', db.flags.databaseUrl] : [];
}

async function stamp(url: string, token: string, type: string, number: string, fields: Record<string, string>): Promise<Uint8Array> {
  const form = new FormData();
  form.set('file', new Blob([(await onePagePdf()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'in.pdf');
  form.set('type', type);
  form.set('number', number);
  form.set('fields', JSON.stringify(fields));
  const res = await fetch(`${url}/v1/documents`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  expect(res.status, await res.clone().text()).toBe(201);
  return new Uint8Array(await res.arrayBuffer());
}

describe('urseal issuer demo-admit-agency', () => {
  it('admits MOH next to DEMO while the demo runs; both agencies’ PDFs verify with the README command', async () => {
    const s = await startIssuer(resolveConfig({ dataDir: dir, port: '0', host: '127.0.0.1', workers: '0', ...db.flags }, {}, 'auto'), log);
    try {
      const demoPdf = await stamp(s.url, s.demo!.token, 'letter', 'DEMO-2', { to: 'Office', subj: 'Test' });
      const admitted = await ursealAsync(dir, [...ADMIT, '--data-dir', dir, ...dbArgs()]);
      expect(admitted.stderr).toBe('');
      expect(admitted.code).toBe(0);
      const token = /^\s+(urs_[A-Za-z0-9_-]{43})$/m.exec(admitted.stdout)?.[1];
      expect(token, admitted.stdout).toBeTruthy();
      expect(admitted.stdout).toMatch(/DEMO trust list #\d+/);
      await s.service.reload(); // what SIGHUP does; without it the issuer reloads within 30 s

      const mohPdf = await stamp(s.url, token!, 'sick', 'SL-1', { n: 'سارة', days: '3' });
      writeFileSync(join(dir, 'demo.pdf'), demoPdf);
      writeFileSync(join(dir, 'moh.pdf'), mohPdf);
      // The README's command, on both files.
      const v = await ursealAsync(dir, ['verify', 'demo.pdf', 'moh.pdf', '--trust-list', `${s.url}/trust-list`, '--root', 'demo-root.key']);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toMatch(/demo\.pdf/);
      expect(v.stdout).toMatch(/moh\.pdf/);
      expect(v.stdout).toMatch(/MOH/);

      // The DEMO token cannot act for MOH, and the same agency cannot be admitted twice.
      const again = await ursealAsync(dir, [...ADMIT, '--data-dir', dir, ...dbArgs()]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/URSEAL_E_BAD_VALUE.*already in the trust list/);
    } finally {
      await s.close();
    }
  });

  it('refuses a registry that is not a demo set-up (production agencies are admitted by the NDC)', async () => {
    const w = await issuerWorld();
    try {
      const spec = { id: 'MOH', name: { ar: 'وزارة الصحة', en: 'Ministry of Health' }, documentTypes: [] };
      await expect(admitDemoAgency(w.registry, new Uint8Array(32), backend, w.dir, spec, NOW)).rejects.toThrow(DemoAdmitError);
      expect((await w.registry.listAgencies()).map((a) => a.id)).not.toContain('MOH');
    } finally {
      await w.close();
    }
  });
});
