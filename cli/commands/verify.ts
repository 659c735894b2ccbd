// `urseal verify <inputs...>`: batch verification of seal texts, QR images and folders, with reports and exit codes.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { toHex } from '../../core/bytes.js';
import { writeFileAtomic } from '../../keys/atomic.js';
import { userError } from '../../keys/errors.js';
import { formatTime, nowSeconds } from '../../keys/time.js';
import { collect, note, out, parseIntFlag } from '../options.js';
import { createProgress } from '../progress.js';
import { csvReport, formatDetails, formatLine, formatSummary, jsonReport, summarize } from '../report.js';
import {
  fetchPublishedStatusLists,
  loadTrust,
  readSource,
  readState,
  resolveRoots,
  writeState,
  type VerifierState,
  type VerifySetup,
} from '../sources.js';
import { verifyStatusListSync } from '../../core/status-list/verify.js';
import type { ItemResult, Verifier } from '../verify-engine.js';
import { collectItems } from '../verify-items.js';
import { runBatch } from '../verify-pool.js';
import { selectBackendSync } from '../../core/crypto/index.js';
import { pair } from '../../keys/lang.js';

export interface VerifyOptions {
  trustList?: string;
  root?: string[];
  statusList?: string[];
  now?: string;
  minSequence?: string;
  state?: string;
  json?: boolean;
  csv?: string;
  details?: boolean;
  jobs?: string;
  progress?: boolean;
  /** false with --offline: do not fetch the status lists the trust list publishes. */
  fetch?: boolean;
}

/**
 * Revocation data beyond `--status-list`: the lists the trust list publishes (fetched unless --offline) and the
 * copies held in the state file. Each is verified against the trust list and the rollback state; the newest per
 * agency is added to `setup` (so worker threads use it too) and to `loaded`. Whatever cannot be used is named on
 * stderr; the seals it would have checked then say STATUS_UNKNOWN, never VALID. Returns the bytes of the list
 * used per agency, for the state file.
 */
async function addPublishedStatusLists(
  setup: VerifySetup,
  loaded: ReturnType<typeof loadTrust>,
  state: VerifierState,
  fetchOnline: boolean,
  now: number,
): Promise<Map<string, Uint8Array>> {
  const backend = selectBackendSync();
  const used = new Map<string, Uint8Array>();
  const consider = (agency: string, bytes: Uint8Array, from: string): void => {
    const r = verifyStatusListSync(bytes, loaded.trust, backend, { now });
    if (!r.ok || r.status.list.issuer !== agency) {
      note(
        pair({
          ar: `قائمة الإلغاء للجهة ${agency} مرفوضة`,
          ckb: `لیستی هەڵوەشاندنەوەی دەزگای ${agency} ڕەتکرایەوە`,
          en: `status list of ${agency} (${from}) refused: ${r.ok ? `issued by ${r.status.list.issuer}` : r.code}`,
        }),
      );
      return;
    }
    const last = state.statusLists?.[agency];
    if (last !== undefined && r.status.list.sequence < last) {
      note(
        pair({
          ar: `قائمة الإلغاء للجهة ${agency} أقدم من المقبولة سابقاً`,
          ckb: `لیستی هەڵوەشاندنەوەی دەزگای ${agency} لەوەی پێشتر پەسەندکراوە کۆنترە`,
          en: `status list of ${agency} (${from}) is older than one accepted before: not used`,
        }),
      );
      return;
    }
    const held = loaded.statusLists.get(agency);
    if (!held || held.list.sequence < r.status.list.sequence) {
      loaded.statusLists.set(agency, r.status);
      setup.statusListBytes.push(bytes);
      used.set(agency, bytes);
    } else if (held.list.sequence === r.status.list.sequence && !used.has(agency)) used.set(agency, bytes);
  };
  if (fetchOnline) {
    const published = await fetchPublishedStatusLists(loaded.trust.list.agencies);
    for (const [agency, bytes] of published.fetched) consider(agency, bytes, 'fetched');
    for (const [agency, why] of published.failed)
      note(
        pair({
          ar: `تعذّر تنزيل قائمة الإلغاء للجهة ${agency}`,
          ckb: `داگرتنی لیستی هەڵوەشاندنەوەی دەزگای ${agency} نەکرا`,
          en: `status list of ${agency} not fetched (${why}); the copy held is used, if any`,
        }),
      );
  }
  for (const [agency, b64] of Object.entries(state.statusListCopies ?? {}))
    consider(agency, new Uint8Array(Buffer.from(b64, 'base64')), 'held');
  // Lists given with --status-list are kept for the state too.
  for (const bytes of setup.statusListBytes) {
    const r = verifyStatusListSync(bytes, loaded.trust, backend, { now });
    if (r.ok && loaded.statusLists.get(r.status.list.issuer)?.list.sequence === r.status.list.sequence && !used.has(r.status.list.issuer))
      used.set(r.status.list.issuer, bytes);
  }
  return used;
}

