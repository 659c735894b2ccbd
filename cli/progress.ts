// A progress bar on stderr, only when stderr is a terminal and the batch is long.
/** Batches shorter than this show no bar. */
export const PROGRESS_MIN_ITEMS = 50;

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

/**
 * A progress bar for `total` items; a no-op unless `enabled` (stderr is a TTY and the batch is long).
 * Redraws at most every 100 ms.
 * @example const p = createProgress(items.length, process.stderr.isTTY === true); p.tick(); p.done();
 */
export function createProgress(total: number, enabled: boolean): Progress {
  if (!enabled || total < PROGRESS_MIN_ITEMS) return { tick() {}, done() {} };
  let count = 0;
  let last = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${count}/${total}`);
  };
  return {
    tick(n = 1) {
      count += n;
      const now = Date.now();
      if (now - last >= 100 || count >= total) {
        last = now;
        draw();
      }
    },
    done() {
      draw();
      process.stderr.write('\r\x1b[K');
    },
  };
}
