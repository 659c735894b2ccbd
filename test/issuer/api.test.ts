// Issuer routes through app.request(): issuing, tokens and scopes, idempotency, revocation, errors, limits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRevoked, MAX_STATUS_BITS, verifySealSync, verifyStatusListSync, type VerifiedStatusList } from '../../core/index.js';
import { importTrustList } from '../../issuer/trust.js';
import { verifyPdf } from '../../core/pdf/verify-file.js';
import { agencyKey, backend, moiAgency, mojAgency, MOJ_KEY_1, ROOT, signedTrust, trustList, verifiedTrust } from '../helpers/world.js';
import { bearer, documentForm, issuerWorld, jsonPost, NOW, onePagePdf, POA, type IssuerWorld } from './helpers.js';

let w: IssuerWorld;
beforeEach(async () => {
  w = await issuerWorld();
});
afterEach(() => w.close());

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: { ar: string; en: string } } };
  expect(body.error.message.ar.length).toBeGreaterThan(0);
  expect(body.error.message.en.length).toBeGreaterThan(0);
  return body.error.code;
}

async function statusOf(agency: string): Promise<VerifiedStatusList> {
  const res = await w.app.request(`/status/${agency}`);
  expect(res.status).toBe(200);
  const r = verifyStatusListSync(new Uint8Array(await res.arrayBuffer()), verifiedTrust(), backend, { now: NOW });
  if (!r.ok) throw new Error(r.reason);
  return r.status;
}

