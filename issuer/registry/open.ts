// Opening the registry a configuration names: PostgreSQL (shared by several issuer processes) or SQLite (one folder).
import type { RegistryStore } from './store.js';
import { SqliteStore } from './sqlite.js';

/**
 * Open the registry: PostgreSQL when a database URL is given (pg is loaded only then), else the SQLite file at `path`.
 * @example const store = await openStore({ path: 'data/registry.db' })
 */
export async function openStore(o: { databaseUrl?: string; path?: string; applicationName?: string }): Promise<RegistryStore> {
  if (o.databaseUrl !== undefined) {
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(o.databaseUrl, { ...(o.applicationName !== undefined ? { applicationName: o.applicationName } : {}) });
  }
  if (o.path === undefined) throw new Error('openStore: give a database URL or a registry file path');
  return SqliteStore.open(o.path);
}
