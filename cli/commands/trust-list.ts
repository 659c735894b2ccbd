// `urseal trust-list ...`: edit the NDC's trust-list draft, sign it into the published list, and show lists.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { fromUtf8, toHex } from '../../core/bytes.js';
import { isStatusUrl } from '../../core/trust-list/codec.js';
import { decodeSign1, eddsaKid } from '../../core/cose/sign1.js';
import { selectBackendSync } from '../../core/crypto/index.js';
import { UrsealError } from '../../core/errors.js';
import { keyId } from '../../core/hash.js';
import { signTrustListSync } from '../../core/trust-list/sign.js';
import { verifyTrustListSync } from '../../core/trust-list/verify.js';
import { decodeTrustListPayload } from '../../core/trust-list/codec.js';
import type { DocumentType, TrustList } from '../../core/trust-list/types.js';
import { writeFileAtomic } from '../../keys/atomic.js';
import { UserError, userError } from '../../keys/errors.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { parsePublicKey } from '../../keys/public-key.js';
import { formatTime, nowSeconds, parseDays, parseTime } from '../../keys/time.js';
import {
  addAgency,
  addKey,
  addRoot,
  agencySpecFromJson,
  buildTrustList,
  draftFromJson,
  emptyDraft,
  loadDraft,
  removeRoot,
  retireKey,
  revokeKey,
  saveDraft,
  trustListToJson,
  draftToJson,
  type AgencySpec,
  type TrustDraft,
} from '../../keys/trust-draft.js';
import { readJsonChecked } from '../../keys/files.js';
import { collect, note, out, parseIntFlag, passphraseFor, withPassphraseEnv } from '../options.js';
import { readSource } from '../sources.js';
import { pair } from '../../keys/lang.js';

const DAY = 86_400;

/** A kid from 16 hex digits, or computed from a public key (hex or file). */
function resolveKid(value: string): string {
  const v = value.trim().toLowerCase();
  if (/^[0-9a-f]{16}$/.test(v)) return v;
  return toHex(keyId(parsePublicKey(value)));
}

/** The agency named in an urseal key file given as --public-key, if it is one. */
function keyFileAgency(value: string): string | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value.trim()) || !existsSync(value)) return undefined;
  try {
    const o = JSON.parse(readFileSync(value, 'utf8')) as { format?: unknown; agency?: unknown; kind?: unknown };
    if (o.format === 'urseal-key' && o.kind === 'root')
      throw userError('URSEAL_E_WRONG_KEY_KIND', 'هذا مفتاح جذر لا مفتاح جهة', 'this is a root key, not an agency key', value);
    return o.format === 'urseal-key' && typeof o.agency === 'string' ? o.agency : undefined;
  } catch (e) {
    if (e instanceof UserError) throw e;
    return undefined;
  }
}

/** Apply `edit` to the draft at `path` and save it atomically. */
function editDraft(path: string, edit: (d: TrustDraft) => string | void): void {
  const d = loadDraft(path);
  const message = edit(d);
  saveDraft(path, d);
  if (message) out(message);
}

// ---- create ------------------------------------------------------------------------------------

interface CreateOptions {
  validDays?: string;
  expires?: string;
  root?: string[];
  force?: boolean;
}

/** `trust-list create <draft>` */
export function create(draft: string, opts: CreateOptions): void {
  const d = emptyDraft(opts.validDays !== undefined ? parseDays(opts.validDays, '--valid-days') : 30);
  if (opts.expires !== undefined) d.expiresAt = parseTime(opts.expires, '--expires');
  for (const r of opts.root ?? []) addRoot(d, parsePublicKey(r));
  saveDraft(draft, d, { create: true, overwrite: opts.force ?? false });
  out(`draft ${draft}`);
}

// ---- add-agency ------------------------------------------------------------------------------

interface AddAgencyOptions {
  from?: string;
  id?: string;
  nameAr?: string;
  nameEn?: string;
  nameCkb?: string;
  statusUrl?: string;
  type?: string[];
  field?: string[];
  replace?: boolean;
}

