// Turning `verify` arguments into work items: seal texts, image/PDF/text files, folders walked recursively.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { userError } from '../keys/errors.js';

/** One thing to verify; a file may hold several seals (each gets its own result line). */
export type VerifyItem =
  { kind: 'text'; label: string; text: string } | { kind: 'file'; label: string; path: string; type: FileType; size?: number };

export type FileType = 'image' | 'pdf' | 'text' | 'svg' | 'unknown';

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.gif', '.bmp']);
const TEXT_EXT = new Set(['.txt', '.seal']);

/** File type from the extension; `unknown` files are sniffed when read. */
export function fileTypeOf(path: string): FileType {
  const ext = extname(path).toLowerCase();
  if (IMAGE_EXT.has(ext)) return 'image';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.svg') return 'svg';
  if (TEXT_EXT.has(ext)) return 'text';
  return 'unknown';
}

/** Does this argument look like a seal text or link rather than a path? */
export function looksLikeSeal(arg: string): boolean {
  return arg.startsWith('UR1:') || /#UR1B:[A-Z2-7]+$/.test(arg);
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

function walk(dir: string, items: VerifyItem[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, items);
    else if (e.isFile()) {
      const type = fileTypeOf(p);
      // Inside folders only known kinds: a scan folder also holds notes, thumbnails of other formats, ...
      if (type === 'text') items.push({ kind: 'file', label: p, path: p, type, size: sizeOf(p) });
      else if (type !== 'unknown') items.push({ kind: 'file', label: p, path: p, type });
    }
  }
}

/**
 * Expand arguments in order: seal texts stay as they are; files become items; folders are walked
 * (sorted, recursive, hidden entries skipped). A missing path is a usage error (URSEAL_E_FILE_NOT_FOUND).
 * @example collectItems(['UR1:...', 'scans/']) // [{ kind: 'text', ... }, { kind: 'file', path: 'scans/a.png', ... }]
 */
export function collectItems(args: readonly string[]): VerifyItem[] {
  const items: VerifyItem[] = [];
  for (const arg of args) {
    if (arg === '-') {
      // Seal texts on standard input, one per line: `urseal seal ... | urseal verify - ...`.
      let text: string;
      try {
        text = readFileSync(0, 'utf8');
      } catch (e) {
        throw userError('URSEAL_E_READ_FAILED', 'تعذّرت قراءة المدخل القياسي', 'cannot read standard input', undefined, e);
      }
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
        .forEach((t, i) => items.push({ kind: 'text', label: `stdin:${i + 1}`, text: t }));
      continue;
    }
    if (looksLikeSeal(arg)) {
      // The label is the whole text: reports name each input in full (lines shorten it for display).
      items.push({ kind: 'text', label: arg, text: arg });
      continue;
    }
    let st;
    try {
      st = statSync(arg);
    } catch (e) {
      throw userError(
        'URSEAL_E_FILE_NOT_FOUND',
        'الملف أو المجلد غير موجود (ولا هو نص ختم)',
        'no such file or folder (and not a seal text)',
        arg,
        e,
      );
    }
    if (st.isDirectory()) walk(arg, items);
    else items.push({ kind: 'file', label: arg, path: arg, type: fileTypeOf(arg), size: st.size });
  }
  return items;
}

/**
 * Rough cost of an item in "seal verifications", to decide whether worker threads pay off and to size
 * their chunks: a seal text 1; a text file about one per 300 bytes (a seal line is 250-450 characters);
 * an image about 100 (reading a QR code with zxing-wasm takes some milliseconds, a verification ~0.1 ms).
 */
export function itemCost(item: VerifyItem): number {
  if (item.kind === 'text') return 1;
  if (item.type === 'text') return Math.max(1, Math.ceil((item.size ?? 1500) / 300));
  return 100;
}