/** Exit status: 0 every input valid, 1 any not valid (2, usage errors, is set by the error handler). */
export function exitCodeFor(rows: readonly ItemResult[]): 0 | 1 {
  return rows.length > 0 && rows.every((r) => r.valid) ? 0 : 1;
}

/**
 * Verify the inputs and print the report; returns the result rows (in input order) and sets process.exitCode.
 * @example await verifyCmd(['scans/'], { trustList: 'trust-list.cose', root: ['root.pub'] })
 */
export async function verifyCmd(inputs: string[], opts: VerifyOptions): Promise<ItemResult[]> {
  const trustSpec = opts.trustList ?? process.env['URSEAL_TRUST_LIST'];
  if (trustSpec === undefined || trustSpec === '') {
    throw userError(
      'URSEAL_E_USAGE',
      'حدِّد قائمة المفاتيح المعتمدة بـ --trust-list',
      'give the trust list with --trust-list <file|url> (or URSEAL_TRUST_LIST)',
    );
  }
  const jobs = opts.jobs !== undefined ? parseIntFlag(opts.jobs, '--jobs', 1, 64) : 0;
  const now = nowSeconds(opts.now);
  const minSequence = opts.minSequence !== undefined ? parseIntFlag(opts.minSequence, '--min-sequence') : undefined;
  if (opts.csv !== undefined && !existsSync(dirname(resolve(opts.csv)))) {
    // Checked before verifying, so that a long batch does not end in a write error.
    throw userError('URSEAL_E_WRITE_FAILED', 'مجلد تقرير CSV غير موجود', 'folder of the CSV report does not exist', opts.csv);
  }
  if (opts.state !== undefined && !existsSync(dirname(resolve(opts.state)))) {
    // Checked before verifying: the state is written after the report, and a batch must not end in a write error.
    throw userError('URSEAL_E_WRITE_FAILED', 'مجلد ملف الحالة غير موجود', 'folder of the --state file does not exist', opts.state);
  }
  const items = collectItems(inputs);
  if (items.length === 0)
    throw userError('URSEAL_E_USAGE', 'لا توجد أختام أو صور في المدخلات', 'no seals, images or PDFs found in the inputs');
  const state = readState(opts.state);
  const envRoot = process.env['URSEAL_ROOT'];
  const roots = resolveRoots(opts.root?.length ? opts.root : envRoot ? [envRoot] : [], state);
  const setup: VerifySetup = {
    trustBytes: await readSource(trustSpec),
    roots,
    statusListBytes: await Promise.all((opts.statusList ?? []).map((s) => readSource(s))),
    now,
  };
  const lastSequence = Math.max(minSequence ?? 0, state.trustListSequence ?? 0);
  const loaded = loadTrust(setup, {
    ...(minSequence !== undefined || state.trustListSequence !== undefined ? { lastSequence } : {}),
    ...(state.statusLists ? { statusSequences: state.statusLists } : {}),
    label: trustSpec,
  });
  const usedStatus = await addPublishedStatusLists(setup, loaded, state, opts.fetch !== false, now);
  const verifier: Verifier = { backend: selectBackendSync(), trust: loaded.trust, statusLists: loaded.statusLists, now };

  const progress = createProgress(items.length, opts.progress !== false && process.stderr.isTTY === true);
  let shown = 0;
  const perItem = await runBatch(verifier, setup, items, {
    jobs,
    onProgress: (done) => {
      progress.tick(done - shown);
      shown = done;
    },
  });
  progress.done();
  const rows = perItem.flat();
  // Set before printing: a reader that closes the pipe early still gets the right status.
  process.exitCode = exitCodeFor(rows);

  const list = loaded.trust.list;
  if (opts.json) {
    const meta = {
      checkedAt: formatTime(now),
      trustList: {
        source: trustSpec,
        sequence: list.sequence,
        issuedAt: formatTime(list.issuedAt),
        expiresAt: formatTime(list.expiresAt),
        stale: loaded.stale,
        signedBy: toHex(loaded.trust.signedBy.kid),
      },
      statusLists: [...loaded.statusLists.values()].map((s) => ({
        issuer: s.list.issuer,
        sequence: s.list.sequence,
        issuedAt: formatTime(s.list.issuedAt),
        stale: s.stale,
      })),
    };
    out(JSON.stringify(jsonReport(rows, meta), null, 2));
  } else {
    // One write for the whole report: thousands of small writes to a pipe are slow.
    const lines: string[] = [];
    for (const r of rows) {
      lines.push(formatLine(r));
      if (opts.details) lines.push(...formatDetails(r));
    }
    lines.push(formatSummary(summarize(rows)));
    out(lines.join('\n'));
    note(
      pair({
        ar: `قائمة المفاتيح رقم ${list.sequence}`,
        ckb: `لیستی کلیلەکان ژمارە ${list.sequence}`,
        en: `trust list #${list.sequence}, expires ${formatTime(list.expiresAt)}${loaded.stale ? ' (STALE)' : ''}; ${loaded.statusLists.size} status list(s)`,
      }),
    );
  }
  if (opts.csv !== undefined) writeFileAtomic(opts.csv, csvReport(rows), { overwrite: true });
  if (opts.state !== undefined) {
    const statusLists = { ...(state.statusLists ?? {}) };
    for (const s of loaded.statusLists.values()) statusLists[s.list.issuer] = Math.max(statusLists[s.list.issuer] ?? 0, s.list.sequence);
    const copies = { ...(state.statusListCopies ?? {}) };
    for (const [agency, bytes] of usedStatus) copies[agency] = Buffer.from(bytes).toString('base64');
    writeState(opts.state, {
      trustListSequence: Math.max(list.sequence, state.trustListSequence ?? 0),
      roots: list.roots.map((r) => toHex(r.publicKey)),
      statusLists,
      statusListCopies: copies,
    });
  }
  return rows;
}

