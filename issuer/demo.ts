// First start without configuration: a DEMO root, a DEMO agency with a key admitted in a signed DEMO trust list, one token.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyId, signTrustListSync, toHex, type Ed25519Backend, type TrustList } from '../core/index.js';
import { openSeed, sealSeed, type MasterKey } from './master-key.js';
import type { RegistryStore } from './registry/store.js';
import { newToken, type Scope } from './tokens.js';
import { checkTrustList, importTrustList, loadTrustList } from './trust.js';

/** The demo agency id. */
export const DEMO_AGENCY = 'DEMO';
/**
 * File (in the data folder) holding the DEMO root: its public key in clear (so `urseal verify --root data/demo-root.key`
 * pins it) and its seed sealed under the master key, never in clear. Demo only: a real root never sits next to the service.
 */
export const DEMO_ROOT_FILE = 'demo-root.key';
/** AAD label of the sealed DEMO root seed (agency keys use their agency id). */
const DEMO_ROOT_LABEL = 'NDC DEMO root';
const YEAR = 365 * 86_400;

/** The DEMO agency as published: names and document types with labelled fields. */
export function demoAgency(publicKey: Uint8Array, notBefore: number): TrustList['agencies'][number] {
  return {
    id: DEMO_AGENCY,
    name: { ar: 'جهة تجريبية (للعرض فقط)', en: 'Demo Agency (demonstration only)' },
    documentTypes: [
      {
        id: 'cert',
        name: { ar: 'شهادة تجريبية', en: 'Demo certificate' },
        fields: [
          { id: 'n', label: { ar: 'الاسم', en: 'Name' } },
          { id: 'nid', label: { ar: 'رقم الهوية', en: 'ID number' } },
          { id: 'd', label: { ar: 'تاريخ الإصدار', en: 'Date of issue' } },
        ],
      },
      {
        id: 'letter',
        name: { ar: 'خطاب رسمي تجريبي', en: 'Demo official letter' },
        fields: [
          { id: 'to', label: { ar: 'المرسل إليه', en: 'Addressee' } },
          { id: 'subj', label: { ar: 'الموضوع', en: 'Subject' } },
        ],
      },
    ],
    keys: [{ kid: keyId(publicKey), publicKey, notBefore, notAfter: notBefore + 2 * YEAR, status: 'active' }],
  };
}

/** What the demo set-up made: the token secret is shown once and never stored. */
export interface DemoSetup {
  tokenId: string;
  token: string;
  kid: string;
}