/** Split "a:b:c..." into three parts: the first two colons separate, the rest belongs to the last part. */
function split3(value: string, flag: string, shape: string): [string, string, string] {
  const i = value.indexOf(':');
  const j = i < 0 ? -1 : value.indexOf(':', i + 1);
  if (i <= 0 || j < 0)
    throw userError(
      'URSEAL_E_BAD_VALUE',
      `صيغة غير صحيحة، المطلوب ${shape}`,
      `bad format, expected ${shape}`,
      `${flag} ${JSON.stringify(value)}`,
    );
  return [value.slice(0, i).trim(), value.slice(i + 1, j).trim(), value.slice(j + 1).trim()];
}

/** The agency spec from --from FILE or from --id/--name-ar/--name-en/--type/--field, with --status-url on top. */
export function agencySpecFromOptions(opts: AddAgencyOptions): AgencySpec {
  const spec = agencySpecWithoutUrl(opts);
  if (opts.statusUrl === undefined) return spec;
  if (!isStatusUrl(opts.statusUrl))
    throw userError(
      'URSEAL_E_BAD_VALUE',
      'عنوان قائمة الإلغاء يجب أن يبدأ بـ https:// أو http://',
      'the status-list URL must be an http(s) URL',
      `--status-url ${JSON.stringify(opts.statusUrl)}`,
    );
  return { ...spec, statusUrl: opts.statusUrl };
}

function agencySpecWithoutUrl(opts: AddAgencyOptions): AgencySpec {
  if (opts.from !== undefined) {
    if (opts.id !== undefined || opts.type?.length || opts.field?.length) {
      throw userError(
        'URSEAL_E_USAGE',
        '--from لا يُجمع مع --id أو --type أو --field',
        '--from cannot be combined with --id, --type or --field',
      );
    }
    const v = readJsonChecked(opts.from, 'URSEAL_E_BAD_VALUE');
    try {
      return agencySpecFromJson(v);
    } catch (e) {
      if (e instanceof Error && 'code' in e)
        throw userError(
          'URSEAL_E_BAD_VALUE',
          'ملف الجهة غير صالح',
          'invalid agency file',
          `${opts.from}: ${e.message.replace(/^malformed trust-list draft: /, '')}`,
        );
      throw e;
    }
  }
  if (opts.id === undefined || opts.nameAr === undefined || opts.nameEn === undefined) {
    throw userError(
      'URSEAL_E_USAGE',
      'المطلوب --id و--name-ar و--name-en (أو --from ملف)',
      '--id, --name-ar and --name-en are required (or --from FILE)',
    );
  }
  const types: DocumentType[] = (opts.type ?? []).map((t) => {
    const [id, ar, en] = split3(t, '--type', 'id:الاسم:Name');
    return { id, name: { ar, en }, fields: [] };
  });
  for (const f of opts.field ?? []) {
    const [path, ar, en] = split3(f, '--field', 'type.field:التسمية:Label');
    const dot = path.indexOf('.');
    if (dot <= 0)
      throw userError(
        'URSEAL_E_BAD_VALUE',
        'الحقل يجب أن يبدأ بنوع الوثيقة',
        'field must start with its document type',
        `--field ${JSON.stringify(f)} (type.field:ar:en)`,
      );
    const type = types.find((t) => t.id === path.slice(0, dot));
    if (!type)
      throw userError('URSEAL_E_BAD_VALUE', 'نوع وثيقة غير معرَّف بـ --type', 'document type not given with --type', path.slice(0, dot));
    type.fields.push({ id: path.slice(dot + 1), label: { ar, en } });
  }
  // Re-read through the strict JSON path so ids and labels get the same checks as a --from file.
  try {
    return agencySpecFromJson({
      id: opts.id,
      name: { ar: opts.nameAr, en: opts.nameEn, ...(opts.nameCkb !== undefined ? { ckb: opts.nameCkb } : {}) },
      documentTypes: types,
    });
  } catch (e) {
    if (e instanceof Error && 'code' in e)
      throw userError(
        'URSEAL_E_BAD_VALUE',
        'بيانات الجهة غير صالحة',
        'invalid agency data',
        e.message.replace(/^malformed trust-list draft: /, ''),
      );
    throw e;
  }
}

/** `trust-list add-agency <draft>` */
export function addAgencyCmd(draft: string, opts: AddAgencyOptions): void {
  const spec = agencySpecFromOptions(opts);
  editDraft(draft, (d) => {
    addAgency(d, spec, opts.replace ?? false);
    return `agency ${spec.id} (${spec.documentTypes.length} document types)`;
  });
}

