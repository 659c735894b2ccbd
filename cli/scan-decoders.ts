// pdf.js's JBIG2 and JPEG 2000 decoders for scanned PDFs in the CLI: loaded on the first such image, run in a worker thread it can stop.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { scanDecodersFrom, type PdfjsImageDecoders, type ScanDecoders } from '../core/pdf/scan-images.js';

/**
 * Bounds of one decode in the worker. pdf.js allocates what a JBIG2 symbol dictionary's coded sizes say and loops
 * over them (core checks the segment headers, not the arithmetic-coded symbol sizes), so a hostile image could
 * take minutes or gigabytes: past these the worker is stopped and the image is MALFORMED. A 300 dpi A4 page
 * decodes in under 3 s (JPEG 2000, 9 M pixels) and needs ~200 MB. Tests may lower them.
 */
export const SCAN_DECODE_LIMITS = { timeoutMs: 20_000, heapMb: 1024 };

/** A request to the worker and its reply. */
type DecodeJob = { kind: 'jbig2'; chunks: Uint8Array[] } | { kind: 'jpx'; bytes: Uint8Array };
export type DecodeRequest = DecodeJob & { id: number };
export type DecodeReply = { id: number; out: Uint8Array } | { id: number; error: string };

let inThread: Promise<ScanDecoders> | undefined;

/** The decoders in this thread (what the worker runs; also used when the compiled worker file is absent, as under vitest). */
export function loadScanDecodersInThread(): Promise<ScanDecoders> {
  inThread ??= (async () => {
    const require = createRequire(import.meta.url);
    const mod: PdfjsImageDecoders = await import('pdfjs-dist/image_decoders/pdf.image_decoders.mjs');
    const wasmPath = require.resolve('pdfjs-dist/wasm/openjpeg.wasm');
    return scanDecodersFrom(mod, async () => new Uint8Array(await readFile(wasmPath)));
  })();
  inThread.catch(() => (inThread = undefined));
  return inThread;
}

const workerUrl = (): URL => new URL('./scan-decode-worker.js', import.meta.url);

/** One worker thread, restarted after it is stopped (time limit) or dies (heap limit); idle, it does not keep the process alive. */
class DecodeWorker implements ScanDecoders {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  private start(): Worker {
    const w = new Worker(workerUrl(), { resourceLimits: { maxOldGenerationSizeMb: SCAN_DECODE_LIMITS.heapMb } });
    w.on('message', (reply: DecodeReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.settle(reply.id);
      if ('out' in reply) p.resolve(reply.out);
      else p.reject(new Error(reply.error));
    });
    w.on('error', (e) => this.failAll(w, e));
    w.on('exit', () => this.failAll(w, new Error('decoder worker stopped')));
    return w;
  }

  private settle(id: number): void {
    clearTimeout(this.pending.get(id)!.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private failAll(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(e);
    }
  }

  private run(req: DecodeJob): Promise<Uint8Array> {
    const w = (this.worker ??= this.start());
    w.ref();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(w, new Error(`decoding took longer than ${SCAN_DECODE_LIMITS.timeoutMs} ms`));
        void w.terminate();
      }, SCAN_DECODE_LIMITS.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      w.postMessage({ id, ...req } satisfies DecodeRequest);
    });
  }

  jbig2(chunks: Uint8Array[]): Promise<Uint8Array> {
    return this.run({ kind: 'jbig2', chunks });
  }

  jpx(bytes: Uint8Array): Promise<Uint8Array> {
    return this.run({ kind: 'jpx', bytes });
  }
}

let isolated: DecodeWorker | undefined;

/**
 * The decoders for `readableImage`: in a worker thread bounded by SCAN_DECODE_LIMITS (dist build), or in this
 * thread when the compiled worker is absent (running from the TypeScript sources). pdf.js and its wasm are read
 * from the installed pdfjs-dist, never fetched.
 * @example const img = await readableImage(found, loadScanDecoders);
 */
export async function loadScanDecoders(): Promise<ScanDecoders> {
  if (!existsSync(fileURLToPath(workerUrl()))) return loadScanDecodersInThread();
  return (isolated ??= new DecodeWorker());
}