describe('POST /v1/seals', () => {
  it('issues a paper seal that verifies VALID against the trust list and status list', async () => {
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      serial: string;
      sealText: string;
      statusIndex: number;
      qr: { format: string; data: string };
      agency: string;
    };
    expect(body.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(res.headers.get('x-urseal-serial')).toBe(body.serial);
    expect(body.agency).toBe('MOJ');
    expect(body.qr.format).toBe('png');
    expect(Buffer.from(body.qr.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const r = verifySealSync(body.sealText, backend, {
      trust: verifiedTrust(),
      statusLists: new Map([['MOJ', await statusOf('MOJ')]]),
      now: NOW,
    });
    expect(r.code).toBe('VALID');
    expect(r.paper).toBe(true);
    expect(r.claims?.doc.status).toBe(body.statusIndex);
  });

  it('returns SVG when asked and allocates distinct serials and status indexes', async () => {
    const a = (await (await w.app.request('/v1/seals?qr=svg', jsonPost(w.tokens.moj, POA))).json()) as {
      serial: string;
      statusIndex: number;
      qr: { data: string };
    };
    const b = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { ...POA, qr: 'none' }))).json()) as {
      serial: string;
      statusIndex: number;
      qr?: unknown;
    };
    expect(a.qr.data.startsWith('<svg')).toBe(true);
    expect(b.qr).toBeUndefined();
    expect(a.serial).not.toBe(b.serial);
    expect(a.statusIndex).not.toBe(b.statusIndex);
  });

  it.each([
    [{ ...POA, type: 'nope' }, 422, 'UNKNOWN_DOCUMENT_TYPE'],
    [{ ...POA, fields: { ...POA.fields, extra: 'x' } }, 422, 'UNKNOWN_FIELD'],
    [{ ...POA, fields: { n: 'x' } }, 422, 'MISSING_FIELD'],
    [{ ...POA, number: undefined }, 422, 'MISSING_FIELD'],
    [{ ...POA, fields: { ...POA.fields, n: 'x'.repeat(300) } }, 422, 'INVALID_FIELD'],
    [{ ...POA, fields: { ...POA.fields, n: { nested: 1 } } }, 422, 'INVALID_FIELD'],
    [{ ...POA, fields: [] }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: 5 }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: '0x7fffffff' }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: '1e12' }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: 1e12 }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: ' 4102444800' }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: '04102444800' }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: '4102444800.0' }, 422, 'INVALID_FIELD'],
    [{ ...POA, exp: 4102444800.5 }, 422, 'INVALID_FIELD'],
    [{ ...POA, agency: 'MOI' }, 403, 'WRONG_AGENCY'],
  ])('refuses a bad request %#', async (body, status, code) => {
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, body));
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
  });

  it('takes exp as whole seconds, as a number or plain digits, within 100 years', async () => {
    for (const exp of [4102444800, '4102444800']) {
      const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { ...POA, number: `E-${typeof exp}`, exp }));
      expect(res.status).toBe(201);
      expect(((await res.json()) as { expiresAt: number }).expiresAt).toBe(4102444800);
    }
  });

  it.each([
    ['NUL', { ...POA, fields: { ...POA.fields, n: 'سارة\u0000' } }, 'INVALID_FIELD'],
    ['a line break', { ...POA, fields: { ...POA.fields, c: 'a\nb' } }, 'INVALID_FIELD'],
    ['a C1 control', { ...POA, fields: { ...POA.fields, c: 'a\u0085b' } }, 'INVALID_FIELD'],
    ['RLO', { ...POA, fields: { ...POA.fields, nid: '123\u202E456' } }, 'INVALID_FIELD'],
    ['an isolate', { ...POA, number: '1447\u2066/2026' }, 'INVALID_FIELD'],
    ['a blank value', { ...POA, fields: { ...POA.fields, a: ' \u00a0 ' } }, 'MISSING_FIELD'],
    ['a blank number', { ...POA, number: '   ' }, 'MISSING_FIELD'],
  ])('refuses %s in a field or number before any registry row is written', async (_what, body, code) => {
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, body));
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe(code);
    expect(await w.registry.countDocuments()).toBe(0);
  });

  it('refuses a lone surrogate with 422, leaving no registry row (it was a 500 and an undelivered issued row)', async () => {
    for (const body of [
      '{"type":"poa","number":"1447/2026","fields":{"n":"\\ud800x","a":"b","nid":"1","d":"2026-01-02","c":"c"}}',
      '{"type":"poa","number":"\\udc00","fields":{"n":"a","a":"b","nid":"1","d":"2026-01-02","c":"c"}}',
    ]) {
      const res = await w.app.request('/v1/seals', {
        method: 'POST',
        headers: { ...bearer(w.tokens.moj), 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status).toBe(422);
      expect(await errorCode(res)).toBe('INVALID_FIELD');
    }
    expect(await w.registry.countDocuments()).toBe(0);
    expect(w.errors).toEqual([]);
    // A well-formed pair (an emoji) is text and is issued.
    const ok = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { ...POA, fields: { ...POA.fields, c: 'كتابة العدل 🏛' } }));
    expect(ok.status).toBe(201);
  });

  it('an index past the end of the status list grows the published list in the issuing transaction', async () => {
    const before = await statusOf('MOJ');
    await w.registry.query('UPDATE agencies SET next_status = ? WHERE id = ?', [before.list.size, 'MOJ']);
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { sealText: string };
    const after = await statusOf('MOJ');
    expect(after.list.size).toBeGreaterThan(before.list.size);
    expect(after.list.sequence).toBe(before.list.sequence + 1);
    const r = verifySealSync(body.sealText, backend, { trust: verifiedTrust(), statusLists: new Map([['MOJ', after]]), now: NOW + 10 });
    expect(r.code).toBe('VALID');
    // With the list as it was (made before the seal), the index is simply not covered yet: not a verdict of its own.
    const old = verifySealSync(body.sealText, backend, { trust: verifiedTrust(), statusLists: new Map([['MOJ', before]]), now: NOW + 10 });
    expect(old.code).toBe('VALID');
  });

  it('refuses with STATUS_LIST_FULL once no status list could hold the index, recording nothing', async () => {
    await w.registry.query('UPDATE agencies SET next_status = ? WHERE id = ?', [MAX_STATUS_BITS, 'MOJ']);
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('STATUS_LIST_FULL');
    expect(await w.registry.countDocuments()).toBe(0);
    expect(w.errors).toEqual([]);
  });

  it('a seal too long for one QR code is refused with 422 and its row marked failed, never left issued', async () => {
    const moj = mojAgency();
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `f${i}`, label: { ar: `حقل ${i}`, en: `Field ${i}` } }));
    moj.documentTypes.push({ id: 'long', name: { ar: 'طويلة', en: 'Long' }, fields: many });
    await importTrustList(w.registry, signedTrust(trustList({ sequence: 2, agencies: [moj, moiAgency()] })), backend, NOW);
    await w.service.reload();
    // Letters in an order zlib cannot shorten much: about 2 bytes of UTF-8 each, 14 x 256 of them.
    let x = 7;
    const text = () =>
      Array.from({ length: 256 }, () => String.fromCharCode(0x628 + ((x = (x * 1103515245 + 12345) % 2 ** 31) % 30))).join('');
    const fields = Object.fromEntries(many.map((f) => [f.id, text()]));
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { type: 'long', number: 'L-1', fields }));
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe('INVALID_FIELD');
    expect(w.errors).toEqual([]);
    const rows = (await w.registry.query('SELECT state FROM documents')) as { state: string }[];
    expect(rows).toEqual([{ state: 'failed' }]);
  });

  it('refuses bad JSON and wrong content types with 4xx', async () => {
    let res = await w.app.request('/v1/seals', {
      method: 'POST',
      headers: { ...bearer(w.tokens.moj), 'Content-Type': 'application/json' },
      body: '{"type":',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('INVALID_JSON');
    res = await w.app.request('/v1/seals', {
      method: 'POST',
      headers: { ...bearer(w.tokens.moj), 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expect(res.status).toBe(415);
    res = await w.app.request('/v1/seals', {
      method: 'POST',
      headers: { ...bearer(w.tokens.moj), 'Content-Type': 'application/json' },
      body: '[1]',
    });
    expect(await errorCode(res)).toBe('INVALID_JSON');
    expect(w.errors).toEqual([]);
  });
});

describe('tokens and scopes', () => {
  it('401 without, with a malformed, an unknown or a revoked token', async () => {
    for (const headers of [
      {},
      { Authorization: 'Basic abc' },
      bearer('urs_short'),
      bearer(`urs_${'A'.repeat(43)}`),
      bearer(w.tokens.revoked),
    ]) {
      const res = await w.app.request('/v1/seals', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(POA),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
  });

  it('403 when the scope is missing', async () => {
    let res = await w.app.request('/v1/seals', jsonPost(w.tokens.mojRead, POA));
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('FORBIDDEN_SCOPE');
    const issued = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.mojIssue, POA))).json()) as { serial: string };
    res = await w.app.request(`/v1/documents/${issued.serial}`, { headers: bearer(w.tokens.mojIssue) });
    expect(await errorCode(res)).toBe('FORBIDDEN_SCOPE');
    res = await w.app.request(`/v1/documents/${issued.serial}/revoke`, { method: 'POST', headers: bearer(w.tokens.mojRead) });
    expect(res.status).toBe(403);
    res = await w.app.request(`/v1/documents/${issued.serial}`, { headers: bearer(w.tokens.mojRead) });
    expect(res.status).toBe(200);
  });

  it('an agency can never read or revoke another agency’s document, nor tell it from a serial never issued', async () => {
    const issued = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA))).json()) as { serial: string };
    const unknown = (issued.serial.slice(0, 8) + 'ffffff00').slice(0, 16);
    for (const init of [{ headers: bearer(w.tokens.moi) }, { method: 'POST', headers: bearer(w.tokens.moi) }]) {
      const answer = async (serial: string) => {
        const path = init.method ? `/v1/documents/${serial}/revoke` : `/v1/documents/${serial}`;
        const res = await w.app.request(path, init);
        const body = (await res.json()) as { error: { detail?: string } };
        return { status: res.status, body: JSON.stringify(body).replaceAll(serial, 'S'), headers: [...res.headers.keys()].sort() };
      };
      const other = await answer(issued.serial);
      expect(other.status).toBe(404);
      expect(other).toEqual(await answer(unknown));
    }
    expect((await w.registry.getDocument(issued.serial))?.revokedAt).toBeUndefined();
    // And MOI issues with its own types only.
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moi, POA));
    expect(await errorCode(res)).toBe('UNKNOWN_DOCUMENT_TYPE');
  });

  it('stores tokens only as SHA-256 hashes', async () => {
    const dump = JSON.stringify(await w.registry.query('SELECT * FROM tokens'), (_k, v: unknown) =>
      v instanceof Buffer ? v.toString('hex') : v,
    );
    expect(dump).not.toContain(w.tokens.moj);
    expect(dump).not.toContain(w.tokens.moj.slice(4));
  });
});

