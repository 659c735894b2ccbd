// Hook for PDF inputs of `urseal verify`: PDF verification is wired here by the PDF issue; until then, a clear result.
import type { ItemResult } from './verify-engine.js';
import type { Verifier } from './verify-engine.js';
import { resultFromCode } from './verify-engine.js';

/**
 * Verify the seal embedded in a PDF file. Not wired yet: every PDF gets UNSUPPORTED with a reason that says
 * so. To wire it, call core/pdf's verifyPdf(bytes, verifier.backend, { trust, statusLists, now }) here and map
 * its result with `resultFromSeal` (plus the file check message).
 * @example const results = await verifyPdfInput(bytes, 'letter.pdf', verifier);
 */
export async function verifyPdfInput(_bytes: Uint8Array, label: string, _verifier: Verifier): Promise<ItemResult[]> {
  return [resultFromCode(label, 'UNSUPPORTED', 'PDF verification is not available in this version yet; verify the QR image or the seal text')];
}
