// Ed25519 on node:crypto (OpenSSL), found at run time so that core/ stays free of Node-only imports.

import { bytesEqual, toHex } from '../bytes.js';
import { UrsealError } from '../errors.js';
import { signingKeys, type Ed25519Backend, type SigningKey } from './backend.js';
import { assertSeed, KeyCache, passesPrechecks } from './policy.js';

/*
 * The few node:crypto shapes used here, declared locally: core/tsconfig.json has `"types": []`, so
 * @types/node is not visible, and core/ must not `import 'node:crypto'` (it is bundled for browsers).
 */
interface NodeKeyObject {
  readonly type: string;
  export(options: { format: 'der'; type: 'spki' }): Uint8Array;
}
interface NodeCrypto {
  createPrivateKey(options: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): NodeKeyObject;
  createPublicKey(options: { key: Uint8Array; format: 'der'; type: 'spki' } | NodeKeyObject): NodeKeyObject;
  sign(algorithm: null, data: Uint8Array, key: NodeKeyObject): Uint8Array;
  verify(algorithm: null, data: Uint8Array, key: NodeKeyObject, signature: Uint8Array): boolean;
}
interface NodeProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

/** RFC 8410 PKCS#8 wrapping of a 32-byte Ed25519 seed: SEQUENCE { 0, AlgId(1.3.101.112), OCTET STRING { OCTET STRING seed } }. */
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
/** RFC 8410 SubjectPublicKeyInfo wrapping of a 32-byte Ed25519 public key. */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function wrap(prefix: Uint8Array, raw: Uint8Array): Uint8Array {
  const der = new Uint8Array(prefix.length + raw.length);
  der.set(prefix);
  der.set(raw, prefix.length);
  return der;
}

/** The node:crypto module of this runtime, or null (browsers, Node < 20.16 without getBuiltinModule). */
function nodeCrypto(): NodeCrypto | null {
  try {
    const proc = (globalThis as unknown as { process?: NodeProcessLike }).process;
    const mod = proc?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    if (!mod || typeof mod.sign !== 'function' || typeof mod.verify !== 'function') return null;
    if (typeof mod.createPrivateKey !== 'function' || typeof mod.createPublicKey !== 'function') return null;
    return mod as NodeCrypto;
  } catch {
    return null;
  }
}

const KEYS = signingKeys<NodeKeyObject>('native');

let cached: Ed25519Backend | null | undefined;

/**
 * The node:crypto backend, or `null` where node:crypto is not available (browsers). Created once.
 * Signing uses a KeyObject made once from the seed; verification applies the policy pre-checks
 * (core/crypto/policy.ts) and then OpenSSL's cofactorless check, with public KeyObjects cached
 * (at most 4096, oldest evicted first).
 *
 * @example
 * const ed = nativeBackend();
 * if (ed) {
 *   const key = ed.importSigningKeySync(seed);
 *   const sig = ed.signSync(key, message);
 *   ed.verifySync(key.publicKey, message, sig); // true
 * }
 */
export function nativeBackend(): Ed25519Backend | null {
  if (cached !== undefined) return cached;
  const nc = nodeCrypto();
  cached = nc ? makeBackend(nc) : null;
  // Feature-detect once with a real key: a Node built without Ed25519 in its OpenSSL would fail here.
  if (cached) {
    try {
      const probe = cached.importSigningKeySync(new Uint8Array(32));
      if (!cached.verifySync(probe.publicKey, new Uint8Array(0), cached.signSync(probe, new Uint8Array(0)))) cached = null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

function makeBackend(nc: NodeCrypto): Ed25519Backend {
  const publicKeys = new KeyCache<NodeKeyObject | null>(4096);

  // Fast path on the array's identity (a trust list hands out the same array for a key every time); the copy
  // kept beside it makes a caller's later mutation of that array a miss, never a wrong key.
  const byArray = new WeakMap<Uint8Array, { bytes: Uint8Array; keyObject: NodeKeyObject | null }>();

  function publicKeyObject(publicKey: Uint8Array): NodeKeyObject | null {
    const seen = byArray.get(publicKey);
    if (seen !== undefined && bytesEqual(seen.bytes, publicKey)) return seen.keyObject;
    const keyObject = publicKeyObjectByValue(publicKey);
    byArray.set(publicKey, { bytes: publicKey.slice(), keyObject });
    return keyObject;
  }

  function publicKeyObjectByValue(publicKey: Uint8Array): NodeKeyObject | null {
    const id = toHex(publicKey);
    const hit = publicKeys.get(id);
    if (hit !== undefined) return hit;
    let keyObject: NodeKeyObject | null;
    try {
      keyObject = nc.createPublicKey({ key: wrap(SPKI_PREFIX, publicKey), format: 'der', type: 'spki' });
    } catch {
      keyObject = null; // OpenSSL refused the key: every signature under it is invalid; remember that too
    }
    return publicKeys.set(id, keyObject);
  }

  function importSigningKeySync(seed: Uint8Array): SigningKey {
    assertSeed(seed);
    let keyObject: NodeKeyObject;
    let spki: Uint8Array;
    try {
      keyObject = nc.createPrivateKey({ key: wrap(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' });
      spki = nc.createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
    } catch (cause) {
      throw new UrsealError('CRYPTO_UNAVAILABLE', 'node:crypto could not import the Ed25519 seed', { cause });
    }
    // Copy out of the Buffer: core/ hands out plain Uint8Arrays only.
    return KEYS.wrap(Uint8Array.from(spki.subarray(spki.length - 32)), keyObject);
  }

  function signSync(key: SigningKey, message: Uint8Array): Uint8Array {
    const keyObject = KEYS.unwrap(key);
    // Algorithm null = pure Ed25519 (RFC 8032 §5.1.6), deterministic: same key and message, same bytes.
    const sig = nc.sign(null, message, keyObject);
    // A plain Uint8Array view of the fresh 64-byte Buffer (no copy: signing is a hot path).
    return new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength);
  }

  function verifySync(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!passesPrechecks(publicKey, message, signature)) return false;
    const keyObject = publicKeyObject(publicKey);
    if (keyObject === null) return false;
    try {
      // OpenSSL: S < L, A decodes, [S]B - [k]A encodes to exactly R (cofactorless, policy step 5).
      return nc.verify(null, message, keyObject, signature);
    } catch {
      return false;
    }
  }

  return {
    name: 'native',
    sync: true,
    importSigningKeySync,
    signSync,
    verifySync,
    importSigningKey: async (seed) => importSigningKeySync(seed),
    sign: async (key, message) => signSync(key, message),
    verify: async (publicKey, message, signature) => verifySync(publicKey, message, signature),
  };
}
