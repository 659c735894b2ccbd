// Stamping for the service: in-process, or a pool of worker threads (PDF work is CPU-bound; one per core).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  stampPdfDetailed,
  StampError,
  type Corner,
  type Place,
  type Caption,
  type SealLabels,
  type StampErrorCode,
  type StampOptions,
  type StampResult,
} from './stamp/stamp.js';

/** What a stamp needs besides the PDF. `sign` signs the closing message with the agency key (main thread). */
export interface StampJob {
  /** The seal text, or a function giving it once the file is known to be stampable (see StampOptions.sealText). */
  sealText: string | (() => string | Promise<string>);
  pages: number[];
  corner: Corner;
  sign: (message: Uint8Array) => Uint8Array;
  /** An explicit place (the request's, or the document type's default from the configuration). */
  place?: Place;
  /** `'seal-page'`: always on an added seal page. */
  placement?: 'auto' | 'seal-page';
  /** Names of the agency, document type and fields, for a seal page. */
  labels?: SealLabels;
  /** The caption under the QR (default: Arabic and English). */
  caption?: Caption;
}

/** Stamper options as a worker gets them: `sealText` null means "ask the main thread when the file is read". */
export type WorkerOptions = Omit<StampOptions, 'sign' | 'sealText'> & { sealText: string | null };

/** The stamper options of a job (everything but the signer and a seal-text function, which stay in the main thread). */
export function jobOptions(job: Omit<StampJob, 'sign'>): WorkerOptions {
  return {
    sealText: typeof job.sealText === 'string' ? job.sealText : null,
    pages: job.pages,
    corner: job.corner,
    ...(job.place ? { place: job.place } : {}),
    ...(job.placement ? { placement: job.placement } : {}),
    ...(job.labels ? { labels: job.labels } : {}),
    ...(job.caption ? { caption: job.caption } : {}),
  };
}

/** Something that stamps PDFs: the stamped file and where each stamp went; throws `StampError` for files it refuses. */
export interface Stamper {
  stamp(pdf: Uint8Array, job: StampJob): Promise<StampResult>;
  /** Stop workers (no-op in-process). */
  close(): Promise<void>;
  /** 'in-process' or 'workers:N'. */
  readonly kind: string;
}

/** Stamp in the calling thread (tests, small deployments). */
export function inProcessStamper(): Stamper {
  return {
    kind: 'in-process',
    stamp: (pdf, job) => stampPdfDetailed(pdf, { ...jobOptions(job), sealText: job.sealText, sign: job.sign }),
    close: async () => {},
  };
}

/** Messages between the pool and its workers. */
export type ToWorker =
  | { kind: 'stamp'; id: number; pdf: Uint8Array; options: WorkerOptions }
  | { kind: 'signed'; id: number; signature: Uint8Array }
  | { kind: 'sealed'; id: number; sealText: string | null };
export type FromWorker =
  | { kind: 'sign'; id: number; message: Uint8Array }
  | { kind: 'seal'; id: number }
  | { kind: 'done'; id: number; result: StampResult }
  | { kind: 'error'; id: number; code: string; message: string };

interface Pending {
  job: StampJob;
  /** What the seal-text function threw: the job's own error, reported instead of the worker's. */
  sealError?: unknown;
  resolve: (r: StampResult) => void;
  reject: (e: unknown) => void;
  worker: Slot;
}

interface Slot {
  worker: Worker;
  busy: number;
}

const STAMP_CODES: readonly string[] = [
  'PDF_UNREADABLE',
  'PDF_ENCRYPTED_NO_CHANGES',
  'PDF_ENCRYPTED_PASSWORD',
  'PDF_ENCRYPTED_UNSUPPORTED',
  'PDF_PAGE_NOT_FOUND',
  'INVALID_SEAL_TEXT',
  'QR_TOO_SMALL',
  'INVALID_OPTIONS',
  'SIGNING_FAILED',
  'PLACE_OFF_PAGE',
];

/** The compiled worker next to this module, when running from `dist/` (not from TypeScript sources). */
export function workerScript(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const p = fileURLToPath(new URL('./stamp-worker.js', import.meta.url));
  return existsSync(p) ? p : undefined;
}

/**
 * A pool of `size` worker threads, each loading the PDF library once. Private keys stay in the main thread: a
 * worker asks for the closing signature over a message port and waits for it. Jobs go to the least busy worker.
 * A worker that dies fails its jobs and is replaced.
 * @example const s = workerStamper({ size: 2 }); const out = await s.stamp(pdf, { sealText, pages: [1], corner: 'bottom-left', sign })
 */
export function workerStamper(options: { size?: number; script?: string } = {}): Stamper {
  const script = options.script ?? workerScript();
  if (!script) throw new Error('stamp worker script not found (build with npm run build)');
  const size = Math.max(1, options.size ?? availableParallelism());
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  const slots: Slot[] = [];

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(script), busy: 0 };
    slot.worker.unref();
    slot.worker.on('message', (m: FromWorker) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.kind === 'seal') {
        // The worker has read the file: get the seal text (the issuer allocates the serial now).
        void (async () => {
          let sealText: string | null = null;
          try {
            sealText = typeof p.job.sealText === 'string' ? p.job.sealText : await p.job.sealText();
          } catch (e) {
            p.sealError = e;
          }
          slot.worker.postMessage({ kind: 'sealed', id: m.id, sealText } satisfies ToWorker);
        })();
        return;
      }
      if (m.kind === 'sign') {
        let signature: Uint8Array;
        try {
          signature = p.job.sign(m.message);
        } catch {
          signature = new Uint8Array(0); // the stamper reports SIGNING_FAILED
        }
        slot.worker.postMessage({ kind: 'signed', id: m.id, signature } satisfies ToWorker);
        return;
      }
      pending.delete(m.id);
      slot.busy--;
      if (m.kind === 'done') p.resolve(m.result);
      else if (p.sealError !== undefined) p.reject(p.sealError);
      else if (STAMP_CODES.includes(m.code)) p.reject(new StampError(m.code as StampErrorCode, m.message));
      else p.reject(new Error(m.message));
    });
    const fail = (e: unknown): void => {
      for (const [id, p] of pending) {
        if (p.worker !== slot) continue;
        pending.delete(id);
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      if (!closed) slots.push(spawn());
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!closed) fail(new Error(`stamp worker exited with code ${code}`));
    });
    return slot;
  };
  for (let i = 0; i < size; i++) slots.push(spawn());

  return {
    kind: `workers:${size}`,
    stamp(pdf, job) {
      if (closed) return Promise.reject(new Error('stamper closed'));
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      return new Promise<StampResult>((resolve, reject) => {
        pending.set(id, { job, resolve, reject, worker: slot });
        slot.busy++;
        // The PDF is copied (not transferred): the caller keeps its bytes for hashing and retries.
        slot.worker.postMessage({ kind: 'stamp', id, pdf, options: jobOptions(job) } satisfies ToWorker);
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
      for (const p of pending.values()) p.reject(new Error('stamper closed'));
      pending.clear();
    },
  };
}
