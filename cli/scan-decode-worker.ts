// Worker thread of the scan decoders (cli/scan-decoders.ts): decodes JBIG2 and JPEG 2000 images with pdf.js, one request at a time.
import { parentPort } from 'node:worker_threads';
import { loadScanDecodersInThread, type DecodeReply, type DecodeRequest } from './scan-decoders.js';

const port = parentPort;
if (port) {
  port.on('message', (req: DecodeRequest) => {
    void (async () => {
      try {
        const dec = await loadScanDecodersInThread();
        const out = req.kind === 'jbig2' ? await dec.jbig2(req.chunks) : await dec.jpx(req.bytes);
        // Moved, not copied, when the result owns its buffer (never a view into the decoder's wasm memory).
        const whole = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength && out.buffer instanceof ArrayBuffer;
        port.postMessage({ id: req.id, out } satisfies DecodeReply, whole ? [out.buffer as ArrayBuffer] : []);
      } catch (e) {
        port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies DecodeReply);
      }
    })();
  });
}
