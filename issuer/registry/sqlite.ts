// The embedded store: the SQLite registry (better-sqlite3) behind the asynchronous RegistryStore interface.
import { Registry, type RegistryOptions } from './registry.js';
import type { Admission, RegistryStore, StatusSigner, TrustListInput } from './store.js';

/**
 * SQLite registry of one data folder, owned by one process (serve holds the folder's lock). Calls run
 * synchronously on the main thread (better-sqlite3) and resolve at once; issuances are group-committed.
 * @example const store = SqliteStore.open('data/registry.db'); await store.listAgencies(); await store.close()
 */
export class SqliteStore implements RegistryStore {
  readonly kind = 'sqlite' as const;
  readonly shared = false;
  readonly registryId: string;
  readonly where: string;
  /** The synchronous registry underneath (tests, integrity checks). */
  readonly registry: Registry;

  constructor(registry: Registry, where: string) {
    this.registry = registry;
    this.registryId = registry.registryId;
    this.where = where;
  }

  static open(path: string, options: RegistryOptions = {}): SqliteStore {
    return new SqliteStore(Registry.open(path, options), path);
  }

  async close(): Promise<void> {
    this.registry.close();
  }

  async getMeta(key: string): Promise<Buffer | undefined> {
    return this.registry.getMeta(key);
  }

  async setMeta(key: string, value: Uint8Array | string): Promise<void> {
    this.registry.setMeta(key, value);
  }

  async setMetaOnce(key: string, value: Uint8Array | string): Promise<Buffer> {
    return this.registry.db.transaction(() => {
      const cur = this.registry.getMeta(key);
      if (cur) return cur;
      this.registry.setMeta(key, value);
      return this.registry.getMeta(key)!;
    })();
  }

  async audit(e: Parameters<RegistryStore['audit']>[0]): Promise<void> {
    this.registry.audit(e);
  }

  async listAudit(limit?: number): ReturnType<RegistryStore['listAudit']> {
    return this.registry.listAudit(limit);
  }

  async addRoot(kid: string, publicKey: Uint8Array, now: number, name?: string): Promise<void> {
    this.registry.addRoot(kid, publicKey, now, name);
  }

  async listRoots(): ReturnType<RegistryStore['listRoots']> {
    return this.registry.listRoots();
  }

  async addTrustList(t: TrustListInput, now: number, actor = 'operator', newRoots: Admission['newRoots'] = []): Promise<void> {
    this.registry.db.transaction(() => {
      this.registry.addTrustList(t, now, actor);
      for (const r of newRoots) this.registry.addRoot(r.kid, r.publicKey, now, r.name);
    })();
  }

  async latestTrustList(): ReturnType<RegistryStore['latestTrustList']> {
    return this.registry.latestTrustList();
  }

  async latestTrustListSequence(): Promise<number | undefined> {
    return this.registry.latestTrustListSequence();
  }

  async listAgencies(): ReturnType<RegistryStore['listAgencies']> {
    return this.registry.listAgencies();
  }

  async hasAgency(id: string): Promise<boolean> {
    return this.registry.hasAgency(id);
  }

  async ensureAgency(id: string, name: { ar: string; en: string }, now: number): Promise<void> {
    this.registry.ensureAgency(id, name, now);
  }

  async admitAgency(a: Admission): Promise<void> {
    const r = this.registry;
    r.db.transaction(() => {
      r.ensureAgency(a.agency.id, a.agency.name, a.now);
      r.addAgencyKey(a.key, a.actor);
      r.addTrustList(a.trustList, a.now, a.actor);
      for (const root of a.newRoots) r.addRoot(root.kid, root.publicKey, a.now, root.name);
      r.addToken(a.token, a.actor);
    })();
  }

  async addAgencyKey(k: Parameters<RegistryStore['addAgencyKey']>[0], actor?: string): Promise<void> {
    this.registry.addAgencyKey(k, actor);
  }

  async listAgencyKeys(agencyId?: string): ReturnType<RegistryStore['listAgencyKeys']> {
    return this.registry.listAgencyKeys(agencyId);
  }

  async addToken(t: Parameters<RegistryStore['addToken']>[0], actor?: string): Promise<void> {
    this.registry.addToken(t, actor);
  }

  async findTokenByHash(hash: Uint8Array): ReturnType<RegistryStore['findTokenByHash']> {
    return this.registry.findTokenByHash(hash);
  }

  async listTokens(agencyId?: string): ReturnType<RegistryStore['listTokens']> {
    return this.registry.listTokens(agencyId);
  }

  async revokeToken(id: string, now: number, actor?: string): Promise<boolean> {
    return this.registry.revokeToken(id, now, actor);
  }

  issue(input: Parameters<RegistryStore['issue']>[0]): ReturnType<RegistryStore['issue']> {
    return this.registry.issueGrouped(input);
  }

  async markFailed(serial: string, now: number, reason: string): Promise<void> {
    this.registry.markFailed(serial, now, reason);
  }

  async getDocument(serial: string): ReturnType<RegistryStore['getDocument']> {
    return this.registry.getDocument(serial);
  }

  async countDocuments(agencyId?: string): Promise<number> {
    return this.registry.countDocuments(agencyId);
  }

  async getStatusList(agencyId: string): ReturnType<RegistryStore['getStatusList']> {
    return this.registry.getStatusList(agencyId);
  }

  async renewStatusList(
    agencyId: string,
    now: number,
    signer: StatusSigner,
    ifIssuedBefore?: number,
  ): ReturnType<RegistryStore['renewStatusList']> {
    return this.registry.renewStatusList(agencyId, now, signer.validity, signer.sign, ifIssuedBefore);
  }

  async revokeDocument(serial: string, r: Parameters<RegistryStore['revokeDocument']>[1]): ReturnType<RegistryStore['revokeDocument']> {
    return this.registry.revokeDocument(serial, r);
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const st = this.registry.db.prepare(sql);
    if (st.reader) return st.all(...params) as Record<string, unknown>[];
    st.run(...params);
    return [];
  }
}
