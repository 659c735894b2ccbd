// Upload size limit whose 413 every client can read, even one that sends the whole body before it reads an answer.
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

/** Options of {@link uploadLimit}. */
export interface UploadLimitOptions {
  /** Largest body accepted, bytes. */
  maxSize: number;
  /**
   * Bodies up to this size (bytes, counted from the first byte) are read to their end and thrown away before
   * the 413 is sent; larger ones are answered at once and the connection is closed. Default 2 × maxSize.
   */
  discardUpTo?: number;
}

/** Read and drop what is left of a body, up to `budget` more bytes; true when the body ended within it. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<boolean> {
  let left = budget;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return true;
      left -= r.value.byteLength;
      if (left < 0) {
        await reader.cancel().catch(() => {});
        return false;
      }
    }
  } catch {
    return false;
  }
}

function tooLarge(maxSize: number): ApiError {
  // The body was not kept: close the connection after the answer rather than reuse it.
  return new ApiError('PAYLOAD_TOO_LARGE', `the limit is ${maxSize} bytes`, { headers: { Connection: 'close' } });
}

/**
 * Limit a request body to `maxSize` bytes with `413 PAYLOAD_TOO_LARGE`. Clients such as Python's http.client and
 * requests write the whole body before reading anything: an answer sent early followed by a closed socket
 * reaches them as "broken pipe", never as the 413. So an over-limit body (declared by Content-Length, or found
 * while reading a chunked one) is read to its end and dropped, up to `discardUpTo` bytes, and only then
 * answered, with `Connection: close`. Beyond that bound the answer is sent at once (a client that keeps
 * sending gigabytes gets its connection closed).
 *
 * @example app.post('/documents', uploadLimit({ maxSize: 50 * 1024 * 1024 }), handler)
 */
export function uploadLimit(options: UploadLimitOptions): MiddlewareHandler {
  const { maxSize } = options;
  const discardUpTo = options.discardUpTo ?? 2 * maxSize;
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    const length = declared !== undefined && /^\d{1,16}$/.test(declared) ? Number(declared) : undefined;
    if (length !== undefined && length > maxSize) {
      if (length <= discardUpTo) await discard(body.getReader(), discardUpTo);
      throw tooLarge(maxSize);
    }
    const reader = body.getReader();
    let seen = 0;
    let over = false;
    const limited = new ReadableStream<Uint8Array>({
      async pull(ctl) {
        const r = await reader.read();
        if (r.done) return ctl.close();
        seen += r.value.byteLength;
        if (seen > maxSize) {
          over = true;
          await discard(reader, discardUpTo - seen);
          ctl.error(tooLarge(maxSize));
          return;
        }
        ctl.enqueue(r.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    c.req.raw = new Request(c.req.raw, { body: limited, duplex: 'half' } as RequestInit);
    try {
      await next();
    } catch (e) {
      if (over) throw tooLarge(maxSize);
      throw e;
    }
    // A route that turned the read error into another answer (e.g. "the multipart body could not be read").
    if (over) throw tooLarge(maxSize);
  };
}
