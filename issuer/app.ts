// The issuer's Hono app: middleware and route factories wired together, with one error handler.
import { isRegistryUnavailable } from './registry/store.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { ApiError, errorBody, type ApiErrorCode } from './errors.js';
import { tokenAuth } from './http/auth.js';
import type { IssuerEnv } from './http/env.js';
import { publicRoutes } from './http/public.js';
import { rateLimit } from './http/rate-limit.js';
import { v1Routes } from './http/v1.js';
import { webRoutes } from './http/web.js';
import { OPENAPI } from './openapi.js';
import type { IssuerService } from './service.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  service: IssuerService;
  /** Largest PDF upload, bytes. Default 50 MB. */
  maxUploadBytes?: number;
  /** Requests per second per token (0: off). Default 200, burst 2×. */
  rateLimit?: number;
  /** Per-request time limit for /v1, milliseconds. Default 60 000. */
  requestTimeoutMs?: number;
  /** Folder of the built verifier page. Default: dist/verifier-web next to this build. */
  webRoot?: string;
  /** Where to report unexpected errors (never sent to the client). Default console.error. */
  logError?: (e: unknown) => void;
}

/** Where the built verifier page is, relative to this module (dist/issuer/app.js or issuer/app.ts). */
export function defaultWebRoot(): string | undefined {
  // Built: dist/issuer/app.js -> dist/verifier-web. From sources (tests): issuer/app.ts -> dist/verifier-web.
  const rel = import.meta.url.endsWith('.js') ? '../verifier-web/' : '../dist/verifier-web/';
  const p = fileURLToPath(new URL(rel, import.meta.url));
  return existsSync(p) ? p : undefined;
}

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503 || status === 504) return 'TIMEOUT';
  if (status >= 400 && status < 500) return 'BAD_REQUEST';
  return 'INTERNAL';
}

/**
 * Build the app. Every failure leaves through `onError` as `{ error: { code, message: { ar, en } } }`: request
 * problems as 4xx with a stable code, anything unexpected as 500 INTERNAL without details (logged server-side).
 * @example const app = createApp({ service }); const res = await app.request('/healthz')
 */
export function createApp(options: AppOptions): Hono<IssuerEnv> {
  const { service } = options;
  const logError = options.logError ?? ((e: unknown) => console.error('urseal issuer: unexpected error:', e));
  const app = new Hono<IssuerEnv>();

  app.onError((e, c) => {
    if (e instanceof ApiError) {
      const unnamed = e.cause instanceof Error && e.cause.name !== 'StampError' && e.cause.name !== 'ApiError';
      if ((e.status >= 500 && e.code !== 'NO_SIGNING_KEY' && e.code !== 'TIMEOUT') || unnamed) logError(e.cause ?? e);
      return c.json(errorBody(e.code, e.detail), e.status, e.headers ?? {});
    }
    if (e instanceof HTTPException) {
      const code = codeForStatus(e.status);
      if (code === 'INTERNAL') logError(e);
      return c.json(errorBody(code), code === 'INTERNAL' ? 500 : e.status);
    }
    logError(e);
    // The registry database is down or restarting: worth a retry (on another node, or in a moment), not a 500.
    if (isRegistryUnavailable(e)) return c.json(errorBody('REGISTRY_UNAVAILABLE'), 503, { 'Retry-After': '2' });
    return c.json(errorBody('INTERNAL'), 500);
  });
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `${c.req.method} ${c.req.path}`), 404));

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.use(
    '/v1/*',
    timeout(options.requestTimeoutMs ?? 60_000, () => new ApiError('TIMEOUT')),
  );
  app.use('/v1/*', tokenAuth({ findByHash: (h) => service.registry.findTokenByHash(h) }));
  app.use('/v1/*', rateLimit({ rate: options.rateLimit ?? 200 }));
  app.route('/v1', v1Routes({ service, ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}) }));
  app.route('/', publicRoutes({ service }));
  app.get('/openapi.json', (c) => c.json(OPENAPI));
  const webRoot = options.webRoot ?? defaultWebRoot();
  const bundle = async () => {
    const t = service.trustList();
    if (!t) return undefined;
    const statusLists: Record<string, Uint8Array> = {};
    for (const a of await service.registry.listAgencies()) {
      const s = await service.statusList(a.id);
      if (s) statusLists[a.id] = s.bytes;
    }
    return { trustList: t.bytes, roots: (await service.registry.listRoots()).map((r) => r.publicKey), statusLists };
  };
  app.route('/', webRoutes({ ...(webRoot ? { root: webRoot } : {}), demo: service.demo, bundle }));
  return app;
}
