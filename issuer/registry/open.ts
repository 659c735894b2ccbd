// Open the registry the configuration names: PostgreSQL when a database URL is given, else the SQLite file.
import { SqliteStore } from './sqlite.js';
import type { RegistryStore } from './store.js';

/**
 * The registry store: `PostgresStore` for `databaseUrl` (pg is imported only then, so SQLite users never load it),
 * else `SqliteStore` at `path`. Connection failures reject with a RegistryConnectError (a ConfigError).
 * @example const store = await openStore({ databaseUrl: process.env.URSEAL_DATABASE_URL, path: 'data/registry.db' })
 */
export async function openStore(o: { databaseUrl?: string; path?: string; applicationName?: string }): Promise<RegistryStore> {
  if (o.databaseUrl) {
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(o.databaseUrl, { ...(o.applicationName !== undefined ? { applicationName: o.applicationName } : {}) });
  }
  if (!o.path) throw new Error('openStore: give a database URL or a registry file path');
  return SqliteStore.open(o.path);
}
