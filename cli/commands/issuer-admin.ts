// `urseal issuer ...`: production set-up of the issuer registry: pin the NDC root, import the trust list and agency keys.
import type { Command } from 'commander';
import { toHex } from '../../core/index.js';
import { userError } from '../../keys/errors.js';
import { parsePublicKey } from '../../keys/public-key.js';
import { AdminError, importAgencySeed, importTrustListBytes, pinRoot, seedFromKeyFile } from '../../issuer/admin.js';
import { TrustListError, issuingKey, loadTrustList } from '../../issuer/trust.js';
import { nativeBackend } from '../../core/index.js';
import { readSource } from '../sources.js';
import { collect, out, parseIntFlag, passphraseFor, withPassphraseEnv } from '../options.js';
import { ConfigError } from '../../issuer/config.js';
import { admitDemoAgency, DemoAdmitError } from '../../issuer/demo.js';
import { openRegistry } from '../../issuer/server.js';
import { agencySpecFromOptions } from './trust-list.js';
import { issuerConfig, openIssuerRegistry, withIssuerOptions, type IssuerCliOptions } from './serve.js';

function failure(e: unknown): never {
  if (e instanceof TrustListError) {
    const code = e.code === 'TRUST_LIST_ROLLBACK' ? 'URSEAL_E_TRUST_LIST_ROLLBACK' : 'URSEAL_E_TRUST_LIST_INVALID';
    throw userError(code, 'قائمة المفاتيح مرفوضة', 'trust list refused', e.message);
  }
  if (e instanceof AdminError) {
    const code =
      e.code === 'KEY_EXISTS' ? 'URSEAL_E_KEY_EXISTS' : e.code === 'BAD_KEY_FILE' ? 'URSEAL_E_KEY_FILE_MALFORMED' : 'URSEAL_E_BAD_VALUE';
    throw userError(code, 'تعذّر تنفيذ الأمر', 'cannot do that', e.message);
  }
  throw e;
}

/** `issuer pin-root <public key>`: trust lists must be signed by a pinned root (or one a pinned root's list names). */
export async function pinRootCmd(publicKey: string, opts: IssuerCliOptions & { name?: string }): Promise<void> {
  const key = parsePublicKey(publicKey);
  const { registry } = await openIssuerRegistry(opts);
  try {
    out(`pinned root ${await pinRoot(registry, key, opts.name)}`);
  } finally {
    await registry.close();
  }
}

/** `issuer import-trust-list <file|url>`: verify under the pinned roots (no rollback) and make it current. */
export async function importTrustListCmd(source: string, opts: IssuerCliOptions): Promise<void> {
  const bytes = await readSource(source);
  const { registry } = await openIssuerRegistry(opts);
  try {
    const t = await importTrustListBytes(registry, bytes);
    out(
      `imported trust list #${t.list.sequence} (${t.list.agencies.length} agencies), expires ${new Date(t.list.expiresAt * 1000).toISOString()}`,
    );
    out('a running service picks it up within 30 s (or send it SIGHUP)');
  } catch (e) {
    failure(e);
  } finally {
    await registry.close();
  }
}

/** `issuer import-key --key-file F [--agency X]`: decrypt an agency key file and store it under the master key. */
export async function importKeyCmd(opts: IssuerCliOptions & { keyFile: string; agency?: string; passphraseEnv?: string }): Promise<void> {
  const { registry, master } = await openIssuerRegistry(opts);
  try {
    const passphrase = await passphraseFor(opts, false);
    const k = seedFromKeyFile(opts.keyFile, passphrase);
    const agency = opts.agency ?? k.agency;
    if (!agency) throw userError('URSEAL_E_BAD_VALUE', 'حدّد الجهة', 'name the agency', '--agency');
    if (k.agency !== undefined && agency !== k.agency)
      throw userError('URSEAL_E_BAD_VALUE', 'الجهة لا تطابق ملف المفتاح', 'agency does not match the key file', `${agency} != ${k.agency}`);
    const r = await importAgencySeed(registry, master, agency, k.seed);
    k.seed.fill(0);
    out(`imported key ${r.kid} for ${agency} (encrypted under the master key)`);
    if (!r.inTrustList) out('note: the current trust list does not publish this key yet; the service will not issue with it until it does');
  } catch (e) {
    failure(e);
  } finally {
    await registry.close();
  }
}

/** `issuer status`: trust list, roots, agencies and which key each would issue with now. */
export async function statusCmd(opts: IssuerCliOptions): Promise<void> {
  const { registry } = await openIssuerRegistry(opts);
  try {
    const now = Math.floor(Date.now() / 1000);
    for (const r of await registry.listRoots()) out(`root ${r.kid}${r.name ? ` ${r.name}` : ''}`);
    let trust;
    try {
      trust = await loadTrustList(registry, nativeBackend()!, now);
    } catch (e) {
      failure(e);
    }
    out(
      trust
        ? `trust list #${trust.list.sequence}, expires ${new Date(trust.list.expiresAt * 1000).toISOString()}${now > trust.list.expiresAt ? ' (STALE)' : ''}`
        : 'no trust list imported',
    );
    const held = await registry.listAgencyKeys();
    for (const a of await registry.listAgencies()) {
      const k = trust
        ? issuingKey(
            trust,
            held.map((h) => h.kid),
            a.id,
            now,
          )
        : undefined;
      out(
        `agency ${a.id}  ${a.name.ar} | ${a.name.en}  documents ${await registry.countDocuments(a.id)}  issuing key ${k ? toHex(k.kid) : 'NONE'}`,
      );
      for (const h of held.filter((x) => x.agencyId === a.id)) out(`  held key ${h.kid}`);
    }
  } finally {
    await registry.close();
  }
}

