// The page build: only verification code bundled, budgets of the first load, a self-contained verify.html.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestPage } from './harness.js';

describe('verifier-web build', () => {
  it('bundles core/verifier.ts and no signing, issuing or Node-only code', async () => {
    const { build } = await buildTestPage();
    expect(build.bundledInputs).toContain('core/verifier.ts');
    expect(
      build.bundledInputs.filter((f) => /(^|\/)sign\.ts$|seal\/pack|issuer\/|keys\/|cli\/|^node:/.test(f) && !f.includes('node_modules')),
    ).toEqual([]);
    expect(build.bundledInputs.some((f) => f.includes('zxing-wasm'))).toBe(true);
    // pdf.js's JBIG2/JPEG 2000 decoders are a chunk of their own, loaded only when a scan needs them.
    expect(build.bundledInputs.filter((f) => f.includes('pdfjs-dist'))).toEqual([]);
  });

  it('first load is within 400 KB gzip without the wasm; verify.html carries everything inline', async () => {
    const { build, dir } = await buildTestPage();
    expect(build.firstLoadGzipExWasm).toBeLessThanOrEqual(400 * 1024);
    expect(build.files.map((f) => f.name).sort()).toEqual([
      'app.css',
      'app.js',
      'index.html',
      'openjpeg.wasm',
      'scan-decoders.js',
      'sw.js',
      'verify.html',
      'zxing_reader.wasm',
    ]);
    expect(build.scanDecodersGzip).toBeLessThanOrEqual(160 * 1024);
    const single = await readFile(join(dir, 'verify.html'), 'utf8');
    expect(single).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(single).toContain('id="urseal-wasm"');
    expect(single).toContain('id="urseal-data"');
    expect(single).toContain('<script type="text/plain" id="urseal-decoders">');
    expect(single).toContain('id="urseal-openjpeg"');
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    expect(index).toMatch(/<html lang="ar" dir="rtl">/);
  });
});
