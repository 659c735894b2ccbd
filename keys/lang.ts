// The reader's language of the CLI: Arabic (default), Kurdish Sorani (ckb) or English, from --lang or URSEAL_LANG.

/** Languages a person can read urseal's messages in. `ar` is the default; every line keeps English after ` | `. */
export type Lang = 'ar' | 'ckb' | 'en';

/** Every language, in the order the help text lists them. */
export const LANGS: readonly Lang[] = ['ar', 'ckb', 'en'];

/** A text a person reads: Arabic and English always, Kurdish Sorani (Arabic script) where translated. */
export interface Texts {
  ar: string;
  en: string;
  ckb?: string;
}

let chosen: Lang | undefined;

/**
 * The language name given by a user, or undefined when it is none of `ar`, `ckb`, `en` (case-insensitive;
 * `ku`, `ckb-IQ` and `ar-IQ` style tags are accepted for their language).
 * @example parseLang('ckb') // 'ckb'
 */
export function parseLang(value: string): Lang | undefined {
  const v = value.trim().toLowerCase().replace(/_/g, '-');
  if (v === 'ar' || v.startsWith('ar-')) return 'ar';
  if (v === 'ckb' || v.startsWith('ckb-') || v === 'ku' || v.startsWith('ku-arab')) return 'ckb';
  if (v === 'en' || v.startsWith('en-')) return 'en';
  return undefined;
}

/** Choose the language for the rest of the process (the CLI does, from --lang or URSEAL_LANG). */
export function setLang(lang: Lang): void {
  chosen = lang;
}

/**
 * The chosen language: what setLang chose, else a valid URSEAL_LANG, else Arabic.
 * @example if (currentLang() === 'ckb') ...
 */
export function currentLang(): Lang {
  if (chosen !== undefined) return chosen;
  const env = typeof process === 'undefined' ? undefined : process.env['URSEAL_LANG'];
  return (env !== undefined && parseLang(env)) || 'ar';
}

/**
 * The text in the reader's language: Kurdish when chosen and translated (else Arabic, the official text it
 * stands beside), Arabic by default, English for `en`.
 * @example lead({ ar: 'صالح', en: 'valid', ckb: 'دروست' }, 'ckb') // 'دروست'
 */
export function lead(t: Texts, lang: Lang = currentLang()): string {
  if (lang === 'en') return t.en;
  if (lang === 'ckb') return t.ckb ?? t.ar;
  return t.ar;
}

/**
 * One bilingual line: `<reader's language> | <English>`, or only English for `en`.
 * @example pair({ ar: 'صالح', en: 'valid', ckb: 'دروست' }, 'ckb') // 'دروست | valid'
 */
export function pair(t: Texts, lang: Lang = currentLang(), separator = ' | '): string {
  return lang === 'en' ? t.en : `${lead(t, lang)}${separator}${t.en}`;
}
