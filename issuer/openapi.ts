// The OpenAPI 3.1 description of the issuer API, served at /openapi.json (hand-written, kept next to the routes).
import type { ApiErrorCode } from './errors.js';

const ERROR_CODES: ApiErrorCode[] = [
  'BAD_REQUEST',
  'INVALID_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHORIZED',
  'FORBIDDEN_SCOPE',
  'WRONG_AGENCY',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNKNOWN_DOCUMENT_TYPE',
  'UNKNOWN_FIELD',
  'MISSING_FIELD',
  'INVALID_FIELD',
  'MISSING_FILE',
  'INVALID_PAGE',
  'INVALID_CORNER',
  'INVALID_SERIAL',
  'IDEMPOTENCY_KEY_REUSED',
  'DOCUMENT_NOT_ISSUED',
  'PDF_UNREADABLE',
  'PDF_ENCRYPTED_NO_CHANGES',
  'PDF_ENCRYPTED_PASSWORD',
  'PDF_ENCRYPTED_UNSUPPORTED',
  'PDF_PAGE_NOT_FOUND',
  'NO_SIGNING_KEY',
  'STATUS_LIST_FULL',
  'STAMPING_FAILED',
  'TIMEOUT',
  'REGISTRY_UNAVAILABLE',
  'INTERNAL',
];

const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const authErrors = {
  '401': err('Missing, unknown or revoked token (UNAUTHORIZED)'),
  '403': err('Token lacks the scope (FORBIDDEN_SCOPE) or acts for another agency (WRONG_AGENCY)'),
  '429': err('Per-token rate limit (RATE_LIMITED); see Retry-After'),
  '500': err('A fault of the service (INTERNAL); details are logged, never sent'),
  '503': err(
    'No signing key admitted by the current trust list (NO_SIGNING_KEY, issuing and revoking), or the request took longer than the time limit (TIMEOUT), or the registry database cannot be reached (REGISTRY_UNAVAILABLE); retry with the same Idempotency-Key',
  ),
};
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Retry safety: the same key with the same request returns the same document (200, Idempotent-Replayed: true); with a different request, 422 IDEMPOTENCY_KEY_REUSED.',
  schema: { type: 'string', minLength: 1, maxLength: 128 },
};
const documentContent = {
  type: { type: 'string', description: 'Document-type id published for the agency in the trust list' },
  number: { type: 'string', maxLength: 64, description: 'The document number as printed' },
  fields: {
    type: 'object',
    additionalProperties: {
      oneOf: [
        { type: 'string', maxLength: 256 },
        { type: 'integer', minimum: 0 },
      ],
    },
    description: 'Every field of the type, by field id',
  },
  exp: { type: 'integer', description: 'Optional expiry, seconds since 1970' },
};

