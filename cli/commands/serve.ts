// `urseal serve`: run the issuer service (production: no demo unless --demo), plus the options shared with token/issuer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { userError } from '../../keys/errors.js';
import { ConfigError, resolveConfig, type ConfigFlags, type IssuerConfig } from '../../issuer/config.js';
import { DataFolderInUseError } from '../../issuer/data-lock.js';
import { openRegistry, REGISTRY_FILE, startIssuer } from '../../issuer/server.js';
import { openStore } from '../../issuer/registry/open.js';
import type { RegistryStore } from '../../issuer/registry/store.js';
import type { MasterKey } from '../../issuer/master-key.js';

/**
 * Open an existing registry without the master key: enough for tokens (they are not encrypted, only hashed).
 * @example const registry = await openRegistryForTokens({ dataDir: 'data' })
 */
export async function openRegistryForTokens(opts: IssuerCliOptions): Promise<RegistryStore> {
  const config = issuerConfig(cliFlags(opts), false);
  if (config.databaseUrl !== undefined) {
    try {
      const store = await openStore({ databaseUrl: config.databaseUrl, applicationName: 'urseal cli' });
      if ((await store.getMeta('master_check')) === undefined) {
        await store.close();
        throw new Error('the database holds no issuer registry yet (start the issuer or run urseal issuer pin-root first)');
      }
      return store;
    } catch (e) {
      throw userError(
        'URSEAL_E_BAD_VALUE',
        'تعذّر فتح سجل خدمة الإصدار',
        'cannot open the issuer registry',
        e instanceof Error ? e.message : String(e),
      );
    }
  }
  const path = join(config.dataDir, REGISTRY_FILE);
  if (!existsSync(path))
    throw userError('URSEAL_E_FILE_NOT_FOUND', 'لا يوجد سجل لخدمة الإصدار في هذا المجلد', 'no issuer registry in this folder', path);
  return openStore({ path });
}

/** Options every issuer command takes. */
export interface IssuerCliOptions {
  dataDir?: string;
  databaseUrl?: string;
  masterKeyFile?: string;
}

/** The configuration flags of the options every issuer command takes. */
function cliFlags(opts: IssuerCliOptions): ConfigFlags {
  return {
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...(opts.masterKeyFile ? { masterKeyFile: opts.masterKeyFile } : {}),
  };
}

/** Add --data-dir, --database-url and --master-key-file to a command. */
export function withIssuerOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'issuer data folder (env URSEAL_DATA_DIR; default ./data)')
    .option(
      '--database-url <url>',
      'PostgreSQL registry shared by several issuer processes, postgres://user:password@host:5432/db (env URSEAL_DATABASE_URL; default: SQLite in the data folder)',
    )
    .option(
      '--master-key-file <file>',
      'file with the 32-byte master key, hex or base64 (env URSEAL_MASTER_KEY or URSEAL_MASTER_KEY_FILE)',
    );
}

/** The issuer configuration for a CLI command; configuration problems become one-line user errors. */
export function issuerConfig(flags: ConfigFlags, demo: boolean | 'auto' = false): IssuerConfig {
  try {
    return resolveConfig(flags, process.env, demo);
  } catch (e) {
    if (e instanceof ConfigError)
      throw userError('URSEAL_E_BAD_VALUE', 'إعداد غير صالح لخدمة الإصدار', 'invalid issuer configuration', e.message);
    throw e;
  }
}

/**
 * Open the registry of the configured data folder with the master key (checked against the registry).
 * @example const { registry } = openIssuerRegistry(opts); try { ... } finally { registry.close() }
 */
export async function openIssuerRegistry(opts: IssuerCliOptions): Promise<{ registry: RegistryStore; master: MasterKey }> {
  const config = issuerConfig(cliFlags(opts), false);
  try {
    const { registry, master } = await openRegistry(config, { info: () => {}, warn: (l) => process.stderr.write(`${l}\n`) });
    return { registry, master };
  } catch (e) {
    if (e instanceof ConfigError)
      throw userError('URSEAL_E_BAD_VALUE', 'تعذّر فتح سجل خدمة الإصدار', 'cannot open the issuer registry', e.message);
    throw e;
  }
}

interface ServeOptions extends IssuerCliOptions {
  port?: string;
  host?: string;
  demo?: boolean;
  rateLimit?: string;
  maxUploadMb?: string;
  timeout?: string;
  workers?: string;
  webRoot?: string;
  stampPlaces?: string;
  captionLanguages?: string;
}

/**
 * Start the issuer and keep it running until SIGINT/SIGTERM; SIGHUP reloads the trust list and keys.
 * @example await serve({ port: '8080', dataDir: '/var/lib/urseal' })
 */
export async function serve(opts: ServeOptions): Promise<void> {
  const flags: ConfigFlags = {};
  for (const k of [
    'dataDir',
    'databaseUrl',
    'masterKeyFile',
    'port',
    'host',
    'rateLimit',
    'maxUploadMb',
    'timeout',
    'workers',
    'webRoot',
    'stampPlaces',
    'captionLanguages',
  ] as const) {
    const v = opts[k];
    if (v !== undefined) flags[k] = v;
  }
  const config = issuerConfig(flags, opts.demo ? 'auto' : false);
  let running;
  try {
    running = await startIssuer(config);
  } catch (e) {
    if (e instanceof DataFolderInUseError)
      throw userError('URSEAL_E_DATA_DIR_IN_USE', e.ar, 'another issuer is running on this data folder', e.message);
    if (e instanceof ConfigError) throw userError('URSEAL_E_BAD_VALUE', 'تعذّر تشغيل خدمة الإصدار', 'cannot start the issuer', e.message);
    throw e;
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => void running.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.on('SIGHUP', () => {
      running.service
        .reload()
        .catch((e: unknown) => process.stderr.write(`urseal issuer: reload failed: ${e instanceof Error ? e.message : String(e)}\n`));
    });
  });
}

/**
 * Register `urseal serve`.
 * @example register(program)
 */
export function register(program: Command): void {
  withIssuerOptions(
    program
      .command('serve')
      .description('تشغيل خدمة الإصدار (HTTP) | run the issuer HTTP service')
      .option('-p, --port <n>', 'port (env PORT; default 8080)')
      .option('--host <addr>', 'address to listen on (env URSEAL_HOST; default 0.0.0.0, demo 127.0.0.1)')
      .option('--demo', 'on an empty data folder, set up the DEMO agency, root and token (demonstration only)')
      .option('--rate-limit <n>', 'requests per second per token, 0 = off (env URSEAL_RATE_LIMIT; default 200)')
      .option('--max-upload-mb <n>', 'largest PDF upload in MB (env URSEAL_MAX_UPLOAD_MB; default 50)')
      .option('--timeout <ms>', 'per-request time limit (env URSEAL_REQUEST_TIMEOUT_MS; default 60000)')
      .option(
        '--workers <n>',
        'stamping worker threads, 0 = in the main thread (env URSEAL_WORKERS; default: one per core up to 4, plus one)',
      )
      .option('--web-root <dir>', 'folder of the built verifier page (env URSEAL_WEB_ROOT; default dist/verifier-web)')
      .option(
        '--stamp-places <file.json>',
        'default stamp place per document type: {"agency/type" or "type": "x,y[,size]"} in mm from the top-left (env URSEAL_STAMP_PLACES)',
      )
      .option('--caption-languages <list>', 'caption lines under the QR: ar,en (default) or ar,ckb,en (env URSEAL_CAPTION_LANGUAGES)'),
  ).action(serve);
}
