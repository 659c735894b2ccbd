// Test-only writers for scanned PDFs: a minimal PDF writer, JBIG2 embedded streams (MMR and arithmetic generic
// regions, ITU-T T.88), the single strip of an ImageMagick TIFF (CCITT Group 4 data), and simulated scans.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** One object of a hand-written PDF: a dictionary text, optionally followed by stream data. */
export interface RawObject {
  dict: string;
  stream?: Uint8Array;
}

/**
 * A PDF from objects numbered 1..n (object 1 must be the catalog), with a classic xref table. The dictionaries are
 * written as given, so a test controls every key (filter arrays, indirect /Length, colour spaces...).
 * @example rawPdf([{ dict: '<< /Type /Catalog /Pages 2 0 R >>' }, ...])
 */
export function rawPdf(objects: RawObject[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(size);
    const chunk = o.stream
      ? Buffer.concat([
          Buffer.from(`${i + 1} 0 obj\n${o.dict}\nstream\n`, 'latin1'),
          Buffer.from(o.stream),
          Buffer.from('\nendstream\nendobj\n'),
        ])
      : Buffer.from(`${i + 1} 0 obj\n${o.dict}\nendobj\n`, 'latin1');
    parts.push(chunk);
    size += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)];
  parts.push(Buffer.from(`${xref.join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * A one-page PDF (A4) whose page is one image XObject filling it: `image` is the image's dictionary entries
 * (without /Type /Subtype /Length) and data; `extra` objects are numbered from 5 (for indirect values the image
 * refers to) and `lengthRef` writes the image's /Length as an indirect object.
 */
export function imagePagePdf(image: { entries: string; data: Uint8Array }, extra: RawObject[] = [], lengthRef = false): Uint8Array {
  const lengthObj = 5 + extra.length;
  const length = lengthRef ? `${lengthObj} 0 R` : String(image.data.length);
  const content = Buffer.from('q 595 0 0 842 0 0 cm /Scan Do Q\n');
  const objects: RawObject[] = [
    { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
    { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      dict: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Scan 4 0 R >> >> /Contents ${6 + extra.length + (lengthRef ? 1 : 0) - 1} 0 R >>`,
    },
    { dict: `<< /Type /XObject /Subtype /Image ${image.entries} /Length ${length} >>`, stream: image.data },
    ...extra,
  ];
  if (lengthRef) objects.push({ dict: String(image.data.length) });
  objects.push({ dict: `<< /Length ${content.length} >>`, stream: content });
  return rawPdf(objects);
}

/** The one strip of a single-strip little-endian TIFF (ImageMagick `-define tiff:rows-per-strip` to the height). */
export function tiffStrip(tif: Uint8Array): { data: Uint8Array; width: number; height: number; compression: number; photometric: number } {
  const b = Buffer.from(tif.buffer, tif.byteOffset, tif.byteLength);
  if (b.toString('latin1', 0, 4) !== 'II*\0') throw new Error('not a little-endian TIFF');
  const ifd = b.readUInt32LE(4);
  const tags = new Map<number, number>();
  for (let i = 0; i < b.readUInt16LE(ifd); i++) {
    const e = ifd + 2 + 12 * i;
    const type = b.readUInt16LE(e + 2);
    tags.set(b.readUInt16LE(e), type === 3 ? b.readUInt16LE(e + 8) : b.readUInt32LE(e + 8));
  }
  const at = tags.get(273)!;
  return {
    data: new Uint8Array(b.subarray(at, at + tags.get(279)!)),
    width: tags.get(256)!,
    height: tags.get(257)!,
    compression: tags.get(259)!,
    photometric: tags.get(262)!,
  };
}

const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

/** A JBIG2 segment (T.88 §7.2): number, type, page association (1 byte), no referred-to segments, data. */
export function jbig2Segment(number: number, type: number, page: number, data: Uint8Array | number[]): Uint8Array {
  return Uint8Array.from([...be32(number), type & 63, 0, page, ...be32(data.length), ...data]);
}

/** Page information segment data (§7.4.8): size, resolution unknown, default pixel 0, no striping. */
export function jbig2PageInfo(width: number, height: number): number[] {
  return [...be32(width), ...be32(height), ...be32(0), ...be32(0), 0, 0, 0];
}

