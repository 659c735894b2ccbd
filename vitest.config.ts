// vitest configuration: every suite under test/, run in Node worker threads; the issuer suite runs a second time on
// PostgreSQL (project `postgres`) when a test server is given (URSEAL_TEST_DATABASE_URL; .ci/run starts one).
import { defineConfig } from 'vitest/config';

/**
 * The issuer tests that use the registry; test/issuer/stamp and test/issuer/qr never touch it, and store.test.ts runs its
 * contract on both stores by itself.
 */
const REGISTRY_SUITE = ['test/issuer/*.test.ts'];
const postgres = Boolean(process.env['URSEAL_TEST_DATABASE_URL']);
if (!postgres && process.env['URSEAL_TEST_REQUIRE_POSTGRES'] === '1')
  throw new Error('URSEAL_TEST_REQUIRE_POSTGRES=1 but URSEAL_TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run');
if (!postgres)
  console.warn('note: URSEAL_TEST_DATABASE_URL is not set, so the issuer suite runs on SQLite only (.ci/run runs it on PostgreSQL too)');

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: REGISTRY_SUITE,
                exclude: ['test/issuer/store.test.ts'],
                env: { URSEAL_TEST_STORE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
