// keys/: the NDC and agency side of urseal: key files, trust-list drafts and status-list drafts.
export { UserError, userError } from './errors.js';
export type { UserErrorCode, Bilingual } from './errors.js';
export { LANGS, currentLang, lead, pair, parseLang, setLang } from './lang.js';
export type { Lang, Texts } from './lang.js';
export { writeFileAtomic } from './atomic.js';
export type { AtomicWriteOptions } from './atomic.js';
export { readFileChecked, readTextChecked, readJsonChecked } from './files.js';
export {
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  DEFAULT_SCRYPT_LOG_N,
  createKeyFile,
  serializeKeyFile,
  writeNewKeyFile,
  parseKeyFile,
  readKeyFileHeader,
  unlockKeyFile,
  decryptKeyFileSeed,
  loadKeyFile,
  headerAad,
  scryptLogNForNewFiles,
} from './key-file.js';
export type { KeyKind, KeyFile, KeyFileHeader, UnlockedKey, CreateKeyFileOptions } from './key-file.js';
export { getPassphrase, MIN_PASSPHRASE_LENGTH } from './passphrase.js';
export type { PassphraseOptions } from './passphrase.js';
export { checkPublicKey, parsePublicKey } from './public-key.js';
export { parseTime, formatTime, nowSeconds, parseDays } from './time.js';
export {
  DRAFT_FORMAT,
  EXPORT_FORMAT,
  emptyDraft,
  draftToJson,
  draftFromJson,
  trustListToJson,
  loadDraft,
  saveDraft,
  agencySpecFromJson,
  findAgency,
  findKey,
  addAgency,
  addKey,
  retireKey,
  revokeKey,
  addRoot,
  removeRoot,
  buildTrustList,
} from './trust-draft.js';
export type { TrustDraft, AgencySpec } from './trust-draft.js';
export {
  STATUS_DRAFT_FORMAT,
  emptyStatusDraft,
  statusDraftToJson,
  statusDraftFromJson,
  loadStatusDraft,
  saveStatusDraft,
  revokeIndex,
  buildStatusList,
} from './status-draft.js';
export type { StatusDraft, RevokedEntry } from './status-draft.js';