// ---- keys ------------------------------------------------------------------------------------

interface AddKeyOptions {
  agency: string;
  publicKey: string;
  notBefore?: string;
  notAfter?: string;
  validDays?: string;
}

/** `trust-list add-key <draft>` */
export function addKeyCmd(draft: string, opts: AddKeyOptions): void {
  const publicKey = parsePublicKey(opts.publicKey);
  const fileAgency = keyFileAgency(opts.publicKey);
  if (fileAgency !== undefined && fileAgency !== opts.agency) {
    throw userError(
      'URSEAL_E_UNKNOWN_AGENCY',
      'ملف المفتاح لجهة أخرى',
      'the key file belongs to another agency',
      `${fileAgency} != ${opts.agency}`,
    );
  }
  const nbf = opts.notBefore !== undefined ? parseTime(opts.notBefore, '--not-before') : nowSeconds();
  if (opts.notAfter !== undefined && opts.validDays !== undefined)
    throw userError('URSEAL_E_USAGE', 'استخدم --not-after أو --valid-days لا كليهما', 'use --not-after or --valid-days, not both');
  const naf =
    opts.notAfter !== undefined
      ? parseTime(opts.notAfter, '--not-after', { endOfDay: true })
      : nbf + (opts.validDays !== undefined ? parseDays(opts.validDays, '--valid-days') : 730) * DAY;
  editDraft(draft, (d) => {
    const k = addKey(d, opts.agency, publicKey, nbf, naf);
    return `key ${toHex(k.kid)} ${opts.agency} ${formatTime(k.notBefore)}..${formatTime(k.notAfter)}`;
  });
}

/** `trust-list retire-key <draft>` */
export function retireKeyCmd(draft: string, opts: { kid: string; at?: string }): void {
  const kid = resolveKid(opts.kid);
  const at = opts.at !== undefined ? parseTime(opts.at, '--at') : nowSeconds();
  editDraft(draft, (d) => {
    const k = retireKey(d, kid, at);
    return `retired ${kid}: signs nothing after ${formatTime(k.notAfter)}`;
  });
}

/** `trust-list revoke-key <draft>` */
export function revokeKeyCmd(draft: string, opts: { kid: string; at?: string; reason?: string }): void {
  const kid = resolveKid(opts.kid);
  const at = opts.at !== undefined ? parseTime(opts.at, '--at') : nowSeconds();
  editDraft(draft, (d) => {
    revokeKey(d, kid, at, opts.reason);
    return `revoked ${kid} at ${formatTime(at)}`;
  });
}

/** `trust-list add-root <draft>` */
export function addRootCmd(draft: string, opts: { publicKey: string; name?: string }): void {
  const publicKey = parsePublicKey(opts.publicKey);
  editDraft(draft, (d) => `root ${toHex(addRoot(d, publicKey, opts.name).kid)}`);
}

/** `trust-list remove-root <draft>` */
export function removeRootCmd(draft: string, opts: { kid: string }): void {
  const kid = resolveKid(opts.kid);
  editDraft(draft, (d) => {
    removeRoot(d, kid);
    return `removed root ${kid}`;
  });
}

/** `trust-list set-expiry <draft>` */
export function setExpiryCmd(draft: string, opts: { validDays?: string; expires?: string }): void {
  if ((opts.validDays === undefined) === (opts.expires === undefined)) {
    throw userError('URSEAL_E_USAGE', 'حدِّد --valid-days أو --expires', 'give either --valid-days or --expires');
  }
  editDraft(draft, (d) => {
    if (opts.validDays !== undefined) {
      d.validDays = parseDays(opts.validDays, '--valid-days');
      delete d.expiresAt;
      return `lists expire ${d.validDays} days after signing`;
    }
    d.expiresAt = parseTime(opts.expires!, '--expires');
    return `lists expire at ${formatTime(d.expiresAt)}`;
  });
}

// ---- sign ------------------------------------------------------------------------------------

interface SignOptions {
  rootKey: string;
  out: string;
  json?: string;
  sequence?: string;
  expires?: string;
  now?: string;
  passphraseEnv?: string;
}

