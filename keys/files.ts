// Reading local files with user-facing errors (missing file, unreadable, too large) instead of raw exceptions.
import { readFileSync, statSync } from 'node:fs';
import { UserError, userError } from './errors.js';

/** Largest file read in one piece by the CLI (trust lists are bounded at 8 MiB, PDFs at 512 MiB). */
export const MAX_READ_BYTES = 600 * 1024 * 1024;

/**
 * Read a whole file; URSEAL_E_FILE_NOT_FOUND or URSEAL_E_READ_FAILED naming the path.
 * @example const bytes = readFileChecked('trust-list.cose');
 */
export function readFileChecked(path: string, maxBytes = MAX_READ_BYTES): Uint8Array {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw userError('URSEAL_E_READ_FAILED', 'هذا مجلد وليس ملفاً', 'this is a folder, not a file', path);
    if (st.size > maxBytes) throw userError('URSEAL_E_READ_FAILED', 'الملف أكبر من المسموح', 'file too large', path);
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') throw userError('URSEAL_E_FILE_NOT_FOUND', 'الملف غير موجود', 'file not found', path, e);
    throw userError('URSEAL_E_READ_FAILED', 'تعذّرت قراءة الملف', 'cannot read file', `${path}${code ? ` (${code})` : ''}`, e);
  }
}

/**
 * Read a UTF-8 text file (see readFileChecked).
 * @example const json = readTextChecked('draft.json');
 */
export function readTextChecked(path: string, maxBytes = 64 * 1024 * 1024): string {
  return Buffer.from(readFileChecked(path, maxBytes)).toString('utf8');
}

/**
 * Parse JSON from a file; URSEAL_E_DRAFT_MALFORMED (or the given code) on bad JSON.
 * @example const draft = readJsonChecked('draft.json');
 */
export function readJsonChecked(
  path: string,
  code: 'URSEAL_E_DRAFT_MALFORMED' | 'URSEAL_E_KEY_FILE_MALFORMED' | 'URSEAL_E_BAD_VALUE' = 'URSEAL_E_DRAFT_MALFORMED',
): unknown {
  // A byte-order mark (Windows editors add one) is not JSON: drop it.
  const text = readTextChecked(path).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw userError(code, 'الملف ليس JSON صالحاً', 'file is not valid JSON', path, e);
  }
}
