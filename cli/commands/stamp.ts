// `urseal stamp`: seal a PDF (bound to its exact bytes) and stamp it: QR and caption in one incremental update, closed by a signature.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { StampError, parsePlace as parsePlaceText, type Corner, type Place } from '../../issuer/stamp/stamp.js';
import { writeFileAtomic } from '../../keys/atomic.js';
import { userError } from '../../keys/errors.js';
import { readFileChecked } from '../../keys/files.js';
import { collect, note, parseIntFlag } from '../options.js';
import { prepareSeal, withSealFlags, type SealOptions } from './seal.js';

export interface StampCmdOptions extends SealOptions {
  out: string;
  page?: string[];
  corner?: string;
  keepCorner?: boolean;
  sizeMm?: string;
  place?: string;
  sealPage?: boolean;
  captionCkb?: boolean;
  force?: boolean;
}

/**
 * Parse `--place x,y[,size]`: millimetres from the top-left corner of the page as shown to the top-left corner
 * of the stamp, and optionally the QR's width in millimetres (as --size-mm).
 * @example parsePlace('120,30') // { xMm: 120, yMm: 30 }
 */
export function parsePlace(text: string): Place {
  const place = parsePlaceText(text);
  if (!place)
    throw userError(
      'URSEAL_E_BAD_VALUE',
      'صيغة --place هي x,y[,الحجم] بالمليمتر من أعلى يسار الصفحة',
      '--place is x,y[,size] in millimetres from the top-left corner of the page',
      `--place ${JSON.stringify(text)}`,
    );
  if (place.sizeMm !== undefined && (place.sizeMm < 35 || place.sizeMm > 200))
    throw userError(
      'URSEAL_E_BAD_VALUE',
      'حجم الرمز من 35 إلى 200 مليمتر',
      'the QR size is 35 to 200 mm',
      `--place ${JSON.stringify(text)}`,
    );
  return place;
}

const CORNERS: readonly Corner[] = ['bottom-left', 'bottom-right', 'top-left', 'top-right'];

/** `--size-mm`: millimetres, up to 2 decimals, at most 200 (the minimum depends on the seal, checked after signing). */
function parseSizeMm(value: string): number {
  const n = Number(value);
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(value.trim()) || !(n > 0 && n <= 200)) {
    throw userError(
      'URSEAL_E_BAD_VALUE',
      'قيمة عددية غير صالحة',
      'invalid number',
      `--size-mm ${JSON.stringify(value)} (millimetres, at most 200)`,
    );
  }
  return n;
}

/**
 * Stamp one PDF: the output is the original bytes plus one incremental update. Prints the seal text.
 * @example await stampCmd('deed.pdf', { out: 'deed-sealed.pdf', key: 'moj-1.key', type: 'poa', number: '77/2026', passphraseEnv: 'MOJ_PASS' })
 */
