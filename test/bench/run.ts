// `npm run bench [group ...]`: runs the benchmark groups, prints one table, writes test/bench/results.json.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './harness.js';

/** Bench groups by name; each module exports one Bench. Missing modules are reported, not fatal. */
const GROUPS: Record<string, () => Promise<Bench>> = {
  core: async () => (await import('./core.js')).core,
  'qr-read': async () => (await import('./qr-read.js' as string)).qrRead as Bench,
  'qr-print': async () => (await import('./qr-print.js')).qrPrint,
  'qr-cost': async () => (await import('./qr-print.js')).qrCost,
  'pdf-stamp': async () => (await import('./pdf-stamp.js' as string)).pdfStamp as Bench,
  'pdf-verify': async () => (await import('./pdf-verify.js' as string)).pdfVerify as Bench,
  issuer: async () => (await import('./issuer.js' as string)).issuer as Bench,
  'verifier-web': async () => (await import('./verifier-web.js' as string)).verifierWeb as Bench,
  'scan-read': async () => (await import('./scan-read.js' as string)).scanRead as Bench,
};

function fmt(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(v < 10 ? 3 : 1);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(GROUPS);
  const rows: BenchRow[] = [];
  const errors: { group: string; error: string }[] = [];
  for (const name of names) {
    const load = GROUPS[name];
    if (!load) {
      console.error(`unknown bench group ${name}; known: ${Object.keys(GROUPS).join(', ')}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`bench ${name} ...\n`);
    try {
      rows.push(...(await (await load())()));
    } catch (e) {
      errors.push({ group: name, error: e instanceof Error ? e.message : String(e) });
      process.stderr.write(`bench ${name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  const table = rows.map((r) => ({
    group: r.group,
    measure: r.name,
    value: r.skipped !== undefined ? r.skipped : `${fmt(r.value)} ${r.unit}`,
    ratio: r.ratio === undefined ? '' : r.ratio.toFixed(2),
    target: r.target ?? '',
    ok: r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  }));
  const cols = ['group', 'measure', 'value', 'ratio', 'target', 'ok'] as const;
  const width = cols.map((c) => Math.max(c.length, ...table.map((t) => t[c].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i]!)).join(' | ');
  console.log(line([...cols]));
  console.log(width.map((w) => '-'.repeat(w)).join('-|-'));
  for (const t of table) console.log(line(cols.map((c) => t[c])));
  for (const e of errors) console.log(`(${e.group} did not run: ${e.error})`);
  const out = fileURLToPath(new URL('../../../test/bench/results.json', import.meta.url));
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, errors }, null, 2) + '\n');
  console.log(`\nwritten ${out}`);
}

await main();
