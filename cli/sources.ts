// Trust lists and status lists from files or http(s) URLs, verified once, with optional rollback state.
import { existsSync } from 'node:fs';
import { toHex, fromHex } from '../core/bytes.js';
import { selectBackendSync } from '../core/crypto/index.js';
import { verifyStatusListSync, type VerifiedStatusList } from '../core/status-list/verify.js';
import { verifyTrustListSync, type VerifiedTrustList } from '../core/trust-list/verify.js';
import { writeFileAtomic } from '../keys/atomic.js';
import { UserError, userError } from '../keys/errors.js';
import { readFileChecked, readJsonChecked } from '../keys/files.js';
import { parsePublicKey } from '../keys/public-key.js';
import { formatTime } from '../keys/time.js';
import { pair } from '../keys/lang.js';

/** Largest list fetched or read (trust lists are bounded at 8 MiB, status lists at 4 MiB). */
const MAX_LIST_BYTES = 16 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

/**
 * Bytes of a file path or an http(s) URL. URSEAL_E_NETWORK / URSEAL_E_FILE_NOT_FOUND / URSEAL_E_READ_FAILED.
 * @example const bytes = await readSource('https://ndc.example/trust-list.cose');
 */
export async function readSource(spec: string, maxBytes = MAX_LIST_BYTES, timeoutMs = FETCH_TIMEOUT_MS): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(spec)) return readFileChecked(spec, maxBytes);
  let res: Response;
  try {
    res = await fetch(spec, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    throw userError('URSEAL_E_NETWORK', 'تعذّر التنزيل', 'download failed', `${spec} (${e instanceof Error ? e.message : String(e)})`, e);
  }
  if (!res.ok) throw userError('URSEAL_E_NETWORK', 'تعذّر التنزيل', 'download failed', `${spec} (HTTP ${res.status})`);
  const tooLarge = () =>
    userError('URSEAL_E_NETWORK', 'الملف المنزَّل أكبر من المسموح', 'download too large', `${spec} (over ${maxBytes} bytes)`);
  const len = Number(res.headers.get('content-length') ?? '0');
  if (len > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  // Read the body chunk by chunk and stop at the limit: a server that lies about (or omits) Content-Length must
  // not make the whole body land in memory first.
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (reader) {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw userError('URSEAL_E_NETWORK', 'تعذّر التنزيل', 'download failed', `${spec} (${e instanceof Error ? e.message : String(e)})`, e);
    }
  }
  const body = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    body.set(c, off);
    off += c.length;
  }
  return body;
}

/** What a verifier remembers between runs (`--state FILE`): rollback protection and root rotation. */
export interface VerifierState {
  trustListSequence?: number;
  /** Roots named by the last accepted list (hex): trusted to sign the next one. */
  roots?: string[];
  statusLists?: Record<string, number>;
  /** The newest signed status list held of each agency (base64): used when the agency's URL cannot be reached. */
  statusListCopies?: Record<string, string>;
}

/**
 * Read a state file; a missing file is an empty state.
 * @example const state = readState('.urseal-state.json');
 */
export function readState(path: string | undefined): VerifierState {
  if (path === undefined || !existsSync(path)) return {};
  const v = readJsonChecked(path, 'URSEAL_E_BAD_VALUE') as Record<string, unknown>;
  const bad = () => userError('URSEAL_E_BAD_VALUE', 'ملف الحالة تالف', 'state file is malformed', path);
  if (v === null || typeof v !== 'object' || v['format'] !== 'urseal-verifier-state') throw bad();
  const s: VerifierState = {};
  if (v['trustListSequence'] !== undefined) {
    if (!Number.isSafeInteger(v['trustListSequence'])) throw bad();
    s.trustListSequence = v['trustListSequence'] as number;
  }
  if (v['roots'] !== undefined) {
    if (!Array.isArray(v['roots']) || !v['roots'].every((r) => typeof r === 'string' && /^[0-9a-f]{64}$/.test(r))) throw bad();
    s.roots = v['roots'] as string[];
  }
  if (v['statusLists'] !== undefined) {
    const sl = v['statusLists'] as Record<string, unknown>;
    if (sl === null || typeof sl !== 'object' || !Object.values(sl).every((n) => Number.isSafeInteger(n))) throw bad();
    s.statusLists = sl as Record<string, number>;
  }
  if (v['statusListCopies'] !== undefined) {
    const c = v['statusListCopies'] as Record<string, unknown>;
    if (c === null || typeof c !== 'object' || !Object.values(c).every((b) => typeof b === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(b)))
      throw bad();
    s.statusListCopies = c as Record<string, string>;
  }
  return s;
}

/** How long a verifier waits for an agency's status list before it goes on with the copy it holds. */
const STATUS_FETCH_TIMEOUT_MS = 10_000;

/** What fetching the published status lists gave: the lists (bytes) and, per agency, what went wrong. */
export interface PublishedStatusLists {
  fetched: Map<string, Uint8Array>;
  failed: Map<string, string>;
}

/**
 * Fetch every status list the trust list publishes a URL for (concurrently, each bounded in size and time).
 * An agency whose list cannot be fetched is named in `failed`, never an error: offline work goes on with the
 * copies held (`--state`), and seals that cannot be checked say so (STATUS_UNKNOWN).
 * @example const { fetched } = await fetchPublishedStatusLists(trust.list.agencies)
 */