describe('Idempotency-Key', () => {
  it('returns the same document for a retried request and refuses a different request', async () => {
    const first = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA, { 'Idempotency-Key': 'req-1' }));
    expect(first.status).toBe(201);
    const a = (await first.json()) as { serial: string; sealText: string };
    const again = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA, { 'Idempotency-Key': 'req-1' }));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const b = (await again.json()) as { serial: string; sealText: string };
    expect(b.serial).toBe(a.serial);
    expect(b.sealText).toBe(a.sealText);
    const other = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, { ...POA, number: '999' }, { 'Idempotency-Key': 'req-1' }));
    expect(other.status).toBe(422);
    expect(await errorCode(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await w.registry.countDocuments('MOJ')).toBe(1);
    // Keys are per agency: MOI may use the same key text.
    const moi = await w.app.request(
      '/v1/seals',
      jsonPost(w.tokens.moi, { type: 'birth', number: 'B-1', fields: { n: 'x' } }, { 'Idempotency-Key': 'req-1' }),
    );
    expect(moi.status).toBe(201);
  });
});

describe('revocation', () => {
  it('sets the status bit, re-signs the status list, and the seal then verifies as DOCUMENT_REVOKED', async () => {
    const issued = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA))).json()) as {
      serial: string;
      sealText: string;
      statusIndex: number;
    };
    const before = await statusOf('MOJ');
    const etag = (await w.app.request('/status/MOJ')).headers.get('etag')!;
    w.clock.now += 5;
    const res = await w.app.request(`/v1/documents/${issued.serial}/revoke`, jsonPost(w.tokens.moj, { reason: 'issued in error' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { revoked: boolean; alreadyRevoked: boolean; statusList: { sequence: number } };
    expect(body.revoked).toBe(true);
    expect(body.alreadyRevoked).toBe(false);
    const after = await statusOf('MOJ');
    expect(after.list.sequence).toBe(before.list.sequence + 1);
    expect(body.statusList.sequence).toBe(after.list.sequence);
    expect((await w.app.request('/status/MOJ', { headers: { 'If-None-Match': etag } })).status).toBe(200);
    const r = verifySealSync(issued.sealText, backend, { trust: verifiedTrust(), statusLists: new Map([['MOJ', after]]), now: NOW + 10 });
    expect(r.code).toBe('DOCUMENT_REVOKED');
    const again = (await (
      await w.app.request(`/v1/documents/${issued.serial}/revoke`, { method: 'POST', headers: bearer(w.tokens.moj) })
    ).json()) as { alreadyRevoked: boolean };
    expect(again.alreadyRevoked).toBe(true);
    const doc = (await (await w.app.request(`/v1/documents/${issued.serial}`, { headers: bearer(w.tokens.moj) })).json()) as {
      revoked: boolean;
      revokeReason: string;
    };
    expect(doc).toMatchObject({ revoked: true, revokeReason: 'issued in error' });
    const actions = (await w.registry.listAudit()).map((e) => e.action);
    expect(actions).toContain('document.revoke');
    expect(actions).toContain('document.issue.paper');
  });

  it('404 for an unknown serial, 400 for a malformed one', async () => {
    let res = await w.app.request('/v1/documents/0000000000000000', { headers: bearer(w.tokens.moj) });
    expect(res.status).toBe(404);
    res = await w.app.request('/v1/documents/zz', { headers: bearer(w.tokens.moj) });
    expect(await errorCode(res)).toBe('INVALID_SERIAL');
  });
});