/** Sequence of an already signed list on disk (unverified: only used to keep numbers growing), if any. */
function existingSequence(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return decodeTrustListPayload(decodeSign1(new Uint8Array(readFileSync(path))).payload).sequence;
  } catch {
    return undefined;
  }
}

/** `trust-list sign <draft>` */
export async function signCmd(draft: string, opts: SignOptions): Promise<void> {
  const d = loadDraft(draft);
  const jsonPath = opts.json ?? opts.out.replace(/\.cose$/i, '') + '.json';
  // Nothing is half-done: both outputs must be writable before the passphrase is asked and anything is written.
  for (const [path, flag] of [
    [opts.out, '--out'],
    [jsonPath, '--json'],
  ] as const)
    if (!existsSync(dirname(resolve(path))) || (existsSync(path) && statSync(path).isDirectory()))
      throw userError(
        'URSEAL_E_WRITE_FAILED',
        'لا يمكن الكتابة في هذا المسار',
        'cannot write there (no such folder, or a folder)',
        `${flag} ${path}`,
      );
  const now = nowSeconds(opts.now);
  const lastSequence = Math.max(d.lastSequence, existingSequence(opts.out) ?? 0);
  const list = buildTrustList(d, {
    now,
    lastSequence,
    ...(opts.sequence !== undefined ? { sequence: parseIntFlag(opts.sequence, '--sequence', 1) } : {}),
    ...(opts.expires !== undefined ? { expiresAt: parseTime(opts.expires, '--expires') } : {}),
  });
  const root = await loadKeyFile(opts.rootKey, 'root', () => passphraseFor(opts, false));
  const bytes = signTrustListSync(list, root.backend, root.key);
  // Self-check before publishing: the bytes verify under the signing root.
  const check = verifyTrustListSync(bytes, root.backend, { roots: [root.key.publicKey], now });
  if (!check.ok) throw userError('URSEAL_E_INTERNAL', 'فشل التحقق من القائمة الموقّعة', 'signed list failed its self-check', check.reason);
  if (!d.roots.some((r) => toHex(r.publicKey) === toHex(root.key.publicKey))) {
    note(
      pair({
        ar: 'تنبيه: مفتاح التوقيع ليس من جذور القائمة',
        ckb: 'ئاگاداری: کلیلی واژۆکەر لە ڕەگەکانی لیستەکە نییە',
        en: `note: the signing root ${root.header.kid} is not among the list's roots (root rotation)`,
      }),
    );
  }
  // The readable export first, the signed list (which carries the sequence) next, the draft's sequence last: a
  // failure at any step leaves the published list and the sequence as they were.
  writeFileAtomic(jsonPath, `${JSON.stringify(trustListToJson(list, keyId(root.key.publicKey)), null, 2)}\n`, { overwrite: true });
  writeFileAtomic(opts.out, bytes, { overwrite: true });
  d.lastSequence = list.sequence;
  d.lastSignedAt = now;
  saveDraft(draft, d);
  out(`signed trust list #${list.sequence} -> ${opts.out} (${bytes.length} bytes), ${jsonPath}; expires ${formatTime(list.expiresAt)}`);
}

// ---- show ------------------------------------------------------------------------------------

interface ShowOptions {
  root?: string[];
  now?: string;
  json?: boolean;
}

function printList(list: TrustList | TrustDraft, header: string): void {
  out(header);
  for (const r of list.roots) out(`  root ${toHex(r.kid)} ${toHex(r.publicKey)}${r.name ? ` ${r.name}` : ''}`);
  for (const a of list.agencies) {
    out(`  ${a.id}  ${a.name.ar} | ${a.name.en}${a.name.ckb !== undefined ? ` | ${a.name.ckb}` : ''}`);
    if (a.statusUrl !== undefined) out(`    status list ${a.statusUrl}`);
    for (const t of a.documentTypes) {
      out(
        `    type ${t.id}  ${t.name.ar} | ${t.name.en}${t.fields.length ? `  fields: ${t.fields.map((f) => `${f.id} (${f.label.ar} | ${f.label.en})`).join(', ')}` : ''}`,
      );
    }
    for (const k of a.keys) {
      const rev = k.status === 'revoked' ? ` revokedAt ${formatTime(k.revokedAt!)}${k.reason ? ` reason "${k.reason}"` : ''}` : '';
      out(`    key ${toHex(k.kid)} ${k.status.padEnd(7)} ${formatTime(k.notBefore)}..${formatTime(k.notAfter)}${rev}`);
    }
  }
}

