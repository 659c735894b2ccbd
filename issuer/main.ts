// Entry point of `npm start`: the issuer with first-start DEMO set-up; flags --port, --data-dir, --database-url, --host, --master-key-file.
import { parseArgs } from 'node:util';
import { ConfigError, resolveConfig } from './config.js';
import { DataFolderInUseError } from './data-lock.js';
import { startIssuer } from './server.js';

/** Run the issuer until SIGINT/SIGTERM; configuration problems print one line and exit with status 2. */
async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        'master-key-file': { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-upload-mb': { type: 'string' },
        workers: { type: 'string' },
        'no-demo': { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`urseal issuer: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  const flag = (k: string): string | undefined => values[k] as string | undefined;
  try {
    const config = resolveConfig(
      {
        ...(flag('port') !== undefined ? { port: flag('port')! } : {}),
        ...(flag('host') !== undefined ? { host: flag('host')! } : {}),
        ...(flag('data-dir') !== undefined ? { dataDir: flag('data-dir')! } : {}),
        ...(flag('database-url') !== undefined ? { databaseUrl: flag('database-url')! } : {}),
        ...(flag('master-key-file') !== undefined ? { masterKeyFile: flag('master-key-file')! } : {}),
        ...(flag('rate-limit') !== undefined ? { rateLimit: flag('rate-limit')! } : {}),
        ...(flag('max-upload-mb') !== undefined ? { maxUploadMb: flag('max-upload-mb')! } : {}),
        ...(flag('workers') !== undefined ? { workers: flag('workers')! } : {}),
        ...(values['no-demo'] ? { demo: false } : {}),
      },
      process.env,
      'auto',
    );
    const running = await startIssuer(config);
    const stop = (): void => {
      void running.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.on('SIGHUP', () => {
      running.service
        .reload()
        .catch((e: unknown) => console.error(`urseal issuer: reload failed: ${e instanceof Error ? e.message : String(e)}`));
    });
  } catch (e) {
    if (e instanceof DataFolderInUseError) {
      console.error(`urseal issuer: URSEAL_E_DATA_DIR_IN_USE ${e.ar} | ${e.message}`);
      process.exit(2);
    }
    if (e instanceof ConfigError) {
      console.error(`urseal issuer: configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}

await main();
