// Byte-level seal extraction and closing-signature checks on stamped PDFs, including tampering.

import { verify } from 'node:crypto';
import { PDFDocument, PDFName, StandardFonts } from '@cantoo/pdf-lib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UrsealError } from '../../../core/errors.js';
import {
  PDF_CLOSE_PREFIX,
  SEAL_DICT_HEAD,
  closingMessage,
  closingMessageAsync,
  closingRangeStatus,
  extractPdfSeal,
  sealDictText,
} from '../../../core/pdf/verify.js';
import { stampPdf } from '../../../issuer/stamp/stamp.js';
import { AGENCY, OTHER_AGENCY, SEAL, closingVerifies, sha256, signer } from '../../issuer/stamp/helpers.js';

const enc = new TextEncoder();

async function samplePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Certificate of registration no. 2024/117', { x: 72, y: 760, size: 14, font });
  return doc.save({ useObjectStreams: false });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

let original: Uint8Array;
let stamped: Uint8Array;

beforeAll(async () => {
  original = await samplePdf();
  stamped = await stampPdf(original, { sealText: SEAL.TYPICAL, sign: signer() });
});

describe('extractPdfSeal', () => {
  it('reads the seal, range and signature of a stamped file', () => {
    const seal = extractPdfSeal(stamped)!;
    expect(seal.sealText).toBe(SEAL.TYPICAL);
    expect(seal.coveredLength).toBe(stamped.length);
    const [z, a, b, c] = seal.byteRange;
    expect(z).toBe(0);
    expect(b - a).toBe(130);
    expect(b + c).toBe(stamped.length);
    expect(a).toBeGreaterThan(original.length);
    expect(stamped[a]).toBe(0x3c);
    expect(stamped[b - 1]).toBe(0x3e);
    expect(seal.signature.length).toBe(64);
  });

  it('returns null for an unstamped file and for the stamp update cut off', () => {
    expect(extractPdfSeal(original)).toBeNull();
    expect(extractPdfSeal(stamped.subarray(0, original.length))).toBeNull();
  });

  it('takes the last seal dictionary', async () => {
    const twice = await stampPdf(stamped, { sealText: SEAL.OTHER, sign: signer() });
    expect(extractPdfSeal(twice)?.sealText).toBe(SEAL.OTHER);
    expect(closingVerifies(twice)).toBe(true);
  });

  it('rejects a malformed seal dictionary with MALFORMED', () => {
    const bad = (s: string) => () => extractPdfSeal(concat(original, enc.encode(s)));
    const good = sealDictText(SEAL.TYPICAL);
    for (const s of [
      SEAL_DICT_HEAD + 'UR1:abc) /ByteRange [',
      SEAL_DICT_HEAD + SEAL.TYPICAL,
      good.replace('/ByteRange [0000000000', '/ByteRange [000000000x'),
      good.replace('/Contents <00', '/Contents <0g'),
      good.slice(0, -1),
      good, // placeholder range [0 0 0 0] does not surround its own /Contents
    ]) {
      expect(bad(s)).toThrow(UrsealError);
    }
  });
});

describe('closing signature', () => {
  it('verifies on the file as issued, and the message has the documented layout', () => {
    const seal = extractPdfSeal(stamped)!;
    const msg = closingMessage(stamped, seal.byteRange, sha256);
    expect(new TextDecoder().decode(msg.subarray(0, PDF_CLOSE_PREFIX.length))).toBe('urseal-pdf-close-v1');
    expect(msg[PDF_CLOSE_PREFIX.length]).toBe(0);
    const [, a, b] = seal.byteRange;
    expect(msg.subarray(PDF_CLOSE_PREFIX.length + 1)).toEqual(sha256(concat(stamped.subarray(0, a), stamped.subarray(b))));
    expect(verify(null, msg, AGENCY.publicKey, seal.signature)).toBe(true);
    expect(verify(null, msg, OTHER_AGENCY.publicKey, seal.signature)).toBe(false);
  });

  it('async variant gives the same message', async () => {
    const seal = extractPdfSeal(stamped)!;
    const a = await closingMessageAsync(stamped, seal.byteRange, async (b) => sha256(b));
    expect(a).toEqual(closingMessage(stamped, seal.byteRange, sha256));
  });

  it('fails when one byte of the original part changes', () => {
    const t = stamped.slice();
    t[100] ^= 0x01;
    expect(closingVerifies(t)).toBe(false);
  });

  it('fails for any single changed byte anywhere in the file (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: stamped.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        const t = stamped.slice();
        t[pos] ^= x;
        return !closingVerifies(t);
      }),
      { numRuns: 300 },
    );
  });

  it('fails when the signature hex changes case (lower case only)', () => {
    const seal = extractPdfSeal(stamped)!;
    const t = stamped.slice();
    const i = t.subarray(seal.byteRange[1]).findIndex((c) => c >= 0x61 && c <= 0x66) + seal.byteRange[1];
    t[i] ^= 0x20;
    expect(closingVerifies(t)).toBe(false);
  });

  it('fails when a comment is appended after the stamp', () => {
    const t = concat(stamped, enc.encode('%comment\n'));
    const seal = extractPdfSeal(t)!;
    expect(seal.sealText).toBe(SEAL.TYPICAL);
    expect(closingRangeStatus(t, seal.byteRange)).toBe('FILE_EXTENDED');
    expect(() => closingMessage(t, seal.byteRange, sha256)).toThrow(/FILE_EXTENDED/);
    expect(closingVerifies(t)).toBe(false);
  });

  it('fails when a whole incremental update is appended after the stamp', async () => {
    const doc = await PDFDocument.load(stamped, { forIncrementalUpdate: true, updateMetadata: false });
    doc.catalog.set(PDFName.of('Lang'), doc.context.obj('en'));
    doc.getPages()[0]!.drawText('forged line', { x: 72, y: 700, size: 12 });
    const t = await doc.save();
    expect(t.subarray(0, stamped.length)).toEqual(stamped);
    expect(extractPdfSeal(t)?.sealText).toBe(SEAL.TYPICAL);
    expect(closingRangeStatus(t, extractPdfSeal(t)!.byteRange)).toBe('FILE_EXTENDED');
    expect(closingVerifies(t)).toBe(false);
  });

  it('reports a cut file as FILE_TRUNCATED', () => {
    const seal = extractPdfSeal(stamped)!;
    expect(closingRangeStatus(stamped.subarray(0, stamped.length - 1), seal.byteRange)).toBe('FILE_TRUNCATED');
    expect(closingRangeStatus(stamped, [0, 1, 2, 3])).toBe('BAD_RANGE');
  });

  it('fails when the seal text is replaced by another one', () => {
    const s = Buffer.from(stamped);
    const at = s.lastIndexOf(SEAL.TYPICAL, undefined, 'latin1');
    s.write(SEAL.OTHER, at, 'latin1');
    const t = new Uint8Array(s);
    expect(extractPdfSeal(t)?.sealText).toBe(SEAL.OTHER);
    expect(closingVerifies(t)).toBe(false);
  });

  it('fails when the stamp is re-signed with a key that is not the agency key', async () => {
    const forged = await stampPdf(original, { sealText: SEAL.TYPICAL, sign: signer(OTHER_AGENCY.privateKey) });
    expect(closingVerifies(forged)).toBe(false);
    expect(closingVerifies(forged, OTHER_AGENCY.publicKey)).toBe(true);
  });
});
