// Runs verifier-web/build.ts under plain Node 20: bundles it for Node with esbuild (packages stay external), then calls main().
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outfile = join(root, 'dist/.build/verifier-web-build.mjs');
await build({
  entryPoints: [join(root, 'verifier-web/build.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
const mod = await import(pathToFileURL(outfile).href);
await mod.main(process.argv.slice(2));