describe('POST /v1/documents', () => {
  it('stamps a PDF: the original is a prefix, and the file verifies VALID', async () => {
    const pdf = await onePagePdf();
    const res = await w.app.request('/v1/documents', {
      method: 'POST',
      headers: bearer(w.tokens.moj),
      body: documentForm(pdf, {
        type: POA.type,
        number: POA.number,
        fields: JSON.stringify(POA.fields),
        page: '1',
        corner: 'bottom-right',
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const serial = res.headers.get('x-urseal-serial')!;
    const out = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(out.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
    const r = await verifyPdf(out, backend, { trust: verifiedTrust(), statusLists: new Map([['MOJ', await statusOf('MOJ')]]), now: NOW });
    expect(r.code).toBe('VALID');
    const doc = (await (await w.app.request(`/v1/documents/${serial}`, { headers: bearer(w.tokens.moj) })).json()) as {
      kind: string;
      length: number;
      hash: string;
    };
    expect(doc.kind).toBe('pdf');
    expect(doc.length).toBe(pdf.length);
  });

  it('replays the same stamped bytes for a retried upload', async () => {
    const pdf = await onePagePdf();
    const send = () =>
      w.app.request('/v1/documents', {
        method: 'POST',
        headers: { ...bearer(w.tokens.moj), 'Idempotency-Key': 'upload-7' },
        body: documentForm(pdf, { type: POA.type, number: POA.number, fields: JSON.stringify(POA.fields) }),
      });
    const a = await send();
    const b = await send();
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).toBe(true);
    expect(await w.registry.countDocuments()).toBe(1);
  });

  it.each([
    [undefined, { type: 'poa', number: '1', fields: JSON.stringify(POA.fields) }, 422, 'MISSING_FILE'],
    ['not a pdf', { type: 'poa', number: '1', fields: JSON.stringify(POA.fields) }, 422, 'PDF_UNREADABLE'],
    ['%PDF-1.7\n garbage garbage garbage', { type: 'poa', number: '1', fields: JSON.stringify(POA.fields) }, 422, 'PDF_UNREADABLE'],
    ['pdf', { type: 'poa', number: '1', fields: '{"n":' }, 422, 'INVALID_FIELD'],
    ['pdf', { type: 'poa', number: '1', fields: JSON.stringify(POA.fields), page: '0' }, 422, 'INVALID_PAGE'],
    ['pdf', { type: 'poa', number: '1', fields: JSON.stringify(POA.fields), page: '7' }, 422, 'PDF_PAGE_NOT_FOUND'],
    ['pdf', { type: 'poa', number: '1', fields: JSON.stringify(POA.fields), corner: 'middle' }, 422, 'INVALID_CORNER'],
    ['pdf', { type: 'xx', number: '1', fields: JSON.stringify(POA.fields) }, 422, 'UNKNOWN_DOCUMENT_TYPE'],
  ])('refuses a bad upload %#', async (file, fields, status, code) => {
    const pdf = file === 'pdf' ? await onePagePdf() : file === undefined ? undefined : new TextEncoder().encode(file);
    const res = await w.app.request('/v1/documents', { method: 'POST', headers: bearer(w.tokens.moj), body: documentForm(pdf, fields) });
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
    expect(w.errors).toEqual([]);
  });

  it('a refused file costs no serial or status index: nothing is recorded, and the next document takes the next ones', async () => {
    const first = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA))).json()) as { serial: string; statusIndex: number };
    const refused = [
      new TextEncoder().encode('%PDF-1.4\n1 0 obj broken\n%%EOF\n'),
      await onePagePdf(), // with page 9 asked for
    ];
    for (const [i, pdf] of refused.entries()) {
      const res = await w.app.request('/v1/documents', {
        method: 'POST',
        headers: bearer(w.tokens.moj),
        body: documentForm(pdf, { type: 'poa', number: '1', fields: JSON.stringify(POA.fields), ...(i === 1 ? { page: '9' } : {}) }),
      });
      expect(res.status).toBe(422);
    }
    expect(await w.registry.countDocuments()).toBe(1);
    const next = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA))).json()) as { serial: string; statusIndex: number };
    expect(BigInt(`0x${next.serial}`) - BigInt(`0x${first.serial}`)).toBe(1n);
    expect(next.statusIndex).toBe(first.statusIndex + 1);
  });

  it('413 over the upload limit, 415 without multipart', async () => {
    const small = await issuerWorld({ maxUploadBytes: 1000 });
    try {
      const res = await small.app.request('/v1/documents', {
        method: 'POST',
        headers: bearer(small.tokens.moj),
        body: documentForm(await onePagePdf(), { type: 'poa', number: '1', fields: JSON.stringify(POA.fields) }),
      });
      expect(res.status).toBe(413);
      expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
    const res = await w.app.request('/v1/documents', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(415);
  });
});

