// The issuing service: validates requests against the trust list, records issuances, signs seals, stamps, revokes.
import {
  fromHex,
  sha256,
  signSealSync,
  signStatusListSync,
  toHex,
  utf8,
  UrsealError,
  validateIssuedClaims,
  isBlankText,
  nativeBackend,
  type DocumentType,
  type Ed25519Backend,
  type SealClaims,
  type SigningKey,
  type StatusList,
  type VerifiedTrustList,
} from '../core/index.js';
import { ApiError, type ApiErrorCode } from './errors.js';
import { openSeed, type MasterKey } from './master-key.js';
import { StatusListFullError, type DocumentRecord, type StatusListRecord } from './registry/registry.js';
import { isRegistryUnavailable, type RegistryStore } from './registry/store.js';
import { inProcessStamper, type Stamper } from './stamper.js';
import { StampError, type Caption, type Corner, type Place, type Placement } from './stamp/stamp.js';
import type { Scope } from './tokens.js';
import { issuingKey, loadTrustList } from './trust.js';

/** Who is calling: established by the token middleware. */
export interface Caller {
  tokenId: string;
  agencyId: string;
  scopes: readonly Scope[];
}

/** A document's content as requested. */
export interface DocumentInput {
  type: unknown;
  number: unknown;
  fields: unknown;
  /** Optional expiry (seconds since 1970). */
  exp?: unknown;
}

/** A seal issued (or replayed) by the service. */
export interface IssuedSeal {
  document: DocumentRecord;
  sealText: string;
  /** True when an Idempotency-Key matched an earlier identical request: nothing new was issued. */
  replay: boolean;
}

/** A stamped PDF issued (or replayed). */
export interface IssuedDocument extends IssuedSeal {
  pdf: Uint8Array;
  /** Where each stamp went (corner, along a margin, elsewhere on the page, the asked place, or the seal page). */
  placements: Placement[];
  /** 1-based number of the added seal page, when one was added. */
  sealPage?: number;
}

/** A signed, served file (trust list or status list) with its validator. */
export interface Published {
  bytes: Uint8Array;
  etag: string;
  sequence: number;
  issuedAt: number;
  expiresAt: number;
}

/** Options of {@link IssuerService}. */
export interface IssuerServiceOptions {
  registry: RegistryStore;
  master: MasterKey;
  backend?: Ed25519Backend;
  stamper?: Stamper;
  /** Seconds since 1970. Default: the clock. */
  clock?: () => number;
  /** How long a signed status list is valid, seconds. Default 86 400 (renewed after half of it). */
  statusListValidity?: number;
  /** Whether this registry holds demo keys (shown in /healthz). */
  demo?: boolean;
  /**
   * Default stamp places per document type, for agencies whose templates reserve a box: keys `agency/type` (one
   * agency's type) or `type` (that type id for every agency); a request's own `place` wins.
   */
  stampPlaces?: Record<string, Place>;
  /** Caption under every stamp (default: Arabic and English). */
  caption?: Caption;
}

/** Where and how a PDF is stamped, as a request asks. */
export interface StampRequest {
  pages: number[];
  corner: Corner;
  place?: Place;
  placement?: 'auto' | 'seal-page';
}

/** Corners the stamper accepts. */
/** Latest expiry accepted at issuance, seconds ahead of now (100 years). */
export const MAX_EXP_AHEAD = 100 * 366 * 86_400;

export const CORNERS: readonly Corner[] = ['bottom-left', 'bottom-right', 'top-left', 'top-right'];
const SERIAL_RE = /^[0-9a-f]{16}$/;
const MAX_FIELD_LENGTH = 256;
/** Alphanumeric capacity of the largest QR code at error correction M (version 40-M, ISO/IEC 18004 Table 7). */
const MAX_QR_SEAL_TEXT = 3391;
const MAX_NUMBER_LENGTH = 64;
/**
 * How long a status list read from a shared (PostgreSQL) registry is served before it is read again: another node
 * may have revoked a document and re-signed the list. Well under the 1 s within which every node must serve it.
 */
