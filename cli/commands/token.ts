// `urseal token create|list|revoke`: API tokens of the issuer (the secret is shown once; only its hash is stored).
import type { Command } from 'commander';
import { userError } from '../../keys/errors.js';
import { AdminError, createToken, listTokens, revokeToken } from '../../issuer/admin.js';
import { parseScopes, type Scope } from '../../issuer/tokens.js';
import { out } from '../options.js';
import { openRegistryForTokens, withIssuerOptions, type IssuerCliOptions } from './serve.js';

function adminFailure(e: unknown): never {
  if (e instanceof AdminError) {
    const code = e.code === 'UNKNOWN_AGENCY' ? 'URSEAL_E_UNKNOWN_AGENCY' : 'URSEAL_E_BAD_VALUE';
    throw userError(code, 'تعذّر تنفيذ الأمر', 'cannot do that', e.message);
  }
  throw e;
}

/** `token create --agency X --scopes issue,read [--label text]`: prints the secret once. */
export async function tokenCreate(
  opts: IssuerCliOptions & { agency: string; scopes: string; label?: string; json?: boolean },
): Promise<void> {
  let scopes: Scope[];
  try {
    scopes = parseScopes(opts.scopes);
  } catch (e) {
    throw userError('URSEAL_E_BAD_VALUE', 'صلاحيات غير صالحة', 'invalid scopes', (e as Error).message);
  }
  const registry = await openRegistryForTokens(opts);
  try {
    const t = await createToken(registry, opts.agency, scopes, opts.label);
    if (opts.json) out(JSON.stringify({ id: t.id, token: t.secret, agency: opts.agency, scopes }));
    else {
      out(`token ${t.id} for ${opts.agency} (${scopes.join(',')})`);
      out(`secret (shown once, stored only as a hash): ${t.secret}`);
    }
  } catch (e) {
    adminFailure(e);
  } finally {
    await registry.close();
  }
}

/** `token list [--agency X] [--json]` */
export async function tokenList(opts: IssuerCliOptions & { agency?: string; json?: boolean }): Promise<void> {
  const registry = await openRegistryForTokens(opts);
  try {
    const rows = await listTokens(registry, opts.agency);
    if (opts.json) {
      out(
        JSON.stringify(
          rows.map((t) => ({
            id: t.id,
            agency: t.agencyId,
            scopes: t.scopes,
            label: t.label ?? null,
            createdAt: t.createdAt,
            revokedAt: t.revokedAt ?? null,
          })),
        ),
      );
      return;
    }
    for (const t of rows) {
      const state = t.revokedAt !== undefined ? `revoked ${new Date(t.revokedAt * 1000).toISOString()}` : 'active';
      out(
        `${t.id}  ${t.agencyId.padEnd(8)} ${t.scopes.join(',').padEnd(17)} ${state.padEnd(10)} created ${new Date(t.createdAt * 1000).toISOString()}${t.label ? `  ${t.label}` : ''}`,
      );
    }
  } finally {
    await registry.close();
  }
}

/** `token revoke <id>`: refused from the next request on. */
export async function tokenRevoke(id: string, opts: IssuerCliOptions): Promise<void> {
  const registry = await openRegistryForTokens(opts);
  try {
    await revokeToken(registry, id);
    out(`revoked ${id}`);
  } catch (e) {
    adminFailure(e);
  } finally {
    await registry.close();
  }
}

/**
 * Register `urseal token ...`.
 * @example register(program)
 */
export function register(program: Command): void {
  const token = program.command('token').description('رموز الوصول لخدمة الإصدار | issuer API tokens');
  withIssuerOptions(
    token
      .command('create')
      .description('إنشاء رمز وصول لجهة (يظهر مرة واحدة) | create a token for an agency (shown once)')
      .requiredOption('--agency <id>', 'agency id, e.g. MOJ')
      .option('--scopes <list>', 'comma-separated: issue, revoke, read', 'issue,revoke,read')
      .option('--label <text>', 'what the token is for, e.g. "notary office 3"')
      .option('--json', 'print JSON'),
  ).action(tokenCreate);
  withIssuerOptions(
    token
      .command('list')
      .description('عرض رموز الوصول | list tokens (never their secrets)')
      .option('--agency <id>', 'only this agency')
      .option('--json', 'print JSON'),
  ).action(tokenList);
  withIssuerOptions(token.command('revoke').description('إلغاء رمز وصول | revoke a token').argument('<id>', 'token id (tok_…)')).action(
    tokenRevoke,
  );
}
