// The page's trust data: the bundled trust list and pinned roots, the newest verified copies kept on the
// device (rollback and root-rotation state), and background updates from the issuer.
import {
  toHex,
  verifyStatusList,
  verifyTrustList,
  type Ed25519Backend,
  type VerifiedStatusList,
  type VerifiedTrustList,
} from '../../core/verifier.js';

/** What the build puts into the page (see verifier-web/build.ts). */
export interface BundledData {
  /** The trust list (signed COSE), base64. */
  trustList: string;
  /** Pinned NDC root public keys (raw 32 bytes), hex. */
  roots: string[];
  /** Status lists (signed COSE) by agency id, base64. */
  statusLists: Record<string, string>;
  /** Where the issuer publishes `trust-list` and `status/<agency>`, relative to the page. '' = do not fetch. */
  dataBase: string;
  /** Build time, seconds. */
  builtAt: number;
}

/** What is kept on the device between visits (localStorage), all verified before it was stored. */
interface Stored {
  v: 1;
  /** Newest accepted trust list, base64. */
  trustList?: string;
  /** Highest trust-list sequence ever accepted: anything lower is a rollback. */
  sequence?: number;
  /** Roots named by the newest accepted list (they sign the next one), hex. */
  roots?: string[];
  /** Newest accepted status list per agency. */
  status?: Record<string, { list: string; sequence: number }>;
  /** When the trust list was last fetched and accepted from the network, seconds. */
  fetchedAt?: number;
}

export type TrustSource = 'bundled' | 'stored' | 'network';

const STORAGE_KEY = 'urseal.trust.v1';
/** Largest trust or status list fetched (bounded memory; a status list of 2^20 entries is 128 KB). */
const MAX_LIST_BYTES = 4 * 1024 * 1024;

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function readStored(): Stored {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Stored) : undefined;
    if (parsed && parsed.v === 1) return parsed;
  } catch {
    // Storage blocked (private mode, file:// in some browsers) or corrupt: start from the bundle.
  }
  return { v: 1 };
}

function writeStored(s: Stored): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // Not fatal: the page still verifies with what it holds in memory.
  }
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The trust list and status lists the page verifies with, and how it got them. */
export class TrustStore {
  trust: VerifiedTrustList | undefined;
  source: TrustSource = 'bundled';
  stale = false;
  clockBehind = false;
  /** Why the last list offered (bundled, stored or fetched) was refused, if it was. */
  rejected: { code: string; reason: string } | undefined;
  readonly statusLists = new Map<string, VerifiedStatusList>();
  /** Why the last status list fetched for an agency was refused (bad signature, rollback), by agency id. */
  readonly statusRejected = new Map<string, { code: string; reason: string }>();
  private stored: Stored;

  private constructor(
    private readonly bundled: BundledData,
    private readonly backend: Ed25519Backend,
  ) {
    this.stored = readStored();
  }

  /**
   * Roots trusted now: those named by the newest accepted list (root rotation), plus the roots pinned in
   * this build (the build is the page's own code, so it is trusted as much as the code itself).
   */
  private roots(): Uint8Array[] {
    const hex = new Set([...(this.stored.roots ?? []), ...this.bundled.roots]);
    return [...hex].map(fromHex);
  }

  /** Load: the newest of the stored and bundled lists that verifies without rolling back. */
  static async load(bundled: BundledData, backend: Ed25519Backend): Promise<TrustStore> {
    const s = new TrustStore(bundled, backend);
    const candidates: { bytes: Uint8Array; source: TrustSource }[] = [];
    if (s.stored.trustList) candidates.push({ bytes: fromBase64(s.stored.trustList), source: 'stored' });
    candidates.push({ bytes: fromBase64(bundled.trustList), source: 'bundled' });
    for (const c of candidates) await s.offerTrustList(c.bytes, c.source);
    const lists: { agency: string; bytes: Uint8Array }[] = [];
    for (const [agency, v] of Object.entries(s.stored.status ?? {})) lists.push({ agency, bytes: fromBase64(v.list) });
    for (const [agency, b64] of Object.entries(bundled.statusLists)) lists.push({ agency, bytes: fromBase64(b64) });
    for (const l of lists) await s.offerStatusList(l.bytes);
    return s;
  }

