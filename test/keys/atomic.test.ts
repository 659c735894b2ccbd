// Atomic writes: whole file or nothing, temp files cleaned up on every failure, no clobbering by default.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../keys/atomic.js';
import { UserError } from '../../keys/errors.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'urseal-atomic-'));
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  return undefined;
}

describe('writeFileAtomic', () => {
  it('writes the whole content with the given mode', () => {
    const dir = tmp();
    writeFileAtomic(join(dir, 'a'), 'hello', { mode: 0o600 });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('hello');
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace an existing file by default, leaving it and no temp file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a'), 'old');
    expect(codeOf(() => writeFileAtomic(join(dir, 'a'), 'new'))).toBe('URSEAL_E_FILE_EXISTS');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a']);
  });

  it('replaces when asked', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a'), 'old');
    writeFileAtomic(join(dir, 'a'), 'new', { overwrite: true });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a']);
  });

  it('a failed rename (target is a folder) leaves the target untouched and no partial or temp file', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target', 'inside'), 'x');
    expect(codeOf(() => writeFileAtomic(join(dir, 'target'), 'data', { overwrite: true }))).toBe('URSEAL_E_WRITE_FAILED');
    expect(readdirSync(dir)).toEqual(['target']);
    expect(readdirSync(join(dir, 'target'))).toEqual(['inside']);
  });

  it('a missing folder is a clear error', () => {
    const dir = tmp();
    expect(codeOf(() => writeFileAtomic(join(dir, 'no', 'such', 'a'), 'x'))).toBe('URSEAL_E_WRITE_FAILED');
  });
});
