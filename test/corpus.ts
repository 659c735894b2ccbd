// Paths into ../shared/corpus (test data written by others; read in place, never copied into the project).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under ../shared/corpus, relative to the repository root. */
export function corpusPath(...parts: string[]): string {
  return fileURLToPath(new URL(['../../shared/corpus', ...parts].join('/'), import.meta.url));
}

/** Parse a JSON file of the corpus. */
export function corpusJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(corpusPath(...parts), 'utf8')) as T;
}

/** Hex string (either case) to bytes. */
export function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
