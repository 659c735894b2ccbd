// Starting the issuer: data folder, master key, registry, first-start demo, stamper pool, HTTP server, timers.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { nativeBackend } from '../core/index.js';
import { createApp } from './app.js';
import { ConfigError, type IssuerConfig } from './config.js';
import { publishDemoStatusUrls, refreshDemoTrustList, setupDemo, DEMO_AGENCY, type DemoSetup } from './demo.js';
import {
  createMasterKeyFile,
  masterKeyCheck,
  MasterKeyError,
  parseMasterKey,
  readMasterKeyFile,
  verifyMasterKeyCheck,
  type MasterKey,
} from './master-key.js';
import { lockDataFolder, type DataFolderLock } from './data-lock.js';
import { DEFAULT_CAPTION_CKB } from './stamp/stamp.js';
import { openStore } from './registry/open.js';
import { SqliteStore } from './registry/sqlite.js';
import type { RegistryStore } from './registry/store.js';
import { IssuerService } from './service.js';
import { inProcessStamper, workerScript, workerStamper, type Stamper } from './stamper.js';
import { TrustListError } from './trust.js';

/** A running issuer. */
export interface RunningIssuer {
  url: string;
  port: number;
  service: IssuerService;
  /** Set on the first (demo) start only: the token shown once. */
  demo?: DemoSetup;
  close(): Promise<void>;
}

/** File name of the registry inside the data folder. */
export const REGISTRY_FILE = 'registry.db';
/** Demo master key file inside the data folder (demo only). */
export const DEMO_MASTER_KEY_FILE = 'master.key';

/** Where messages go (tests capture them). */
export interface IssuerLog {
  info(line: string): void;
  warn(line: string): void;
}

const consoleLog: IssuerLog = { info: (l) => console.log(l), warn: (l) => console.warn(l) };

/**
 * Resolve the master key: explicit (env/flag/file), else the demo key file of a demo registry, else create one
 * for a fresh demo. Anything else is a configuration error.
 */
function masterKeyFor(config: IssuerConfig, fresh: boolean, demo: boolean, log: IssuerLog): MasterKey {
  if (config.masterKey) return parseMasterKey(config.masterKey, 'URSEAL_MASTER_KEY');
  if (config.masterKeyFile) return readMasterKeyFile(config.masterKeyFile);
  const demoFile = join(config.dataDir, DEMO_MASTER_KEY_FILE);
  if (existsSync(demoFile) && config.demo !== false) return readMasterKeyFile(demoFile);
  if (fresh && demo) {
    let key: MasterKey;
    try {
      key = createMasterKeyFile(demoFile);
    } catch (e) {
      // Another node on the same folder and database wrote it a moment ago: use that one.
      if (existsSync(demoFile)) return readMasterKeyFile(demoFile);
      throw e;
    }
    log.warn('');
    log.warn('!!! DEMO: generated a master key in ' + demoFile + ' (mode 0600).');
    log.warn('!!! It protects the agency keys of this DEMO registry. In production, give your own key through');
    log.warn('!!! URSEAL_MASTER_KEY or --master-key-file, kept OUTSIDE the data folder.');
    log.warn('');
    return key;
  }
  throw new ConfigError('no master key: set URSEAL_MASTER_KEY (64 hex digits) or URSEAL_MASTER_KEY_FILE / --master-key-file');
}

function makeDataFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new ConfigError(`cannot create data folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * Open the configured registry (PostgreSQL when a database URL is set, else the data folder's SQLite file) and check
 * the master key against it (used by the CLI admin commands too).
 */
export async function openRegistry(
  config: IssuerConfig,
  log: IssuerLog = consoleLog,
): Promise<{ registry: RegistryStore; master: MasterKey; fresh: boolean; demo: boolean }> {
  makeDataFolder(config.dataDir);
  const path = join(config.dataDir, REGISTRY_FILE);
  // A new registry needs a master key: given, or made for the demo.
  const noKey = config.demo === false && !config.masterKey && !config.masterKeyFile;
  const noKeyError = () => new ConfigError('no master key: set URSEAL_MASTER_KEY or URSEAL_MASTER_KEY_FILE (the registry is new)');
  let registry: RegistryStore;
  let fresh: boolean;
  if (config.databaseUrl !== undefined) {
    try {
      registry = await openStore({ databaseUrl: config.databaseUrl, applicationName: 'urseal issuer' });
    } catch (e) {
      throw new ConfigError(`cannot open the PostgreSQL registry: ${e instanceof Error ? e.message : String(e)}`);
    }
    fresh = (await registry.getMeta('master_check')) === undefined;
  } else {
    fresh = !existsSync(path);
    // Checked before SQLite creates the file.
    if (fresh && noKey) throw noKeyError();
    try {
      registry = SqliteStore.open(path);
    } catch (e) {
      throw new ConfigError(`cannot open registry ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    if (fresh && noKey) throw noKeyError();
    let master: MasterKey;
    try {
      master = masterKeyFor(config, fresh, fresh && config.demo !== false, log);
    } catch (e) {
      if (e instanceof MasterKeyError) throw new ConfigError(e.message);
      throw e;
    }
    // The first process to open a new registry records its key's check value; every later one must match it.
    const mine = masterKeyCheck(master);
    const check = await registry.setMetaOnce('master_check', mine);
    if (!verifyMasterKeyCheck(master, new Uint8Array(check)))
      throw new ConfigError(`the master key does not match registry ${registry.where}`);
    // Several nodes may open a new shared registry at once: exactly one of them (the first to record its claim)
    // sets it up; the others wait for its trust list (see trustListWithin).
    if (fresh && registry.shared) {
      const claim = randomBytes(16);
      fresh = Buffer.compare(await registry.setMetaOnce('set_up_by', claim), claim) === 0;
    }
    const demo = (await registry.getMeta('demo'))?.toString() === '1';
    return { registry, master, fresh, demo };
  } catch (e) {
    await registry.close();
    throw e;
  }
}

/**
 * On a shared registry another node may be setting it up right now (the demo, or an operator importing the list):
 * wait for its trust list a little before giving up.
 */
async function trustListWithin(registry: RegistryStore, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    if (await registry.latestTrustList()) return true;
  }
  return false;
}

function banner(url: string, demo: DemoSetup, log: IssuerLog): void {
  const curl = `curl -sS -X POST ${url}/v1/seals -H 'Authorization: Bearer ${demo.token}' -H 'Content-Type: application/json' -d '{"type":"cert","number":"DEMO-1","fields":{"n":"سارة أحمد","nid":"1098765432","d":"2026-01-02"}}'`;
  const stamp = `curl -sS -X POST ${url}/v1/documents -H 'Authorization: Bearer ${demo.token}' -F file=@input.pdf -F type=letter -F number=DEMO-2 -F 'fields={"to":"Office","subj":"Test"}' -o stamped.pdf -D -`;
  log.info('');
  log.info('=== urseal DEMO set-up (demonstration only: DEMO root, DEMO agency, DEMO trust list) ===');
  log.info(`DEMO agency ${DEMO_AGENCY}, key ${demo.kid}`);
  log.info('API token for DEMO (shown ONCE; it is stored only as a hash):');
  log.info(`  ${demo.token}`);
  log.info('Try it:');
  log.info(`  ${curl}`);
  log.info(`  ${stamp}`);
  log.info('=== end of DEMO set-up ===');
  log.info('');
}

/**
 * Start the issuer from a configuration. Throws ConfigError (one line) when the configuration is unusable.
 * @example const s = await startIssuer(resolveConfig({}, process.env, 'auto')); ...; await s.close()
 */
