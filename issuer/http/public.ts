// Public, cacheable routes: the trust list, agencies' status lists and the health check.
import { Hono, type Context } from 'hono';
import { toHex } from '../../core/index.js';
import { ApiError } from '../errors.js';
import type { IssuerService, Published } from '../service.js';
import type { IssuerEnv } from './env.js';

/** Options of {@link publicRoutes}. */
export interface PublicOptions {
  service: IssuerService;
  /** Cache-Control max-age for the trust list, seconds. Default 300. */
  trustListMaxAge?: number;
  /** Cache-Control max-age for status lists, seconds. Default 60 (revocations show within a minute everywhere). */
  statusListMaxAge?: number;
}

/** Media type of a COSE_Sign1 file (RFC 9052 §2). */
export const COSE_SIGN1_TYPE = 'application/cose; cose-type="cose-sign1"';

function b64u(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}

/** Serve a signed file with ETag / If-None-Match (304) and Cache-Control. */
function published(c: Context<IssuerEnv>, p: Published, maxAge: number, type: string, body?: string): Response {
  const headers: Record<string, string> = {
    ETag: p.etag,
    'Cache-Control': `public, max-age=${maxAge}`,
    'Last-Modified': new Date(p.issuedAt * 1000).toUTCString(),
    'X-Urseal-Sequence': String(p.sequence),
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag, X-Urseal-Sequence',
  };
  const inm = c.req.header('if-none-match');
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === p.etag)) return c.body(null, 304, headers);
  if (body !== undefined) return c.body(body, 200, { ...headers, 'Content-Type': type });
  return c.body(p.bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': type });
}

/**
 * `GET /trust-list` (signed COSE bytes), `GET /trust-list.json` (readable view, not signed), `GET /status/{agency}`
 * (signed status list), `GET /healthz` (503 when no agency can issue).
 * @example app.route('/', publicRoutes({ service }))
 */
export function publicRoutes(options: PublicOptions): Hono<IssuerEnv> {
  const { service } = options;
  const trustAge = options.trustListMaxAge ?? 300;
  const statusAge = options.statusListMaxAge ?? 60;
  const app = new Hono<IssuerEnv>();

  app.get('/trust-list', (c) => {
    const p = service.trustList();
    if (!p) throw new ApiError('NOT_FOUND', 'no trust list imported yet');
    return published(c, p, trustAge, COSE_SIGN1_TYPE);
  });

  app.get('/trust-list.json', (c) => {
    const p = service.trustList();
    const t = service.trust;
    if (!p || !t) throw new ApiError('NOT_FOUND', 'no trust list imported yet');
    const l = t.list;
    const view = {
      note: 'Readable view of the signed trust list at /trust-list; verify the signed file, not this view.',
      issuer: l.issuer,
      sequence: l.sequence,
      issuedAt: l.issuedAt,
      expiresAt: l.expiresAt,
      signedBy: toHex(t.signedBy.kid),
      roots: l.roots.map((r) => ({ kid: toHex(r.kid), publicKey: b64u(r.publicKey), ...(r.name ? { name: r.name } : {}) })),
      agencies: l.agencies.map((a) => ({
        id: a.id,
        name: a.name,
        documentTypes: a.documentTypes,
        keys: a.keys.map((k) => ({
          kid: toHex(k.kid),
          publicKey: b64u(k.publicKey),
          notBefore: k.notBefore,
          notAfter: k.notAfter,
          status: k.status,
          ...(k.revokedAt !== undefined ? { revokedAt: k.revokedAt } : {}),
        })),
      })),
    };
    return published(c, p, trustAge, 'application/json; charset=utf-8', JSON.stringify(view));
  });

  app.get('/status/:agency', async (c) => {
    const id = c.req.param('agency');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id)) throw new ApiError('NOT_FOUND', 'not an agency id');
    const p = await service.statusList(id);
    if (!p) throw new ApiError('NOT_FOUND', `no status list for ${id}`);
    return published(c, p, statusAge, COSE_SIGN1_TYPE);
  });

  app.get('/healthz', async (c) => {
    const now = service.now();
    const t = service.trust;
    const agencies = (await service.registry.listAgencies()).map((a) => {
      const kid = service.issuingKid(a.id);
      return { id: a.id, canIssue: kid !== undefined, ...(kid ? { kid } : {}) };
    });
    const ok = t !== undefined && agencies.some((a) => a.canIssue);
    return c.json(
      {
        status: ok ? 'ok' : 'degraded',
        demo: service.demo,
        time: now,
        trustList: t ? { sequence: t.list.sequence, expiresAt: t.list.expiresAt, stale: now > t.list.expiresAt } : null,
        agencies,
        stamper: service.stamper.kind,
      },
      ok ? 200 : 503,
      { 'Cache-Control': 'no-store' },
    );
  });

  return app;
}
