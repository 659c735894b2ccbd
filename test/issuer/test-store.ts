// Which registry store the issuer suite runs on: SQLite (default) or PostgreSQL (vitest project `postgres`).
import { join } from 'node:path';
import { openStore } from '../../issuer/registry/open.js';
import type { RegistryStore } from '../../issuer/registry/store.js';
import { freshDatabase } from './pg.js';

/** The store under test: `URSEAL_TEST_STORE=postgres` (set by the vitest project) or SQLite. */
export const STORE: 'sqlite' | 'postgres' = process.env['URSEAL_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = STORE === 'postgres';

/** A registry for one test: the data folder's SQLite file, or a fresh PostgreSQL database. */
export interface TestStore {
  store: RegistryStore;
  /** Set on PostgreSQL: give it to issuer processes (URSEAL_DATABASE_URL / databaseUrl). */
  databaseUrl?: string;
  close(): Promise<void>;
}

/**
 * Open the registry a test runs on, in `dir` for SQLite.
 * @example const t = await openTestStore(dir); await t.store.listAgencies(); await t.close()
 */
export async function openTestStore(dir: string): Promise<TestStore> {
  if (!onPostgres) {
    const store = await openStore({ path: join(dir, 'registry.db') });
    return { store, close: () => store.close() };
  }
  const db = await freshDatabase();
  const store = await openStore({ databaseUrl: db.url });
  return {
    store,
    databaseUrl: db.url,
    async close() {
      await store.close();
      await db.drop();
    },
  };
}

/**
 * Only a database for issuer processes the test starts (no store opened here): `{}` on SQLite.
 * @example const db = await testDatabase(); startIssuer(resolveConfig({ dataDir, ...db.flags }, ...)); await db.drop()
 */
export async function testDatabase(): Promise<{ flags: { databaseUrl?: string }; env: Record<string, string>; drop(): Promise<void> }> {
  if (!onPostgres) return { flags: {}, env: {}, drop: async () => {} };
  const db = await freshDatabase();
  return { flags: { databaseUrl: db.url }, env: { URSEAL_DATABASE_URL: db.url }, drop: () => db.drop() };
}
