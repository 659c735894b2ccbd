// Page images found at the byte level: filters, filter arrays, predictors, bit depths, colour spaces, indirect values.
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pdfImages, PDF_IMAGE_LIMITS, type PdfImage } from '../../../core/pdf/images.js';
import { imagePagePdf, type RawObject } from '../../helpers/scans.js';

const W = 13;
const H = 7;
/** Reference grey level of each pixel (0-255), and an RGB colour. */
const grey = (x: number, y: number): number => (x * 37 + y * 91) % 256;
const rgb = (x: number, y: number): [number, number, number] => [(x * 19) % 256, (y * 41) % 256, (x * y * 7) % 256];

function samples(bits: number, comps: number, value: (x: number, y: number, c: number) => number): Uint8Array {
  const rowBytes = Math.ceil((W * comps * bits) / 8);
  const out = new Uint8Array(rowBytes * H);
  for (let y = 0; y < H; y++) {
    for (let i = 0; i < W * comps; i++) {
      const v = value((i / comps) | 0, y, i % comps);
      if (bits === 16) {
        out[y * rowBytes + 2 * i] = v;
        out[y * rowBytes + 2 * i + 1] = 0x5a;
      } else if (bits === 8) out[y * rowBytes + i] = v;
      else out[y * rowBytes + ((i * bits) >> 3)]! |= (v >> (8 - bits)) << (8 - bits - ((i * bits) & 7));
    }
  }
  return out;
}

function only(pdf: Uint8Array): Extract<PdfImage, { kind: 'rgba' }> {
  const imgs = pdfImages(pdf);
  expect(imgs).toHaveLength(1);
  expect(imgs[0]!.kind).toBe('rgba');
  return imgs[0] as Extract<PdfImage, { kind: 'rgba' }>;
}

const px = (img: { data: Uint8Array; width: number }, x: number, y: number): number[] => [
  ...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4),
];

