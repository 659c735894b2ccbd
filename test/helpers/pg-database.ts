// A throwaway PostgreSQL database for tests and benches: made from an admin URL (a role with CREATEDB), dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own: `url` to connect to it, `drop()` removes it (connections are closed by force). */
export interface FreshDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function asAdmin<T>(admin: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * CREATE DATABASE <prefix>_<random> on the server of `admin`.
 * @example const db = await createDatabase(adminUrl, 'urseal_t'); ...; await db.drop()
 */
export async function createDatabase(admin: string, prefix: string): Promise<FreshDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await asAdmin(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => asAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
