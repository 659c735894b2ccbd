// One data folder, one issuer process: an exclusive SQLite lock that the operating system drops when the process dies.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from './config.js';

/** Lock file inside the data folder (an SQLite file held in EXCLUSIVE locking mode while the issuer runs). */
export const LOCK_FILE = 'serve.lock';
/** Who holds the lock, as text, for the message a second process prints. */
export const HOLDER_FILE = 'serve.holder';

/** A second issuer on a data folder in use: it would serve a status list the first one no longer updates. */
export class DataFolderInUseError extends ConfigError {
  readonly ar: string;
  constructor(dataDir: string, holder: string | undefined) {
    super(
      `data folder ${dataDir} is already used by another running issuer${holder ? ` (${holder})` : ''}: stop it first, or give this one its own --data-dir`,
    );
    this.name = 'DataFolderInUseError';
    this.ar = `مجلد البيانات ${dataDir} مستخدم من خدمة إصدار أخرى قيد التشغيل: أوقفها أولًا أو استخدم مجلد بيانات آخر`;
  }
}

/** The held lock; `release` is idempotent. */
export interface DataFolderLock {
  release(): void;
}

/**
 * Take the data folder for this process, or throw {@link DataFolderInUseError}. The lock is an SQLite file in
 * EXCLUSIVE locking mode: SQLite's POSIX lock is held until the connection closes, and the kernel drops it when
 * the process ends however it ends (SIGKILL, power loss), so a crash never leaves a stale lock behind. Admin
 * commands of the CLI do not take it: they write through SQLite transactions the running issuer picks up.
 *
 * @example const lock = lockDataFolder('/var/lib/urseal'); ...; lock.release()
 */
export function lockDataFolder(dataDir: string, now: Date = new Date()): DataFolderLock {
  const path = join(dataDir, LOCK_FILE);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
    chmodSync(path, 0o600);
  } catch (e) {
    throw new ConfigError(`cannot create the lock file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept after COMMIT.
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since TEXT); DELETE FROM holder; COMMIT');
    db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, now.toISOString());
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY' || /locked/i.test(String(e))) {
      let holder: string | undefined;
      try {
        holder = readFileSync(join(dataDir, HOLDER_FILE), 'utf8').trim().slice(0, 200);
      } catch {
        holder = undefined;
      }
      throw new DataFolderInUseError(dataDir, holder);
    }
    throw new ConfigError(`cannot lock the data folder ${dataDir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    writeFileSync(join(dataDir, HOLDER_FILE), `process ${process.pid} on ${hostname()}, since ${now.toISOString()}\n`, { mode: 0o600 });
  } catch {
    // Only the message of a second process uses it.
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
