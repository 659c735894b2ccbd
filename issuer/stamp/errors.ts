// Typed refusals of the PDF stamper: a stable code plus a message in Arabic and English.

/**
 * Stable codes. Tests match on these; messages may change.
 * - `PDF_UNREADABLE`: not a PDF, or too damaged to find its catalog and pages.
 * - `PDF_ENCRYPTED_NO_CHANGES`: encrypted, and its permissions (/P bit 4) forbid modifying it.
 * - `PDF_ENCRYPTED_PASSWORD`: encrypted with a non-empty user password (we cannot derive the key).
 * - `PDF_ENCRYPTED_UNSUPPORTED`: encrypted with a handler or layout the stamper does not implement
 *   (non-Standard handler, unknown revision or crypt filter, encrypted object streams).
 * - `PDF_PAGE_NOT_FOUND`: a requested page number is not in the document.
 * - `INVALID_SEAL_TEXT`: the seal text is not `UR1:` + Base45 of a sane length.
 * - `QR_TOO_SMALL`: the requested QR size gives modules under 0.5 mm for this seal (see `minQrSizeMm`).
 * - `INVALID_OPTIONS`: another option breaks the API contract (bad corner, caption ...).
 * - `SIGNING_FAILED`: the signing callback threw or did not return a 64-byte signature.
 * - `PLACE_OFF_PAGE`: an explicit place (`place`, `--place`) puts the stamp partly or wholly off the page.
 */
export type StampErrorCode =
  | 'PDF_UNREADABLE'
  | 'PDF_ENCRYPTED_NO_CHANGES'
  | 'PDF_ENCRYPTED_PASSWORD'
  | 'PDF_ENCRYPTED_UNSUPPORTED'
  | 'PDF_PAGE_NOT_FOUND'
  | 'INVALID_SEAL_TEXT'
  | 'QR_TOO_SMALL'
  | 'INVALID_OPTIONS'
  | 'SIGNING_FAILED'
  | 'PLACE_OFF_PAGE';

const MESSAGES: Record<StampErrorCode, { ar: string; en: string }> = {
  PDF_UNREADABLE: {
    ar: 'تعذّرت قراءة ملف PDF: الملف تالف أو ليس ملف PDF.',
    en: 'The PDF could not be read: it is damaged or not a PDF.',
  },
  PDF_ENCRYPTED_NO_CHANGES: {
    ar: 'ملف PDF مشفّر وصلاحياته تمنع تعديله، فلا يمكن ختمه. اطلب نسخة تسمح بالتعديل.',
    en: 'The PDF is encrypted and its permissions forbid changes, so it cannot be stamped. Ask for a copy that allows changes.',
  },
  PDF_ENCRYPTED_PASSWORD: {
    ar: 'ملف PDF محميّ بكلمة مرور، فلا يمكن ختمه. أزل كلمة المرور ثم أعد المحاولة.',
    en: 'The PDF is protected by a password, so it cannot be stamped. Remove the password and try again.',
  },
  PDF_ENCRYPTED_UNSUPPORTED: {
    ar: 'ملف PDF مشفّر بطريقة لا يدعمها الختم. أزل التشفير ثم أعد المحاولة.',
    en: 'The PDF is encrypted in a way the stamper does not support. Remove the encryption and try again.',
  },
  PDF_PAGE_NOT_FOUND: {
    ar: 'رقم الصفحة المطلوبة غير موجود في المستند.',
    en: 'A requested page number does not exist in the document.',
  },
  INVALID_SEAL_TEXT: {
    ar: 'نص الختم غير صالح.',
    en: 'The seal text is not valid.',
  },
  QR_TOO_SMALL: {
    ar: 'حجم رمز QR المطلوب أصغر من أن يُقرأ بعد الطباعة والمسح: يلزم 0.5 مم على الأقل لكل وحدة من الرمز.',
    en: 'The requested QR size is too small to read after printing and scanning: each module needs at least 0.5 mm.',
  },
  INVALID_OPTIONS: {
    ar: 'خيارات الختم غير صالحة.',
    en: 'The stamping options are not valid.',
  },
  SIGNING_FAILED: {
    ar: 'تعذّر توقيع الملف المختوم.',
    en: 'The stamped file could not be signed.',
  },
  PLACE_OFF_PAGE: {
    ar: 'الموضع المطلوب للختم يقع خارج الصفحة كلّها أو بعضها. اختر موضعًا أقرب إلى أعلى الصفحة ويسارها أو حجمًا أصغر.',
    en: 'The requested stamp place lies partly or wholly off the page. Choose a place nearer the top-left of the page or a smaller size.',
  },
};

/**
 * Why stamping a PDF was refused. `message` is the English text plus a detail for logs.
 *
 * @example
 * try { await stampPdf(bytes, opts) } catch (e) { if (e instanceof StampError) console.log(e.code, e.messageAr) }
 */
export class StampError extends Error {
  readonly code: StampErrorCode;
  readonly messageAr: string;
  readonly messageEn: string;
  constructor(code: StampErrorCode, detail?: string, options?: { cause?: unknown }) {
    const m = MESSAGES[code];
    super(detail ? `${m.en} (${detail})` : m.en, options);
    this.name = 'StampError';
    this.code = code;
    this.messageAr = m.ar;
    this.messageEn = m.en;
  }
}