const SHARED_STATUS_TTL_MS = 250;

/** An empty or blank text: a missing value, not one to sign. */
function isBlank(v: unknown): boolean {
  return typeof v === 'string' && isBlankText(v);
}

function etagOf(bytes: Uint8Array): string {
  return `"${toHex(sha256(bytes).subarray(0, 16))}"`;
}

/** Canonical JSON (sorted keys) for request fingerprints. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const STAMP_TO_API: Record<string, ApiErrorCode> = {
  PDF_UNREADABLE: 'PDF_UNREADABLE',
  PDF_ENCRYPTED_NO_CHANGES: 'PDF_ENCRYPTED_NO_CHANGES',
  PDF_ENCRYPTED_PASSWORD: 'PDF_ENCRYPTED_PASSWORD',
  PDF_ENCRYPTED_UNSUPPORTED: 'PDF_ENCRYPTED_UNSUPPORTED',
  PDF_PAGE_NOT_FOUND: 'PDF_PAGE_NOT_FOUND',
  INVALID_OPTIONS: 'BAD_REQUEST',
  PLACE_OFF_PAGE: 'PLACE_OFF_PAGE',
  // A `place` with a size below the seal's minimum (0.5 mm per module).
  QR_TOO_SMALL: 'INVALID_PLACE',
};

/**
 * The issuer's logic, independent of HTTP. Request problems throw `ApiError` (4xx); everything else is a bug or a
 * configuration problem.
 * @example const s = await IssuerService.open({ registry, master }); const r = await s.issueSeal(caller, { type: 'cert', number: '1', fields: { n: 'x' } })
 */
export class IssuerService {
  readonly registry: RegistryStore;
  readonly backend: Ed25519Backend;
  readonly stamper: Stamper;
  readonly demo: boolean;
  private readonly master: MasterKey;
  private readonly clock: () => number;
  private readonly statusValidity: number;
  private trustState: VerifiedTrustList | undefined;
  private trustEtag = '';
  private readonly keys = new Map<string, SigningKey>();
  private heldKids: string[] = [];
  private readonly statusCache = new Map<string, Published & { readAt: number }>();
  /** Entries of each agency's current status list: an issuance past the end grows the list (see record). */
  private readonly statusSizes = new Map<string, number>();
  private readonly stampPlaces: Record<string, Place>;
  private readonly caption: Caption | undefined;

  constructor(o: IssuerServiceOptions) {
    this.registry = o.registry;
    this.master = o.master;
    this.backend = o.backend ?? nativeBackend()!;
    this.stamper = o.stamper ?? inProcessStamper();
    this.clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
    this.statusValidity = o.statusListValidity ?? 86_400;
    this.demo = o.demo ?? false;
    this.stampPlaces = o.stampPlaces ?? {};
    this.caption = o.caption;
  }

  /** A service with its trust list and keys loaded (see reload). */
  static async open(o: IssuerServiceOptions): Promise<IssuerService> {
    const s = new IssuerService(o);
    await s.reload();
    return s;
  }

  /** Seconds since 1970 by the service's clock. */
  now(): number {
    return this.clock();
  }

  /**
   * (Re)load the trust list and the held keys from the registry, decrypt every held key once (a wrong master key
   * fails here, at start-up), and make sure each agency that can sign has a status list.
   */
  async reload(): Promise<void> {
    const now = this.now();
    this.trustState = await loadTrustList(this.registry, this.backend, now);
    this.trustEtag = this.trustState ? etagOf(this.trustState.bytes) : '';
    const held = await this.registry.listAgencyKeys();
    this.heldKids = held.map((k) => k.kid);
    for (const k of held) {
      if (this.keys.has(k.kid)) continue;
      const seed = openSeed(this.master, k.agencyId, k.kid, k.sealedSeed);
      const key = this.backend.importSigningKeySync(seed);
      seed.fill(0);
      if (toHex(key.publicKey) !== toHex(k.publicKey))
        throw new Error(`agency key ${k.kid}: stored public key does not match the decrypted seed`);
      this.keys.set(k.kid, key);
    }
    this.statusCache.clear();
    this.statusSizes.clear();
    await this.renewStatusLists(true);
  }

