// Kurdish Sorani (ckb) for every user error: a scan of the sources finds every userError call and its English lead,
// and each must have its entry in keys/ckb.ts, so that no message is forgotten; then the lines the CLI prints.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CKB_ERRORS, ckbError } from '../../keys/ckb.js';
import { UserError, userError, withSuffix } from '../../keys/errors.js';
import { lead, pair, parseLang } from '../../keys/lang.js';

/** Letters Sorani writes and Arabic does not (ە ێ ۆ ڕ ڵ): a Kurdish text has at least one. */
const SORANI = /[\u06D5\u06CE\u06C6\u0695\u06B5]/;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The arguments of a call starting at `from` (just after its opening parenthesis), split at top-level commas. */
function callArguments(s: string, from: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // copy a string literal whole (a template's ${...} holds no quote of the same kind in these sources)
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') args.push(cur.trim());
  return args;
}

/** The string literals in an argument (not those a condition compares with), templates' `${...}` written as `{}`. */
function literals(arg: string): string[] {
  const found: string[] = [];
  const shown = arg.replace(/[!=]==\s*(['"`])(?:[^\\]|\\.)*?\1/g, '');
  for (const m of shown.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    const text = m[1] ?? m[2] ?? m[3]!;
    found.push(text.replace(/\\(.)/g, '$1').replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '{}'));
  }
  return found;
}

/** Every English lead given to userError in cli/ and keys/, with where it is. */
function englishLeads(): { where: string; en: string[] }[] {
  const calls: { where: string; en: string[] }[] = [];
  for (const file of [...sourceFiles('cli'), ...sourceFiles('keys')]) {
    if (file === join('keys', 'errors.ts')) continue;
    const s = readFileSync(file, 'utf8');
    for (const m of s.matchAll(/\buserError\(/g)) {
      const args = callArguments(s, m.index + m[0].length);
      const line = s.slice(0, m.index).split('\n').length;
      calls.push({ where: `${file}:${line}`, en: literals(args[2] ?? '') });
    }
  }
  return calls;
}

const normalized = (key: string) => key.replace(/\{\d\}/g, '{}');
const TABLE = new Map(Object.entries(CKB_ERRORS).map(([en, ckb]) => [normalized(en), ckb]));

describe('the Kurdish table covers every user error', () => {
  const calls = englishLeads();

  it('finds the calls (the scan itself works)', () => {
    expect(calls.length).toBeGreaterThan(100);
    expect(calls.some((c) => c.en.includes('file not found'))).toBe(true);
    expect(calls.some((c) => c.en.includes('trust list refused ({})'))).toBe(true);
  });

  it('every userError call has its English lead as a literal, and each lead has a Kurdish entry', () => {
    const missing = calls.flatMap((c) =>
      c.en.length === 0
        ? [`${c.where}: English lead is not a literal`]
        : c.en.filter((en) => !TABLE.has(en)).map((en) => `${c.where}: ${en}`),
    );
    expect(missing).toEqual([]);
  });

  it('no entry is stale: every key of the table is a lead some call gives', () => {
    const used = new Set(calls.flatMap((c) => c.en));
    expect([...TABLE.keys()].filter((en) => !used.has(en))).toEqual([]);
  });

  it('errors are made by userError (or withSuffix), never by new UserError with only Arabic and English', () => {
    const direct = [...sourceFiles('cli'), ...sourceFiles('keys')]
      .filter((f) => f !== join('keys', 'errors.ts'))
      .filter((f) => /new UserError\(/.test(readFileSync(f, 'utf8')));
    expect(direct).toEqual([]);
  });

  it('every translation is Sorani, and fills only the parts its English has', () => {
    for (const [en, ckb] of Object.entries(CKB_ERRORS)) {
      expect(ckb, en).toMatch(SORANI);
      expect(ckb.trim(), en).toBe(ckb);
      const slots = (t: string) => [...t.matchAll(/\{(\d)\}/g)].map((m) => m[1]);
      for (const slot of slots(ckb)) expect(slots(en), en).toContain(slot);
    }
  });
});

describe('ckbError', () => {
  it('translates exact leads and fills the parts of a pattern', () => {
    expect(ckbError('file not found')).toBe(CKB_ERRORS['file not found']);
    expect(ckbError('trust list refused (TRUST_LIST_STALE)')).toBe('لیستی کلیلە متمانەپێکراوەکان ڕەتکرایەوە (TRUST_LIST_STALE)');
    expect(ckbError('passphrase shorter than 12 characters')).toContain('12');
  });

  it('knows nothing else (not even the names every object has)', () => {
    expect(ckbError('file not found!')).toBeUndefined();
    expect(ckbError('constructor')).toBeUndefined();
    expect(ckbError('toString')).toBeUndefined();
  });
});

describe('UserError.line in each language', () => {
  const e = userError('URSEAL_E_FILE_NOT_FOUND', 'الملف غير موجود', 'file not found', 'a.key');

  it('Arabic first by default, Kurdish first for ckb, English alone for en', () => {
    expect(e.line('ar')).toBe('urseal: URSEAL_E_FILE_NOT_FOUND: الملف غير موجود: a.key | file not found: a.key');
    expect(e.line('ckb')).toBe('urseal: URSEAL_E_FILE_NOT_FOUND: فایلەکە نەدۆزرایەوە: a.key | file not found: a.key');
    expect(e.line('en')).toBe('urseal: URSEAL_E_FILE_NOT_FOUND: file not found: a.key');
  });

  it('keeps the Kurdish through withSuffix, and falls back to Arabic where there is none', () => {
    expect(withSuffix(e, ' (d.json)').line('ckb')).toBe(
      'urseal: URSEAL_E_FILE_NOT_FOUND: فایلەکە نەدۆزرایەوە: a.key (d.json) | file not found: a.key (d.json)',
    );
    const plain = new UserError('URSEAL_E_INTERNAL', { ar: 'خطأ', en: 'error' });
    expect(plain.line('ckb')).toBe('urseal: URSEAL_E_INTERNAL: خطأ | error');
  });

  it('stays one line whatever the detail holds', () => {
    expect(userError('URSEAL_E_BAD_VALUE', 'ع', 'invalid number', 'x\ny').line('ckb')).not.toContain('\n');
  });
});

describe('language names', () => {
  it('accepts ar, ckb, en and common tags, case-insensitive', () => {
    expect(['ar', 'AR', 'ar-IQ', 'ckb', 'CKB', 'ckb-IQ', 'ckb_IQ', 'ku', 'en', 'en-GB'].map(parseLang)).toEqual([
      'ar',
      'ar',
      'ar',
      'ckb',
      'ckb',
      'ckb',
      'ckb',
      'ckb',
      'en',
      'en',
    ]);
  });

  it('refuses others', () => {
    for (const v of ['', 'fr', 'kmr', 'arabic', 'ku-latn']) expect(parseLang(v), v).toBeUndefined();
  });

  it('lead and pair choose the text', () => {
    const t = { ar: 'صالح', ckb: 'دروست', en: 'valid' };
    expect(pair(t, 'ar')).toBe('صالح | valid');
    expect(pair(t, 'ckb')).toBe('دروست | valid');
    expect(pair(t, 'en')).toBe('valid');
    expect(lead({ ar: 'صالح', en: 'valid' }, 'ckb')).toBe('صالح');
  });
});
