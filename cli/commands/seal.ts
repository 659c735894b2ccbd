// `urseal seal`: sign document fields into a seal with an agency key; print the text; write the QR as PNG or SVG.
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { utf8 } from '../../core/bytes.js';
import { UrsealError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { toLinkForm } from '../../core/seal/pack.js';
import { signSealSync } from '../../core/seal/sign.js';
import { validateIssuedClaims, type FieldValue, type SealClaims } from '../../core/seal/claims.js';
import { decodeSign1 } from '../../core/cose/sign1.js';
import { decodeStatusListPayload, MAX_STATUS_BITS } from '../../core/status-list/codec.js';
import type { VerifiedTrustList } from '../../core/trust-list/verify.js';
import { fromUtf8 } from '../../core/bytes.js';
import { statusDraftFromJson } from '../../keys/status-draft.js';
import { verifySealSync } from '../../core/seal/verify.js';
import type { DocumentType, Label } from '../../core/trust-list/types.js';
import { writeFileAtomic } from '../../keys/atomic.js';
import { userError } from '../../keys/errors.js';
import { readFileChecked, readJsonChecked } from '../../keys/files.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { nowSeconds, parseTime } from '../../keys/time.js';
import { collect, note, out, parseIntFlag, passphraseFor, withPassphraseEnv } from '../options.js';
import { loadTrust, readSource, resolveRoots } from '../sources.js';

export interface SealOptions {
  key: string;
  agency?: string;
  type: string;
  number: string;
  field?: string[];
  fields?: string;
  serial?: string;
  statusIndex?: string;
  statusList?: string;
  expires?: string;
  issuedAt?: string;
  file?: string;
  qr?: string;
  qrModule?: string;
  qrSize?: string;
  link?: string;
  trustList?: string;
  root?: string[];
  passphraseEnv?: string;
}

/** Fields from --fields FILE (a JSON object) and --field id=value (later wins). */
export function collectFields(opts: Pick<SealOptions, 'field' | 'fields'>): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  if (opts.fields !== undefined) {
    const v = readJsonChecked(opts.fields, 'URSEAL_E_BAD_VALUE');
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw userError('URSEAL_E_BAD_VALUE', 'ملف الحقول يجب أن يكون كائن JSON', 'fields file must be a JSON object', opts.fields);
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== 'string' && typeof val !== 'number')
        throw userError('URSEAL_E_BAD_VALUE', 'قيمة حقل غير صالحة', 'field values must be text or whole numbers', k);
      fields[k] = val;
    }
  }
  for (const f of opts.field ?? []) {
    const i = f.indexOf('=');
    if (i <= 0) throw userError('URSEAL_E_BAD_VALUE', 'صيغة الحقل id=القيمة', 'field must be id=value', `--field ${JSON.stringify(f)}`);
    fields[f.slice(0, i)] = f.slice(i + 1);
  }
  return fields;
}

/** Size and agency of a status list given as a draft (JSON) or a signed list (.cose), a file or a URL. */
async function statusListOf(spec: string): Promise<{ issuer: string; size: number }> {
  const bytes = await readSource(spec);
  if (bytes[0] === 0x7b || (bytes[0] === 0xef && bytes[3] === 0x7b)) {
    let v: unknown;
    try {
      v = JSON.parse(fromUtf8(bytes).replace(/^\uFEFF/, ''));
    } catch (e) {
      throw userError('URSEAL_E_DRAFT_MALFORMED', 'الملف ليس JSON صالحاً', 'file is not valid JSON', spec, e);
    }
    const d = statusDraftFromJson(v);
    return { issuer: d.issuer, size: d.size };
  }
  try {
    const l = decodeStatusListPayload(
      decodeSign1(bytes, { limits: { maxDepth: 4, maxItems: 16, maxStringBytes: 4 * 1024 * 1024 } }).payload,
    );
    return { issuer: l.issuer, size: l.size };
  } catch (e) {
    if (e instanceof UrsealError)
      throw userError('URSEAL_E_STATUS_LIST_INVALID', 'ملف قائمة الإلغاء تالف', 'malformed status list', `${spec}: ${e.message}`, e);
    throw e;
  }
}

/**
 * With --trust-list: the document type and every field must be published for the agency (a verifier would show
 * anything else by a bare id, with a warning). URSEAL_E_UNKNOWN_DOCUMENT_TYPE / URSEAL_E_UNKNOWN_FIELD.
 */
