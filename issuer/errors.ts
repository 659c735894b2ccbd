// Typed API failures of the issuer service: a stable code, an HTTP status and a message in Arabic and English.
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Stable codes returned in `{ error: { code, message: { ar, en } } }`. Tests and clients match on these;
 * the messages may change.
 */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN_SCOPE'
  | 'WRONG_AGENCY'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNKNOWN_DOCUMENT_TYPE'
  | 'UNKNOWN_FIELD'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD'
  | 'MISSING_FILE'
  | 'INVALID_PAGE'
  | 'INVALID_CORNER'
  | 'INVALID_PLACE'
  | 'PLACE_OFF_PAGE'
  | 'INVALID_SERIAL'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'DOCUMENT_NOT_ISSUED'
  | 'PDF_UNREADABLE'
  | 'PDF_ENCRYPTED_NO_CHANGES'
  | 'PDF_ENCRYPTED_PASSWORD'
  | 'PDF_ENCRYPTED_UNSUPPORTED'
  | 'PDF_PAGE_NOT_FOUND'
  | 'NO_SIGNING_KEY'
  | 'STATUS_LIST_FULL'
  | 'STAMPING_FAILED'
  | 'TIMEOUT'
  | 'REGISTRY_UNAVAILABLE'
  | 'INTERNAL';

/** A message in both languages of the product. */
export interface BilingualMessage {
  ar: string;
  en: string;
}