/** The OpenAPI document. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'urseal issuer API',
    version: '1.0.0',
    description:
      'Issue offline-verifiable seals: stamp PDFs or get a QR for a paper form. Errors are JSON `{ error: { code, message: { ar, en }, detail? } }` with a stable code.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: {
      token: { type: 'http', scheme: 'bearer', description: 'An agency API token `urs_…` (scopes: issue, revoke, read)' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', enum: ERROR_CODES },
              message: { type: 'object', required: ['ar', 'en'], properties: { ar: { type: 'string' }, en: { type: 'string' } } },
              detail: { type: 'string', description: 'Technical detail (English), e.g. which field' },
            },
          },
        },
      },
      Document: {
        type: 'object',
        required: ['serial', 'agency', 'kid', 'kind', 'type', 'number', 'fields', 'statusIndex', 'issuedAt', 'state', 'revoked'],
        properties: {
          serial: { type: 'string', pattern: '^[0-9a-f]{16}$', description: 'The seal `cti` in hex' },
          agency: { type: 'string' },
          kid: { type: 'string', description: 'Key id (hex) that signed the seal' },
          kind: { type: 'string', enum: ['pdf', 'paper'] },
          type: { type: 'string' },
          number: { type: 'string' },
          fields: { type: 'object' },
          hash: { type: 'string', description: 'SHA-256 of the original PDF (hex); PDFs only' },
          length: { type: 'integer' },
          statusIndex: { type: 'integer' },
          issuedAt: { type: 'integer' },
          expiresAt: { type: 'integer' },
          state: { type: 'string', enum: ['issued', 'failed'] },
          revoked: { type: 'boolean' },
          revokedAt: { type: 'integer' },
          revokeReason: { type: 'string' },
          tokenId: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/v1/documents': {
      post: {
        summary: 'Stamp a PDF: returns the original bytes plus one incremental update carrying the seal',
        security: [{ token: [] }],
        parameters: [idempotencyHeader],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file', 'type', 'number', 'fields'],
                properties: {
                  file: { type: 'string', contentMediaType: 'application/pdf', description: 'The PDF (default limit 50 MB)' },
                  ...documentContent,
                  fields: { type: 'string', description: 'JSON object of field id -> value' },
                  page: { type: 'string', description: 'Page number or comma-separated list, 1-based (default 1)' },
                  corner: {
                    type: 'string',
                    enum: ['bottom-left', 'bottom-right', 'top-left', 'top-right'],
                    description:
                      'Preferred corner as the page is shown (default bottom-left). The stamp never covers what the page shows: next blank corner, then along the margins, then anywhere blank, else an added seal page',
                  },
                  place: {
                    type: 'string',
                    pattern: '^\\d+(\\.\\d+)?,\\d+(\\.\\d+)?(,\\d+(\\.\\d+)?)?$',
                    description:
                      'x,y[,size]: put the stamp exactly here, millimetres from the top-left corner of the page as shown to the top-left corner of the stamp; size = QR width in mm (35-200). Default: the document type place from the issuer configuration, if any. PLACE_OFF_PAGE when it does not fit',
                  },
                  placement: {
                    type: 'string',
                    enum: ['auto', 'seal-page'],
                    description: 'seal-page: always put the stamp on an added seal page (QR, caption, signed fields in Arabic and English)',
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description:
              'The stamped PDF; X-Urseal-Serial, X-Urseal-Status-Index, X-Urseal-Kid, X-Urseal-Seal headers; X-Urseal-Placement: JSON list, per stamped page, of {page, method (corner | margin | grid | place | kept | overlay | seal-page), corner?, drawnOn, boxMm {x, y, width, height} from the top-left as shown}; X-Urseal-Seal-Page: number of the added seal page, when a page had no blank space',
            headers: {
              'X-Urseal-Placement': { schema: { type: 'string' }, description: 'Where each stamp went (JSON)' },
              'X-Urseal-Seal-Page': { schema: { type: 'string' }, description: '1-based number of the added seal page' },
            },
            content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
          },
          '200': { description: 'Replay of an earlier identical request (Idempotency-Key)' },
          '400': err('A multipart body that cannot be read (BAD_REQUEST)'),
          '413': err('Upload too large (PAYLOAD_TOO_LARGE)'),
          '415': err('Not multipart/form-data (UNSUPPORTED_MEDIA_TYPE)'),
          '409': err("The agency's status list is full (STATUS_LIST_FULL)"),
          '422': err(
            'Unknown type/field, missing field, bad page or corner, bad place (INVALID_PLACE) or a place off the page (PLACE_OFF_PAGE), unreadable or locked PDF, Idempotency-Key reused',
          ),
          ...authErrors,
        },
      },
    },
    '/v1/seals': {
      post: {
        summary: 'Issue a seal for a paper form: seal text and QR image (PNG base64 or SVG)',
        security: [{ token: [] }],
        parameters: [idempotencyHeader, { name: 'qr', in: 'query', schema: { type: 'string', enum: ['png', 'svg', 'none'] } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['type', 'number', 'fields'],
                properties: { ...documentContent, qr: { type: 'string', enum: ['png', 'svg', 'none'] } },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The document, its seal text and QR',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Document' },
                    {
                      type: 'object',
                      properties: {
                        sealText: { type: 'string' },
                        qr: {
                          type: 'object',
                          properties: { format: { type: 'string' }, mediaType: { type: 'string' }, data: { type: 'string' } },
                        },
                        replay: { type: 'boolean' },
                      },
                    },
                  ],
                },
              },
            },
          },
          '200': { description: 'Replay of an earlier identical request (Idempotency-Key)' },
          '400': err('Bad JSON (INVALID_JSON), or a qr value other than png, svg or none (BAD_REQUEST)'),
          '413': err('JSON body over 64 KiB (PAYLOAD_TOO_LARGE)'),
          '415': err('Not application/json (UNSUPPORTED_MEDIA_TYPE)'),
          '409': err("The agency's status list is full (STATUS_LIST_FULL)"),
          '422': err('Unknown type/field, missing or invalid field, Idempotency-Key reused'),
          ...authErrors,
        },
      },
    },
    '/v1/documents/{serial}': {
      get: {
        summary: 'The registry entry of a document of the caller’s agency (scope read)',
        security: [{ token: [] }],
        parameters: [{ name: 'serial', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } }],
        responses: {
          '200': { description: 'The entry', content: { 'application/json': { schema: { $ref: '#/components/schemas/Document' } } } },
          '400': err('Not a serial: 16 lower-case hex digits (INVALID_SERIAL)'),
          '404': err('No such document of the caller’s agency (NOT_FOUND; another agency’s serial answers the same)'),
          ...authErrors,
        },
      },
    },
    '/v1/documents/{serial}/revoke': {
      post: {
        summary: 'Revoke a document: sets its status bit and re-signs the agency status list (scope revoke); idempotent',
        security: [{ token: [] }],
        parameters: [{ name: 'serial', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } }],
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 } } } } },
        },
        responses: {
          '200': { description: 'Revoked; statusList.sequence is the new list' },
          '400': err('Not a serial (INVALID_SERIAL), or a body that is not JSON (INVALID_JSON)'),
          '404': err('No such document of the caller’s agency (NOT_FOUND; another agency’s serial answers the same)'),
          '409': err('DOCUMENT_NOT_ISSUED'),
          '413': err('JSON body over 64 KiB (PAYLOAD_TOO_LARGE)'),
          ...authErrors,
        },
      },
    },
    '/trust-list': {
      get: {
        summary: 'The current signed trust list (COSE_Sign1); ETag, Cache-Control',
        responses: { '200': { description: 'COSE bytes', content: { 'application/cose': {} } }, '304': { description: 'Not modified' } },
      },
    },
    '/trust-list.json': {
      get: {
        summary: 'Readable JSON view of the trust list (not signed)',
        responses: { '200': { description: 'JSON' }, '304': { description: 'Not modified' } },
      },
    },
    '/status/{agency}': {
      get: {
        summary: 'The agency’s current signed status list (COSE_Sign1); ETag, Cache-Control',
        parameters: [{ name: 'agency', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'COSE bytes', content: { 'application/cose': {} } },
          '304': { description: 'Not modified' },
          '404': err('NOT_FOUND'),
        },
      },
    },
    '/healthz': {
      get: { summary: 'Health: trust list, which agencies can issue, stamper', responses: { '200': { description: 'JSON' } } },
    },
    '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
  },
} as const;
