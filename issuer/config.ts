// Issuer configuration from flags and environment, checked once at start-up (bad values fail with one clear line).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePlace, type Place } from './stamp/layout.js';

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
  /**
   * PostgreSQL registry shared by several issuer processes (`postgres://user:password@host:port/db`), from
   * --database-url / URSEAL_DATABASE_URL. Unset: the SQLite registry in the data folder, owned by one process.
   */
  databaseUrl?: string;
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
  /** Default stamp place per document type (`agency/type` or `type` -> place), from --stamp-places / URSEAL_STAMP_PLACES. */
  stampPlaces?: Record<string, Place>;
  /** Caption lines of the stamp, from --caption-languages / URSEAL_CAPTION_LANGUAGES: `ar,en` (default) or `ar,ckb,en`. */
  captionLanguages: 'ar,en' | 'ar,ckb,en';
}

/** Flags as commander gives them (all strings). */
export interface ConfigFlags {
  dataDir?: string;
  databaseUrl?: string;
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
  stampPlaces?: string;
  captionLanguages?: string;
}

const TYPE_KEY = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/**
 * Read the stamp places file: a JSON object from `agency/type` (one agency's document type) or `type` (that type id
 * for every agency) to a place `"x,y[,size]"` in millimetres from the top-left corner of the page as shown, for
 * templates that reserve a box for the stamp.
 * @example readStampPlaces('places.json') // { 'MOJ/poa': { xMm: 150, yMm: 20 } }
 */
export function readStampPlaces(path: string): Record<string, Place> {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new ConfigError(`stamp places file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`stamp places file ${path}: expected a JSON object`);
  const out: Record<string, Place> = {};
  for (const [k, text] of Object.entries(v as Record<string, unknown>)) {
    if (!TYPE_KEY.test(k)) throw new ConfigError(`stamp places file ${path}: ${JSON.stringify(k)} is not "agency/type" or "type"`);
    const place = typeof text === 'string' ? parsePlace(text) : null;
    if (!place || (place.sizeMm !== undefined && (place.sizeMm < 35 || place.sizeMm > 200)))
      throw new ConfigError(`stamp places file ${path}: ${k}: expected "x,y[,size]" in mm (size 35-200), got ${JSON.stringify(text)}`);
    out[k] = place;
  }
  return out;
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
 * Environment: URSEAL_DATA_DIR, URSEAL_DATABASE_URL, PORT (or URSEAL_PORT), URSEAL_HOST, URSEAL_MASTER_KEY, URSEAL_MASTER_KEY_FILE,
 * URSEAL_DEMO (1/0), URSEAL_RATE_LIMIT, URSEAL_MAX_UPLOAD_MB, URSEAL_REQUEST_TIMEOUT_MS, URSEAL_WORKERS,
 * URSEAL_STATUS_LIST_HOURS, URSEAL_WEB_ROOT, URSEAL_STAMP_PLACES (a JSON file, see readStampPlaces).
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
    captionLanguages: 'ar,en',
  };
  const mk = flags.masterKey ?? env['URSEAL_MASTER_KEY'];
  const mkf = flags.masterKeyFile ?? env['URSEAL_MASTER_KEY_FILE'];
  if (mk !== undefined && mk !== '' && mkf !== undefined && mkf !== '')
    throw new ConfigError('give the master key either as URSEAL_MASTER_KEY or as a key file, not both');
  if (mk) c.masterKey = mk;
  if (mkf) c.masterKeyFile = resolve(mkf);
  const db = flags.databaseUrl ?? env['URSEAL_DATABASE_URL'];
  if (db) c.databaseUrl = checkDatabaseUrl(db);
  const web = flags.webRoot ?? env['URSEAL_WEB_ROOT'];
  if (web) c.webRoot = resolve(web);
  const places = flags.stampPlaces ?? env['URSEAL_STAMP_PLACES'];
  if (places) c.stampPlaces = readStampPlaces(resolve(places));
  const langs = (flags.captionLanguages ?? env['URSEAL_CAPTION_LANGUAGES'] ?? 'ar,en').replace(/\s+/g, '');
  if (langs !== 'ar,en' && langs !== 'ar,ckb,en')
    throw new ConfigError(
      `caption languages (--caption-languages / URSEAL_CAPTION_LANGUAGES) must be ar,en or ar,ckb,en, not ${JSON.stringify(langs)}`,
    );
  c.captionLanguages = langs;
  return c;
}

/**
 * A PostgreSQL URL as the registry takes it. The value is never echoed in a message (it may hold a password).
 * @example checkDatabaseUrl('postgres://urseal:secret@db.internal:5432/urseal')
 */
export function checkDatabaseUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError(
      'the database URL (--database-url / URSEAL_DATABASE_URL) is not a URL: write postgres://user:password@host:5432/database',
    );
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new ConfigError(`the database URL (--database-url / URSEAL_DATABASE_URL) must start with postgres://, not ${u.protocol}//`);
  if (!u.hostname && !u.searchParams.get('host'))
    throw new ConfigError('the database URL (--database-url / URSEAL_DATABASE_URL) names no host');
  if (u.pathname.length <= 1) throw new ConfigError('the database URL (--database-url / URSEAL_DATABASE_URL) names no database');
  return text;
}
