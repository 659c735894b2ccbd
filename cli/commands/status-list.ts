// `urseal status-list ...`: an agency's list of revoked documents: create, revoke an index, sign, show.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fromUtf8, toHex } from '../../core/bytes.js';
import { decodeSign1, eddsaKid } from '../../core/cose/sign1.js';
import { UrsealError } from '../../core/errors.js';
import { decodeStatusListPayload, isRevoked, type StatusList } from '../../core/status-list/codec.js';
import { signStatusListSync } from '../../core/status-list/sign.js';
import { writeFileAtomic } from '../../keys/atomic.js';
import { userError } from '../../keys/errors.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { formatTime, nowSeconds, parseDays, parseTime } from '../../keys/time.js';
import {
  buildStatusList,
  emptyStatusDraft,
  loadStatusDraft,
  revokeIndex,
  saveStatusDraft,
  statusDraftFromJson,
  statusDraftToJson,
} from '../../keys/status-draft.js';
import { collect, out, parseIntFlag, passphraseFor, withPassphraseEnv } from '../options.js';
import { loadTrust, readSource, resolveRoots } from '../sources.js';
import { pair } from '../../keys/lang.js';

/** `status-list create <draft>` */
export function create(draft: string, opts: { agency: string; size?: string; validDays?: string; force?: boolean }): void {
  const size = opts.size !== undefined ? parseIntFlag(opts.size, '--size', 8, 1 << 24) : 1 << 16;
  const d = emptyStatusDraft(opts.agency, size, opts.validDays !== undefined ? parseDays(opts.validDays, '--valid-days') : 7);
  saveStatusDraft(draft, d, { create: true, overwrite: opts.force ?? false });
  out(`status-list draft ${draft}: ${d.issuer}, ${d.size} entries`);
}

/** `status-list revoke <draft>` */
export function revoke(draft: string, opts: { index: string[]; at?: string; reason?: string }): void {
  const d = loadStatusDraft(draft);
  const at = opts.at !== undefined ? parseTime(opts.at, '--at') : nowSeconds();
  const added: number[] = [];
  for (const v of opts.index) if (revokeIndex(d, parseIntFlag(v, '--index'), at, opts.reason)) added.push(Number(v));
  saveStatusDraft(draft, d);
  out(
    `revoked ${added.length ? added.join(', ') : '(already revoked)'}; ${d.revoked.length} revoked in ${d.issuer}'s list (sign to publish)`,
  );
}

function existingSequence(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return decodeStatusListPayload(decodeSign1(new Uint8Array(readFileSync(path))).payload).sequence;
  } catch {
    return undefined;
  }
}

/** `status-list sign <draft>` */
export async function sign(
  draft: string,
  opts: { key: string; out: string; now?: string; validDays?: string; passphraseEnv?: string },
): Promise<void> {
  const d = loadStatusDraft(draft);
  const now = nowSeconds(opts.now);
  const list = buildStatusList(d, {
    now,
    lastSequence: Math.max(d.lastSequence, existingSequence(opts.out) ?? 0),
    ...(opts.validDays !== undefined ? { validDays: parseDays(opts.validDays, '--valid-days') } : {}),
  });
  const key = await loadKeyFile(opts.key, 'agency', () => passphraseFor(opts, false));
  if (key.header.agency !== undefined && key.header.agency !== d.issuer) {
    throw userError(
      'URSEAL_E_UNKNOWN_AGENCY',
      'المفتاح لجهة أخرى',
      'the key belongs to another agency',
      `${key.header.agency} != ${d.issuer}`,
    );
  }
  const bytes = signStatusListSync(list, key.backend, key.key);
  writeFileAtomic(opts.out, bytes, { overwrite: true });
  d.lastSequence = list.sequence;
  d.lastSignedAt = now;
  saveStatusDraft(draft, d);
  out(
    `signed status list ${d.issuer} #${list.sequence} -> ${opts.out} (${bytes.length} bytes, ${d.revoked.length} revoked), expires ${formatTime(list.expiresAt)}`,
  );
}

function summary(l: StatusList): number[] {
  const revoked: number[] = [];
  for (let i = 0; i < l.size; i++) if (isRevoked(l, i)) revoked.push(i);
  return revoked;
}