/** `issuer audit [--limit N] [--json]`: the newest entries of the append-only audit log. */
export async function auditCmd(opts: IssuerCliOptions & { limit?: string; json?: boolean }): Promise<void> {
  const limit = opts.limit === undefined ? 50 : parseIntFlag(opts.limit, '--limit', 1, 100_000);
  const { registry } = await openIssuerRegistry(opts);
  try {
    const entries = await registry.listAudit(limit);
    if (opts.json) {
      out(JSON.stringify(entries));
      return;
    }
    for (const e of entries) {
      out(
        `${String(e.id).padStart(6)} ${new Date(e.at * 1000).toISOString()} ${(e.agencyId ?? '-').padEnd(8)} ${e.actor.padEnd(16)} ${e.action}${e.subject ? ` ${e.subject}` : ''}${e.detail ? ` (${e.detail})` : ''}`,
      );
    }
  } finally {
    await registry.close();
  }
}

/** `issuer demo-admit-agency`: demo only; a new agency, its key, the next DEMO trust list and a token, in one step. */
export async function demoAdmitCmd(opts: IssuerCliOptions & Parameters<typeof agencySpecFromOptions>[0]): Promise<void> {
  const spec = agencySpecFromOptions(opts);
  if (spec.documentTypes.length === 0)
    throw userError('URSEAL_E_USAGE', 'أضف نوع وثيقة واحداً على الأقل بـ --type', 'give at least one document type with --type', spec.id);
  const config = issuerConfig(
    {
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.masterKeyFile ? { masterKeyFile: opts.masterKeyFile } : {}),
    },
    'auto',
  );
  let opened;
  try {
    opened = await openRegistry(config, { info: () => {}, warn: (l) => process.stderr.write(`${l}\n`) });
  } catch (e) {
    if (e instanceof ConfigError)
      throw userError('URSEAL_E_BAD_VALUE', 'تعذّر فتح سجل خدمة الإصدار', 'cannot open the issuer registry', e.message);
    throw e;
  }
  const { registry, master } = opened;
  try {
    const r = await admitDemoAgency(registry, master, nativeBackend()!, config.dataDir, spec, Math.floor(Date.now() / 1000));
    out(`DEMO: admitted agency ${r.agencyId} with key ${r.kid} in DEMO trust list #${r.sequence}`);
    out(`API token for ${r.agencyId} (shown ONCE; it is stored only as a hash):`);
    out(`  ${r.token}`);
    out('a running issuer picks the new list up within 30 s (or send it SIGHUP)');
  } catch (e) {
    if (e instanceof DemoAdmitError)
      throw userError('URSEAL_E_BAD_VALUE', 'تعذّر قبول الجهة في العرض التجريبي', 'cannot admit the agency in the demo', e.message);
    if (e instanceof TrustListError) failure(e);
    throw e;
  } finally {
    await registry.close();
  }
}

/**
 * Register `urseal issuer ...`.
 * @example register(program)
 */
export function register(program: Command): void {
  const issuer = program.command('issuer').description('إعداد خدمة الإصدار | set up the issuer service registry');
  withIssuerOptions(
    issuer
      .command('pin-root')
      .description('تثبيت مفتاح جذر المركز الوطني | pin an NDC root public key')
      .argument('<publicKey>', 'root public key (hex or base64url, as printed by `urseal root keygen`)')
      .option('--name <text>', 'a name for the root'),
  ).action(pinRootCmd);
  withIssuerOptions(
    issuer
      .command('import-trust-list')
      .description('استيراد قائمة المفاتيح المنشورة | import the published trust list (.cose file or URL)')
      .argument('<source>', 'file or https URL of the signed list'),
  ).action(importTrustListCmd);
  withIssuerOptions(
    withPassphraseEnv(
      issuer
        .command('import-key')
        .description('استيراد مفتاح توقيع جهة | import an agency signing key file (stored encrypted under the master key)')
        .requiredOption('--key-file <file>', 'agency key file from `urseal agency keygen`')
        .option('--agency <id>', 'agency id (default: the one in the key file)'),
    ),
  ).action(importKeyCmd);
  withIssuerOptions(
    issuer
      .command('audit')
      .description('سجل التدقيق | the append-only audit log, newest first')
      .option('--limit <n>', 'entries to show (default 50)')
      .option('--json', 'print JSON'),
  ).action(auditCmd);
  withIssuerOptions(
    issuer
      .command('demo-admit-agency')
      .description('عرض تجريبي: قبول جهة أخرى | DEMO only: admit another agency (key, next DEMO trust list, token) in one step')
      .option('--from <file.json>', 'agency as JSON: {id, name: {ar, en}, documentTypes: [{id, name, fields: [{id, label}]}]}')
      .option('--id <id>', 'agency id, e.g. MOH')
      .option('--name-ar <text>', 'Arabic name')
      .option('--name-en <text>', 'English name')
      .option('--type <id:ar:en>', 'a document type (repeatable)', collect)
      .option('--field <type.id:ar:en>', 'a field of a document type (repeatable)', collect),
  ).action(demoAdmitCmd);
  withIssuerOptions(issuer.command('status').description('حالة السجل | registry status: trust list, agencies, issuing keys')).action(
    statusCmd,
  );
}