/**
 * Register `urseal verify`.
 * @example register(program)
 */
export function register(program: Command): void {
  program
    .command('verify')
    .description('التحقق من أختام (نصوص، صور QR، مجلدات) | verify seals: texts, QR images (PNG/JPEG), folders (recursive)')
    .argument('<inputs...>', 'seal texts (UR1:... or links), image/PDF/.txt files, folders; - reads seal texts from stdin')
    .option('--trust-list <file|url>', 'signed trust list (.cose) (default: $URSEAL_TRUST_LIST)')
    .option(
      '--root <key|file>',
      'pinned NDC root: 64 hex digits, 43 base64url characters, or a root key/.pub file (repeatable; default: $URSEAL_ROOT)',
      collect,
    )
    .option('--status-list <file|url>', 'signed status list of an agency (repeatable)', collect)
    .option('--now <date>', 'verify as of this date (audits)')
    .option('--min-sequence <n>', 'refuse a trust list with a lower sequence number (rollback)')
    .option('--state <file>', 'remember the highest sequences, the roots accepted and the newest status lists, across runs (offline use)')
    .option('--offline', 'do not fetch the status lists the trust list publishes (use --status-list and --state copies)')
    .option('--json', 'print a JSON report on stdout instead of lines')
    .option('--csv <file>', 'also write a CSV report')
    .option('--details', 'show the message and the signed fields under each line')
    .option('--jobs <n>', 'worker threads (default: all cores for large batches; 1 = no workers)')
    .option('--no-progress', 'never show the progress bar')
    .action(async (inputs: string[], opts: VerifyOptions & { offline?: boolean }) => {
      await verifyCmd(inputs, { ...opts, ...(opts.offline ? { fetch: false } : {}) });
    });
}