/** `trust-list show <file|url>`: a draft, a JSON export or a signed list (.cose). */
export async function showCmd(source: string, opts: ShowOptions): Promise<void> {
  const bytes = await readSource(source);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (first === 0x7b) {
    // JSON: a draft or an export.
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(fromUtf8(bytes).replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch (e) {
      throw userError('URSEAL_E_DRAFT_MALFORMED', 'الملف ليس JSON صالحاً', 'file is not valid JSON', source, e);
    }
    if (v['format'] === 'urseal-trust-list') {
      if (opts.json) out(JSON.stringify(v, null, 2));
      else out(`JSON export of trust list #${String(v['sequence'])} (not a signed file: show the .cose to check its signature)`);
      return;
    }
    const d = draftFromJson(v);
    if (opts.json) return out(JSON.stringify(draftToJson(d), null, 2));
    const exp = d.expiresAt !== undefined ? `expires ${formatTime(d.expiresAt)}` : `valid ${d.validDays} days after signing`;
    printList(
      d,
      pair({
        ar: 'مسودة قائمة المفاتيح',
        ckb: 'ڕەشنووسی لیستی کلیلەکان',
        en: `trust-list draft ${source}: last signed #${d.lastSequence}, ${exp}`,
      }),
    );
    return;
  }
  let list: TrustList;
  let signedBy: Uint8Array;
  try {
    const msg = decodeSign1(bytes, { limits: { maxDepth: 4, maxItems: 16, maxStringBytes: 8 * 1024 * 1024 } });
    signedBy = eddsaKid(msg);
    list = decodeTrustListPayload(msg.payload);
  } catch (e) {
    if (e instanceof UrsealError)
      throw userError('URSEAL_E_TRUST_LIST_INVALID', 'ملف قائمة المفاتيح تالف', 'malformed trust list', `${source}: ${e.message}`, e);
    throw e;
  }
  let status = 'signature NOT checked (give --root to check it)';
  if (opts.root?.length) {
    const roots = opts.root.map((r) => parsePublicKey(r));
    const r = verifyTrustListSync(bytes, selectBackendSync(), { roots, now: nowSeconds(opts.now) });
    if (!r.ok)
      throw userError('URSEAL_E_TRUST_LIST_INVALID', `قائمة المفاتيح مرفوضة (${r.code})`, `trust list refused (${r.code})`, r.reason);
    status = `signature verified (root ${toHex(signedBy)})${r.stale ? ', STALE: past its expiry' : ''}`;
  }
  if (opts.json) return out(JSON.stringify(trustListToJson(list, signedBy), null, 2));
  printList(
    list,
    pair({
      ar: `قائمة المفاتيح المعتمدة رقم ${list.sequence}`,
      ckb: `لیستی کلیلە متمانەپێکراوەکان ژمارە ${list.sequence}`,
      en: `trust list #${list.sequence}, issued ${formatTime(list.issuedAt)}, expires ${formatTime(list.expiresAt)}, signed by ${toHex(signedBy)}: ${status}`,
    }),
  );
}

/**
 * Register `urseal trust-list ...`.
 * @example register(program)
 */
export function register(program: Command): void {
  const tl = program
    .command('trust-list')
    .description('قائمة المفاتيح المعتمدة (مركز البيانات الوطني) | the trust list of agency keys (NDC)');
  tl.command('create')
    .description('إنشاء مسودة جديدة | create a new draft (JSON working file)')
    .argument('<draft>', 'draft file to create')
    .option('--valid-days <n>', 'a signed list expires this many days after signing (default 30)')
    .option('--expires <date>', 'fixed expiry date instead')
    .option('--root <key|file>', 'root trusted to sign the next lists (repeatable; key: 64 hex digits or 43 base64url characters)', collect)
    .option('--force', 'replace an existing draft')
    .action(create);
  tl.command('add-agency')
    .description('إضافة جهة | add an agency with its document types and field labels')
    .argument('<draft>')
    .option(
      '--from <file.json>',
      'agency as JSON: {id, name: {ar, en, ckb?}, statusUrl?, documentTypes: [{id, name, fields: [{id, label}]}]}',
    )
    .option('--id <id>', 'agency id, e.g. MOJ')
    .option('--name-ar <text>', 'Arabic name')
    .option('--name-en <text>', 'English name')
    .option('--name-ckb <text>', 'Kurdish (Sorani) name (optional)')
    .option(
      '--status-url <url>',
      'where the agency publishes its status list (http(s)); verifiers fetch it to check revocation, e.g. https://moj.example/status/MOJ',
    )
    .option('--type <id:ar:en>', 'document type, e.g. "poa:وكالة عامة:Power of attorney" (repeatable)', collect)
    .option('--field <type.id:ar:en>', 'field label, e.g. "poa.n:اسم الموكل:Principal" (repeatable)', collect)
    .option('--replace', 'update names and types of an existing agency (keeps its keys)')
    .action(addAgencyCmd);
  tl.command('add-key')
    .description('اعتماد مفتاح جهة | admit an agency key with its signing window')
    .argument('<draft>')
    .requiredOption('--agency <id>', 'agency id')
    .requiredOption(
      '--public-key <key|file>',
      'public key: 64 hex digits or 43 base64url characters (as /trust-list.json shows it), or the agency key file (public part only is read)',
    )
    .option('--not-before <date>', 'first day seals may be issued with it (default now)')
    .option('--not-after <date>', 'last day seals may be issued with it (a date alone: up to 23:59:59 UTC that day)')
    .option('--valid-days <n>', 'window length instead of --not-after (default 730)')
    .action(addKeyCmd);
  tl.command('retire-key')
    .description('إيقاف مفتاح (تبقى أختامه السابقة صالحة) | retire a key: it signs nothing new; its earlier seals keep verifying')
    .argument('<draft>')
    .requiredOption('--kid <kid|pubkey|file>', 'the key')
    .option('--at <date>', 'retirement time (default now)')
    .action(retireKeyCmd);
  tl.command('revoke-key')
    .description('إلغاء مفتاح (تسقط كل أختامه) | revoke a key: every seal it made fails with KEY_REVOKED')
    .argument('<draft>')
    .requiredOption('--kid <kid|pubkey|file>', 'the key')
    .option('--at <date>', 'revocation time (default now)')
    .option('--reason <text>', 'why (shown to auditors)')
    .action(revokeKeyCmd);
  tl.command('add-root')
    .description('إضافة جذر موثوق للقوائم القادمة | trust a root to sign the next lists')
    .argument('<draft>')
    .requiredOption('--public-key <key|file>', 'root public key (64 hex digits or 43 base64url characters) or root key file')
    .option('--name <text>', 'a name for the root')
    .action(addRootCmd);
  tl.command('remove-root')
    .description('إزالة جذر | stop trusting a root for the next lists')
    .argument('<draft>')
    .requiredOption('--kid <kid|pubkey|file>', 'the root')
    .action(removeRootCmd);
  tl.command('set-expiry')
    .description('ضبط انتهاء القوائم | set when signed lists expire')
    .argument('<draft>')
    .option('--valid-days <n>', 'days after signing')
    .option('--expires <date>', 'fixed date')
    .action(setExpiryCmd);
  withPassphraseEnv(
    tl
      .command('sign')
      .description('توقيع القائمة ونشرها | sign the draft: binary list (.cose) + readable JSON; sequence always grows')
      .argument('<draft>')
      .requiredOption('--root-key <file>', 'root key file')
      .requiredOption('-o, --out <file.cose>', 'signed list to write')
      .option('--json <file>', 'readable export (default: <out without .cose>.json)')
      .option('--sequence <n>', 'explicit sequence number (must be above the last signed one)')
      .option('--expires <date>', 'expiry of this list (overrides the draft)')
      .option('--now <date>', 'signing time (default now)'),
  ).action(signCmd);
  tl.command('show')
    .description('عرض قائمة أو مسودة | show a draft, a JSON export or a signed list (file or URL)')
    .argument('<file|url>')
    .option(
      '--root <key|file>',
      'check the signature against this root (repeatable; key: 64 hex digits or 43 base64url characters)',
      collect,
    )
    .option('--now <date>', 'time for the staleness check')
    .option('--json', 'print JSON')
    .action(showCmd);
}
