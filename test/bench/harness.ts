// Benchmark harness: each bench module returns rows; run.ts prints one table and writes results.json.

/** One measured figure. `ratio` and `target` are set when the issue names a ratio or a bound. */
export interface BenchRow {
  /** Which bench group (e.g. 'core', 'qr-read', 'pdf'). */
  group: string;
  /** What was measured, in words a reader understands. */
  name: string;
  value: number;
  unit: string;
  /** Same-run comparison against a baseline, e.g. ours / bare node:crypto. */
  ratio?: number;
  /** The bound from the issue, e.g. '>= 0.9', '<= 13'. */
  target?: string;
  /** Whether the target is met (undefined when there is no target). */
  pass?: boolean;
  /** Free-form details (inputs, counts). */
  detail?: string;
  /** Set when the figure was not measured, and why (e.g. 'skipped: no PostgreSQL'); `value` is then NaN. */
  skipped?: string;
}

/** A bench module: an async function producing rows. */
export type Bench = () => Promise<BenchRow[]>;

/** Time `fn` for about `ms` milliseconds after a warm-up; returns operations per second. */
export function opsPerSecond(fn: () => void, ms = 1000): number {
  const warmEnd = performance.now() + Math.min(200, ms / 4);
  while (performance.now() < warmEnd) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}
