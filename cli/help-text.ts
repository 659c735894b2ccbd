// Command descriptions of `--help` in the reader's language: each is written `<Arabic> | <English>` where it is
// registered; Kurdish Sorani (ckb) comes from this table, keyed by the English.
import { pair, type Lang } from '../keys/lang.js';

/** English description of a command -> its short Kurdish Sorani lead (as short as the Arabic one). */
export const CKB_HELP: Readonly<Record<string, string>> = {
  'offline-verifiable document seals': 'urseal: مۆری دیجیتاڵی بەڵگەنامەکان کە بێ ئینتەرنێت دەپشکنرێن',
  'seal a PDF and stamp the QR on it (incremental update, closing signature)': 'مۆرکردنی فایلی PDF',
  'an agency list of revoked documents': 'لیستی بەڵگەنامە هەڵوەشێنراوەکانی دەزگایەک',
  'create a status-list draft': 'دروستکردنی ڕەشنووس',
  'revoke document index(es)': 'هەڵوەشاندنەوەی بەڵگەنامە بە ژمارەکەی لە لیستەکەدا',
  'sign the list with the agency key (sequence always grows)': 'واژۆکردنی لیستەکە بە کلیلی دەزگا',
  'show a draft or a signed list (file or URL)': 'پیشاندانی لیست یان ڕەشنووس',
  'the trust list of agency keys (NDC)': 'لیستی کلیلە متمانەپێکراوەکان (ناوەندی نیشتمانیی داتا)',
  'create a new draft (JSON working file)': 'دروستکردنی ڕەشنووسێکی نوێ',
  'add an agency with its document types and field labels': 'زیادکردنی دەزگا',
  'admit an agency key with its signing window': 'پەسەندکردنی کلیلی دەزگا',
  'retire a key: it signs nothing new; its earlier seals keep verifying': 'وەستاندنی کلیل (مۆرە پێشووەکانی دروست دەمێننەوە)',
  'revoke a key: every seal it made fails with KEY_REVOKED': 'هەڵوەشاندنەوەی کلیل (هەموو مۆرەکانی بەتاڵ دەبنەوە)',
  'trust a root to sign the next lists': 'زیادکردنی ڕەگێکی متمانەپێکراو بۆ لیستەکانی داهاتوو',
  'stop trusting a root for the next lists': 'لابردنی ڕەگ',
  'set when signed lists expire': 'دیاریکردنی بەسەرچوونی لیستەکان',
  'sign the draft: binary list (.cose) + readable JSON; sequence always grows': 'واژۆکردن و بڵاوکردنەوەی لیستەکە',
  'show a draft, a JSON export or a signed list (file or URL)': 'پیشاندانی لیست یان ڕەشنووس',
  'NDC root keys': 'کلیلە ڕەگەکانی ناوەندی نیشتمانیی داتا',
  'create an encrypted root key file': 'دروستکردنی کلیلی ڕەگی نهێنیکراو',
  'agency keys': 'کلیلەکانی دەزگاکان',
  'create an agency signing key file': 'دروستکردنی کلیلی واژۆی دەزگا',
  'run the issuer HTTP service': 'کارپێکردنی خزمەتگوزاریی دەرکردن (HTTP)',
  'sign document fields into a seal; print the text; write the QR': 'واژۆکردنی زانیاریی بەڵگەنامە لە مۆرێکدا',
  'verify seals: texts, QR images (PNG/JPEG), folders (recursive)': 'پشکنینی مۆرەکان (دەق، وێنەی QR، بوخچە)',
  'set up the issuer service registry': 'ئامادەکردنی خزمەتگوزاریی دەرکردن',
  'pin an NDC root public key': 'جێگیرکردنی کلیلی ڕەگی ناوەندی نیشتمانی',
  'import the published trust list (.cose file or URL)': 'هاوردەکردنی لیستی کلیلە بڵاوکراوەکان',
  'import an agency signing key file (stored encrypted under the master key)': 'هاوردەکردنی کلیلی واژۆی دەزگا',
  'the append-only audit log, newest first': 'تۆماری وردبینی',
  'DEMO only: admit another agency (key, next DEMO trust list, token) in one step': 'نمایشی تاقیکاری: وەرگرتنی دەزگایەکی تر',
  'registry status: trust list, agencies, issuing keys': 'دۆخی تۆمار',
  'issuer API tokens': 'ڕەمزەکانی چوونەژوورەوەی خزمەتگوزاریی دەرکردن',
  'create a token for an agency (shown once)': 'دروستکردنی ڕەمزی چوونەژوورەوە بۆ دەزگا (یەکجار پیشان دەدرێت)',
  'list tokens (never their secrets)': 'پیشاندانی ڕەمزەکانی چوونەژوورەوە',
  'revoke a token': 'هەڵوەشاندنەوەی ڕەمزی چوونەژوورەوە',
};

/**
 * A registered description `<Arabic> | <English>` in the reader's language: unchanged for Arabic, Kurdish then
 * English for ckb (Arabic where the table has no entry), English alone for en.
 * @example localDescription('إزالة جذر | stop trusting a root for the next lists', 'ckb') // 'لابردنی ڕەگ | stop ...'
 */
export function localDescription(text: string, lang: Lang): string {
  const at = text.indexOf(' | ');
  if (at < 0 || lang === 'ar') return text;
  const ar = text.slice(0, at);
  const en = text.slice(at + 3);
  const ckb = Object.hasOwn(CKB_HELP, en) ? CKB_HELP[en] : undefined;
  return pair({ ar, en, ...(ckb !== undefined ? { ckb } : {}) }, lang);
}