/** Region segment information (§7.4.1) at the page origin, combination operator OR. */
function regionInfo(width: number, height: number): number[] {
  return [...be32(width), ...be32(height), ...be32(0), ...be32(0), 0];
}

/**
 * An embedded JBIG2 stream (ISO 32000-1 §7.4.7) of one immediate lossless generic region coded with MMR
 * (T.88 §6.2.6: its data is CCITT T.6, e.g. a Group 4 TIFF strip): page information, the region, end of page.
 */
export function jbig2Mmr(g4: Uint8Array, width: number, height: number): Uint8Array {
  return Buffer.concat([
    jbig2Segment(1, 48, 1, jbig2PageInfo(width, height)),
    jbig2Segment(2, 39, 1, [...regionInfo(width, height), 0x01, ...g4]),
    jbig2Segment(3, 49, 1, []),
  ]);
}

/**
 * A /JBIG2Globals stream: a custom Huffman table segment (T.88 §7.4.13, type 53, page association 0), what
 * encoders put there besides symbol dictionaries; the decoder must read it before the page's own segments.
 */
export function jbig2Globals(): Uint8Array {
  // Flags: HTOOB 0, HTPS 2 bits - 1, HTRS 3 bits - 1; range 0..15; one line (prefix length 1, range length 4).
  const table = [((3 - 1) << 4) | ((2 - 1) << 1), ...be32(0), ...be32(16), 1, 4, 0, 0];
  return jbig2Segment(0, 53, 0, table);
}

/**
 * The MQ arithmetic encoder of T.88 Annex E (E.2, software conventions of Figures E.3-E.11), enough to code a
 * generic region with template 0 and typical prediction off. Test-only: it writes what pdf.js decodes.
 */
class MqEncoder {
  private a = 0x8000;
  private c = 0;
  private ct = 12;
  private b = 0;
  private bp = -1;
  readonly out: number[] = [];
  private readonly index = new Uint8Array(65536);
  private readonly mps = new Uint8Array(65536);

  private byteOut(): void {
    if (this.b === 0xff) {
      this.push();
      this.b = this.c >>> 20;
      this.c &= 0xfffff;
      this.ct = 7;
    } else if (this.c < 0x8000000) {
      this.push();
      this.b = this.c >>> 19;
      this.c &= 0x7ffff;
      this.ct = 8;
    } else {
      this.b++;
      if (this.b === 0xff) {
        this.c &= 0x7ffffff;
        this.push();
        this.b = this.c >>> 20;
        this.c &= 0xfffff;
        this.ct = 7;
      } else {
        this.push();
        this.b = this.c >>> 19;
        this.c &= 0x7ffff;
        this.ct = 8;
      }
    }
  }

  private push(): void {
    if (this.bp >= 0) this.out.push(this.b);
    this.bp++;
  }

  private renorm(): void {
    do {
      this.a = (this.a << 1) & 0xffff;
      this.c = (this.c << 1) >>> 0;
      this.ct--;
      if (this.ct === 0) this.byteOut();
    } while ((this.a & 0x8000) === 0);
  }

  encode(cx: number, d: number): void {
    const i = this.index[cx]!;
    const qe = QE[i]![0];
    if (d === this.mps[cx]) {
      this.a -= qe;
      if ((this.a & 0x8000) === 0) {
        if (this.a < qe) this.a = qe;
        else this.c += qe;
        this.index[cx] = QE[i]![1];
        this.renorm();
      } else this.c += qe;
    } else {
      this.a -= qe;
      if (this.a < qe) this.c += qe;
      else this.a = qe;
      if (QE[i]![3] === 1) this.mps[cx] = 1 - this.mps[cx]!;
      this.index[cx] = QE[i]![2];
      this.renorm();
    }
  }

  flush(): number[] {
    // E.2.9 SETBITS then two byte-outs; the final 0xFF 0xAC marker ends the data.
    const temp = this.c + this.a;
    this.c |= 0xffff;
    if (this.c >= temp) this.c -= 0x8000;
    this.c = (this.c << this.ct) >>> 0;
    this.byteOut();
    this.c = (this.c << this.ct) >>> 0;
    this.byteOut();
    this.push();
    if (this.out.at(-1) !== 0xff) this.out.push(0xff);
    this.out.push(0xac);
    return this.out;
  }
}

