// PostgreSQL for tests: a fresh database per use, made from the admin URL in URSEAL_TEST_DATABASE_URL and dropped after.
import { describe } from 'vitest';
import { createDatabase, type FreshDatabase } from '../helpers/pg-database.js';

export type { FreshDatabase };

/** Admin URL (a role with CREATEDB), e.g. postgres://urseal:urseal@127.0.0.1:5432/urseal. */
export const PG_ADMIN_URL = process.env.URSEAL_TEST_DATABASE_URL || undefined;
/** URSEAL_TEST_REQUIRE_POSTGRES=1 (CI): a missing URL fails the PostgreSQL tests instead of skipping them. */
export const pgRequired = process.env.URSEAL_TEST_REQUIRE_POSTGRES === '1';
/** True when the PostgreSQL tests run. */
export const pgAvailable = PG_ADMIN_URL !== undefined;
/** Whether PostgreSQL suites should be declared at all: when available, or when required (they then fail). */
export const pgEnabled = pgAvailable || pgRequired;
/**
 * `describe` for PostgreSQL suites: runs them when URSEAL_TEST_DATABASE_URL is set, fails them (freshDatabase throws)
 * when URSEAL_TEST_REQUIRE_POSTGRES=1 without it, else skips them.
 */
export const describePg = pgEnabled ? describe : describe.skip;

/**
 * CREATE DATABASE urseal_t_<random> from the admin URL. Throws when URSEAL_TEST_DATABASE_URL is not set, so a
 * suite that requires PostgreSQL fails rather than passing without it.
 * @example const db = await freshDatabase(); const store = await PostgresStore.open(db.url); ...; await store.close(); await db.drop()
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  if (!PG_ADMIN_URL) throw new Error('PostgreSQL tests need URSEAL_TEST_DATABASE_URL (an admin URL of a role with CREATEDB)');
  return createDatabase(PG_ADMIN_URL, 'urseal_t');
}
