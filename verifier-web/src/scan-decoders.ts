// scan-decoders.js, loaded only when a scan needs it: pdf.js's JBIG2 and JPEG 2000 decoders, run in a worker by the served page.
import * as pdfjs from 'pdfjs-dist/image_decoders/pdf.image_decoders.mjs';
import { scanDecodersFrom, type ScanDecoders } from '../../core/pdf/scan-images.js';

/** The decoders, with the OpenJPEG wasm from `wasm` (the page's own copy: never a CDN). */
export function makeScanDecoders(wasm: () => Promise<Uint8Array>): ScanDecoders {
  return scanDecodersFrom(pdfjs, wasm);
}

/** Messages of the decoder worker (pdf.ts): `init` once, then decode requests answered by id. */
export type WorkerRequest =
  { kind: 'init'; wasmUrl: string } | { id: number; kind: 'jbig2'; chunks: Uint8Array[] } | { id: number; kind: 'jpx'; bytes: Uint8Array };
export type WorkerReply = { id: number; out: Uint8Array } | { id: number; error: string };

interface WorkerScope {
  importScripts?: unknown;
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
}

// In a dedicated worker (the served page starts one, so a hostile image can be stopped without freezing the page).
const scope = globalThis as unknown as WorkerScope;
if (typeof scope.importScripts === 'function') {
  let wasmUrl = '';
  let decoders: ScanDecoders | undefined;
  scope.onmessage = (e) => {
    const req = e.data;
    if (req.kind === 'init') {
      wasmUrl = req.wasmUrl;
      return;
    }
    void (async () => {
      try {
        decoders ??= makeScanDecoders(async () => {
          const res = await fetch(wasmUrl); // answered by the service worker's cache when offline
          if (!res.ok) throw new Error(`openjpeg.wasm: HTTP ${res.status}`);
          return new Uint8Array(await res.arrayBuffer());
        });
        const out = req.kind === 'jbig2' ? await decoders.jbig2(req.chunks) : await decoders.jpx(req.bytes);
        const whole = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength && out.buffer instanceof ArrayBuffer;
        scope.postMessage({ id: req.id, out }, whole ? [out.buffer as ArrayBuffer] : []);
      } catch (err) {
        scope.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
      }
    })();
  };
}
