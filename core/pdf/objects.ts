// A small, bounded reader of PDF objects (ISO 32000-1 §7.3) for the page-image finder: dictionaries, arrays, references.
import { UrsealError } from '../errors.js';
import { inflate } from '../zlib/inflate.js';

/** A name such as `/FlateDecode`, kept apart from strings. */
export interface PdfName {
  name: string;
}
/** An indirect reference `n g R`. */
export interface PdfRef {
  num: number;
  gen: number;
}
/** A parsed direct object. Strings are bytes (latin1 text); booleans and null as themselves. */
export type PdfValue = number | boolean | null | PdfName | PdfRef | Uint8Array | PdfValue[] | Map<string, PdfValue>;

/** Bounds: nesting depth and items per array/dictionary; deeper or longer objects end the parse. */
const MAX_DEPTH = 32;
const MAX_ITEMS = 4096;
/** Object streams read to resolve references, and their decoded bytes in all. */
const MAX_OBJECT_STREAMS = 256;
const MAX_OBJECT_STREAM_BYTES = 32 * 1024 * 1024;

const latin1 = new TextDecoder('latin1');

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export const isName = (v: PdfValue | undefined): v is PdfName =>
  typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && !(v instanceof Map) && 'name' in v;
export const isRef = (v: PdfValue | undefined): v is PdfRef =>
  typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && !(v instanceof Map) && 'num' in v;
export const isDict = (v: PdfValue | undefined): v is Map<string, PdfValue> => v instanceof Map;

class Fail extends Error {}

/** String escapes \\n \\r \\t \\b \\f (§7.3.4.2). */
const ESCAPES: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };

/** A lexer over latin1 text of the file (one char per byte). */
class Lexer {
  constructor(
    readonly s: string,
    public pos: number,
    readonly end: number,
  ) {}

  private code(i: number): number {
    return i < this.end ? this.s.charCodeAt(i) : -1;
  }

  skipSpace(): void {
    for (;;) {
      const c = this.code(this.pos);
      if (c === 0x25) {
        while (this.pos < this.end && this.code(this.pos) !== 0x0a && this.code(this.pos) !== 0x0d) this.pos++;
      } else if (c >= 0 && WS.has(c)) this.pos++;
      else return;
    }
  }

  private regular(): string {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.code(this.pos);
      if (WS.has(c) || DELIM.has(c)) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }

  value(depth: number): PdfValue {
    if (depth > MAX_DEPTH) throw new Fail();
    this.skipSpace();
    const c = this.code(this.pos);
    if (c < 0) throw new Fail();
    if (c === 0x2f) {
      this.pos++;
      // #xx escapes in names (§7.3.5) are decoded so `/Flate#44ecode` reads as FlateDecode.
      return { name: this.regular().replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) };
    }
    if (c === 0x5b) {
      this.pos++;
      const out: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.code(this.pos) === 0x5d) {
          this.pos++;
          return out;
        }
        if (out.length >= MAX_ITEMS) throw new Fail();
        out.push(this.valueOrRef(depth + 1));
      }
    }
    if (c === 0x3c && this.code(this.pos + 1) === 0x3c) {
      this.pos += 2;
      const out = new Map<string, PdfValue>();
      for (;;) {
        this.skipSpace();
        if (this.code(this.pos) === 0x3e && this.code(this.pos + 1) === 0x3e) {
          this.pos += 2;
          return out;
        }
        const key = this.value(depth + 1);
        if (!isName(key) || out.size >= MAX_ITEMS) throw new Fail();
        out.set(key.name, this.valueOrRef(depth + 1));
      }
    }
    if (c === 0x3c) return this.hexString();
    if (c === 0x28) return this.literalString();
    const word = this.regular();
    if (word === '') throw new Fail();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    const n = Number(word);
    if (!Number.isFinite(n)) throw new Fail();
    return n;
  }

  /** A value, where `n g R` is read as one reference. */
  valueOrRef(depth: number): PdfValue {
    const v = this.value(depth);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return v;
    const save = this.pos;
    this.skipSpace();
    const gen = this.regular();
    if (gen !== '' && /^\d+$/.test(gen)) {
      this.skipSpace();
      if (this.code(this.pos) === 0x52 /* R */) {
        const next = this.code(this.pos + 1);
        if (next < 0 || WS.has(next) || DELIM.has(next)) {
          this.pos++;
          return { num: v, gen: Number(gen) };
        }
      }
    }
    this.pos = save;
    return v;
  }

  private hexString(): Uint8Array {
    const close = this.s.indexOf('>', this.pos);
    if (close < 0 || close >= this.end) throw new Fail();
    const hex = this.s.slice(this.pos + 1, close).replace(/[\0\t\n\f\r ]/g, '');
    this.pos = close + 1;
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new Fail();
    const even = hex.length % 2 ? `${hex}0` : hex;
    const out = new Uint8Array(even.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(even.slice(2 * i, 2 * i + 2), 16);
    return out;
  }

  private literalString(): Uint8Array {
    const out: number[] = [];
    let depth = 0;
    this.pos++;
    while (this.pos < this.end) {
      const c = this.code(this.pos++);
      if (c === 0x5c) {
        const e = this.code(this.pos++);
        const simple = ESCAPES[e];
        if (simple !== undefined) out.push(simple);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && this.code(this.pos) >= 0x30 && this.code(this.pos) <= 0x37; k++)
            v = v * 8 + this.code(this.pos++) - 0x30;
          out.push(v & 255);
        } else if (e === 0x0d) {
          if (this.code(this.pos) === 0x0a) this.pos++;
        } else if (e !== 0x0a && e >= 0) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (depth-- === 0) return Uint8Array.from(out);
        out.push(c);
      } else out.push(c);
    }
    throw new Fail();
  }
}

