// User-facing errors of keys/ and cli/: a stable URSEAL_E_* code and one bilingual line (Arabic or Kurdish first).
import { ckbError } from './ckb.js';
import { pair, type Lang } from './lang.js';

/**
 * Stable codes of errors a user can cause. Tests match on these; the wording may change.
 * Every one of them makes the CLI print a single line and exit with status 2.
 */
export type UserErrorCode =
  | 'URSEAL_E_USAGE'
  | 'URSEAL_E_FILE_NOT_FOUND'
  | 'URSEAL_E_FILE_EXISTS'
  | 'URSEAL_E_READ_FAILED'
  | 'URSEAL_E_WRITE_FAILED'
  | 'URSEAL_E_NETWORK'
  | 'URSEAL_E_NO_PASSPHRASE'
  | 'URSEAL_E_PASSPHRASE_ENV_UNSET'
  | 'URSEAL_E_PASSPHRASE_MISMATCH'
  | 'URSEAL_E_WEAK_PASSPHRASE'
  | 'URSEAL_E_WRONG_PASSPHRASE'
  | 'URSEAL_E_KEY_FILE_MALFORMED'
  | 'URSEAL_E_KEY_FILE_TAMPERED'
  | 'URSEAL_E_WRONG_KEY_KIND'
  | 'URSEAL_E_BAD_PUBLIC_KEY'
  | 'URSEAL_E_DRAFT_MALFORMED'
  | 'URSEAL_E_UNKNOWN_AGENCY'
  | 'URSEAL_E_AGENCY_EXISTS'
  | 'URSEAL_E_UNKNOWN_KEY'
  | 'URSEAL_E_KEY_EXISTS'
  | 'URSEAL_E_UNKNOWN_ROOT'
  | 'URSEAL_E_LAST_ROOT'
  | 'URSEAL_E_BAD_VALUE'
  | 'URSEAL_E_BAD_DATE'
  | 'URSEAL_E_SEQUENCE'
  | 'URSEAL_E_TRUST_LIST_INVALID'
  | 'URSEAL_E_TRUST_LIST_ROLLBACK'
  | 'URSEAL_E_STATUS_LIST_INVALID'
  | 'URSEAL_E_SEAL_INVALID'
  | 'URSEAL_E_UNKNOWN_DOCUMENT_TYPE'
  | 'URSEAL_E_UNKNOWN_FIELD'
  | 'URSEAL_E_STATUS_INDEX'
  | 'URSEAL_E_PDF_REFUSED'
  | 'URSEAL_E_DATA_DIR_IN_USE'
  | 'URSEAL_E_INTERNAL';

/** A text in Arabic and English, and in Kurdish Sorani (ckb) where translated. */
export interface Bilingual {
  ar: string;
  en: string;
  ckb?: string;
}

/**
 * An error the user can fix: bad input, wrong passphrase, missing file. The CLI prints
 * `urseal: <code>: <ar> | <en>` on one line (`<ckb> | <en>` with URSEAL_LANG=ckb, `<en>` with en) and exits 2;
 * never a stack trace.
 *
 * @example
 * throw new UserError('URSEAL_E_FILE_NOT_FOUND', { ar: 'الملف غير موجود: a.key', en: 'file not found: a.key' });
 */
export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly text: Bilingual;
  constructor(code: UserErrorCode, text: Bilingual, options?: { cause?: unknown }) {
    super(text.en, options);
    this.name = 'UserError';
    this.code = code;
    this.text = text;
  }

  /** The one line shown to the user: the reader's language (Arabic by default) first, English second. */
  line(lang?: Lang): string {
    const t = this.text;
    const text = { ar: oneLine(t.ar), en: oneLine(t.en), ...(t.ckb !== undefined ? { ckb: oneLine(t.ckb) } : {}) };
    return `urseal: ${this.code}: ${pair(text, lang)}`;
  }
}

/** Collapse newlines so a message stays on one line. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * Shorthand for a UserError with the same detail in every language after a bilingual lead. The Kurdish lead comes
 * from the table in keys/ckb.ts, keyed by the English lead (a test checks that every call has its entry).
 * @example throw userError('URSEAL_E_BAD_VALUE', 'قيمة غير صالحة', 'invalid value', '--size must be a number');
 */
export function userError(code: UserErrorCode, ar: string, en: string, detail?: string, cause?: unknown): UserError {
  const tail = detail === undefined ? '' : `: ${detail}`;
  const ckb = ckbError(en);
  const text: Bilingual = { ar: `${ar}${tail}`, en: `${en}${tail}`, ...(ckb !== undefined ? { ckb: `${ckb}${tail}` } : {}) };
  return new UserError(code, text, cause === undefined ? undefined : { cause });
}

/**
 * The same error with a suffix added in every language (e.g. the file it came from).
 * @example throw withSuffix(e, ` (${path})`);
 */
export function withSuffix(e: UserError, suffix: string): UserError {
  const t = e.text;
  const text: Bilingual = { ar: `${t.ar}${suffix}`, en: `${t.en}${suffix}`, ...(t.ckb !== undefined ? { ckb: `${t.ckb}${suffix}` } : {}) };
  return new UserError(e.code, text, { cause: e });
}