// Table E.1: Qe, NMPS, NLPS, SWITCH.
// prettier-ignore
const QE: readonly (readonly [number, number, number, number])[] = [
  [0x5601, 1, 1, 1], [0x3401, 2, 6, 0], [0x1801, 3, 9, 0], [0x0ac1, 4, 12, 0], [0x0521, 5, 29, 0], [0x0221, 38, 33, 0],
  [0x5601, 7, 6, 1], [0x5401, 8, 14, 0], [0x4801, 9, 14, 0], [0x3801, 10, 14, 0], [0x3001, 11, 17, 0], [0x2401, 12, 18, 0],
  [0x1c01, 13, 20, 0], [0x1601, 29, 21, 0], [0x5601, 15, 14, 1], [0x5401, 16, 14, 0], [0x5101, 17, 15, 0], [0x4801, 18, 16, 0],
  [0x3801, 19, 17, 0], [0x3401, 20, 18, 0], [0x3001, 21, 19, 0], [0x2801, 22, 19, 0], [0x2401, 23, 20, 0], [0x2201, 24, 21, 0],
  [0x1c01, 25, 22, 0], [0x1801, 26, 23, 0], [0x1601, 27, 24, 0], [0x1401, 28, 25, 0], [0x1201, 29, 26, 0], [0x1101, 30, 27, 0],
  [0x0ac1, 31, 28, 0], [0x09c1, 32, 29, 0], [0x08a1, 33, 30, 0], [0x0521, 34, 31, 0], [0x0441, 35, 32, 0], [0x02a1, 36, 33, 0],
  [0x0221, 37, 34, 0], [0x0141, 38, 35, 0], [0x0111, 39, 36, 0], [0x0085, 40, 37, 0], [0x0049, 41, 38, 0], [0x0025, 42, 39, 0],
  [0x0015, 43, 40, 0], [0x0009, 44, 41, 0], [0x0005, 45, 42, 0], [0x0001, 45, 43, 0], [0x5601, 46, 46, 0],
];

/**
 * An embedded JBIG2 stream of one immediate lossless generic region coded arithmetically (MMR 0, GBTEMPLATE 0,
 * TPGDON 0, nominal AT pixels; T.88 §6.2.5.3 context of 16 pixels). `black(x, y)` gives each pixel (1 = black).
 */
export function jbig2Generic(width: number, height: number, black: (x: number, y: number) => number): Uint8Array {
  const px = (x: number, y: number): number => (x < 0 || y < 0 || x >= width ? 0 : black(x, y));
  const mq = new MqEncoder();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Template 0 (Figure 3) with the nominal AT pixels A1 (3,-1), A2 (-3,-1), A3 (2,-2), A4 (-2,-2).
      const cx =
        (px(x - 1, y) << 0) |
        (px(x - 2, y) << 1) |
        (px(x - 3, y) << 2) |
        (px(x - 4, y) << 3) |
        (px(x + 3, y - 1) << 4) |
        (px(x + 2, y - 1) << 5) |
        (px(x + 1, y - 1) << 6) |
        (px(x, y - 1) << 7) |
        (px(x - 1, y - 1) << 8) |
        (px(x - 2, y - 1) << 9) |
        (px(x - 3, y - 1) << 10) |
        (px(x + 2, y - 2) << 11) |
        (px(x + 1, y - 2) << 12) |
        (px(x, y - 2) << 13) |
        (px(x - 1, y - 2) << 14) |
        (px(x - 2, y - 2) << 15);
      mq.encode(cx, px(x, y));
    }
  }
  const data = mq.flush();
  const at = [3, -1, -3, -1, 2, -2, -2, -2].map((v) => v & 255);
  return Buffer.concat([
    jbig2Segment(1, 48, 1, jbig2PageInfo(width, height)),
    jbig2Segment(2, 39, 1, [...regionInfo(width, height), 0x00, ...at, ...data]),
    jbig2Segment(3, 49, 1, []),
  ]);
}