  /** Reload when another process (the CLI) imported a newer trust list or a key. */
  async reloadIfChanged(): Promise<boolean> {
    const seq = await this.registry.latestTrustListSequence();
    const kids = (await this.registry.listAgencyKeys()).length;
    if (seq !== this.trustState?.list.sequence || kids !== this.heldKids.length) {
      await this.reload();
      return true;
    }
    return false;
  }

  /** The current trust list, if any. */
  get trust(): VerifiedTrustList | undefined {
    return this.trustState;
  }

  /** The published trust list file. */
  trustList(): Published | undefined {
    const t = this.trustState;
    if (!t) return undefined;
    return { bytes: t.bytes, etag: this.trustEtag, sequence: t.list.sequence, issuedAt: t.list.issuedAt, expiresAt: t.list.expiresAt };
  }

  /**
   * The current signed status list of an agency. This process's own changes are cached as they are made; on a shared
   * registry the list is read again after SHARED_STATUS_TTL_MS, so another node's revocation is served within it.
   */
  async statusList(agencyId: string): Promise<Published | undefined> {
    const hit = this.statusCache.get(agencyId);
    if (hit && (!this.registry.shared || Date.now() - hit.readAt < SHARED_STATUS_TTL_MS)) return hit;
    const rec = await this.registry.getStatusList(agencyId);
    if (!rec) return undefined;
    return this.cacheStatus(rec);
  }

  private cacheStatus(rec: StatusListRecord): Published {
    const had = this.statusCache.get(rec.agencyId);
    // Never step back (a slower read may return a list older than one this process has just signed), and a
    // sequence already held is the same signed list (one per sequence): keep it rather than hash it again.
    if (had && had.sequence >= rec.sequence) {
      had.readAt = Date.now();
      return had;
    }
    const p = {
      bytes: rec.signed,
      etag: etagOf(rec.signed),
      sequence: rec.sequence,
      issuedAt: rec.issuedAt,
      expiresAt: rec.expiresAt,
      readAt: Date.now(),
    };
    this.statusCache.set(rec.agencyId, p);
    this.statusSizes.set(rec.agencyId, rec.size);
    return p;
  }

  /** The key an agency issues with now, with its imported signing key. */
  private signerFor(agencyId: string): { kid: string; key: SigningKey } | undefined {
    const t = this.trustState;
    if (!t) return undefined;
    const k = issuingKey(t, this.heldKids, agencyId, this.now());
    if (!k) return undefined;
    const kid = toHex(k.kid);
    return { kid, key: this.keys.get(kid)! };
  }

  /** Whether an agency can issue right now, and with which key. */
  issuingKid(agencyId: string): string | undefined {
    return this.signerFor(agencyId)?.kid;
  }

  /**
   * Sign a fresh status list for every agency that has none (at start-up) or whose list is past half its validity.
   * Agencies without a usable key keep their last list (it goes stale; verifiers say how old it is).
   */
  async renewStatusLists(missingOnly = false): Promise<number> {
    let n = 0;
    const now = this.now();
    // Lists issued before this are due; the store checks again under its lock, so when several nodes share the
    // registry only one of them signs the next sequence.
    const dueBefore = missingOnly ? Number.MIN_SAFE_INTEGER : now - Math.floor(this.statusValidity / 2) + 1;
    for (const a of await this.registry.listAgencies()) {
      const cur = await this.registry.getStatusList(a.id);
      if (cur && cur.issuedAt >= dueBefore) continue;
      const signer = this.signerFor(a.id);
      if (!signer) continue;
      const sign = (l: StatusList) => signStatusListSync(l, this.backend, signer.key);
      const rec = await this.registry.renewStatusList(a.id, now, { validity: this.statusValidity, sign }, dueBefore);
      this.cacheStatus(rec);
      if (!cur || rec.sequence !== cur.sequence) n++;
    }
    return n;
  }