/** `status-list show <file|url>`: a draft or a signed list; with --trust-list and --root the signature is checked. */
export async function show(source: string, opts: { trustList?: string; root?: string[]; now?: string; json?: boolean }): Promise<void> {
  const bytes = await readSource(source);
  if (bytes[0] === 0x7b || (bytes[0] === 0xef && bytes[3] === 0x7b)) {
    let v: unknown;
    try {
      v = JSON.parse(fromUtf8(bytes).replace(/^\uFEFF/, ''));
    } catch (e) {
      throw userError('URSEAL_E_DRAFT_MALFORMED', 'الملف ليس JSON صالحاً', 'file is not valid JSON', source, e);
    }
    const d = statusDraftFromJson(v);
    if (opts.json) return out(JSON.stringify(statusDraftToJson(d), null, 2));
    out(
      pair({
        ar: 'مسودة قائمة الإلغاء',
        ckb: 'ڕەشنووسی لیستی هەڵوەشاندنەوە',
        en: `status-list draft ${d.issuer}: ${d.size} entries, last signed #${d.lastSequence}, valid ${d.validDays} days`,
      }),
    );
    for (const r of d.revoked) out(`  ${r.index}  ${formatTime(r.at)}${r.reason ? `  ${r.reason}` : ''}`);
    return;
  }
  let list: StatusList;
  let kid: string;
  try {
    const msg = decodeSign1(bytes, { limits: { maxDepth: 4, maxItems: 16, maxStringBytes: 4 * 1024 * 1024 } });
    kid = toHex(eddsaKid(msg));
    list = decodeStatusListPayload(msg.payload);
  } catch (e) {
    if (e instanceof UrsealError)
      throw userError('URSEAL_E_STATUS_LIST_INVALID', 'ملف قائمة الإلغاء تالف', 'malformed status list', `${source}: ${e.message}`, e);
    throw e;
  }
  let status = 'signature NOT checked (give --trust-list and --root)';
  if (opts.trustList !== undefined) {
    const now = nowSeconds(opts.now);
    loadTrust({ trustBytes: await readSource(opts.trustList), roots: resolveRoots(opts.root ?? [], {}), statusListBytes: [bytes], now });
    status = 'signature verified against the trust list';
  }
  const revoked = summary(list);
  if (opts.json) {
    return out(
      JSON.stringify(
        {
          format: 'urseal-status-list',
          issuer: list.issuer,
          sequence: list.sequence,
          issuedAt: formatTime(list.issuedAt),
          expiresAt: formatTime(list.expiresAt),
          size: list.size,
          signedBy: kid,
          revoked,
        },
        null,
        2,
      ),
    );
  }
  out(
    pair({
      ar: 'قائمة الوثائق الملغاة',
      ckb: 'لیستی بەڵگەنامە هەڵوەشێنراوەکان',
      en: `status list ${list.issuer} #${list.sequence}, issued ${formatTime(list.issuedAt)}, expires ${formatTime(list.expiresAt)}, ${list.size} entries, signed by ${kid}: ${status}`,
    }),
  );
  out(`  revoked (${revoked.length}): ${revoked.slice(0, 200).join(', ')}${revoked.length > 200 ? ', ...' : ''}`);
}

/**
 * Register `urseal status-list ...`.
 * @example register(program)
 */
export function register(program: Command): void {
  const sl = program.command('status-list').description('قائمة الوثائق الملغاة لجهة | an agency list of revoked documents');
  sl.command('create')
    .description('إنشاء مسودة | create a status-list draft')
    .argument('<draft>', 'draft file to create')
    .requiredOption('--agency <id>', 'agency id')
    .option('--size <n>', 'number of document indexes (default 65536)')
    .option('--valid-days <n>', 'a signed list expires this many days after signing (default 7)')
    .option('--force', 'replace an existing draft')
    .action(create);
  sl.command('revoke')
    .description('إلغاء وثيقة برقمها في القائمة | revoke document index(es)')
    .argument('<draft>')
    .requiredOption('--index <n>', 'status index of the document (repeatable)', collect)
    .option('--at <date>', 'revocation time (default now)')
    .option('--reason <text>', 'why')
    .action(revoke);
  withPassphraseEnv(
    sl
      .command('sign')
      .description('توقيع القائمة بمفتاح الجهة | sign the list with the agency key (sequence always grows)')
      .argument('<draft>')
      .requiredOption('--key <file>', 'agency key file')
      .requiredOption('-o, --out <file.cose>', 'signed list to write')
      .option('--valid-days <n>', 'override the draft validity')
      .option('--now <date>', 'signing time (default now)'),
  ).action(sign);
  sl.command('show')
    .description('عرض قائمة أو مسودة | show a draft or a signed list (file or URL)')
    .argument('<file|url>')
    .option('--trust-list <file|url>', 'check the signature against this trust list')
    .option('--root <key|file>', 'pinned root for the trust list (repeatable; key: 64 hex digits or 43 base64url characters)', collect)
    .option('--now <date>', 'time for the checks')
    .option('--json', 'print JSON')
    .action(show);
}