function writeDemoRoot(path: string, master: MasterKey, seed: Uint8Array, publicKey: Uint8Array): void {
  const kid = toHex(keyId(publicKey));
  const file = {
    format: 'urseal-demo-root',
    note: 'urseal DEMO root key: for demonstration only, never for real documents; the seed is sealed under the master key',
    kid,
    publicKey: toHex(publicKey),
    sealed: Buffer.from(sealSeed(master, DEMO_ROOT_LABEL, kid, seed)).toString('base64'),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

function readDemoRoot(dataDir: string, master: MasterKey): Uint8Array {
  const f = JSON.parse(readFileSync(join(dataDir, DEMO_ROOT_FILE), 'utf8')) as { format?: string; kid?: string; sealed?: string };
  if (f.format !== 'urseal-demo-root' || typeof f.kid !== 'string' || typeof f.sealed !== 'string') {
    throw new Error(`${DEMO_ROOT_FILE} does not hold a demo root`);
  }
  return openSeed(master, DEMO_ROOT_LABEL, f.kid, new Uint8Array(Buffer.from(f.sealed, 'base64')));
}

/**
 * Create the demo world in a fresh registry: DEMO root (data/demo-root.key, seed sealed under the master key), DEMO agency key
 * (sealed under the master key), a trust list signed by that root (valid one year), and one token with every scope.
 * @example const demo = await setupDemo(registry, master, backend, './data', now); console.log(demo.token)
 */
export async function setupDemo(
  registry: RegistryStore,
  master: MasterKey,
  backend: Ed25519Backend,
  dataDir: string,
  now: number,
): Promise<DemoSetup> {
  const rootSeed = new Uint8Array(randomBytes(32));
  const root = backend.importSigningKeySync(rootSeed);
  if (!existsSync(join(dataDir, DEMO_ROOT_FILE))) writeDemoRoot(join(dataDir, DEMO_ROOT_FILE), master, rootSeed, root.publicKey);
  rootSeed.fill(0);
  await registry.addRoot(toHex(keyId(root.publicKey)), root.publicKey, now, 'DEMO root (demonstration only)');

  const seed = new Uint8Array(randomBytes(32));
  const agencyKey = backend.importSigningKeySync(seed);
  const kid = toHex(keyId(agencyKey.publicKey));
  const notBefore = now - 60;
  await registry.ensureAgency(DEMO_AGENCY, { ar: 'جهة تجريبية (للعرض فقط)', en: 'Demo Agency (demonstration only)' }, now);
  await registry.addAgencyKey(
    { kid, agencyId: DEMO_AGENCY, publicKey: agencyKey.publicKey, sealedSeed: sealSeed(master, DEMO_AGENCY, kid, seed), addedAt: now },
    'demo',
  );
  seed.fill(0);

  const list: TrustList = {
    issuer: 'NDC',
    sequence: 1,
    issuedAt: now - 60,
    expiresAt: now + YEAR,
    roots: [{ kid: keyId(root.publicKey), publicKey: root.publicKey, name: 'DEMO root' }],
    agencies: [demoAgency(agencyKey.publicKey, notBefore)],
  };
  await importTrustList(registry, signTrustListSync(list, backend, root), backend, now, 'demo');

  const t = newToken();
  const scopes: Scope[] = ['issue', 'revoke', 'read'];
  await registry.addToken({ id: t.id, agencyId: DEMO_AGENCY, hash: t.hash, scopes, label: 'demo token', createdAt: now }, 'demo');
  await registry.setMeta('demo', '1');
  return { tokenId: t.id, token: t.secret, kid };
}

/** A demo registry keeps working past a year: re-sign the DEMO trust list (next sequence) when it nears expiry. */
export async function refreshDemoTrustList(
  registry: RegistryStore,
  master: MasterKey,
  backend: Ed25519Backend,
  dataDir: string,
  now: number,
): Promise<boolean> {
  const cur = await loadTrustList(registry, backend, now);
  if (!cur || cur.list.expiresAt - now > 30 * 86_400) return false;
  const seed = readDemoRoot(dataDir, master);
  const root = backend.importSigningKeySync(seed);
  seed.fill(0);
  const list: TrustList = { ...cur.list, sequence: cur.list.sequence + 1, issuedAt: now - 60, expiresAt: now + YEAR };
  await importTrustList(registry, signTrustListSync(list, backend, root), backend, now, 'demo');
  return true;
}

/** The issuer address the DEMO agency's status URL names, if it has one. */
function demoStatusBase(list: TrustList): string | undefined {
  const url = list.agencies.find((a) => a.id === DEMO_AGENCY)?.statusUrl;
  const m = url === undefined ? null : /^(.*)\/status\/DEMO$/.exec(url);
  return m ? m[1] : undefined;
}

/** Why a demo agency could not be admitted. */
export class DemoAdmitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoAdmitError';
  }
}

/** What {@link admitDemoAgency} made: a token shown once, the new key, the trust list's new sequence. */
export interface AdmittedAgency extends DemoSetup {
  agencyId: string;
  sequence: number;
}

/**
 * Demo only: admit one more agency as the NDC would, in one step. A new agency key (sealed under the master key),
 * the next DEMO trust list (current agencies + this one) signed by the DEMO root, and a token with every scope.
 * A running issuer picks the list up within 30 s (or at SIGHUP); seals of the agencies already there keep verifying
 * because the root and their keys do not change.
 *
 * @example admitDemoAgency(registry, master, backend, './data', { id: 'MOH', name, documentTypes }, now).token
 */
