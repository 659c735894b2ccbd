// Every PDF of the shared stamping corpus through POST /v1/documents: a stamped file that verifies, or a 4xx with a code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../core/pdf/verify-file.js';
import { verifyStatusListSync } from '../../core/index.js';
import { backend, verifiedTrust } from '../helpers/world.js';
import { bearer, documentForm, issuerWorld, NOW, POA, type IssuerWorld } from './helpers.js';

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus/pdfs/pdfs');
const FILES = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.pdf'))
      .sort()
  : [];

let w: IssuerWorld;
beforeAll(async () => {
  w = await issuerWorld();
});
afterAll(() => w.close());

describe.runIf(FILES.length > 0)('shared PDF corpus through the API', () => {
  it.each(FILES)('%s: 201 and VALID, or 4xx with a stable code (never 5xx)', async (name) => {
    const pdf = new Uint8Array(readFileSync(join(CORPUS, name)));
    const res = await w.app.request('/v1/documents', {
      method: 'POST',
      headers: bearer(w.tokens.moj),
      body: documentForm(pdf, { type: POA.type, number: POA.number, fields: JSON.stringify(POA.fields) }),
    });
    if (res.status === 201) {
      const out = new Uint8Array(await res.arrayBuffer());
      // Checked as an online verifier would: with the agency's status list as the issuer serves it.
      const trust = verifiedTrust();
      const status = verifyStatusListSync(new Uint8Array(await (await w.app.request('/status/MOJ')).arrayBuffer()), trust, backend, {
        now: NOW,
      });
      if (!status.ok) throw new Error(status.reason);
      const r = await verifyPdf(out, backend, { trust, now: NOW, statusLists: new Map([['MOJ', status.status]]) });
      expect(r.code, name).toBe('VALID');
    } else {
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toMatch(/^PDF_/);
    }
  });

  it('logged no unexpected error', () => {
    expect(w.errors.map((e) => String(e))).toEqual([]);
  });
});
