// The authenticated API under /v1: issue seals and stamped PDFs, read and revoke documents.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { toHex } from '../../core/index.js';
import { ApiError } from '../errors.js';
import { DEFAULT_MODULE_MM, qrPng, qrPrintSizeMm, qrSvg } from '../qr/render.js';
import type { DocumentRecord } from '../registry/registry.js';
import { CORNERS, type Caller, type DocumentInput, type IssuerService } from '../service.js';
import { parsePlace, type Corner, type Place } from '../stamp/stamp.js';
import type { IssuerEnv } from './env.js';
import { uploadLimit } from './upload-limit.js';

/** Options of {@link v1Routes}. */
export interface V1Options {
  service: IssuerService;
  /** Largest PDF upload (bytes). Default 50 MB. */
  maxUploadBytes?: number;
  /** Largest JSON body (bytes). Default 64 KiB. */
  maxJsonBytes?: number;
}

const IDEMPOTENCY_RE = /^[\x21-\x7e]{1,128}$/;
const MAX_PAGES = 100;

/** The registry entry as returned by the API (hashes in hex). */
export function documentJson(d: DocumentRecord): Record<string, unknown> {
  return {
    serial: d.serial,
    agency: d.agencyId,
    kid: d.kid,
    kind: d.kind,
    type: d.type,
    number: d.number,
    fields: d.fields,
    ...(d.hash ? { hash: toHex(d.hash), length: d.length } : {}),
    statusIndex: d.statusIndex,
    issuedAt: d.issuedAt,
    ...(d.expiresAt !== undefined ? { expiresAt: d.expiresAt } : {}),
    state: d.state,
    revoked: d.revokedAt !== undefined,
    ...(d.revokedAt !== undefined ? { revokedAt: d.revokedAt } : {}),
    ...(d.revokeReason !== undefined ? { revokeReason: d.revokeReason } : {}),
    tokenId: d.tokenId,
  };
}

function idempotencyKey(c: Context<IssuerEnv>): string | undefined {
  const k = c.req.header('idempotency-key');
  if (k === undefined) return undefined;
  if (!IDEMPOTENCY_RE.test(k)) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be 1-128 visible ASCII characters');
  return k;
}

