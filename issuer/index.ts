// urseal issuer: the HTTP service, its registry and its operator actions (Node only).
export { createApp, defaultWebRoot } from './app.js';
export type { AppOptions } from './app.js';
export { startIssuer, openRegistry, REGISTRY_FILE, DEMO_MASTER_KEY_FILE } from './server.js';
export type { RunningIssuer, IssuerLog } from './server.js';
export { resolveConfig, ConfigError } from './config.js';
export type { IssuerConfig, ConfigFlags } from './config.js';
export { IssuerService, CORNERS } from './service.js';
export type { Caller, DocumentInput, IssuedSeal, IssuedDocument, Published, IssuerServiceOptions } from './service.js';
export { Registry, STATUS_BLOCK } from './registry/registry.js';
export { SqliteStore } from './registry/sqlite.js';
export { openStore } from './registry/open.js';
export type { RegistryStore, AgencyRecord, TrustListInput, StatusSigner, Admission } from './registry/store.js';
export type {
  DocumentRecord,
  TokenRecord,
  AgencyKeyRecord,
  StatusListRecord,
  AuditEntry,
  IssueInput,
  IssueOutcome,
} from './registry/registry.js';
export { ApiError, errorBody, messageOf, statusOf } from './errors.js';
export type { ApiErrorCode, BilingualMessage, ErrorBody } from './errors.js';
export { newToken, hashToken, tokenMatches, parseScopes, SCOPES, TOKEN_PREFIX } from './tokens.js';
export type { Scope, NewToken } from './tokens.js';
export { parseMasterKey, readMasterKeyFile, sealSeed, openSeed, MasterKeyError } from './master-key.js';
export type { MasterKey } from './master-key.js';
export { checkTrustList, importTrustList, loadTrustList, issuingKey, TrustListError } from './trust.js';
export {
  pinRoot,
  importTrustListBytes,
  importAgencySeed,
  seedFromKeyFile,
  createToken,
  listTokens,
  revokeToken,
  AdminError,
} from './admin.js';
export { setupDemo, DEMO_AGENCY } from './demo.js';
export type { DemoSetup } from './demo.js';
export { inProcessStamper, workerStamper } from './stamper.js';
export type { Stamper, StampJob } from './stamper.js';
export { OPENAPI } from './openapi.js';
