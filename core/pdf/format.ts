// Byte layout of the /URSeal dictionary that closes a stamped PDF, shared by the stamper and the verifier.

/** Domain-separation prefix of the closing signature's message (followed by one 0x00 byte). */
export const PDF_CLOSE_PREFIX = 'urseal-pdf-close-v1';

/** Width in digits of each /ByteRange number: zero-padded so the stamper can patch them in place. */
export const BYTE_RANGE_DIGITS = 10;

/** Hex digits in the /Contents placeholder: an Ed25519 signature is 64 bytes. */
export const SIGNATURE_HEX_LENGTH = 128;

/** Largest seal text stored in a PDF (characters); real seals are 150-700. */
export const MAX_PDF_SEAL_TEXT = 4096;

/** Name under which the catalog references the seal dictionary. */
export const CATALOG_KEY = 'URSeal';

/**
 * The fixed opening of the seal dictionary. The dictionary is written byte for byte as
 * `<</Type /URSeal /V 1 /Seal (` text `) /ByteRange [` 4 numbers `] /Contents <` hex `>>>`,
 * so the verifier can parse it strictly instead of running a general PDF parser.
 */
export const SEAL_DICT_HEAD = '<</Type /URSeal /V 1 /Seal (';
/** Between the seal text and the first /ByteRange number. */
export const SEAL_DICT_RANGE = ') /ByteRange [';
/** Between the last /ByteRange number and the signature hex. */
export const SEAL_DICT_CONTENTS = '] /Contents <';
/** After the signature hex: closes the hex string and the dictionary. */
export const SEAL_DICT_TAIL = '>>>';

/** Characters a seal text may hold: `UR1:` then the Base45 alphabet (never `(`, `)` or `\`). */
export const SEAL_TEXT_PATTERN = /^UR1:[0-9A-Z $%*+\-./:]+$/;

/** Format one /ByteRange number at its fixed width. @example formatRangeNumber(42) // '0000000042' */
export function formatRangeNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 10 ** BYTE_RANGE_DIGITS) {
    throw new RangeError(`byte range number out of bounds: ${n}`);
  }
  return String(n).padStart(BYTE_RANGE_DIGITS, '0');
}

/**
 * The seal dictionary with a given byte range and signature hex (placeholders when omitted).
 * Its length never depends on the values, so patching in place keeps every offset.
 *
 * @example
 * sealDictText('UR1:ABC') // '<</Type /URSeal /V 1 /Seal (UR1:ABC) /ByteRange [0000000000 ...] /Contents <00...>>>'
 */
export function sealDictText(
  sealText: string,
  byteRange: readonly [number, number, number, number] = [0, 0, 0, 0],
  signatureHex: string = '0'.repeat(SIGNATURE_HEX_LENGTH),
): string {
  if (signatureHex.length !== SIGNATURE_HEX_LENGTH) throw new RangeError('signature hex length');
  return (
    SEAL_DICT_HEAD +
    sealText +
    SEAL_DICT_RANGE +
    byteRange.map(formatRangeNumber).join(' ') +
    SEAL_DICT_CONTENTS +
    signatureHex +
    SEAL_DICT_TAIL
  );
}