  /** The document type of an agency, or UNKNOWN_DOCUMENT_TYPE. */
  private documentType(agencyId: string, type: unknown): DocumentType {
    if (typeof type !== 'string' || type.length === 0) throw new ApiError('MISSING_FIELD', 'type is required');
    const agency = this.trustState?.findAgency(agencyId);
    const t = agency?.documentTypes.find((d) => d.id === type);
    if (!t) throw new ApiError('UNKNOWN_DOCUMENT_TYPE', `document type ${JSON.stringify(type)} is not published for ${agencyId}`);
    return t;
  }

  /** Validate a document's content against the published type: every field known, every field present. */
  private checkDocument(
    agencyId: string,
    input: DocumentInput,
  ): { type: string; number: string; fields: Record<string, string | number>; exp?: number } {
    const t = this.documentType(agencyId, input.type);
    if (input.number === undefined || input.number === null || isBlank(input.number))
      throw new ApiError('MISSING_FIELD', 'number is required (a blank number is none)');
    if (typeof input.number !== 'string' || input.number.length > MAX_NUMBER_LENGTH) {
      throw new ApiError('INVALID_FIELD', `number must be text of 1-${MAX_NUMBER_LENGTH} characters`);
    }
    if (input.fields === undefined || input.fields === null) throw new ApiError('MISSING_FIELD', 'fields is required');
    if (typeof input.fields !== 'object' || Array.isArray(input.fields))
      throw new ApiError('INVALID_FIELD', 'fields must be an object of field id -> value');
    const given = input.fields as Record<string, unknown>;
    const fields: Record<string, string | number> = {};
    for (const id of Object.keys(given)) {
      if (!t.fields.some((f) => f.id === id))
        throw new ApiError('UNKNOWN_FIELD', `field ${JSON.stringify(id)} is not defined for type ${t.id}`);
    }
    for (const f of t.fields) {
      const v = given[f.id];
      if (v === undefined || v === null || isBlank(v))
        throw new ApiError('MISSING_FIELD', `field ${JSON.stringify(f.id)} (${f.label.en}) is required (a blank value is none)`);
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v) || v < 0) throw new ApiError('INVALID_FIELD', `field ${f.id} must be text or a whole number`);
      } else if (typeof v !== 'string' || v.length > MAX_FIELD_LENGTH) {
        throw new ApiError('INVALID_FIELD', `field ${f.id} must be text of 1-${MAX_FIELD_LENGTH} characters`);
      }
      fields[f.id] = v;
    }
    const out: { type: string; number: string; fields: Record<string, string | number>; exp?: number } = {
      type: t.id,
      number: input.number,
      fields,
    };
    if (input.exp !== undefined && input.exp !== null && input.exp !== '') {
      // Whole seconds written plainly: no "0x10", "1e12", " 5", "+5" or "5.0" (Number() would take them all).
      const exp = typeof input.exp === 'string' ? (/^[1-9][0-9]{0,11}$/.test(input.exp) ? Number(input.exp) : NaN) : input.exp;
      if (typeof exp !== 'number' || !Number.isSafeInteger(exp) || exp <= this.now() || exp > this.now() + MAX_EXP_AHEAD)
        throw new ApiError('INVALID_FIELD', 'exp must be whole seconds since 1970, in the future and at most 100 years ahead');
      out.exp = exp;
    }
    return out;
  }

  private claimsOf(d: DocumentRecord): SealClaims {
    const c: SealClaims = {
      iss: d.agencyId,
      iat: d.issuedAt,
      cti: fromHex(d.serial),
      doc: { type: d.type, number: d.number, fields: d.fields, status: d.statusIndex },
    };
    if (d.expiresAt !== undefined) c.exp = d.expiresAt;
    if (d.hash) c.doc.hash = d.hash;
    if (d.length !== undefined) c.doc.length = d.length;
    return c;
  }

  private requireScope(caller: Caller, scope: Scope): void {
    if (!caller.scopes.includes(scope)) throw new ApiError('FORBIDDEN_SCOPE', `this token lacks the "${scope}" scope`);
  }

  /** The checks of an issuance that need no registry row: scope, document type and fields, a signing key. */
  private checkIssue(
    caller: Caller,
    _kind: 'pdf' | 'paper',
    input: DocumentInput,
    extra: { hash?: Uint8Array; length?: number },
  ): { doc: ReturnType<IssuerService['checkDocument']>; now: number; signer: NonNullable<ReturnType<IssuerService['signerFor']>> } {
    this.requireScope(caller, 'issue');
    const doc = this.checkDocument(caller.agencyId, input);
    const now = this.now();
    const signer = this.signerFor(caller.agencyId);
    if (!signer) throw new ApiError('NO_SIGNING_KEY', `no usable key for ${caller.agencyId}`);
    // Check the claims as signing will, before any registry row exists (names the bad field: a too-long value, a
    // control or bidi control character, a lone surrogate, a blank value), so a refusal leaves nothing behind.
    try {
      validateIssuedClaims({
        iss: caller.agencyId,
        iat: now,
        cti: new Uint8Array(8),
        doc: { ...doc, status: 0, ...(extra.hash ? { hash: extra.hash, length: extra.length! } : {}) },
      });
    } catch (e) {
      if (e instanceof UrsealError) throw new ApiError('INVALID_FIELD', e.message);
      throw e;
    }
    return { doc, now, signer };
  }

  private async record(
    caller: Caller,
    kind: 'pdf' | 'paper',
    input: DocumentInput,
    extra: { hash?: Uint8Array; length?: number; pages?: number[]; corner?: Corner; place?: Place; placement?: string },
    idempotencyKey: string | undefined,
  ): Promise<{ document: DocumentRecord; replay: boolean; key: SigningKey }> {
    const { doc, now, signer } = this.checkIssue(caller, kind, input, extra);
    const requestHash = sha256(
      utf8(
        canonical({
          kind,
          ...doc,
          hash: extra.hash ? toHex(extra.hash) : undefined,
          length: extra.length,
          pages: extra.pages,
          corner: extra.corner,
          place: extra.place,
          placement: extra.placement,
        }),
      ),
    );
    const signStatus = (l: StatusList) => signStatusListSync(l, this.backend, signer.key);
    const outcome = await this.registry
      .issue({
        agencyId: caller.agencyId,
        kid: signer.kid,
        kind,
        type: doc.type,
        number: doc.number,
        fields: doc.fields,
        ...(extra.hash ? { hash: extra.hash, length: extra.length! } : {}),
        ...(doc.exp !== undefined ? { expiresAt: doc.exp } : {}),
        tokenId: caller.tokenId,
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        requestHash,
        now,
        growStatusList: { validity: this.statusValidity, sign: signStatus },
      })
      .catch((e: unknown) => {
        // No cause: a named refusal, not an unexpected error for the log (app.ts onError).
        if (e instanceof StatusListFullError) throw new ApiError('STATUS_LIST_FULL', e.message);
        throw e;
      });
    // The registry grew the status list in the issuing transaction if this index was past its end: publish that one.
    if (outcome.kind === 'new' && outcome.document.statusIndex >= (this.statusSizes.get(caller.agencyId) ?? Infinity)) {
      const rec = await this.registry.getStatusList(caller.agencyId);
      if (rec) this.cacheStatus(rec);
    }
    if (outcome.kind === 'conflict')
      throw new ApiError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key was used for document ${outcome.document.serial}`);
    const key = outcome.kind === 'replay' ? this.keys.get(outcome.document.kid) : signer.key;
    if (!key) throw new ApiError('NO_SIGNING_KEY', `key ${outcome.document.kid} of the original issuance is no longer held`);
    return { document: outcome.document, replay: outcome.kind === 'replay', key };
  }

  /**
   * Sign the seal of a recorded document. The claims were checked before the row was written, so this does not
   * fail; if it ever does, the row is marked failed (never delivered, never reused) before the error goes on.
   */
  private async sign(r: { document: DocumentRecord; replay: boolean; key: SigningKey }): Promise<string> {
    let text: string;
    try {
      text = signSealSync(this.claimsOf(r.document), { backend: this.backend, key: r.key });
    } catch (e) {
      if (!r.replay) await this.registry.markFailed(r.document.serial, this.now(), e instanceof Error ? e.message : String(e));
      throw e;
    }
    // Long texts in many fields compress only so far: a seal that no QR code holds is never delivered. Its length
    // is known only once signed (compression), so the row is marked failed rather than left 'issued'.
    if (text.length > MAX_QR_SEAL_TEXT) {
      const why = `the seal would be ${text.length} characters, more than one QR code holds (${MAX_QR_SEAL_TEXT}): shorten the fields`;
      if (!r.replay) await this.registry.markFailed(r.document.serial, this.now(), why);
      throw new ApiError('INVALID_FIELD', why);
    }
    return text;
  }

  /**
   * Issue a paper seal (no file hash). With an Idempotency-Key, a retry of the same request returns the same
   * document (same serial, same seal text: signing is deterministic).
   */
  async issueSeal(caller: Caller, input: DocumentInput, idempotencyKey?: string): Promise<IssuedSeal> {
    const r = await this.record(caller, 'paper', input, {}, idempotencyKey);
    return { document: r.document, sealText: await this.sign(r), replay: r.replay };
  }

  /**
   * Issue a stamped PDF: the seal binds SHA-256 and length of the original; the stamp's closing signature is made
   * with the same agency key. If stamping refuses the file, the allocated serial is marked failed (never reused).
   */
  async issueDocument(
    caller: Caller,
    input: DocumentInput,
    pdf: Uint8Array,
    options: StampRequest,
    idempotencyKey?: string,
  ): Promise<IssuedDocument> {
    if (pdf.length < 8 || Buffer.from(pdf.buffer, pdf.byteOffset, Math.min(1024, pdf.length)).indexOf('%PDF-') < 0)
      throw new ApiError('PDF_UNREADABLE', 'the file does not start like a PDF (%PDF-)');
    const hash = sha256(pdf);
    // The request's place, else the document type's default place from the configuration (templates with a box).
    const typeId = typeof input.type === 'string' ? input.type : '';
    const place =
      options.place ??
      (options.placement === 'seal-page' ? undefined : (this.stampPlaces[`${caller.agencyId}/${typeId}`] ?? this.stampPlaces[typeId]));
    const extra = { hash, length: pdf.length, pages: options.pages, corner: options.corner, place, placement: options.placement };
    // Everything that can be refused without the file is refused first (scope, type, fields, signing key).
    const checked = this.checkIssue(caller, 'pdf', input, extra);
    const agency = this.trustState?.findAgency(caller.agencyId);
    const documentType = agency?.documentTypes.find((t) => t.id === checked.doc.type);
    // The serial and status index are allocated only once the stamper has read the file and found its pages:
    // a file refused as unreadable, locked or too short costs no serial (see StampOptions.sealText).
    let r: Awaited<ReturnType<IssuerService['record']>> | undefined;
    let sealText = '';
    try {
      const out = await this.stamper.stamp(pdf, {
        sealText: async () => {
          r = await this.record(caller, 'pdf', input, extra, idempotencyKey);
          sealText = await this.sign(r);
          return sealText;
        },
        pages: options.pages,
        corner: options.corner,
        ...(place ? { place } : {}),
        ...(options.placement ? { placement: options.placement } : {}),
        labels: { ...(agency ? { agency: agency.name } : {}), ...(documentType ? { documentType } : {}) },
        ...(this.caption ? { caption: this.caption } : {}),
        sign: (m) => this.backend.signSync(r!.key, m),
      });
      if (!r) throw new Error('the stamper finished without asking for the seal');
      return {
        document: r.document,
        sealText,
        pdf: out.pdf,
        placements: out.placements,
        ...(out.sealPage !== undefined ? { sealPage: out.sealPage } : {}),
        replay: r.replay,
      };
    } catch (e) {
      if (e instanceof ApiError) throw e; // from record: a refusal of the request, nothing allocated
      // The registry went away while recording (database down): a 503 to retry, not a fault of the file.
      if (isRegistryUnavailable(e)) throw e;
      // Failures after the serial was allocated (rare: the file was read but could not be finished) keep it as
      // 'failed': a serial is never handed out twice, and the audit log says what happened.
      if (r && !r.replay) await this.registry.markFailed(r.document.serial, this.now(), e instanceof Error ? e.message : String(e));
      if (e instanceof StampError) {
        const code = STAMP_TO_API[e.code];
        if (code) throw new ApiError(code, e.message, { cause: e });
        throw new ApiError('STAMPING_FAILED', e.code, { cause: e });
      }
      // Anything else the stamper throws is still about this file (user input), so 422, not 500; it is logged
      // (see app.ts onError) because it means the stamper met a case it does not name.
      throw new ApiError('PDF_UNREADABLE', 'the stamper could not process this file', { cause: e });
    }
  }

  private async documentFor(caller: Caller, serial: string): Promise<DocumentRecord> {
    if (!SERIAL_RE.test(serial)) throw new ApiError('INVALID_SERIAL', 'a serial is 16 lower-case hex digits');
    const d = await this.registry.getDocument(serial);
    // Another agency's serial answers exactly as one never issued: a 403 would tell which serials exist, and so
    // how many documents the registry holds.
    if (!d || d.agencyId !== caller.agencyId) throw new ApiError('NOT_FOUND', `no document ${serial}`);
    return d;
  }

  /** The registry entry of one of the caller's agency's documents. */
  getDocument(caller: Caller, serial: string): Promise<DocumentRecord> {
    this.requireScope(caller, 'read');
    return this.documentFor(caller, serial);
  }

  /**
   * Revoke a document: set its status bit and publish the re-signed status list (same transaction). Idempotent.
   */
  async revoke(
    caller: Caller,
    serial: string,
    reason?: string,
  ): Promise<{ document: DocumentRecord; statusList: Published; already: boolean }> {
    this.requireScope(caller, 'revoke');
    const d = await this.documentFor(caller, serial);
    if (d.state !== 'issued') throw new ApiError('DOCUMENT_NOT_ISSUED', `document ${serial} was never delivered (stamping failed)`);
    const signer = this.signerFor(d.agencyId);
    if (!signer) throw new ApiError('NO_SIGNING_KEY', `no usable key to sign the status list of ${d.agencyId}`);
    const r = await this.registry.revokeDocument(serial, {
      actor: caller.tokenId,
      ...(reason !== undefined ? { reason } : {}),
      now: this.now(),
      validity: this.statusValidity,
      sign: (l) => signStatusListSync(l, this.backend, signer.key),
    });
    if (!r) throw new ApiError('NOT_FOUND', `no document ${serial}`);
    return { document: r.document, statusList: this.cacheStatus(r.statusList), already: r.already };
  }
}