/** Parse one object at `pos` (a reference counts as one); undefined when it is not well formed. */
export function parseValueAt(text: string, pos: number, end: number = text.length): { value: PdfValue; end: number } | undefined {
  const lx = new Lexer(text, pos, end);
  try {
    const value = lx.valueOrRef(0);
    return { value, end: lx.pos };
  } catch (e) {
    if (e instanceof Fail) return undefined;
    throw e;
  }
}

/** An indirect object found in the file text: its value, and where its stream data starts if it has one. */
export interface IndirectObject {
  value: PdfValue;
  /** Offset of the first stream byte (after `stream` and its end-of-line), for stream objects. */
  streamStart?: number;
}

/**
 * The indirect objects of a file found by their `n g obj` headers in the text (no xref needed, so damaged
 * and incrementally updated files work; the last definition of a number wins, as an update would make it).
 * Objects inside object streams are not seen: callers treat what they cannot resolve as absent.
 */
export class ObjectIndex {
  private offsets: Map<string, number> | undefined;
  /** Objects found in object streams: number -> their text (latin1), built on the first miss. */
  private compressed: Map<number, string> | undefined;
  private readonly cache = new Map<string, IndirectObject | null>();

  constructor(
    readonly text: string,
    /** Longest object text parsed (a dictionary or array), bounding the work per lookup. */
    readonly maxObjectLength: number,
  ) {}

