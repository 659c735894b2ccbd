// Worker thread of the stamping pool: stamps PDFs, asking the main thread for the closing signature.
import { parentPort } from 'node:worker_threads';
import { stampPdfDetailed, StampError } from './stamp/stamp.js';
import type { FromWorker, ToWorker } from './stamper.js';

const port = parentPort;
if (!port) throw new Error('stamp-worker must run in a worker thread');

const waiting = new Map<number, (signature: Uint8Array) => void>();
const sealWaiting = new Map<number, (sealText: string | null) => void>();

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'signed') {
    waiting.get(m.id)?.(m.signature);
    waiting.delete(m.id);
    return;
  }
  if (m.kind === 'sealed') {
    sealWaiting.get(m.id)?.(m.sealText);
    sealWaiting.delete(m.id);
    return;
  }
  const sign = (message: Uint8Array): Promise<Uint8Array> =>
    new Promise((resolve) => {
      waiting.set(m.id, resolve);
      send({ kind: 'sign', id: m.id, message });
    });
  const sealText =
    m.options.sealText ??
    (() =>
      new Promise<string>((resolve, reject) => {
        sealWaiting.set(m.id, (text) => (text === null ? reject(new Error('the seal was not issued')) : resolve(text)));
        send({ kind: 'seal', id: m.id });
      }));
  stampPdfDetailed(m.pdf, { ...m.options, sealText, sign }).then(
    (result) =>
      send(
        { kind: 'done', id: m.id, result },
        result.pdf.byteOffset === 0 && result.pdf.byteLength === result.pdf.buffer.byteLength ? [result.pdf.buffer as ArrayBuffer] : [],
      ),
    (e: unknown) => {
      waiting.delete(m.id);
      sealWaiting.delete(m.id);
      if (e instanceof StampError) send({ kind: 'error', id: m.id, code: e.code, message: e.message });
      else send({ kind: 'error', id: m.id, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
    },
  );
});
