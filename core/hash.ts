// SHA-256 for core/: node:crypto when the runtime has it (about 10x faster on big files), else @noble/hashes.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
}
interface NodeCryptoLike {
  createHash(alg: string): NodeHash;
}

// Reached at run time, never imported, so bundling core/ for a browser pulls in nothing Node-only.
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
  'node:crypto',
) as NodeCryptoLike | undefined;

/**
 * SHA-256 of bytes (FIPS 180-4), synchronous in every runtime.
 * @example toHex(sha256(utf8('abc'))).slice(0, 8) // 'ba7816bf'
 */
export function sha256(data: Uint8Array): Uint8Array {
  if (nodeCrypto) {
    const d = nodeCrypto.createHash('sha256').update(data).digest();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  return nobleSha256(data);
}

/**
 * SHA-256 of possibly large data: native in Node, WebCrypto in browsers (both much faster than pure JS).
 * @example await sha256Async(pdfBytes)
 */
export async function sha256Async(data: Uint8Array): Promise<Uint8Array> {
  if (nodeCrypto) return sha256(data);
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return nobleSha256(data);
}

/**
 * Key id: the first 8 bytes of SHA-256 of the raw 32-byte public key (DESIGN "The seal").
 * @example keyId(publicKey) // Uint8Array(8)
 */
export function keyId(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).slice(0, 8);
}
