// Atomic file writes: a temp file in the same folder, fsync, then rename (or link, to never clobber).
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UserError, userError } from './errors.js';

export interface AtomicWriteOptions {
  /** File mode of the new file. Default 0o644; key files use 0o600. */
  mode?: number;
  /** Replace an existing file. Default false: URSEAL_E_FILE_EXISTS if the path exists. */
  overwrite?: boolean;
}

function fsyncDir(dir: string): void {
  // Make the rename itself durable. Some file systems refuse fsync on a directory: that is not an error here.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

/**
 * Write `data` to `path` so that readers see either the old file or the whole new one, never a part:
 * the bytes go to a temp file in the same folder (same file system), are fsynced, and the temp file is
 * then renamed over `path` (overwrite) or hard-linked to it (no overwrite: link fails if `path` exists,
 * atomically, so two writers cannot both win). The temp file is removed on every failure.
 *
 * @example
 * writeFileAtomic('root.key', bytes, { mode: 0o600 }); // throws URSEAL_E_FILE_EXISTS if root.key exists
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = options.mode ?? 0o644;
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (e) {
    throw writeError(path, e);
  }
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.overwrite) {
      renameSync(tmp, path);
    } else {
      try {
        linkSync(tmp, path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw exists(path);
        // File systems without hard links (some network and FUSE mounts): check, then rename. The window
        // between the two is tiny, and only another urseal run creating the same file could use it.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
        if (existsSync(path)) throw exists(path);
        renameSync(tmp, path);
      }
    }
    fsyncDir(dir);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw writeError(path, e);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already renamed away */
    }
  }
}

function exists(path: string) {
  return userError(
    'URSEAL_E_FILE_EXISTS',
    'الملف موجود ولن يُستبدل (استخدم --force)',
    'file exists and was not replaced (use --force)',
    path,
  );
}

function writeError(path: string, e: unknown) {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return userError('URSEAL_E_WRITE_FAILED', 'المجلد غير موجود', 'folder does not exist', dirname(path), e);
  return userError('URSEAL_E_WRITE_FAILED', 'تعذّرت كتابة الملف', 'cannot write file', `${path}${code ? ` (${code})` : ''}`, e);
}