describe('pdfImages', () => {
  it('grey at 1, 2, 4, 8 and 16 bits (16: the high byte) decodes every pixel', () => {
    for (const bits of [1, 2, 4, 8, 16]) {
      const data = samples(bits, 1, grey);
      const img = only(
        imagePagePdf({
          entries: `/Width ${W} /Height ${H} /ColorSpace /DeviceGray /BitsPerComponent ${bits} /Filter /FlateDecode`,
          data: deflateSync(data),
        }),
      );
      const max = (1 << Math.min(bits, 8)) - 1;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const want = bits >= 8 ? grey(x, y) : Math.round(((grey(x, y) >> (8 - bits)) * 255) / max);
          expect(px(img, x, y), `${bits} bits`).toEqual([want, want, want, 255]);
        }
    }
  });

  it('RGB behind an indirect ICCBased colour space, a TIFF predictor, and an indirect /Length', () => {
    const data = samples(8, 3, (x, y, c) => rgb(x, y)[c]!);
    const tiff = Uint8Array.from(data);
    for (let y = 0; y < H; y++)
      for (let i = W * 3 - 1; i >= 3; i--) tiff[y * W * 3 + i] = (data[y * W * 3 + i]! - data[y * W * 3 + i - 3]!) & 255;
    const icc: RawObject[] = [{ dict: '[/ICCBased 6 0 R]' }, { dict: '<< /N 3 /Length 4 >>', stream: new Uint8Array(4) }];
    const img = only(
      imagePagePdf(
        {
          entries: `/Width ${W} /Height ${H} /ColorSpace 5 0 R /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 2 /Colors 3 /Columns ${W} >>`,
          data: deflateSync(tiff),
        },
        icc,
        true,
      ),
    );
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(px(img, x, y)).toEqual([...rgb(x, y), 255]);
  });

  it('an /Indexed palette (a string lookup, 4-bit indices), and a colour space it cannot resolve inferred from the size', () => {
    const palette = Array.from({ length: 16 }, (_, i) => [i * 16, 255 - i * 16, i * 8]);
    const hex = palette
      .flat()
      .map((v) => v.toString(16).padStart(2, '0'))
      .join('');
    const idx = (x: number, y: number): number => (x + y) % 16;
    const img = only(
      imagePagePdf({
        entries: `/Width ${W} /Height ${H} /ColorSpace [/Indexed /DeviceRGB 15 <${hex}>] /BitsPerComponent 4 /Filter /FlateDecode`,
        data: deflateSync(samples(4, 1, (x, y) => idx(x, y) << 4)),
      }),
    );
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(px(img, x, y)).toEqual([...palette[idx(x, y)]!, 255]);
    // /ColorSpace 9 0 R where object 9 is not in the file text (e.g. inside an object stream): 3 bytes per pixel says RGB.
    const rgbData = samples(8, 3, (x, y, c) => rgb(x, y)[c]!);
    const inferred = only(
      imagePagePdf({
        entries: `/Width ${W} /Height ${H} /ColorSpace 9 0 R /BitsPerComponent 8 /Filter /FlateDecode`,
        data: deflateSync(rgbData),
      }),
    );
    expect(px(inferred, 5, 3)).toEqual([...rgb(5, 3), 255]);
  });

  it('a colour space and decode parameters kept in a compressed object stream are found there', () => {
    // Objects 7 (an /Indexed colour space) and 8 (the /DecodeParms) live in object stream 5 (§7.5.7).
    const objs = '[/Indexed /DeviceRGB 1 <ff000000ff00>]\n<< /Predictor 15 /Columns 13 >>\n';
    const header = `7 0 8 ${objs.indexOf('<<')} `;
    const objStm = deflateSync(Buffer.from(header + objs, 'latin1'));
    const idx = (x: number, y: number): number => (x ^ y) & 1;
    const rows = samples(8, 1, idx);
    const predicted = new Uint8Array(H * (W + 1));
    for (let y = 0; y < H; y++) predicted.set(rows.subarray(y * W, y * W + W), y * (W + 1) + 1); // PNG filter 0 rows
    const img = only(
      imagePagePdf(
        {
          entries: `/Width ${W} /Height ${H} /ColorSpace 7 0 R /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms 8 0 R`,
          data: deflateSync(predicted),
        },
        [{ dict: `<< /Type /ObjStm /N 2 /First ${header.length} /Filter /FlateDecode /Length ${objStm.length} >>`, stream: objStm }],
      ),
    );
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(px(img, x, y)).toEqual(idx(x, y) ? [0, 255, 0, 255] : [255, 0, 0, 255]);
  });

  it('filter arrays: [/FlateDecode /DCTDecode] gives the JPEG; RunLength, no filter and CMYK decode; LZW is skipped', () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const imgs = pdfImages(
      imagePagePdf({
        entries: `/Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter [/FlateDecode /DCTDecode] /DecodeParms [null null]`,
        data: deflateSync(jpeg),
      }),
    );
    expect(imgs).toEqual([{ kind: 'jpeg', bytes: jpeg }]);
    const raw = samples(8, 1, grey);
    const rl: number[] = [];
    for (let i = 0; i < raw.length; i += 100) rl.push(Math.min(100, raw.length - i) - 1, ...raw.subarray(i, i + 100));
    rl.push(252, 0, 128); // a repeat run (5 zero bytes) past the image is ignored; then end of data
    for (const [entries, data] of [
      ['/Filter /RunLengthDecode', Uint8Array.from(rl)],
      ['', raw],
    ] as const) {
      const img = only(imagePagePdf({ entries: `/Width ${W} /Height ${H} /ColorSpace /DeviceGray /BitsPerComponent 8 ${entries}`, data }));
      expect(px(img, 4, 6)).toEqual([grey(4, 6), grey(4, 6), grey(4, 6), 255]);
    }
    const cmyk = only(
      imagePagePdf({ entries: '/Width 1 /Height 1 /ColorSpace /DeviceCMYK /BitsPerComponent 8', data: Uint8Array.of(0, 255, 255, 0) }),
    );
    expect(px(cmyk, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(
      pdfImages(
        imagePagePdf({
          entries: '/Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /LZWDecode',
          data: Uint8Array.of(1),
        }),
      ),
    ).toEqual([]);
  });

  it('JBIG2 and JPX images are returned still coded, with globals resolved; sizes past the limits are skipped', () => {
    const imgs = pdfImages(
      imagePagePdf(
        {
          entries: '/Width 8 /Height 2 /BitsPerComponent 1 /Filter /JBIG2Decode /DecodeParms << /JBIG2Globals 5 0 R >> /Decode [1 0]',
          data: Uint8Array.of(9),
        },
        [{ dict: '<< /Length 2 >>', stream: Uint8Array.of(7, 7) }],
      ),
    );
    expect(imgs).toEqual([{ kind: 'jbig2', width: 8, height: 2, data: Uint8Array.of(9), globals: Uint8Array.of(7, 7), invert: true }]);
    const side = Math.ceil(Math.sqrt(PDF_IMAGE_LIMITS.maxPixels)) + 1;
    expect(pdfImages(imagePagePdf({ entries: `/Width ${side} /Height ${side} /Filter /JPXDecode`, data: Uint8Array.of(1) }))).toEqual([]);
  });

  it('never throws, whatever the bytes (damaged dictionaries, streams, references)', () => {
    const base = imagePagePdf(
      {
        entries: `/Width ${W} /Height ${H} /ColorSpace 5 0 R /BitsPerComponent 8 /Filter [/FlateDecode] /DecodeParms 6 0 R`,
        data: deflateSync(samples(8, 1, grey)),
      },
      [{ dict: '/DeviceGray' }, { dict: '<< /Predictor 1 >>' }],
    );
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.uint8Array({ minLength: 1, maxLength: 12 }), (at, noise) => {
        const b = Uint8Array.from(base);
        b.set(noise.subarray(0, b.length - at), at);
        expect(Array.isArray(pdfImages(b))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