  /** Verify a trust list and take it if it is newer than the one held. Returns whether it was taken. */
  async offerTrustList(bytes: Uint8Array, source: TrustSource): Promise<boolean> {
    const now = nowSeconds();
    const opts =
      this.stored.sequence === undefined ? { roots: this.roots(), now } : { roots: this.roots(), now, lastSequence: this.stored.sequence };
    const r = await verifyTrustList(bytes, this.backend, opts);
    if (!r.ok) {
      // A bundled list older than one already accepted is normal after an update, not an alarm.
      if (!(source === 'bundled' && r.code === 'TRUST_LIST_ROLLBACK' && this.trust)) this.rejected = { code: r.code, reason: r.reason };
      return false;
    }
    if (this.trust && r.trust.list.sequence <= this.trust.list.sequence) {
      if (source === 'network' && r.trust.list.sequence === this.trust.list.sequence) {
        this.stored.fetchedAt = now;
        writeStored(this.stored);
      }
      return false;
    }
    this.trust = r.trust;
    this.source = source;
    this.stale = r.stale;
    this.clockBehind = r.clockBehind;
    this.rejected = undefined;
    this.stored.trustList = toBase64(bytes);
    this.stored.sequence = Math.max(this.stored.sequence ?? 0, r.trust.list.sequence);
    this.stored.roots = r.trust.list.roots.map((k) => toHex(k.publicKey));
    if (source === 'network') this.stored.fetchedAt = now;
    writeStored(this.stored);
    return true;
  }

  /** Verify a status list against the held trust list and keep it if it is the newest for its agency. */
  async offerStatusList(bytes: Uint8Array, expectAgency?: string): Promise<boolean> {
    if (!this.trust) return false;
    const last0 = expectAgency !== undefined ? this.stored.status?.[expectAgency]?.sequence : undefined;
    const r = await verifyStatusList(bytes, this.trust, this.backend, {
      now: nowSeconds(),
      ...(last0 !== undefined ? { lastSequence: last0 } : {}),
    });
    if (!r.ok) {
      if (expectAgency !== undefined) this.statusRejected.set(expectAgency, { code: r.code, reason: r.reason });
      return false;
    }
    // A list fetched for one agency must be that agency's (a status URL cannot speak for another agency).
    if (expectAgency !== undefined && r.status.list.issuer !== expectAgency) {
      this.statusRejected.set(expectAgency, { code: 'STATUS_LIST_INVALID', reason: `list is ${r.status.list.issuer}'s` });
      return false;
    }
    // The agency is known only once the list is read, so the rollback check (as core's lastSequence) is here too.
    const agency = r.status.list.issuer;
    if (expectAgency !== undefined) this.statusRejected.delete(agency);
    const last = this.stored.status?.[agency]?.sequence;
    if (last !== undefined && r.status.list.sequence < last) return false;
    const held = this.statusLists.get(agency);
    if (held && held.list.sequence >= r.status.list.sequence) return false;
    this.statusLists.set(agency, r.status);
    this.stored.status = { ...(this.stored.status ?? {}), [agency]: { list: toBase64(bytes), sequence: r.status.list.sequence } };
    writeStored(this.stored);
    return true;
  }

  /** Recompute staleness and clock checks against the clock now (the page may stay open for days). */
  refreshClock(): void {
    if (!this.trust) return;
    const now = nowSeconds();
    this.stale = now > this.trust.list.expiresAt;
    this.clockBehind = now < this.trust.list.issuedAt;
  }

  /**
   * Fetch the issuer's current trust list and each agency's status list (same origin), verify them, and
   * keep what is newer. Network failures are silent: offline is the normal case. Returns whether anything changed.
   */
  async update(fetchFn: typeof fetch = fetch.bind(globalThis)): Promise<boolean> {
    const base = this.bundled.dataBase;
    let changed = false;
    const get = async (url: string): Promise<Uint8Array | undefined> => {
      try {
        const res = await fetchFn(url, { cache: 'no-cache' });
        if (!res.ok) return undefined;
        const declared = Number(res.headers.get('content-length') ?? '0');
        if (declared > MAX_LIST_BYTES) return undefined;
        const bytes = new Uint8Array(await res.arrayBuffer());
        return bytes.length > MAX_LIST_BYTES ? undefined : bytes;
      } catch {
        return undefined;
      }
    };
    const fromBase = (path: string): string | undefined => (base ? new URL(path, new URL(base, document.baseURI)).href : undefined);
    const listUrl = fromBase('trust-list');
    const list = listUrl ? await get(listUrl) : undefined;
    if (list) changed = (await this.offerTrustList(list, 'network')) || changed;
    // Each agency's status list from where the (signed) trust list says the agency publishes it, else from the
    // issuer next to the page. What comes back is verified against the trust list and never rolls back.
    for (const agency of this.trust?.list.agencies ?? []) {
      // (If the published address cannot be reached, e.g. blocked by the page's CSP, the issuer's copy is tried.)
      const urls = [agency.statusUrl, fromBase(`status/${encodeURIComponent(agency.id)}`)].filter((u): u is string => !!u);
      for (const url of new Set(urls)) {
        const bytes = await get(url);
        if (!bytes) continue;
        changed = (await this.offerStatusList(bytes, agency.id)) || changed;
        break;
      }
    }
    return changed;
  }

  /** When the trust data was last confirmed from the network (seconds), if ever. */
  get fetchedAt(): number | undefined {
    return this.stored.fetchedAt;
  }
}