export async function fetchPublishedStatusLists(
  agencies: readonly { id: string; statusUrl?: string }[],
  timeoutMs = STATUS_FETCH_TIMEOUT_MS,
): Promise<PublishedStatusLists> {
  const fetched = new Map<string, Uint8Array>();
  const failed = new Map<string, string>();
  await Promise.all(
    agencies
      .filter((a) => a.statusUrl !== undefined)
      .map(async (a) => {
        try {
          fetched.set(a.id, await readSource(a.statusUrl!, MAX_LIST_BYTES, timeoutMs));
        } catch (e) {
          failed.set(a.id, e instanceof UserError ? e.text.en : String(e));
        }
      }),
  );
  return { fetched, failed };
}

/** Write a state file atomically. */
export function writeState(path: string, s: VerifierState): void {
  writeFileAtomic(path, `${JSON.stringify({ format: 'urseal-verifier-state', version: 1, ...s }, null, 2)}\n`, { overwrite: true });
}

/** Everything needed to verify seals, as bytes (so it can be handed to worker threads). */
export interface VerifySetup {
  trustBytes: Uint8Array;
  roots: Uint8Array[];
  statusListBytes: Uint8Array[];
  now: number;
}

/** A verified trust list and status lists, ready for verifySealSync. */
export interface LoadedTrust {
  trust: VerifiedTrustList;
  stale: boolean;
  statusLists: Map<string, VerifiedStatusList>;
}

/**
 * Verify the trust list and status lists of a setup. URSEAL_E_TRUST_LIST_INVALID / _ROLLBACK or
 * URSEAL_E_STATUS_LIST_INVALID with the core reason: a verifier must not go on with a list it cannot trust.
 * @example const t = loadTrust(setup, { lastSequence: 3 });
 */
export function loadTrust(
  setup: VerifySetup,
  options: { lastSequence?: number; statusSequences?: Record<string, number>; label?: string } = {},
): LoadedTrust {
  const backend = selectBackendSync();
  const r = verifyTrustListSync(setup.trustBytes, backend, {
    roots: setup.roots,
    now: setup.now,
    ...(options.lastSequence !== undefined ? { lastSequence: options.lastSequence } : {}),
  });
  if (!r.ok) {
    const code = r.code === 'TRUST_LIST_ROLLBACK' ? 'URSEAL_E_TRUST_LIST_ROLLBACK' : 'URSEAL_E_TRUST_LIST_INVALID';
    throw userError(
      code,
      `قائمة المفاتيح المعتمدة مرفوضة (${r.code})`,
      `trust list refused (${r.code})`,
      `${options.label ?? ''}${options.label ? ': ' : ''}${r.reason}`,
    );
  }
  const statusLists = new Map<string, VerifiedStatusList>();
  for (const bytes of setup.statusListBytes) {
    const s = verifyStatusListSync(bytes, r.trust, backend, { now: setup.now });
    if (!s.ok)
      throw userError(
        'URSEAL_E_STATUS_LIST_INVALID',
        `قائمة الوثائق الملغاة مرفوضة (${s.code})`,
        `status list refused (${s.code})`,
        s.reason,
      );
    const issuer = s.status.list.issuer;
    const last = options.statusSequences?.[issuer];
    if (last !== undefined && s.status.list.sequence < last) {
      throw userError(
        'URSEAL_E_STATUS_LIST_INVALID',
        'قائمة الوثائق الملغاة أقدم من قائمة سبق قبولها',
        'status list is older than one already accepted',
        `${issuer} ${s.status.list.sequence} < ${last}`,
      );
    }
    const held = statusLists.get(issuer);
    // Several copies of one agency's list: the newest wins (DESIGN "Status lists").
    if (!held || held.list.sequence < s.status.list.sequence) statusLists.set(issuer, s.status);
  }
  return { trust: r.trust, stale: r.stale, statusLists };
}

/**
 * Pinned roots from `--root` values (hex or files) plus the roots remembered in the state.
 * @example const roots = resolveRoots(['root.key'], state);
 */
export function resolveRoots(values: readonly string[], state: VerifierState): Uint8Array[] {
  const roots = values.map((v) => parsePublicKey(v));
  for (const hex of state.roots ?? []) if (!roots.some((r) => toHex(r) === hex)) roots.push(fromHex(hex));
  if (roots.length === 0) {
    throw userError(
      'URSEAL_E_USAGE',
      'حدِّد مفتاح الجذر الموثوق بـ --root (أو URSEAL_ROOT)',
      'pin the trusted NDC root with --root <public key (hex or base64url) or file> (or URSEAL_ROOT)',
    );
  }
  return roots;
}

/** A short description of a verified trust list for humans. */
export function describeTrust(t: LoadedTrust): string {
  const l = t.trust.list;
  return pair({
    ar: `قائمة المفاتيح رقم ${l.sequence}`,
    ckb: `لیستی کلیلەکان ژمارە ${l.sequence}`,
    en: `trust list #${l.sequence}, issued ${formatTime(l.issuedAt)}, expires ${formatTime(l.expiresAt)}${t.stale ? ' (STALE)' : ''}`,
  });
}