const TABLE: Record<ApiErrorCode, { status: ContentfulStatusCode; ar: string; en: string }> = {
  BAD_REQUEST: { status: 400, ar: 'الطلب غير صالح.', en: 'The request is not valid.' },
  INVALID_JSON: { status: 400, ar: 'نص JSON في الطلب غير صالح.', en: 'The request body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, ar: 'نوع محتوى الطلب غير مدعوم.', en: 'The request content type is not supported.' },
  UNAUTHORIZED: {
    status: 401,
    ar: 'رمز الوصول مفقود أو غير صالح أو ملغى.',
    en: 'The access token is missing, invalid or revoked.',
  },
  FORBIDDEN_SCOPE: { status: 403, ar: 'رمز الوصول لا يملك صلاحية هذا الإجراء.', en: 'The access token is not allowed to do this.' },
  WRONG_AGENCY: { status: 403, ar: 'لا يمكن لجهة أن تتصرف باسم جهة أخرى.', en: 'An agency cannot act for another agency.' },
  NOT_FOUND: { status: 404, ar: 'غير موجود.', en: 'Not found.' },
  METHOD_NOT_ALLOWED: { status: 405, ar: 'الطريقة غير مسموحة لهذا المسار.', en: 'Method not allowed on this path.' },
  PAYLOAD_TOO_LARGE: { status: 413, ar: 'حجم الطلب أكبر من المسموح.', en: 'The request is larger than allowed.' },
  RATE_LIMITED: { status: 429, ar: 'طلبات كثيرة جدًا؛ أعد المحاولة بعد قليل.', en: 'Too many requests; try again shortly.' },
  UNKNOWN_DOCUMENT_TYPE: {
    status: 422,
    ar: 'نوع المستند غير منشور لهذه الجهة في قائمة الثقة.',
    en: 'This document type is not published for the agency in the trust list.',
  },
  UNKNOWN_FIELD: { status: 422, ar: 'حقل غير معرّف لنوع المستند هذا.', en: 'A field is not defined for this document type.' },
  MISSING_FIELD: { status: 422, ar: 'حقل مطلوب مفقود.', en: 'A required field is missing.' },
  INVALID_FIELD: { status: 422, ar: 'قيمة حقل غير صالحة.', en: 'A field value is not valid.' },
  STATUS_LIST_FULL: {
    status: 409,
    ar: 'قائمة الوثائق الملغاة لهذه الجهة ممتلئة؛ لا يمكن إصدار وثيقة يتعذّر إلغاؤها.',
    en: "The agency's list of revoked documents is full; a document that could not be revoked is not issued.",
  },
  MISSING_FILE: { status: 422, ar: 'ملف PDF مفقود في الطلب.', en: 'The PDF file is missing from the request.' },
  INVALID_PAGE: { status: 422, ar: 'رقم الصفحة غير صالح.', en: 'The page number is not valid.' },
  INVALID_CORNER: { status: 422, ar: 'موضع الختم غير صالح.', en: 'The stamp corner is not valid.' },
  INVALID_PLACE: {
    status: 422,
    ar: 'صيغة موضع الختم غير صالحة: x,y[,الحجم] بالمليمتر من أعلى يسار الصفحة.',
    en: 'The stamp place is not valid: x,y[,size] in millimetres from the top-left corner of the page.',
  },
  PLACE_OFF_PAGE: {
    status: 422,
    ar: 'الموضع المطلوب للختم يقع خارج الصفحة كلّها أو بعضها.',
    en: 'The requested stamp place lies partly or wholly off the page.',
  },
  INVALID_SERIAL: { status: 400, ar: 'الرقم التسلسلي غير صالح.', en: 'The serial number is not valid.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    ar: 'مفتاح منع التكرار استُخدم لطلب مختلف.',
    en: 'The Idempotency-Key was already used for a different request.',
  },
  DOCUMENT_NOT_ISSUED: { status: 409, ar: 'لم يكتمل إصدار هذا المستند.', en: 'This document was not issued.' },
  PDF_UNREADABLE: {
    status: 422,
    ar: 'تعذّرت قراءة ملف PDF: الملف تالف أو ليس ملف PDF.',
    en: 'The PDF could not be read: it is damaged or not a PDF.',
  },
  PDF_ENCRYPTED_NO_CHANGES: {
    status: 422,
    ar: 'ملف PDF مشفّر وصلاحياته تمنع تعديله، فلا يمكن ختمه.',
    en: 'The PDF is encrypted and its permissions forbid changes, so it cannot be stamped.',
  },
  PDF_ENCRYPTED_PASSWORD: {
    status: 422,
    ar: 'ملف PDF محميّ بكلمة مرور، فلا يمكن ختمه.',
    en: 'The PDF is protected by a password, so it cannot be stamped.',
  },
  PDF_ENCRYPTED_UNSUPPORTED: {
    status: 422,
    ar: 'ملف PDF مشفّر بطريقة لا يدعمها الختم.',
    en: 'The PDF is encrypted in a way the stamper does not support.',
  },
  PDF_PAGE_NOT_FOUND: {
    status: 422,
    ar: 'رقم الصفحة المطلوبة غير موجود في المستند.',
    en: 'A requested page does not exist in the document.',
  },
  NO_SIGNING_KEY: {
    status: 503,
    ar: 'لا يوجد مفتاح توقيع صالح منشور في قائمة الثقة الحالية لهذه الجهة.',
    en: 'The agency has no signing key that the current trust list admits and whose validity window is open.',
  },
  STAMPING_FAILED: { status: 500, ar: 'تعذّر ختم الملف.', en: 'The file could not be stamped.' },
  TIMEOUT: { status: 503, ar: 'انتهت مهلة معالجة الطلب.', en: 'The request took too long.' },
  REGISTRY_UNAVAILABLE: {
    status: 503,
    ar: 'سجل الخدمة غير متاح مؤقتاً؛ أعد المحاولة بعد قليل (بمفتاح التكرار نفسه).',
    en: 'The service registry is unavailable for the moment; retry shortly (with the same Idempotency-Key).',
  },
  INTERNAL: { status: 500, ar: 'خطأ داخلي في الخادم.', en: 'Internal server error.' },
};

/** The HTTP status of a code. */
export function statusOf(code: ApiErrorCode): ContentfulStatusCode {
  return TABLE[code].status;
}

/** The bilingual message of a code. */
export function messageOf(code: ApiErrorCode): BilingualMessage {
  const t = TABLE[code];
  return { ar: t.ar, en: t.en };
}

/**
 * A request failure: thrown anywhere in a route, mapped to JSON by the app's one `onError`.
 * `detail` (English, technical) names the field or value at fault and is returned as `error.detail`.
 * @example throw new ApiError('UNKNOWN_FIELD', 'field "x" is not defined for type "cert"')
 */
export class ApiError extends HTTPException {
  readonly code: ApiErrorCode;
  readonly detail: string | undefined;
  readonly headers: Record<string, string> | undefined;
  constructor(code: ApiErrorCode, detail?: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(statusOf(code), { message: detail ?? code, cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.detail = detail;
    this.headers = options.headers;
  }
}

/** The JSON body of an error response. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: BilingualMessage; detail?: string };
}

/** Build the JSON error body for a code. */
export function errorBody(code: ApiErrorCode, detail?: string): ErrorBody {
  const body: ErrorBody = { error: { code, message: messageOf(code) } };
  if (detail !== undefined) body.error.detail = detail;
  return body;
}
