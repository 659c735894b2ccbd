// Issuer configuration from flags and environment, checked once at start-up (bad values fail with one clear line).
import { resolve } from 'node:path';

/** A configuration problem: reported as one line and exit status 2, never as a stack trace. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Everything the service needs to start. */
export interface IssuerConfig {
  /** Data folder: registry.db (and, in demo mode only, master.key and demo-root.key). */
  dataDir: string;
  port: number;
  host: string;
  /** Master key as text (hex/base64), from URSEAL_MASTER_KEY or --master-key. */
  masterKey?: string;
  /** Master key file, from URSEAL_MASTER_KEY_FILE or --master-key-file. */
  masterKeyFile?: string;
  /** 'auto': set up the demo on a fresh data folder (npm start); false: never (urseal serve); true: allow. */
  demo: boolean | 'auto';
  /** Requests per second per token; 0 disables. */
  rateLimit: number;
  maxUploadBytes: number;
  requestTimeoutMs: number;
  /** Stamping worker threads; 0 stamps in the main thread. */
  workers: number;
  /** Validity of signed status lists, seconds. */
  statusListValidity: number;
  /** Folder of the built verifier page (default: dist/verifier-web). */
  webRoot?: string;
}

/** Flags as commander gives them (all strings). */
export interface ConfigFlags {
  dataDir?: string;
  port?: string;
  host?: string;
  masterKey?: string;
  masterKeyFile?: string;
  demo?: boolean;
  rateLimit?: string;
  maxUploadMb?: string;
  timeout?: string;
  workers?: string;
  webRoot?: string;
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Resolve the configuration: flags win over environment variables, which win over defaults.
 * Environment: URSEAL_DATA_DIR, PORT (or URSEAL_PORT), URSEAL_HOST, URSEAL_MASTER_KEY, URSEAL_MASTER_KEY_FILE,
 * URSEAL_DEMO (1/0), URSEAL_RATE_LIMIT, URSEAL_MAX_UPLOAD_MB, URSEAL_REQUEST_TIMEOUT_MS, URSEAL_WORKERS,
 * URSEAL_STATUS_LIST_HOURS, URSEAL_WEB_ROOT.
 * @example const config = resolveConfig({ port: '9000' }, process.env, 'auto')
 */
export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, demoDefault: boolean | 'auto'): IssuerConfig {
  const demoEnv = env['URSEAL_DEMO'];
  if (demoEnv !== undefined && !['0', '1', 'true', 'false', ''].includes(demoEnv)) throw new ConfigError('URSEAL_DEMO must be 1 or 0');
  const demo =
    flags.demo ??
    (demoEnv === '1' || demoEnv === 'true'
      ? demoDefault === false
        ? true
        : demoDefault
      : demoEnv === '0' || demoEnv === 'false'
        ? false
        : demoDefault);
  const port = int('port (--port / PORT)', flags.port ?? env['PORT'] ?? env['URSEAL_PORT'], 8080, 0, 65535);
  const host = flags.host ?? env['URSEAL_HOST'] ?? (demo === false ? '0.0.0.0' : '127.0.0.1');
  const c: IssuerConfig = {
    dataDir: resolve(flags.dataDir ?? env['URSEAL_DATA_DIR'] ?? './data'),
    port,
    host,
    demo,
    rateLimit: int('rate limit (--rate-limit / URSEAL_RATE_LIMIT)', flags.rateLimit ?? env['URSEAL_RATE_LIMIT'], 200, 0, 1_000_000),
    maxUploadBytes:
      int('upload limit (--max-upload-mb / URSEAL_MAX_UPLOAD_MB)', flags.maxUploadMb ?? env['URSEAL_MAX_UPLOAD_MB'], 50, 1, 2048) *
      1024 *
      1024,
    requestTimeoutMs: int(
      'timeout (--timeout / URSEAL_REQUEST_TIMEOUT_MS)',
      flags.timeout ?? env['URSEAL_REQUEST_TIMEOUT_MS'],
      60_000,
      100,
      3_600_000,
    ),
    workers: int('workers (--workers / URSEAL_WORKERS)', flags.workers ?? env['URSEAL_WORKERS'], -1, 0, 64),
    statusListValidity: int('status list validity (URSEAL_STATUS_LIST_HOURS)', env['URSEAL_STATUS_LIST_HOURS'], 24, 1, 24 * 366) * 3600,
  };
  const mk = flags.masterKey ?? env['URSEAL_MASTER_KEY'];
  const mkf = flags.masterKeyFile ?? env['URSEAL_MASTER_KEY_FILE'];
  if (mk !== undefined && mk !== '' && mkf !== undefined && mkf !== '')
    throw new ConfigError('give the master key either as URSEAL_MASTER_KEY or as a key file, not both');
  if (mk) c.masterKey = mk;
  if (mkf) c.masterKeyFile = resolve(mkf);
  const web = flags.webRoot ?? env['URSEAL_WEB_ROOT'];
  if (web) c.webRoot = resolve(web);
  return c;
}