/** One simulated scan per resolution: rotation, blur, noise and JPEG quality differ; grey at 200 dpi, colour else. */
export const SCANS = [
  { dpi: 150, colour: true, rotate: 0.5, blur: 0.5, noise: 0.2, quality: 85 },
  { dpi: 200, colour: false, rotate: -1.2, blur: 0.7, noise: 0.3, quality: 70 },
  { dpi: 300, colour: true, rotate: 2, blur: 1.0, noise: 0.4, quality: 60 },
] as const;
export type Scan = (typeof SCANS)[number];

/** Every way a scan's page image is written into a PDF. */
export const SCAN_KINDS = ['jpeg', 'flate', 'flate-1bit', 'ccitt', 'jbig2-mmr', 'jbig2-generic', 'jpx'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/** The PDF of each kind for one scan, and whether zbarimg read the seal from the same pixels (continuous tone, bilevel). */
export interface MadeScans {
  pdfs: Record<ScanKind, Uint8Array>;
  zbarContinuous: boolean;
  zbarBilevel: boolean;
  /** The distorted page as JPEG (a phone photo of the printout). */
  jpg: string;
}

/** Netpbm P4/P5/P6 to its size and samples. */
export function netpbm(file: string): { width: number; height: number; channels: number; data: Uint8Array } {
  const b = readFileSync(file);
  const m = /^P([456])\s+(\d+)\s+(\d+)\s+(?:(\d+)\s)?/.exec(b.subarray(0, 64).toString('latin1'))!;
  const kind = m[1];
  const width = Number(m[2]);
  const height = Number(m[3]);
  return { width, height, channels: kind === '6' ? 3 : 1, data: new Uint8Array(b.subarray(m[0].length)) };
}

/** The samples with a PNG "Up" predictor byte before each row (what /Predictor 15 undoes). */
function pngUp(data: Uint8Array, rowBytes: number): Uint8Array {
  const rows = data.length / rowBytes;
  const out = new Uint8Array(rows * (rowBytes + 1));
  for (let y = 0; y < rows; y++) {
    out[y * (rowBytes + 1)] = 2;
    for (let x = 0; x < rowBytes; x++) {
      const up = y > 0 ? data[(y - 1) * rowBytes + x]! : 0;
      out[y * (rowBytes + 1) + 1 + x] = (data[y * rowBytes + x]! - up) & 255;
    }
  }
  return out;
}

function zbar(file: string, sealText: string): boolean {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', file], { encoding: 'utf8' });
  return r.stdout.split('\n').includes(sealText);
}

const sh = (cmd: string, args: string[]): void => void execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * Render page 1 of `sealedPdf` as scan `s` in `dir`, distort it, and wrap it in every kind (files
 * `scan-<kind>-<dpi>.pdf` too). Needs pdftoppm, ImageMagick (with OpenJPEG) and zbarimg.
 */
export function makeScans(dir: string, sealedPdf: string, s: Scan, sealText: string): MadeScans {
  const base = join(dir, `r${s.dpi}`);
  sh('pdftoppm', [...(s.colour ? [] : ['-gray']), '-png', '-r', String(s.dpi), '-f', '1', '-l', '1', '-singlefile', sealedPdf, base]);
  const jpg = `${base}.jpg`;
  // Rotation, blur, noise, then JPEG: what a scanner or phone does to the page.
  sh('convert', [
    `${base}.png`,
    '-background',
    'white',
    '-rotate',
    String(s.rotate),
    '-blur',
    `0x${s.blur}`,
    '-attenuate',
    String(s.noise),
    '+noise',
    'Gaussian',
    '-quality',
    String(s.quality),
    jpg,
  ]);
  const pnm = `${base}.${s.colour ? 'ppm' : 'pgm'}`;
  sh('convert', [jpg, ...(s.colour ? [] : ['-colorspace', 'Gray']), pnm]);
  const px = netpbm(pnm);
  const pbm = `${base}.pbm`;
  sh('convert', [jpg, '-colorspace', 'Gray', '-threshold', '55%', pbm]);
  const bits = netpbm(pbm);
  sh('convert', [pbm, '-compress', 'Group4', '-define', 'tiff:rows-per-strip=1000000', `${base}.tif`]);
  const g4 = tiffStrip(readFileSync(`${base}.tif`));
  sh('convert', [pnm, '-quality', '0', `${base}.${s.dpi === 200 ? 'j2k' : 'jp2'}`]); // lossless: the same pixels
  const jpx = new Uint8Array(readFileSync(`${base}.${s.dpi === 200 ? 'j2k' : 'jp2'}`));

  const size = `/Width ${px.width} /Height ${px.height}`;
  const bsize = `/Width ${bits.width} /Height ${bits.height}`;
  const cs = s.colour ? '/DeviceRGB' : '/DeviceGray';
  const jpeg = new Uint8Array(readFileSync(jpg));
  const pdfs = {} as Record<ScanKind, Uint8Array>;

  // JPEG: plain at 150; behind Flate ([/FlateDecode /DCTDecode]) at 200; indirect /Length at 300.
  pdfs.jpeg =
    s.dpi === 200
      ? imagePagePdf({
          entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter [/FlateDecode /DCTDecode]`,
          data: deflateSync(jpeg),
        })
      : imagePagePdf({ entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /DCTDecode`, data: jpeg }, [], s.dpi === 300);

  // Flate 8-bit: an ICCBased colour space through an indirect object at 150; PNG predictor at 200; plain, indirect /Length at 300.
  const rowBytes = px.width * px.channels;
  if (s.dpi === 150) {
    const icc: RawObject[] = [
      { dict: '[/ICCBased 6 0 R]' },
      { dict: `<< /N 3 /Alternate /DeviceRGB /Length 16 >>`, stream: new Uint8Array(16) },
    ];
    pdfs.flate = imagePagePdf(
      { entries: `${size} /ColorSpace 5 0 R /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(px.data) },
      icc,
    );
  } else if (s.dpi === 200) {
    pdfs.flate = imagePagePdf({
      entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ${px.channels} /Columns ${px.width} >>`,
      data: deflateSync(pngUp(px.data, rowBytes)),
    });
  } else {
    pdfs.flate = imagePagePdf(
      { entries: `${size} /ColorSpace ${cs} /BitsPerComponent 8 /Filter /FlateDecode`, data: deflateSync(px.data) },
      [],
      true,
    );
  }

  // Flate 1-bit (PBM: 1 = black, so /Decode [1 0]), with a PNG predictor.
  pdfs['flate-1bit'] = imagePagePdf({
    entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns ${bits.width} >>`,
    data: deflateSync(pngUp(bits.data, (bits.width + 7) >> 3)),
  });

  pdfs.ccitt = imagePagePdf({
    entries: `/Width ${g4.width} /Height ${g4.height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns ${g4.width} /Rows ${g4.height} >>`,
    data: g4.data,
  });

  // JBIG2 MMR (Group 4 data in a generic region); with a /JBIG2Globals stream at 200 dpi.
  const mmr = jbig2Mmr(g4.data, g4.width, g4.height);
  pdfs['jbig2-mmr'] =
    s.dpi === 200
      ? imagePagePdf(
          {
            entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode /DecodeParms << /JBIG2Globals 5 0 R >>`,
            data: mmr,
          },
          [{ dict: `<< /Length ${jbig2Globals().length} >>`, stream: jbig2Globals() }],
        )
      : imagePagePdf({ entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode`, data: mmr });

  const rb = (bits.width + 7) >> 3;
  const generic = jbig2Generic(bits.width, bits.height, (x, y) => (bits.data[y * rb + (x >> 3)]! >> (7 - (x & 7))) & 1);
  pdfs['jbig2-generic'] = imagePagePdf({
    entries: `${bsize} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode`,
    data: generic,
  });

  pdfs.jpx = imagePagePdf({ entries: `${size} ${s.colour ? '' : '/ColorSpace /DeviceGray '}/Filter /JPXDecode`, data: jpx });

  for (const k of SCAN_KINDS) writeFileSync(join(dir, `scan-${k}-${s.dpi}.pdf`), pdfs[k]);
  return { pdfs, zbarContinuous: zbar(jpg, sealText), zbarBilevel: zbar(pbm, sealText), jpg };
}