async function jsonBody(c: Context<IssuerEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send Content-Type: application/json');
  let v: unknown;
  try {
    v = await c.req.json();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('INVALID_JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiError('INVALID_JSON', 'the body must be a JSON object');
  return v as Record<string, unknown>;
}

function checkAgency(caller: Caller, agency: unknown): void {
  if (agency !== undefined && agency !== caller.agencyId) throw new ApiError('WRONG_AGENCY', `this token acts for ${caller.agencyId} only`);
}

function parsePages(v: unknown): number[] {
  if (v === undefined || v === '') return [1];
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string' || !/^\s*\d{1,5}(\s*,\s*\d{1,5})*\s*$/.test(text))
    throw new ApiError('INVALID_PAGE', 'page must be a page number or a comma-separated list (1-based)');
  const pages = [...new Set(text.split(',').map((s) => Number(s.trim())))];
  if (pages.some((p) => p < 1) || pages.length > MAX_PAGES) throw new ApiError('INVALID_PAGE', `pages are 1-based, at most ${MAX_PAGES}`);
  return pages;
}

function parseCorner(v: unknown): Corner {
  if (v === undefined || v === '') return 'bottom-left';
  if (typeof v !== 'string' || !(CORNERS as readonly string[]).includes(v))
    throw new ApiError('INVALID_CORNER', `corner must be one of ${CORNERS.join(', ')}`);
  return v as Corner;
}

function parsePlaceField(v: unknown): Place | undefined {
  if (v === undefined || v === '') return undefined;
  const place = typeof v === 'string' ? parsePlace(v) : null;
  if (!place) throw new ApiError('INVALID_PLACE', 'place is x,y[,size]: millimetres from the top-left corner of the page as shown');
  if (place.sizeMm !== undefined && (place.sizeMm < 35 || place.sizeMm > 200))
    throw new ApiError('INVALID_PLACE', 'the size in place is 35-200 mm');
  return place;
}

function parsePlacement(v: unknown): 'auto' | 'seal-page' | undefined {
  if (v === undefined || v === '') return undefined;
  if (v !== 'auto' && v !== 'seal-page') throw new ApiError('INVALID_PLACE', 'placement is auto or seal-page');
  return v;
}

function parseFields(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw new ApiError('INVALID_FIELD', 'fields must be a JSON object');
  }
}

function qrOf(sealText: string, format: string): Record<string, string> | undefined {
  if (format === 'none') return undefined;
  // Sized by module (README "QR size"): the SVG's width and the PNG's recorded dpi print DEFAULT_MODULE_MM per module.
  if (format === 'svg')
    return { format: 'svg', mediaType: 'image/svg+xml', data: qrSvg(sealText, { size: `${qrPrintSizeMm(sealText)}mm` }) };
  const dpi = Math.round(((8 * 25.4) / DEFAULT_MODULE_MM) * 100) / 100;
  return { format: 'png', mediaType: 'image/png', data: Buffer.from(qrPng(sealText, { moduleSize: 8, dpi })).toString('base64') };
}

function headersFor(d: DocumentRecord, replay: boolean): Record<string, string> {
  return {
    'X-Urseal-Serial': d.serial,
    'X-Urseal-Status-Index': String(d.statusIndex),
    'X-Urseal-Kid': d.kid,
    'X-Urseal-Agency': d.agencyId,
    ...(replay ? { 'Idempotent-Replayed': 'true' } : {}),
  };
}

/**
 * The `/v1` routes (mount behind the token and rate-limit middleware).
 * @example app.route('/v1', v1Routes({ service }))
 */
export function v1Routes(options: V1Options): Hono<IssuerEnv> {
  const { service } = options;
  const tooLarge = (limit: number) => () => {
    throw new ApiError('PAYLOAD_TOO_LARGE', `the limit is ${limit} bytes`);
  };
  const maxUpload = options.maxUploadBytes ?? 50 * 1024 * 1024;
  const maxJson = options.maxJsonBytes ?? 64 * 1024;
  const app = new Hono<IssuerEnv>();

  app.post('/seals', bodyLimit({ maxSize: maxJson, onError: tooLarge(maxJson) }), async (c) => {
    const caller = c.get('caller');
    const body = await jsonBody(c);
    checkAgency(caller, body['agency']);
    const format = c.req.query('qr') ?? (typeof body['qr'] === 'string' ? body['qr'] : 'png');
    if (!['png', 'svg', 'none'].includes(format)) throw new ApiError('BAD_REQUEST', 'qr must be png, svg or none');
    const input: DocumentInput = { type: body['type'], number: body['number'], fields: body['fields'], exp: body['exp'] };
    const r = await service.issueSeal(caller, input, idempotencyKey(c));
    const qr = qrOf(r.sealText, format);
    return c.json(
      { ...documentJson(r.document), sealText: r.sealText, ...(qr ? { qr } : {}), replay: r.replay },
      r.replay ? 200 : 201,
      headersFor(r.document, r.replay),
    );
  });

  app.post('/documents', uploadLimit({ maxSize: maxUpload }), async (c) => {
    const caller = c.get('caller');
    const type = c.req.header('content-type') ?? '';
    if (!/^multipart\/form-data\b/i.test(type))
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with the PDF in "file"');
    let form: Record<string, string | File>;
    try {
      form = (await c.req.parseBody()) as Record<string, string | File>;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError('BAD_REQUEST', 'the multipart body could not be read');
    }
    checkAgency(caller, form['agency']);
    const file = form['file'] ?? form['pdf'];
    if (!(file instanceof File)) throw new ApiError('MISSING_FILE', 'put the PDF in the "file" part');
    const pdf = new Uint8Array(await file.arrayBuffer());
    const input: DocumentInput = { type: form['type'], number: form['number'], fields: parseFields(form['fields']), exp: form['exp'] };
    const place = parsePlaceField(form['place']);
    const placement = parsePlacement(form['placement']);
    if (place && placement === 'seal-page') throw new ApiError('INVALID_PLACE', 'place and placement=seal-page exclude each other');
    const options2 = {
      pages: parsePages(form['page'] ?? form['pages']),
      corner: parseCorner(form['corner']),
      ...(place ? { place } : {}),
      ...(placement ? { placement } : {}),
    };
    const r = await service.issueDocument(caller, input, pdf, options2, idempotencyKey(c));
    return c.body(r.pdf as Uint8Array<ArrayBuffer>, r.replay ? 200 : 201, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${r.document.serial}.pdf"`,
      'X-Urseal-Seal': r.sealText,
      // Where each stamp went (JSON, ASCII only), and the added seal page when the page had no blank spot.
      'X-Urseal-Placement': JSON.stringify(r.placements),
      ...(r.sealPage !== undefined ? { 'X-Urseal-Seal-Page': String(r.sealPage) } : {}),
      ...headersFor(r.document, r.replay),
    });
  });

  app.get('/documents/:serial', async (c) => {
    const d = await service.getDocument(c.get('caller'), c.req.param('serial'));
    return c.json(documentJson(d), 200, { 'Cache-Control': 'no-store' });
  });

  app.post('/documents/:serial/revoke', bodyLimit({ maxSize: maxJson, onError: tooLarge(maxJson) }), async (c) => {
    let reason: string | undefined;
    // The body is optional: { "reason": "…" } when given.
    const text = await c.req.text();
    if (text.trim() !== '') {
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        throw new ApiError('INVALID_JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError('INVALID_JSON', 'the body must be a JSON object');
      const reasonValue = (body as Record<string, unknown>)['reason'];
      if (reasonValue !== undefined) {
        if (typeof reasonValue !== 'string' || reasonValue.length > 500)
          throw new ApiError('BAD_REQUEST', 'reason must be text of at most 500 characters');
        reason = reasonValue;
      }
    }
    const r = await service.revoke(c.get('caller'), c.req.param('serial'), reason);
    return c.json({
      ...documentJson(r.document),
      alreadyRevoked: r.already,
      statusList: { agency: r.document.agencyId, sequence: r.statusList.sequence, url: `/status/${r.document.agencyId}` },
    });
  });

  return app;
}
