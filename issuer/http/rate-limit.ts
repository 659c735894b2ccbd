// Per-token rate limit: a token bucket per key, in memory (one service process owns its registry).
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { IssuerEnv } from './env.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Sustained requests per second per key. 0 disables the limit. */
  rate: number;
  /** Bucket size: requests allowed in a burst. Default 2 × rate. */
  burst?: number;
  /** Key to limit by. Default: the caller's token id. */
  key?: (c: Context<IssuerEnv>) => string;
  /** Milliseconds clock (tests). Default `performance.now`. */
  now?: () => number;
}

/**
 * Token-bucket rate limit; over the limit → 429 RATE_LIMITED with Retry-After. Buckets untouched for a minute are
 * dropped, so the map stays as small as the set of active tokens.
 * @example app.use('/v1/*', rateLimit({ rate: 100 }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<IssuerEnv> {
  const rate = options.rate;
  const burst = options.burst ?? Math.max(1, 2 * rate);
  const now = options.now ?? (() => performance.now());
  const keyOf = options.key ?? ((c: Context<IssuerEnv>) => c.get('caller').tokenId);
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  return async (c, next) => {
    if (rate <= 0) return next();
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [k, b] of buckets) if (t - b.at > 60_000) buckets.delete(k);
      lastSweep = t;
    }
    const k = keyOf(c);
    const b = buckets.get(k) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    buckets.set(k, b);
    if (b.tokens < 1) {
      const wait = Math.ceil((1 - b.tokens) / rate);
      throw new ApiError('RATE_LIMITED', `more than ${rate} requests per second`, {
        headers: { 'Retry-After': String(Math.max(1, wait)) },
      });
    }
    b.tokens -= 1;
    return next();
  };
}