export async function admitDemoAgency(
  registry: RegistryStore,
  master: MasterKey,
  backend: Ed25519Backend,
  dataDir: string,
  spec: Omit<TrustList['agencies'][number], 'keys'>,
  now: number,
): Promise<AdmittedAgency> {
  if ((await registry.getMeta('demo'))?.toString() !== '1' || !existsSync(join(dataDir, DEMO_ROOT_FILE)))
    throw new DemoAdmitError('this data folder is not a DEMO set-up (production agencies are admitted by the NDC: docs/cli.md)');
  const cur = await loadTrustList(registry, backend, now);
  if (!cur) throw new DemoAdmitError('the DEMO registry holds no valid trust list');
  if (cur.list.agencies.some((a) => a.id === spec.id)) throw new DemoAdmitError(`agency ${spec.id} is already in the trust list`);
  const rootSeed = readDemoRoot(dataDir, master);
  const root = backend.importSigningKeySync(rootSeed);
  rootSeed.fill(0);

  const seed = new Uint8Array(randomBytes(32));
  const agencyKey = backend.importSigningKeySync(seed);
  const kid = toHex(keyId(agencyKey.publicKey));
  const notBefore = now - 60;
  const t = newToken();
  const list: TrustList = {
    ...cur.list,
    sequence: cur.list.sequence + 1,
    issuedAt: now - 60,
    expiresAt: Math.max(cur.list.expiresAt, now + YEAR),
    agencies: [
      ...cur.list.agencies,
      {
        ...spec,
        // Next to DEMO's: the same issuer serves every demo agency's status list.
        ...(demoStatusBase(cur.list) ? { statusUrl: `${demoStatusBase(cur.list)}/status/${encodeURIComponent(spec.id)}` } : {}),
        keys: [
          { kid: keyId(agencyKey.publicKey), publicKey: agencyKey.publicKey, notBefore, notAfter: notBefore + 2 * YEAR, status: 'active' },
        ],
      },
    ],
  };
  // All or nothing: a key without the list that admits it (or the reverse) would leave the demo half set up.
  const checked = await checkTrustList(registry, signTrustListSync(list, backend, root), backend, now);
  await registry.admitAgency({
    agency: { id: spec.id, name: spec.name },
    key: { kid, agencyId: spec.id, publicKey: agencyKey.publicKey, sealedSeed: sealSeed(master, spec.id, kid, seed), addedAt: now },
    trustList: checked.input,
    newRoots: checked.newRoots,
    token: {
      id: t.id,
      agencyId: spec.id,
      hash: t.hash,
      scopes: ['issue', 'revoke', 'read'],
      label: `demo token ${spec.id}`,
      createdAt: now,
    },
    actor: 'demo',
    now,
  });
  seed.fill(0);
  return { agencyId: spec.id, tokenId: t.id, token: t.secret, kid, sequence: list.sequence };
}

/**
 * Demo only: make the DEMO trust list publish where this running issuer serves each agency's status list
 * (`<url>/status/<agency>`), re-signing it with the next sequence when the address changed (first start, another
 * port). Verifiers then check revocation without being told where. Returns true when it re-signed.
 */
export async function publishDemoStatusUrls(
  registry: RegistryStore,
  master: MasterKey,
  backend: Ed25519Backend,
  dataDir: string,
  baseUrl: string,
  now: number,
): Promise<boolean> {
  if ((await registry.getMeta('demo'))?.toString() !== '1' || !existsSync(join(dataDir, DEMO_ROOT_FILE))) return false;
  const cur = await loadTrustList(registry, backend, now);
  if (!cur) return false;
  const want = (id: string) => `${baseUrl}/status/${encodeURIComponent(id)}`;
  if (cur.list.agencies.every((a) => a.statusUrl === want(a.id))) return false;
  const seed = readDemoRoot(dataDir, master);
  const root = backend.importSigningKeySync(seed);
  seed.fill(0);
  const list: TrustList = {
    ...cur.list,
    sequence: cur.list.sequence + 1,
    issuedAt: Math.max(now - 60, cur.list.issuedAt),
    agencies: cur.list.agencies.map((a) => ({ ...a, statusUrl: want(a.id) })),
  };
  await importTrustList(registry, signTrustListSync(list, backend, root), backend, now, 'demo');
  return true;
}
