// The trust list: agency keys published and signed by the national data center (DESIGN "Trust list").

/** A text in both languages the product speaks. */
export interface Label {
  ar: string;
  en: string;
  /** Kurdish (Sorani), optional: shown when the reader chose Kurdish, else Arabic. */
  ckb?: string;
}

export type KeyStatus = 'active' | 'retired' | 'revoked';

/** An agency signing key as published. Times are seconds since 1970. */
export interface AgencyKey {
  /** First 8 bytes of SHA-256(publicKey). */
  kid: Uint8Array;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Seals issued (iat) before this are refused. */
  notBefore: number;
  /** Seals issued after this are refused; older seals keep verifying (rotation never breaks old documents). */
  notAfter: number;
  status: KeyStatus;
  /** When the key was revoked (a revoked key fails every seal it made). */
  revokedAt?: number;
  /** Why it was revoked (free text, shown to auditors). */
  reason?: string;
}

export interface FieldLabel {
  id: string;
  label: Label;
}

export interface DocumentType {
  id: string;
  name: Label;
  fields: FieldLabel[];
}

export interface Agency {
  id: string;
  name: Label;
  documentTypes: DocumentType[];
  keys: AgencyKey[];
  /**
   * Where the agency publishes its signed status list (an http(s) URL, signed with the rest of the list): verifiers
   * fetch it when online, so revocation is checked without anyone having to name the list.
   */
  statusUrl?: string;
}

/** A root key of the national data center, trusted to sign the next trust list. */
export interface RootKey {
  kid: Uint8Array;
  publicKey: Uint8Array;
  name?: string;
}

/** The trust list content (the signed payload). */
export interface TrustList {
  /** Always 'NDC'. */
  issuer: string;
  /** Only grows: a verifier refuses a list with a lower number than one it accepted (rollback protection). */
  sequence: number;
  issuedAt: number;
  /** When the next update is due: past it, verdicts carry TRUST_LIST_STALE. */
  expiresAt: number;
  /** Roots trusted to sign the next list (root rotation). */
  roots: RootKey[];
  agencies: Agency[];
}
