// Bearer-token middleware: finds the token by its SHA-256, checks it in constant time, refuses revoked ones.
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { TokenRecord } from '../registry/registry.js';
import { hashToken, looksLikeToken, tokenMatches } from '../tokens.js';
import type { IssuerEnv } from './env.js';

/** Options of {@link tokenAuth}. */
export interface TokenAuthOptions {
  /** Look a token up by the SHA-256 of its text. */
  findByHash: (hash: Uint8Array) => Promise<TokenRecord | undefined>;
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="urseal"' };

/**
 * Require `Authorization: Bearer urs_…`. Sets `caller` (token id, agency, scopes). Missing, malformed, unknown and
 * revoked tokens all get the same 401, so a caller learns nothing about which tokens exist.
 * @example app.use('/v1/*', tokenAuth({ findByHash: (h) => registry.findTokenByHash(h) }))
 */
export function tokenAuth(options: TokenAuthOptions): MiddlewareHandler<IssuerEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m || !looksLikeToken(m[1]!)) throw new ApiError('UNAUTHORIZED', 'send Authorization: Bearer urs_…', { headers: CHALLENGE });
    const hash = hashToken(m[1]!);
    const t = await options.findByHash(hash);
    // The row was found by hash; the constant-time comparison is still the check that decides.
    if (!t || !tokenMatches(hash, t.hash) || t.revokedAt !== undefined)
      throw new ApiError('UNAUTHORIZED', undefined, { headers: CHALLENGE });
    c.set('caller', { tokenId: t.id, agencyId: t.agencyId, scopes: t.scopes });
    await next();
  };
}