export async function stampCmd(input: string, opts: StampCmdOptions): Promise<void> {
  const pages = (opts.page ?? ['1']).map((p) => parseIntFlag(p, '--page', 1, 100_000));
  const corner = (opts.corner ?? 'bottom-left') as Corner;
  if (!CORNERS.includes(corner))
    throw userError('URSEAL_E_USAGE', 'الزاوية غير معروفة', `--corner must be one of ${CORNERS.join(', ')}`, opts.corner);
  const place = opts.place !== undefined ? parsePlace(opts.place) : undefined;
  if (place && (opts.corner !== undefined || opts.keepCorner || opts.sealPage))
    throw userError(
      'URSEAL_E_USAGE',
      '--place لا يجتمع مع --corner أو --keep-corner أو --seal-page',
      '--place goes without --corner, --keep-corner and --seal-page',
    );
  if (place?.sizeMm !== undefined && opts.sizeMm !== undefined)
    throw userError(
      'URSEAL_E_USAGE',
      'الحجم في --place أو في --size-mm لا في كليهما',
      'give the size in --place or in --size-mm, not both',
    );
  const sizeMm = opts.sizeMm !== undefined ? parseSizeMm(opts.sizeMm) : undefined;
  const original = readFileChecked(input);
  const { text, key, labels } = await prepareSeal(opts, original);
  // Loaded only here: the PDF library costs start-up time that other commands should not pay.
  const { stampPdfDetailed, describePlacement, minQrSizeMm, MAX_QR_TEXT, MIN_MODULE_MM, DEFAULT_CAPTION_CKB } =
    await import('../../issuer/stamp/stamp.js');
  // The smallest size depends on the seal's module count, known only once it is signed (a seal too long for
  // any QR code is refused by stampPdf itself).
  const asked = sizeMm ?? place?.sizeMm;
  if (asked !== undefined && text.length <= MAX_QR_TEXT && asked < minQrSizeMm(text)) {
    const min = minQrSizeMm(text);
    throw userError(
      'URSEAL_E_BAD_VALUE',
      `حجم الرمز أصغر من الحد الأدنى لهذا الختم: ${min} مم (${MIN_MODULE_MM} مم لكل وحدة)`,
      `--size-mm is below the minimum for this seal: ${min} mm (${MIN_MODULE_MM} mm per module)`,
      opts.sizeMm !== undefined ? `--size-mm ${opts.sizeMm}` : `--place ${opts.place}`,
    );
  }
  let stamped: Uint8Array;
  let where: string[];
  try {
    const r = await stampPdfDetailed(original, {
      sealText: text,
      sign: (m) => key.backend.signSync(key.key, m),
      pages,
      corner,
      avoidContent: opts.keepCorner !== true,
      ...(sizeMm !== undefined ? { sizeMm } : {}),
      ...(place ? { place } : {}),
      ...(opts.sealPage ? { placement: 'seal-page' as const } : {}),
      ...(labels ? { labels } : {}),
      ...(opts.captionCkb ? { caption: DEFAULT_CAPTION_CKB } : {}),
    });
    stamped = r.pdf;
    where = r.placements.map(describePlacement);
  } catch (e) {
    if (e instanceof StampError)
      throw userError(
        'URSEAL_E_PDF_REFUSED',
        `تعذّر ختم الملف (${e.code}): ${e.messageAr}`,
        `cannot stamp the file (${e.code}): ${e.messageEn}`,
        basename(input),
        e,
      );
    throw e;
  }
  writeFileAtomic(opts.out, stamped, { overwrite: opts.force === true });
  note(`stamped -> ${opts.out} (${original.length} + ${stamped.length - original.length} bytes)`);
  for (const w of where) note(w);
  process.stdout.write(`${text}\n`);
}

/**
 * Register `urseal stamp`.
 * @example register(program)
 */
export function register(program: Command): void {
  withSealFlags(
    program
      .command('stamp')
      .argument('<in.pdf>', 'the PDF as issued (never rewritten: the stamp is appended)')
      .description('ختم ملف PDF | seal a PDF and stamp the QR on it (incremental update, closing signature)')
      .requiredOption('--out <out.pdf>', 'where to write the stamped PDF')
      .option('--page <n>', 'page to stamp, 1-based (repeatable; default 1)', collect)
      .option('--corner <corner>', 'bottom-left | bottom-right | top-left | top-right (as the reader sees the page)')
      .option(
        '--keep-corner',
        'stamp in that corner even over what the page shows (default: the next blank corner, then along the margins, then anywhere blank, else an added seal page)',
      )
      .option(
        '--place <x,y[,size]>',
        'put the stamp exactly here: mm from the top-left corner of the page as shown to the top-left of the stamp, optional QR width in mm',
      )
      .option('--seal-page', 'put the stamp on an added seal page (QR, caption and signed fields) instead of on the page')
      .option('--caption-ckb', 'add the Kurdish (Sorani) line to the caption: Arabic, Kurdish, English')
      .option(
        '--size-mm <mm>',
        'QR width incl. quiet zone in mm (default: 0.6 mm per module, e.g. 46.2 for a typical seal; minimum 0.5 mm per module)',
      )
      .option('--force', 'overwrite --out if it exists'),
  ).action(async (input: string, opts: StampCmdOptions) => {
    await stampCmd(input, opts);
  });
}
