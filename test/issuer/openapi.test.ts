// The OpenAPI document against the routes' real answers: every status a route gives is documented for it, and every
// documented status is one the route gives (500/503 aside: they need a bug or a timeout to appear).
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_STATUS_BITS } from '../../core/index.js';
import { OPENAPI } from '../../issuer/openapi.js';
import { bearer, documentForm, issuerWorld, jsonPost, onePagePdf, POA, type IssuerWorld } from './helpers.js';

type Route = `${'GET' | 'POST'} ${string}`;
const seen = new Map<Route, Set<string>>();
const worlds: IssuerWorld[] = [];
afterEach(async () => {
  while (worlds.length) await worlds.pop()!.close();
});

async function world(options: Parameters<typeof issuerWorld>[0] = {}): Promise<IssuerWorld> {
  const w = await issuerWorld(options);
  worlds.push(w);
  return w;
}

/** Send a request and note its status under the route's template. */
async function probe(w: IssuerWorld, route: Route, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await w.app.request(path, { method: route.split(' ')[0], ...init });
  const set = seen.get(route) ?? new Set<string>();
  set.add(String(res.status));
  seen.set(route, set);
  return res;
}

function documented(route: Route): Set<string> {
  const [method, path] = route.split(' ') as [string, string];
  const op = (OPENAPI.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${route} is not in the OpenAPI document`);
  return new Set(Object.keys(op.responses));
}

const form = async (over: Record<string, string> = {}) =>
  documentForm(await onePagePdf(), { type: POA.type, number: POA.number, fields: JSON.stringify(POA.fields), ...over });

describe('OpenAPI responses match what the routes answer', () => {
  it('probes every route with good and bad requests', async () => {
    const w = await world();
    const S = 'POST /v1/seals' as const;
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.moj, POA));
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.moj, POA, { 'Idempotency-Key': 'k1' }));
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.moj, POA, { 'Idempotency-Key': 'k1' })); // replay: 200
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.moj, { ...POA, number: 'other' }, { 'Idempotency-Key': 'k1' }));
    await probe(w, S, '/v1/seals', { ...jsonPost(w.tokens.moj, {}), body: '{"type":' });
    await probe(w, S, '/v1/seals', { ...jsonPost(w.tokens.moj, POA), headers: { ...bearer(w.tokens.moj), 'Content-Type': 'text/plain' } });
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.moj, { ...POA, fields: { n: 'x'.repeat(70_000) } }));
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.mojRead, POA));
    await probe(w, S, '/v1/seals', jsonPost('urs_nope', POA));
    await probe(w, S, '/v1/seals', jsonPost(w.tokens.moj, { ...POA, type: 'nope' }));
    await probe(w, S, '/v1/seals?qr=gif', jsonPost(w.tokens.moj, POA));

    const D = 'POST /v1/documents' as const;
    await probe(w, D, '/v1/documents', { headers: bearer(w.tokens.moj), body: await form() });
    await probe(w, D, '/v1/documents', { headers: { ...bearer(w.tokens.moj), 'Idempotency-Key': 'd1' }, body: await form() });
    await probe(w, D, '/v1/documents', { headers: { ...bearer(w.tokens.moj), 'Idempotency-Key': 'd1' }, body: await form() });
    await probe(w, D, '/v1/documents', { headers: bearer(w.tokens.moj), body: await form({ page: '9' }) });
    await probe(w, D, '/v1/documents', {
      headers: { ...bearer(w.tokens.moj), 'Content-Type': 'multipart/form-data; boundary=XX' },
      body: '--XX\r\nbroken',
    });
    await probe(w, D, '/v1/documents', { ...jsonPost(w.tokens.moj, POA) });
    await probe(w, D, '/v1/documents', { headers: bearer(w.tokens.mojRead), body: await form() });
    await probe(w, D, '/v1/documents', { headers: bearer('urs_nope'), body: await form() });
    const small = await world({ maxUploadBytes: 1000 });
    await probe(small, D, '/v1/documents', { headers: bearer(small.tokens.moj), body: await form() });

    const issued = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { ...POA, number: 'R-1' }))).json()) as {
      serial: string;
    };
    const G = 'GET /v1/documents/{serial}' as const;
    await probe(w, G, `/v1/documents/${issued.serial}`, { headers: bearer(w.tokens.moj) });
    await probe(w, G, `/v1/documents/0000000000000000`, { headers: bearer(w.tokens.moj) });
    await probe(w, G, `/v1/documents/not-a-serial`, { headers: bearer(w.tokens.moj) });
    await probe(w, G, `/v1/documents/${issued.serial}`, { headers: bearer(w.tokens.mojIssue) });
    await probe(w, G, `/v1/documents/${issued.serial}`, { headers: bearer('urs_nope') });

    const R = 'POST /v1/documents/{serial}/revoke' as const;
    await probe(w, R, `/v1/documents/${issued.serial}/revoke`, jsonPost(w.tokens.moj, { reason: 'test' }));
    await probe(w, R, `/v1/documents/0000000000000000/revoke`, jsonPost(w.tokens.moj, {}));
    await probe(w, R, `/v1/documents/not-a-serial/revoke`, jsonPost(w.tokens.moj, {}));
    await probe(w, R, `/v1/documents/${issued.serial}/revoke`, jsonPost(w.tokens.mojRead, {}));
    await probe(w, R, `/v1/documents/${issued.serial}/revoke`, jsonPost('urs_nope', {}));
    await probe(w, R, `/v1/documents/${issued.serial}/revoke`, jsonPost(w.tokens.moj, { reason: 'x'.repeat(70_000) }));
    await probe(w, R, `/v1/documents/${issued.serial}/revoke`, { ...jsonPost(w.tokens.moj, {}), body: '{"reason":' });
    await probe(w, R, `/v1/documents/${issued.serial}/revoke`, {
      ...jsonPost(w.tokens.moj, {}),
      headers: { ...bearer(w.tokens.moj), 'Content-Type': 'text/plain' },
      body: 'why',
    });
    // A document whose stamping failed (recorded 'failed') cannot be revoked (409).
    const lost = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { ...POA, number: 'F-1' }))).json()) as { serial: string };
    await w.registry.markFailed(lost.serial, Math.floor(Date.now() / 1000), 'test');
    await probe(w, R, `/v1/documents/${lost.serial}/revoke`, jsonPost(w.tokens.moj, {}));

    // A full status list (STATUS_LIST_FULL, 409) on both issuing routes.
    const full = await world();
    await full.registry.query('UPDATE agencies SET next_status = ? WHERE id = ?', [MAX_STATUS_BITS, 'MOJ']);
    await probe(full, S, '/v1/seals', jsonPost(full.tokens.moj, POA));
    await probe(full, D, '/v1/documents', { headers: bearer(full.tokens.moj), body: await form() });

    // Rate limit: one request per second with a burst of two.
    const limited = await world({ rateLimit: 1 });
    for (let i = 0; i < 4; i++) await probe(limited, S, '/v1/seals', jsonPost(limited.tokens.moj, { ...POA, number: `RL-${i}` }));
    for (let i = 0; i < 4; i++) await probe(limited, D, '/v1/documents', { headers: bearer(limited.tokens.moj), body: await form() });
    for (let i = 0; i < 4; i++) await probe(limited, G, `/v1/documents/0000000000000000`, { headers: bearer(limited.tokens.moj) });
    for (let i = 0; i < 4; i++) await probe(limited, R, `/v1/documents/0000000000000000/revoke`, jsonPost(limited.tokens.moj, {}));

    const T = 'GET /trust-list' as const;
    const tl = await probe(w, T, '/trust-list');
    await probe(w, T, '/trust-list', { headers: { 'If-None-Match': tl.headers.get('etag')! } });
    const TJ = 'GET /trust-list.json' as const;
    const tj = await probe(w, TJ, '/trust-list.json');
    await probe(w, TJ, '/trust-list.json', { headers: { 'If-None-Match': tj.headers.get('etag')! } });
    const ST = 'GET /status/{agency}' as const;
    const st = await probe(w, ST, '/status/MOJ');
    await probe(w, ST, '/status/MOJ', { headers: { 'If-None-Match': st.headers.get('etag')! } });
    await probe(w, ST, '/status/NOPE');
    await probe(w, 'GET /healthz', '/healthz');
    await probe(w, 'GET /openapi.json', '/openapi.json');

    const problems: string[] = [];
    const rare = new Set(['500', '503']);
    for (const path of Object.keys(OPENAPI.paths)) {
      for (const method of Object.keys((OPENAPI.paths as Record<string, object>)[path]!)) {
        const route = `${method.toUpperCase()} ${path}` as Route;
        const got = seen.get(route) ?? new Set();
        const doc = documented(route);
        for (const s of got) if (!doc.has(s)) problems.push(`${route} answers ${s}, which the document does not list`);
        for (const s of doc) if (!got.has(s) && !rare.has(s)) problems.push(`${route} documents ${s}, which no probe produced`);
      }
    }
    expect(problems).toEqual([]);
  });
});