export async function startIssuer(config: IssuerConfig, log: IssuerLog = consoleLog): Promise<RunningIssuer> {
  const backend = nativeBackend();
  if (!backend) throw new ConfigError('node:crypto has no Ed25519 here (Node 20 or later is needed)');
  // The lock comes first: a second process must not even create a demo key in a folder in use. A PostgreSQL
  // registry is shared by design (several nodes), so its processes take no folder lock.
  makeDataFolder(config.dataDir);
  const lock: DataFolderLock = config.databaseUrl === undefined ? lockDataFolder(config.dataDir) : { release: () => {} };
  let opened: Awaited<ReturnType<typeof openRegistry>>;
  try {
    opened = await openRegistry(config, log);
  } catch (e) {
    lock.release();
    throw e;
  }
  const { registry, master, fresh, demo: isDemo } = opened;
  const now = Math.floor(Date.now() / 1000);
  let demo: DemoSetup | undefined;
  let service: IssuerService;
  let stamper: Stamper | undefined;
  try {
    if (fresh && config.demo !== false) demo = await setupDemo(registry, master, backend, config.dataDir, now);
    else if (isDemo && config.demo !== false && (await refreshDemoTrustList(registry, master, backend, config.dataDir, now)))
      log.info('DEMO: re-signed the demo trust list');
    if (!(await registry.latestTrustList()) && !(registry.shared && (await trustListWithin(registry, 10_000))))
      throw new ConfigError('no trust list imported: pin the NDC root and import the published list (urseal issuer import-trust-list)');
    // One per core (up to 4) plus one: a worker waits while the main thread allocates the serial and signs the seal
    // (it asks once the file is read), and the extra one keeps the cores busy meanwhile (bench issuer: p99 244 ->
    // 207 ms on 2 cores).
    const workers = config.workers < 0 ? Math.min(availableParallelism(), 4) + 1 : config.workers;
    stamper = workers > 0 && workerScript() ? workerStamper({ size: workers }) : inProcessStamper();
    service = await IssuerService.open({
      registry,
      master,
      backend,
      stamper,
      statusListValidity: config.statusListValidity,
      demo: demo !== undefined || isDemo,
      ...(config.stampPlaces ? { stampPlaces: config.stampPlaces } : {}),
      ...(config.captionLanguages === 'ar,ckb,en' ? { caption: DEFAULT_CAPTION_CKB } : {}),
    });
  } catch (e) {
    await stamper?.close();
    await registry.close();
    lock.release();
    if (e instanceof TrustListError) throw new ConfigError(e.message);
    if (e instanceof MasterKeyError) throw new ConfigError(e.message);
    throw e;
  }
  const app = createApp({
    service,
    rateLimit: config.rateLimit,
    maxUploadBytes: config.maxUploadBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(config.webRoot ? { webRoot: config.webRoot } : {}),
  });

  const server = await new Promise<ServerType>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s));
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new ConfigError(`port ${config.port} on ${config.host} is already in use`)
          : e.code === 'EACCES'
            ? new ConfigError(`no permission to listen on port ${config.port}`)
            : e,
      ),
    );
  }).catch(async (e: unknown) => {
    await stamper?.close();
    await registry.close();
    lock.release();
    throw e;
  });
  const httpServer = server as import('node:http').Server;
  httpServer.requestTimeout = config.requestTimeoutMs + 5_000;
  httpServer.headersTimeout = 30_000;
  httpServer.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${port}`;

  // The DEMO trust list names where this issuer serves each agency's status list, so verifiers check revocation.
  if (service.demo && (await publishDemoStatusUrls(registry, master, backend, config.dataDir, url, Math.floor(Date.now() / 1000)))) {
    await service.reload();
    log.info(`DEMO: the trust list now publishes status lists at ${url}/status/<agency>`);
  }

  // Renew status lists before they expire, and pick up trust lists or keys imported by the CLI.
  let refreshing = false;
  const timer = setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    (async () => {
      await service.reloadIfChanged();
      await service.renewStatusLists();
    })()
      .catch((e: unknown) => log.warn(`urseal issuer: periodic refresh failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (refreshing = false));
  }, 30_000);
  timer.unref();

  if (demo) banner(url, demo, log);
  if (service.demo) log.info('DEMO mode: every key and list here is for demonstration only.');
  log.info(`urseal issuer listening on ${url} (registry ${registry.where}, stamper ${service.stamper.kind})`);
  // One machine-readable line for scripts and tests.
  log.info(`URSEAL_LISTENING ${port}`);

  let closed = false;
  return {
    url,
    port,
    service,
    ...(demo ? { demo } : {}),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      // Stop accepting, let requests in flight finish (up to 10 s), then drop what is left.
      const closedServer = new Promise<void>((r) => httpServer.close(() => r()));
      httpServer.closeIdleConnections();
      const force = setTimeout(() => httpServer.closeAllConnections(), 10_000);
      await closedServer;
      clearTimeout(force);
      await service.stamper.close();
      await registry.close();
      lock.release();
    },
  };
}
