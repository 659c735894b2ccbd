// core/ runs in browsers: bundle it for the browser platform and prove nothing Node-only is pulled in,
// and that the verification entry leaves out every signing module.
import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function bundle(entry: string): Promise<{ code: string; inputs: string[] }> {
  const r = await build({
    entryPoints: [root + entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Any node: import (or Node built-in) would fail the build here instead of being marked external.
  });
  const meta = r.metafile as Metafile;
  // Modules that put bytes into the bundle (tree-shaken ones are listed by esbuild with 0 bytes).
  const out = Object.values(meta.outputs)[0]!;
  const used = Object.entries(out.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([k]) => k);
  return { code: r.outputFiles[0]!.text, inputs: [...Object.keys(meta.inputs).filter((i) => i.startsWith('node:')), ...used] };
}

describe('core/ in a browser bundle', () => {
  it('core/index.ts bundles for the browser with no Node built-ins', async () => {
    const { code, inputs } = await bundle('core/index.ts');
    expect(inputs.some((i) => i.startsWith('node:'))).toBe(false);
    expect(code).not.toMatch(/\brequire\(["'](node:)?(crypto|zlib|fs|buffer)["']\)/);
    expect(code).not.toMatch(/from ["']node:/);
    expect(code.length).toBeGreaterThan(10_000);
  });

  it('core/verifier.ts (the verifier page entry) contains no signing code', async () => {
    const { inputs } = await bundle('core/verifier.ts');
    const ours = inputs.filter((i) => i.startsWith('core/'));
    expect(ours).toContain('core/seal/verify.ts');
    expect(ours).not.toContain('core/seal/sign.ts');
    expect(ours).not.toContain('core/trust-list/sign.ts');
    expect(ours).not.toContain('core/status-list/sign.ts');
    expect(ours).not.toContain('core/zlib/deflate.ts');
  });
});
