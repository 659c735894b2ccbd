// Test world for the issuer: a registry in a temp folder with MOJ and MOI (keys from test/helpers/world.ts), tokens, an app.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { keyId, toHex } from '../../core/index.js';
import { createApp, type AppOptions } from '../../issuer/app.js';
import { sealSeed } from '../../issuer/master-key.js';
import type { RegistryStore } from '../../issuer/registry/store.js';
import { IssuerService } from '../../issuer/service.js';
import type { Stamper } from '../../issuer/stamper.js';
import type { Place } from '../../issuer/stamp/stamp.js';
import { newToken, type Scope } from '../../issuer/tokens.js';
import { importTrustList } from '../../issuer/trust.js';
import { openTestStore } from './test-store.js';
import { backend, DAY, MOI_KEY, MOJ_KEY_1, ROOT, signedTrust, T0, testSeed, trustList } from '../helpers/world.js';

/** The service clock in tests: one day into the test world's trust list. */
export const NOW = T0 + DAY;

/** A complete MOJ power-of-attorney request. */
export const POA = {
  type: 'poa',
  number: '1447/2026',
  fields: { n: 'سارة بنت عبد الله القحطاني', a: 'محمد بن علي الزهراني', nid: '1098765432', d: '2026-01-02', c: 'كتابة العدل الأولى' },
};

export interface IssuerWorld {
  dir: string;
  registry: RegistryStore;
  /** Set when the suite runs on PostgreSQL. */
  databaseUrl?: string;
  service: IssuerService;
  app: ReturnType<typeof createApp>;
  clock: { now: number };
  tokens: { moj: string; mojRead: string; mojIssue: string; moi: string; revoked: string };
  errors: unknown[];
  close(): Promise<void>;
}

async function addToken(registry: RegistryStore, agencyId: string, scopes: Scope[]): Promise<{ id: string; secret: string }> {
  const t = newToken();
  await registry.addToken({ id: t.id, agencyId, hash: t.hash, scopes, createdAt: NOW });
  return { id: t.id, secret: t.secret };
}

/**
 * Build a registry (SQLite, or a fresh PostgreSQL database in the `postgres` test project) with MOJ and MOI, their
 * keys sealed under a random master key, and tokens.
 */
export async function issuerWorld(
  appOptions: Partial<AppOptions> = {},
  serviceOptions: { stamper?: Stamper; stampPlaces?: Record<string, Place> } = {},
): Promise<IssuerWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'urseal-issuer-'));
  const opened = await openTestStore(dir);
  const registry = opened.store;
  const master = new Uint8Array(randomBytes(32));
  await registry.addRoot(toHex(keyId(ROOT.publicKey)), ROOT.publicKey, NOW);
  await importTrustList(registry, signedTrust(trustList()), backend, NOW);
  for (const [agencyId, label, key] of [
    ['MOJ', 'moj-1', MOJ_KEY_1],
    ['MOI', 'moi-1', MOI_KEY],
  ] as const) {
    const kid = toHex(keyId(key.publicKey));
    await registry.addAgencyKey({
      kid,
      agencyId,
      publicKey: key.publicKey,
      sealedSeed: sealSeed(master, agencyId, kid, testSeed(label)),
      addedAt: NOW,
    });
  }
  const revoked = await addToken(registry, 'MOJ', ['issue', 'revoke', 'read']);
  await registry.revokeToken(revoked.id, NOW);
  const tokens = {
    moj: (await addToken(registry, 'MOJ', ['issue', 'revoke', 'read'])).secret,
    mojRead: (await addToken(registry, 'MOJ', ['read'])).secret,
    mojIssue: (await addToken(registry, 'MOJ', ['issue'])).secret,
    moi: (await addToken(registry, 'MOI', ['issue', 'revoke', 'read'])).secret,
    revoked: revoked.secret,
  };
  const clock = { now: NOW };
  const service = await IssuerService.open({ registry, master, backend, clock: () => clock.now, ...serviceOptions });
  const errors: unknown[] = [];
  const app = createApp({ service, rateLimit: 0, logError: (e) => errors.push(e), ...appOptions });
  return {
    dir,
    registry,
    ...(opened.databaseUrl !== undefined ? { databaseUrl: opened.databaseUrl } : {}),
    service,
    app,
    clock,
    tokens,
    errors,
    async close() {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Authorization header for a token. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** JSON POST init. */
export function jsonPost(token: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

let pdfCache: Uint8Array | undefined;
/** A one-page A4 text PDF (made once with pdf-lib). */
export async function onePagePdf(): Promise<Uint8Array> {
  if (pdfCache) return pdfCache;
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Power of attorney 1447/2026 - urseal test document', { x: 60, y: 760, size: 14, font });
  for (let i = 0; i < 20; i++)
    page.drawText(`Line ${i + 1}: lorem ipsum dolor sit amet, consectetur adipiscing elit.`, { x: 60, y: 720 - i * 18, size: 10, font });
  pdfCache = await doc.save({ useObjectStreams: false });
  return pdfCache;
}

/** Multipart form for POST /v1/documents. */
export function documentForm(pdf: Uint8Array | undefined, fields: Record<string, string>): FormData {
  const f = new FormData();
  if (pdf) f.set('file', new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'input.pdf');
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}
