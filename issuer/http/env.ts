// The Hono environment shared by the issuer's middleware and routes.
import type { Caller } from '../service.js';

/** Variables set on the request context: `caller` once the token middleware accepted the request. */
export interface IssuerEnv {
  Variables: {
    caller: Caller;
  };
}