function checkPublished(trust: VerifiedTrustList, c: SealClaims): void {
  const agency = trust.findAgency(c.iss);
  if (!agency) throw userError('URSEAL_E_UNKNOWN_AGENCY', 'الجهة غير منشورة في القائمة', 'the agency is not in the trust list', c.iss);
  const type = agency.documentTypes.find((t) => t.id === c.doc.type);
  if (!type)
    throw userError(
      'URSEAL_E_UNKNOWN_DOCUMENT_TYPE',
      'نوع الوثيقة غير منشور لهذه الجهة في القائمة',
      'the document type is not published for this agency in the trust list',
      `--type ${c.doc.type} (${c.iss} publishes: ${agency.documentTypes.map((t) => t.id).join(', ') || 'none'})`,
    );
  for (const id of Object.keys(c.doc.fields))
    if (!type.fields.some((f) => f.id === id))
      throw userError(
        'URSEAL_E_UNKNOWN_FIELD',
        'حقل غير منشور لنوع الوثيقة هذا في القائمة',
        'a field is not published for this document type in the trust list',
        `${id} (${c.iss} ${type.id} publishes: ${type.fields.map((f) => f.id).join(', ') || 'none'})`,
      );
}

/** A signed seal and the unlocked agency key that signed it (the stamper signs the closing message with it). */
export interface PreparedSeal {
  text: string;
  key: Awaited<ReturnType<typeof loadKeyFile>>;
  /** The agency and document type as the trust list names them (with --trust-list), for a stamp's seal page. */
  labels?: { agency?: Label; documentType?: DocumentType };
}

/**
 * Build claims from the flags, unlock the agency key and sign; with --trust-list, refuse a seal that the list
 * would not accept. `original` binds the seal to a PDF's bytes (SHA-256 and length).
 * @example const { text } = await prepareSeal(opts, pdfBytes)
 */
export async function prepareSeal(opts: SealOptions, original?: Uint8Array): Promise<PreparedSeal> {
  const fields = collectFields(opts);
  const iat = opts.issuedAt !== undefined ? parseTime(opts.issuedAt, '--issued-at') : nowSeconds();
  const cti = opts.serial !== undefined ? utf8(opts.serial) : new Uint8Array(randomBytes(12));
  const doc: SealClaims['doc'] = { type: opts.type, number: opts.number, fields };
  if (opts.statusIndex !== undefined) doc.status = parseIntFlag(opts.statusIndex, '--status-index', 0, MAX_STATUS_BITS - 1);
  if (opts.statusList !== undefined && doc.status === undefined)
    throw userError('URSEAL_E_USAGE', '--status-list يتطلب --status-index', '--status-list goes with --status-index');
  const statusList = opts.statusList !== undefined ? await statusListOf(opts.statusList) : undefined;
  if (statusList !== undefined && doc.status !== undefined && doc.status >= statusList.size)
    throw userError(
      'URSEAL_E_STATUS_INDEX',
      'رقم الوثيقة في قائمة الإلغاء خارج حجم القائمة',
      "the status index is past the end of the agency's status list",
      `--status-index ${doc.status}, ${opts.statusList} holds ${statusList.size} entries (0..${statusList.size - 1})`,
    );
  const bound = original ?? (opts.file !== undefined ? readFileChecked(opts.file) : undefined);
  if (bound !== undefined) {
    doc.hash = sha256(bound);
    doc.length = bound.length;
  }
  // Check everything the user typed before asking for a passphrase.
  const draftClaims = (iss: string): SealClaims => ({
    iss,
    iat,
    cti,
    doc,
    ...(opts.expires !== undefined ? { exp: parseTime(opts.expires, '--expires') } : {}),
  });
  const check = (c: SealClaims) => {
    try {
      validateIssuedClaims(c);
    } catch (e) {
      if (e instanceof UrsealError) throw userError('URSEAL_E_BAD_VALUE', 'بيانات الختم غير صالحة', 'invalid seal data', e.message, e);
      throw e;
    }
  };
  check(draftClaims(opts.agency ?? 'X'));
  const key = await loadKeyFile(opts.key, 'agency', () => passphraseFor(opts, false));
  const iss = opts.agency ?? key.header.agency;
  if (iss === undefined)
    throw userError('URSEAL_E_USAGE', 'حدِّد الجهة بـ --agency', 'give the agency with --agency (the key file names none)');
  if (key.header.agency !== undefined && key.header.agency !== iss) {
    throw userError('URSEAL_E_UNKNOWN_AGENCY', 'المفتاح لجهة أخرى', 'the key belongs to another agency', `${key.header.agency} != ${iss}`);
  }
  if (statusList !== undefined && statusList.issuer !== iss)
    throw userError(
      'URSEAL_E_UNKNOWN_AGENCY',
      'قائمة الإلغاء لجهة أخرى',
      'the status list belongs to another agency',
      `${statusList.issuer} != ${iss}`,
    );
  const claims = draftClaims(iss);
  check(claims);
  const t =
    opts.trustList !== undefined
      ? loadTrust({
          trustBytes: await readSource(opts.trustList),
          roots: resolveRoots(opts.root ?? [], {}),
          statusListBytes: [],
          now: Math.max(iat, nowSeconds()),
        })
      : undefined;
  if (t) checkPublished(t.trust, claims);
  const text = signSealSync(claims, { backend: key.backend, key: key.key });
  if (t) {
    // Issue only with a key the published list admits (DESIGN "Keys"): verify what was just signed.
    const r = verifySealSync(text, key.backend, { trust: t.trust, now: Math.max(iat, nowSeconds()) });
    const agency = t.trust.findAgency(iss);
    if (!r.valid && r.code !== 'TRUST_LIST_STALE')
      throw userError(
        'URSEAL_E_SEAL_INVALID',
        `الختم لن يُقبل بهذه القائمة (${r.code})`,
        `the seal would not verify against this trust list (${r.code})`,
        r.reason ?? r.message.en,
      );
    const documentType = agency?.documentTypes.find((d) => d.id === opts.type);
    return { text, key, labels: { ...(agency ? { agency: agency.name } : {}), ...(documentType ? { documentType } : {}) } };
  }
  return { text, key };
}