  private index(): Map<string, number> {
    if (this.offsets) return this.offsets;
    const offsets = new Map<string, number>();
    const re = /(?<![0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj(?![A-Za-z0-9])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.text)) !== null) offsets.set(`${Number(m[1])} ${Number(m[2])}`, m.index + m[0].length);
    this.offsets = offsets;
    return offsets;
  }

  /** The object `num gen`, or undefined when it is not in the file text or does not parse. */
  get(ref: PdfRef): IndirectObject | undefined {
    const key = `${ref.num} ${ref.gen}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const at = this.index().get(key);
    let found = at === undefined ? undefined : this.parseAt(at);
    if (at === undefined && ref.gen === 0) {
      const inStream = this.objectStreams().get(ref.num);
      const parsed = inStream === undefined ? undefined : parseValueAt(inStream, 0);
      if (parsed) found = { value: parsed.value };
    }
    this.cache.set(key, found ?? null);
    return found;
  }

  /**
   * Objects stored in object streams (§7.5.7: `/Type /ObjStm`, Flate, `/N` pairs of number and offset after which
   * the objects follow from `/First`), where files saved with compression keep colour spaces and parameters.
   * Bounded: at most MAX_OBJECT_STREAMS streams and MAX_OBJECT_STREAM_BYTES decoded in all; damaged ones are skipped.
   */
  private objectStreams(): Map<number, string> {
    if (this.compressed) return this.compressed;
    const out = new Map<number, string>();
    this.compressed = out;
    let budget = MAX_OBJECT_STREAM_BYTES;
    let count = 0;
    for (const [, at] of this.index()) {
      if (count >= MAX_OBJECT_STREAMS || budget <= 0) break;
      // Cheap filter before parsing: the dictionary must name /ObjStm within its first bytes.
      if (!this.text.slice(at, at + 256).includes('ObjStm')) continue;
      const obj = this.parseAt(at);
      if (!obj || obj.streamStart === undefined || !isDict(obj.value)) continue;
      const dict = obj.value;
      const type = dict.get('Type');
      const n = this.resolve(dict.get('N'));
      const first = this.resolve(dict.get('First'));
      if (!isName(type) || type.name !== 'ObjStm' || typeof n !== 'number' || typeof first !== 'number' || n > MAX_ITEMS) continue;
      const f = this.resolve(dict.get('Filter'));
      const flate = isName(f) && f.name === 'FlateDecode';
      if (f !== undefined && !flate) continue;
      const end = this.streamEnd(dict, obj.streamStart);
      if (end < 0) continue;
      count++;
      try {
        const raw = new Uint8Array(end - obj.streamStart);
        for (let i = 0; i < raw.length; i++) raw[i] = this.text.charCodeAt(obj.streamStart + i);
        const data = flate ? inflate(raw, budget) : raw;
        budget -= data.length;
        const body = latin1.decode(data);
        const pairs = body
          .slice(0, first)
          .trim()
          .split(/[\0\t\n\f\r ]+/)
          .map(Number);
        for (let i = 0; i + 1 < pairs.length && i < 2 * n; i += 2) {
          const start = first + pairs[i + 1]!;
          const stop = i + 3 < pairs.length ? first + pairs[i + 3]! : body.length;
          if (Number.isInteger(pairs[i]) && start >= first && stop >= start && stop - start <= this.maxObjectLength)
            out.set(pairs[i]!, body.slice(start, stop));
        }
      } catch (e) {
        if (!(e instanceof UrsealError)) throw e; // a damaged object stream: its objects stay unknown
      }
    }
    return out;
  }

  /** The object whose body starts at `at` (just after `obj`). */
  parseAt(at: number): IndirectObject | undefined {
    const end = Math.min(this.text.length, at + this.maxObjectLength);
    const parsed = parseValueAt(this.text, at, end);
    if (!parsed) return undefined;
    const after = /^[\0\t\n\f\r ]*stream(\r\n|\n|\r)/.exec(this.text.slice(parsed.end, parsed.end + 64));
    return after ? { value: parsed.value, streamStart: parsed.end + after[0].length } : { value: parsed.value };
  }

  /** Where a stream's data ends: /Length (direct or indirect) when `endstream` follows it, else at `endstream`. */
  streamEnd(dict: Map<string, PdfValue>, start: number): number {
    const declared = this.resolve(dict.get('Length'));
    if (typeof declared === 'number' && Number.isInteger(declared) && declared >= 0 && start + declared <= this.text.length) {
      // Trust /Length only when `endstream` follows it (after an optional end-of-line): a wrong /Length is common.
      if (/^[\r\n\0\t\f ]*endstream/.test(this.text.slice(start + declared, start + declared + 32))) return start + declared;
    }
    // No usable /Length: the data ends before `endstream` and the end-of-line in front of it (§7.3.8.1).
    let end = this.text.indexOf('endstream', start);
    if (end > start && this.text[end - 1] === '\n') end--;
    if (end > start && this.text[end - 1] === '\r') end--;
    return end;
  }

  /** Follow references (a few levels) to a direct value; undefined for a dangling reference. */
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    for (let i = 0; i < 8 && isRef(v); i++) v = this.get(v)?.value;
    return isRef(v) ? undefined : v;
  }
}
