// verifyPdf: a stamped file as issued is VALID and intact; every later change, a removed stamp, or a copied QR is not.
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../../core/pdf/verify-file.js';
import { stampPdf } from '../../../issuer/stamp/stamp.js';
import {
  agencyKey,
  backend,
  claims,
  DAY,
  heldStatus,
  MOJ_KEY_1,
  mojAgency,
  moiAgency,
  seal,
  statusList,
  T0,
  trustList,
  verifiedStatus,
  verifiedTrust,
} from '../../helpers/world.js';

const NOW = T0 + 2 * DAY;

async function makePdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save({ useObjectStreams: false });
}

async function stamp(original: Uint8Array, status = 42, key = MOJ_KEY_1): Promise<{ stamped: Uint8Array; text: string }> {
  const hash = new Uint8Array(createHash('sha256').update(original).digest());
  const text = seal(claims({}, { hash, length: original.length, status }), key);
  const stamped = await stampPdf(original, { sealText: text, sign: (m) => backend.signSync(key, m) });
  return { stamped, text };
}

describe('verifyPdf', () => {
  const trust = verifiedTrust();
  const opts = { trust, now: NOW, statusLists: heldStatus(trust) };
  let a: Uint8Array;
  let b: Uint8Array;
  let stampedA: Uint8Array;
  let textA: string;

  beforeAll(async () => {
    a = await makePdf('Power of attorney 1447/2026 - original A');
    b = await makePdf('Power of attorney 1448/2026 - original B');
    ({ stamped: stampedA, text: textA } = await stamp(a));
  });

  it('VALID and intact for the file as issued', async () => {
    const r = await verifyPdf(stampedA, backend, opts);
    expect(r.code).toBe('VALID');
    expect(r.file).toMatchObject({ sealFound: true, intact: true });
    expect(r.file.message.en).toMatch(/intact/);
    expect(r.agency?.id).toBe('MOJ');
  });

  it('FILE_MODIFIED when a byte of the original part changes', async () => {
    const x = stampedA.slice();
    const at = Buffer.from(x).indexOf('original A');
    x[at + 9] = 'Z'.charCodeAt(0);
    const r = await verifyPdf(x, backend, opts);
    expect(r.code).toBe('FILE_MODIFIED');
    expect(r.file.intact).toBe(false);
    expect(r.message.en).toMatch(/not the one the agency issued/);
  });

  it('FILE_MODIFIED when anything is appended after the stamp (a comment, or a whole incremental update)', async () => {
    const comment = new Uint8Array([...stampedA, ...Buffer.from('%extra\n')]);
    expect((await verifyPdf(comment, backend, opts)).code).toBe('FILE_MODIFIED');
    const doc = await PDFDocument.load(stampedA, { forIncrementalUpdate: true, updateMetadata: false });
    doc.getPage(0).drawText('APPROVED', { x: 300, y: 400, size: 40 });
    const updated = await doc.save();
    expect(Buffer.from(updated.subarray(0, stampedA.length)).equals(Buffer.from(stampedA))).toBe(true);
    const r = await verifyPdf(updated, backend, opts);
    expect(r.code).toBe('FILE_MODIFIED');
    expect(r.file.message.en).toMatch(/added to or changed/);
  });

  it('NO_SEAL when the stamp update is removed', async () => {
    const r = await verifyPdf(a, backend, opts);
    expect(r.code).toBe('NO_SEAL');
    expect(r.file.sealFound).toBe(false);
  });

  it('FILE_MODIFIED when a valid seal of another document is stamped on this one', async () => {
    const hashA = new Uint8Array(createHash('sha256').update(a).digest());
    const textOfA = seal(claims({}, { hash: hashA, length: a.length }));
    const copied = await stampPdf(b, { sealText: textOfA, sign: (m) => backend.signSync(MOJ_KEY_1, m) });
    const r = await verifyPdf(copied, backend, opts);
    expect(r.code).toBe('FILE_MODIFIED');
    expect(r.reason).toMatch(/original bytes/);
  });

  it('FILE_MODIFIED when the seal text inside the stamp is replaced (closing signature breaks)', async () => {
    const text = textA;
    // Another genuine seal for the same file, of the same length, so the byte layout stays the same.
    let other = '';
    for (let status = 43; status < 200 && other.length !== text.length; status++) other = (await stamp(a, status)).text;
    expect(other.length).toBe(text.length);
    expect(other).not.toBe(text);
    const x = Buffer.from(stampedA);
    const at = x.indexOf(text);
    x.write(other, at, 'latin1');
    const r = await verifyPdf(new Uint8Array(x), backend, opts);
    expect(r.code).toBe('FILE_MODIFIED');
    expect(r.reason).toMatch(/closing signature/);
  });

  it("reports the seal's own failure first (revoked key, revoked document)", async () => {
    const revokedTrust = verifiedTrust(
      trustList({ sequence: 2, agencies: [mojAgency([agencyKey(MOJ_KEY_1, { status: 'revoked', revokedAt: T0 })]), moiAgency()] }),
    );
    expect((await verifyPdf(stampedA, backend, { trust: revokedTrust, now: NOW })).code).toBe('KEY_REVOKED');
    const statusLists = new Map([['MOJ', verifiedStatus(trust, statusList([42]))]]);
    expect((await verifyPdf(stampedA, backend, { trust, now: NOW, statusLists })).code).toBe('DOCUMENT_REVOKED');
  });

  it('NO_SEAL for bytes that are not a PDF', async () => {
    expect((await verifyPdf(new Uint8Array([1, 2, 3]), backend, opts)).code).toBe('NO_SEAL');
  });
});