/**
 * Sign a seal; returns the text (or link) printed on stdout.
 * @example const text = await sealCmd({ key: 'moj-1.key', type: 'poa', number: '77/2026', field: ['n=سارة'], passphraseEnv: 'MOJ_PASS' })
 */
export async function sealCmd(opts: SealOptions): Promise<string> {
  const qrKind = opts.qr === undefined ? undefined : extname(opts.qr).toLowerCase();
  if (qrKind !== undefined && qrKind !== '.png' && qrKind !== '.svg') {
    throw userError('URSEAL_E_USAGE', '--qr يجب أن ينتهي بـ .png أو .svg', '--qr must end in .png or .svg', opts.qr);
  }
  const { text } = await prepareSeal(opts);
  const output = opts.link !== undefined ? toLinkForm(text, opts.link) : text;
  if (opts.qr !== undefined) {
    // Loaded only when needed: the qrcode package costs ~0.2 s of start-up for every other command.
    const { DEFAULT_MODULE_MM, MIN_PNG_MODULE_PX, qrPng, qrPrintSizeMm, qrSvg } = await import('../../issuer/qr/render.js');
    try {
      // Printed by module (≥ 0.5 mm, README "QR size"): the PNG says its resolution so that it prints at
      // DEFAULT_MODULE_MM per module; the SVG gets that width unless --qr-size says otherwise (≥ 0.5 mm per module).
      const moduleSize = opts.qrModule !== undefined ? parseIntFlag(opts.qrModule, '--qr-module', MIN_PNG_MODULE_PX, 100) : 8;
      const image =
        qrKind === '.png'
          ? qrPng(output, { moduleSize, dpi: Math.round(((moduleSize * 25.4) / DEFAULT_MODULE_MM) * 100) / 100 })
          : qrSvg(output, { size: opts.qrSize ?? `${qrPrintSizeMm(output)}mm` });
      writeFileAtomic(opts.qr, image, { overwrite: true });
    } catch (e) {
      if (e instanceof UrsealError) throw userError('URSEAL_E_BAD_VALUE', 'تعذّر رسم رمز QR', 'cannot draw the QR code', e.message, e);
      throw e;
    }
    note(`QR -> ${opts.qr}`);
  }
  out(output);
  return output;
}

/** The flags that say what a seal signs and with which key (shared by `seal` and `stamp`). */
export function withSealFlags(cmd: Command): Command {
  return withPassphraseEnv(
    cmd
      .requiredOption('--key <file>', 'agency key file')
      .option('--agency <id>', 'issuing agency (default: the agency in the key file)')
      .requiredOption('--type <id>', 'document type id, as in the trust list')
      .requiredOption('--number <text>', 'document number as printed on it')
      .option('--field <id=value>', 'a signed field (repeatable)', collect)
      .option('--fields <file.json>', 'fields as a JSON object {"id": "value"}')
      .option('--serial <text>', 'document serial (unique per agency; default 12 random bytes)')
      .option('--status-index <n>', "index in the agency's status list (to revoke this document later)")
      .option('--status-list <file|url>', 'refuse a --status-index past the end of this status list (draft or signed)')
      .option('--expires <date>', 'document expiry')
      .option('--issued-at <date>', 'issue time (default now)')
      .option('--trust-list <file|url>', 'refuse to issue unless the seal verifies against this trust list')
      .option('--root <key|file>', 'pinned root for --trust-list (repeatable; key: 64 hex digits or 43 base64url characters)', collect),
  );
}

/**
 * Register `urseal seal`.
 * @example register(program)
 */
export function register(program: Command): void {
  withSealFlags(
    program
      .command('seal')
      .description('توقيع بيانات وثيقة في ختم | sign document fields into a seal; print the text; write the QR')
      .option('--file <original.pdf>', 'bind the seal to this file (SHA-256 and length)')
      .option('--qr <out.png|out.svg>', 'write the QR code image')
      .option('--qr-module <px>', 'PNG pixels per module, 4 to 100 (default 8; the PNG records the dpi that prints 0.6 mm modules)')
      .option('--qr-size <css>', 'SVG width/height, e.g. 50mm (default: 0.6 mm per module; at least 0.5 mm per module)')
      .option('--link <verifier-url>', 'link form: <url>#UR1B:... so phone cameras open the verifier'),
  ).action(async (opts: SealOptions) => {
    await sealCmd(opts);
  });
}