describe('POST /v1/documents: where the stamp goes', () => {
  const upload = (world: IssuerWorld, pdf: Uint8Array, extra: Record<string, string> = {}) =>
    world.app.request('/v1/documents', {
      method: 'POST',
      headers: bearer(world.tokens.moj),
      body: documentForm(pdf, { type: POA.type, number: POA.number, fields: JSON.stringify(POA.fields), ...extra }),
    });
  type Where = { page: number; method: string; corner?: string; drawnOn: number; boxMm: { x: number; y: number } };
  const placementOf = (res: Response) => JSON.parse(res.headers.get('x-urseal-placement') ?? 'null') as Where[];

  it('says where each stamp went (X-Urseal-Placement): a blank corner by default', async () => {
    const res = await upload(w, await onePagePdf());
    expect(res.status).toBe(201);
    expect(placementOf(res)).toEqual([expect.objectContaining({ page: 1, method: 'corner', corner: 'bottom-left', drawnOn: 1 })]);
    expect(res.headers.get('x-urseal-seal-page')).toBeNull();
  });

  it('place=x,y puts the stamp there; placement=seal-page adds a seal page (X-Urseal-Seal-Page) and the file verifies', async () => {
    const pdf = await onePagePdf();
    const placed = await upload(w, pdf, { place: '100,40' });
    expect(placed.status).toBe(201);
    expect(placementOf(placed)[0]).toMatchObject({ method: 'place', boxMm: { x: 100, y: 40 } });
    const sealed = await upload(w, pdf, { placement: 'seal-page' });
    expect(sealed.status).toBe(201);
    expect(sealed.headers.get('x-urseal-seal-page')).toBe('2');
    expect(placementOf(sealed)[0]).toMatchObject({ page: 1, method: 'seal-page', drawnOn: 2 });
    const out = new Uint8Array(await sealed.arrayBuffer());
    const r = await verifyPdf(out, backend, { trust: verifiedTrust(), statusLists: new Map([['MOJ', await statusOf('MOJ')]]), now: NOW });
    expect(r.code).toBe('VALID');
    // The seal page shows the signed fields under the labels the trust list publishes, in both languages.
    if (spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0) {
      const dir = mkdtempSync(join(tmpdir(), 'urseal-sealpage-'));
      try {
        writeFileSync(join(dir, 'out.pdf'), out);
        const text = spawnSync('pdftotext', ['-f', '2', '-l', '2', '-enc', 'UTF-8', join(dir, 'out.pdf'), '-'], {
          encoding: 'utf8',
        }).stdout;
        for (const s of [
          'Document seal page',
          'Document type: General power of attorney',
          'Number: 1447/2026',
          'National ID: 1098765432',
          'Issuer: ',
        ])
          expect(text).toContain(s);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it.each([
    [{ place: '10;20' }, 'INVALID_PLACE'],
    [{ place: '10,20,20' }, 'INVALID_PLACE'],
    [{ placement: 'middle' }, 'INVALID_PLACE'],
    [{ place: '10,20', placement: 'seal-page' }, 'INVALID_PLACE'],
    [{ place: '500,20' }, 'PLACE_OFF_PAGE'],
  ])('refuses a bad place %#', async (extra, code) => {
    const res = await upload(w, await onePagePdf(), extra);
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe(code);
    expect(w.errors).toEqual([]);
  });

  it('uses the document type default place from the configuration; a request place wins', async () => {
    const world = await issuerWorld({}, { stampPlaces: { 'MOJ/poa': { xMm: 150, yMm: 20 }, cert: { xMm: 1, yMm: 1 } } });
    try {
      const res = await upload(world, await onePagePdf());
      expect(placementOf(res)[0]).toMatchObject({ method: 'place', boxMm: { x: 150, y: 20 } });
      const own = await upload(world, await onePagePdf(), { place: '20,200' });
      expect(placementOf(own)[0]).toMatchObject({ method: 'place', boxMm: { x: 20, y: 200 } });
    } finally {
      await world.close();
    }
  });
});

describe('limits', () => {
  it('429 with Retry-After past the per-token rate', async () => {
    const limited = await issuerWorld({ rateLimit: 1 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.app.request('/v1/seals', jsonPost(limited.tokens.moj, POA))).status);
      expect(codes.slice(0, 2)).toEqual([201, 201]);
      expect(codes).toContain(429);
      const res = await limited.app.request('/v1/seals', jsonPost(limited.tokens.moj, POA));
      expect(res.headers.get('retry-after')).toBeTruthy();
      // Another token has its own bucket.
      expect((await limited.app.request('/v1/seals', jsonPost(limited.tokens.mojIssue, POA))).status).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('timeouts', () => {
  it('a request over the time limit gets 503 TIMEOUT, never a hang or a 500', async () => {
    const slow = await issuerWorld(
      { requestTimeoutMs: 100 },
      { stamper: { kind: 'never', stamp: () => new Promise(() => {}), close: async () => {} } },
    );
    try {
      const res = await slow.app.request('/v1/documents', {
        method: 'POST',
        headers: bearer(slow.tokens.moj),
        body: documentForm(await onePagePdf(), { type: 'poa', number: '1', fields: JSON.stringify(POA.fields) }),
      });
      expect(res.status).toBe(503);
      expect(await errorCode(res)).toBe('TIMEOUT');
    } finally {
      await slow.close();
    }
  });
});

describe('public routes', () => {
  it('serves the trust list with ETag and Cache-Control, and 304 on If-None-Match', async () => {
    const res = await w.app.request('/trust-list');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const etag = res.headers.get('etag')!;
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(verifiedTrust().bytes))).toBe(true);
    const again = await w.app.request('/trust-list', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const json = (await (await w.app.request('/trust-list.json')).json()) as { agencies: { id: string }[] };
    expect(json.agencies.map((a) => a.id)).toEqual(['MOJ', 'MOI']);
  });

  it('status lists exist from the start, unknown agencies 404', async () => {
    expect((await statusOf('MOI')).list.sequence).toBe(1);
    const res = await w.app.request('/status/NOPE');
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('NOT_FOUND');
  });

  it('healthz, openapi and the page at /', async () => {
    const h = (await (await w.app.request('/healthz')).json()) as { status: string; agencies: { id: string; canIssue: boolean }[] };
    expect(h.status).toBe('ok');
    expect(h.agencies.every((a) => a.canIssue)).toBe(true);
    const o = (await (await w.app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(o.openapi).toBe('3.1.0');
    expect(Object.keys(o.paths)).toEqual(
      expect.arrayContaining([
        '/v1/documents',
        '/v1/seals',
        '/v1/documents/{serial}',
        '/v1/documents/{serial}/revoke',
        '/trust-list',
        '/status/{agency}',
        '/healthz',
      ]),
    );
    const page = await w.app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const nf = await w.app.request('/nothing/here.txt');
    expect(nf.status).toBe(404);
    expect((await w.app.request('/../../etc/passwd')).status).toBe(404);
  });
});

describe('verifier page', () => {
  it('serves the built page with this issuer’s trust list, pinned roots and status lists in place of the bundled ones', async () => {
    const web = mkdtempSync(join(tmpdir(), 'urseal-web-'));
    writeFileSync(
      join(web, 'index.html'),
      '<!doctype html><script type="application/json" id="urseal-data">{"trustList":"","roots":[]}</script><p>page</p>',
    );
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    const site = await issuerWorld({ webRoot: web });
    try {
      const html = await (await site.app.request('/')).text();
      const data = JSON.parse(/id="urseal-data">([^<]*)</.exec(html)![1]!) as {
        trustList: string;
        roots: string[];
        statusLists: Record<string, string>;
        dataBase: string;
      };
      expect(Buffer.from(data.trustList, 'base64').equals(Buffer.from(verifiedTrust().bytes))).toBe(true);
      expect(data.roots).toEqual([Buffer.from(ROOT.publicKey).toString('hex')]);
      expect(Object.keys(data.statusLists).sort()).toEqual(['MOI', 'MOJ']);
      expect(data.dataBase).toBe('./');
      const js = await site.app.request('/app.js');
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect((await site.app.request('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    } finally {
      await site.close();
      rmSync(web, { recursive: true, force: true });
    }
  });
});

describe('keys and windows', () => {
  it('stops issuing with a key the newly imported trust list revokes, and rejects a rollback to the older list', async () => {
    expect((await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA))).status).toBe(201);
    const revokedList = trustList({
      sequence: 2,
      agencies: [mojAgency([agencyKey(MOJ_KEY_1, { status: 'revoked', revokedAt: NOW })]), moiAgency()],
    });
    await importTrustList(w.registry, signedTrust(revokedList), backend, NOW);
    expect(await w.service.reloadIfChanged()).toBe(true);
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(503);
    expect(await errorCode(res)).toBe('NO_SIGNING_KEY');
    expect((await w.app.request('/v1/seals', jsonPost(w.tokens.moi, { type: 'birth', number: 'B', fields: { n: 'x' } }))).status).toBe(201);
    await expect(importTrustList(w.registry, signedTrust(trustList()), backend, NOW)).rejects.toThrow(/ROLLBACK/);
    const h = (await w.app.request('/healthz')).status;
    expect(h).toBe(200);
  });

  it('renews status lists after half their validity (next sequence, same bits)', async () => {
    const issued = (await (await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA))).json()) as {
      serial: string;
      statusIndex: number;
    };
    await w.app.request(`/v1/documents/${issued.serial}/revoke`, { method: 'POST', headers: bearer(w.tokens.moj) });
    const before = await statusOf('MOJ');
    expect(await w.service.renewStatusLists()).toBe(0);
    w.clock.now += 13 * 3600;
    expect(await w.service.renewStatusLists()).toBe(2);
    const res = await w.app.request('/status/MOJ');
    const r = verifyStatusListSync(new Uint8Array(await res.arrayBuffer()), verifiedTrust(), backend, { now: w.clock.now });
    if (!r.ok) throw new Error(r.reason);
    expect(r.status.list.sequence).toBe(before.list.sequence + 1);
    expect(r.status.list.issuedAt).toBe(w.clock.now);
    expect(isRevoked(r.status.list, issued.statusIndex)).toBe(true);
  });

  it('issues nothing once the agency key window has closed (503 NO_SIGNING_KEY)', async () => {
    w.clock.now = NOW + 3 * 365 * 86_400;
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(503);
    expect(await errorCode(res)).toBe('NO_SIGNING_KEY');
    expect(await w.registry.countDocuments()).toBe(0);
  });
});

describe('registry unavailable', () => {
  const gone = () => Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));

  it('a database that went away answers 503 REGISTRY_UNAVAILABLE with Retry-After, not 500', async () => {
    w.registry.findTokenByHash = gone;
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await errorCode(res)).toBe('REGISTRY_UNAVAILABLE');
  });

  it('while a PDF is being recorded too: 503, not a refusal of the file', async () => {
    w.registry.issue = gone;
    const res = await w.app.request('/v1/documents', {
      method: 'POST',
      headers: bearer(w.tokens.moj),
      body: documentForm(await onePagePdf(), { type: 'poa', number: 'R-1', fields: JSON.stringify(POA.fields) }),
    });
    expect(res.status).toBe(503);
    expect(await errorCode(res)).toBe('REGISTRY_UNAVAILABLE');
  });

  it('any other unexpected error stays 500 INTERNAL', async () => {
    w.registry.findTokenByHash = () => Promise.reject(new Error('a bug'));
    const res = await w.app.request('/v1/seals', jsonPost(w.tokens.moj, POA));
    expect(res.status).toBe(500);
    expect(await errorCode(res)).toBe('INTERNAL');
  });
});
