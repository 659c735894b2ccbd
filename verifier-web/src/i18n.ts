// The page's own words in Arabic, English and Kurdish (Sorani), and the Kurdish for verification results (core's
// messages carry Arabic and English; the page adds Kurdish here, by result code, so every verdict reads in all three).
import type { Message, ResultCode } from '../../core/verifier.js';

export type Lang = 'ar' | 'en' | 'ckb';
export const LANGS: readonly Lang[] = ['ar', 'en', 'ckb'];

/** How numbers in dates and counts are written: Arabic-Indic (٠١٢, as Iraqi papers print them) or Latin (012). */
export type Digits = 'arab' | 'latn';

type Text = Record<Lang, string>;

/** Right-to-left languages of the page. */
export const isRtl = (lang: Lang): boolean => lang !== 'en';

/** Every text the page shows that is not part of a verification result. */
export const UI = {
  title: { ar: 'التحقق من الوثائق المختومة', en: 'Verify a sealed document', ckb: 'پشکنینی بەڵگەنامەی مۆرکراو' },
  intro: {
    ar: 'امسح رمز QR على الوثيقة، أو افتح صورة أو ملف PDF، أو الصق نص الختم. يعمل التحقق على هذا الجهاز دون اتصال.',
    en: 'Scan the QR code on the document, open an image or a PDF file, or paste the seal text. Checking happens on this device, without a connection.',
    ckb: 'کۆدی QR لەسەر بەڵگەنامەکە سکان بکە، یان وێنە یان فایلی PDF بکەرەوە، یان دەقی مۆرەکە دابنێ. پشکنین لەسەر ئەم ئامێرە و بێ ئینتەرنێت دەکرێت.',
  },
  langGroup: { ar: 'اللغة', en: 'Language', ckb: 'زمان' },
  digitsLatn: { ar: 'أرقام 123', en: 'Digits 123', ckb: 'ژمارە 123' },
  digitsArab: { ar: 'أرقام ١٢٣', en: 'Digits ١٢٣', ckb: 'ژمارە ١٢٣' },
  digitsLabel: {
    ar: 'طريقة كتابة الأرقام في التواريخ',
    en: 'How numbers in dates are written',
    ckb: 'شێوەی نووسینی ژمارە لە ڕێکەوتەکاندا',
  },
  scan: { ar: 'المسح بالكاميرا', en: 'Scan with camera', ckb: 'سکانکردن بە کامێرا' },
  stopScan: { ar: 'إيقاف الكاميرا', en: 'Stop camera', ckb: 'وەستاندنی کامێرا' },
  torchOn: { ar: 'تشغيل الإضاءة', en: 'Torch on', ckb: 'هەڵکردنی چرا' },
  torchOff: { ar: 'إطفاء الإضاءة', en: 'Torch off', ckb: 'کوژاندنەوەی چرا' },
  scanning: { ar: 'وجّه الكاميرا إلى رمز QR…', en: 'Point the camera at the QR code…', ckb: 'کامێراکە بەرەو کۆدی QR ڕابگرە…' },
  cameraError: {
    ar: 'تعذّر تشغيل الكاميرا. اسمح للصفحة باستخدامها، أو افتح صورة للرمز بدلاً من ذلك.',
    en: 'The camera could not be started. Allow the page to use it, or open a picture of the code instead.',
    ckb: 'کامێرا کار ناکات. ڕێگە بە پەڕەکە بدە بەکاری بهێنێت، یان لە جیاتی ئەوە وێنەی کۆدەکە بکەرەوە.',
  },
  openFile: { ar: 'فتح صورة أو ملف PDF', en: 'Open an image or a PDF', ckb: 'کردنەوەی وێنە یان PDF' },
  openFileHint: {
    ar: 'صورة للرمز (PNG أو JPEG) أو ملف PDF مختوم',
    en: 'A picture of the code (PNG or JPEG) or a sealed PDF',
    ckb: 'وێنەی کۆدەکە (PNG یان JPEG) یان فایلی PDFـی مۆرکراو',
  },
  pasteLabel: {
    ar: 'نص الختم أو الرابط (يبدأ بـ UR1: أو يحتوي #UR1B:)',
    en: 'Seal text or link (starts with UR1: or contains #UR1B:)',
    ckb: 'دەقی مۆر یان بەستەر (بە UR1: دەست پێ دەکات یان #UR1B: تێدایە)',
  },
  verify: { ar: 'تحقّق', en: 'Verify', ckb: 'بپشکنە' },
  scannerHint: {
    ar: 'قارئ الباركود (USB): امسح الرمز في أي وقت، حتى لو كانت لوحة المفاتيح عربية.',
    en: 'USB barcode scanner: scan at any time, even with an Arabic keyboard layout.',
    ckb: 'سکانەری بارکۆد (USB): هەر کاتێک کۆدەکە سکان بکە، تەنانەت ئەگەر تەختەکلیلەکە عەرەبی بێت.',
  },
  working: { ar: 'جارٍ التحقق…', en: 'Checking…', ckb: 'پشکنین…' },
  noQr: {
    ar: 'لم يُعثر على رمز QR في الصورة. صوّر الرمز بوضوح وبإضاءة جيدة، وقرّب الكاميرا حتى يملأ الرمز جزءاً كبيراً من الصورة.',
    en: 'No QR code was found in the picture. Photograph the code sharply and in good light, close enough that it fills a large part of the picture.',
    ckb: 'هیچ کۆدێکی QR لە وێنەکەدا نەدۆزرایەوە. کۆدەکە ڕوون و لە ڕووناکیی باشدا وێنە بگرە، ئەوەندە نزیک کە بەشێکی گەورەی وێنەکە پڕ بکاتەوە.',
  },
  notSeal: {
    ar: 'الرمز المقروء ليس ختماً من urseal.',
    en: 'The code that was read is not an urseal seal.',
    ckb: 'ئەو کۆدەی خوێندرایەوە مۆری urseal نییە.',
  },
  readError: { ar: 'تعذّرت قراءة الملف.', en: 'The file could not be read.', ckb: 'فایلەکە ناخوێندرێتەوە.' },
  scanPdfNote: {
    ar: 'إن كان الملف صورة ضوئية لوثيقة ورقية، فافتح صورة للرمز المطبوع عليها (لقطة شاشة أو صورة بالكاميرا).',
    en: 'If the file is a scan of a paper document, open a picture of the printed code instead (a screenshot or a photo).',
    ckb: 'ئەگەر فایلەکە سکانی بەڵگەنامەیەکی کاغەزییە، وێنەی کۆدە چاپکراوەکەی سەری بکەرەوە (وێنەی شاشە یان وێنەی کامێرا).',
  },
  // verdict words (short: they never break over two lines)
  wordValid: { ar: 'صالح', en: 'Valid', ckb: 'دروستە' },
  wordInvalid: { ar: 'غير صالح', en: 'Not valid', ckb: 'نادروستە' },
  wordWarning: { ar: 'تنبيه', en: 'Warning', ckb: 'ئاگاداری' },
  wordProblem: { ar: 'تعذّر التحقق', en: 'Could not check', ckb: 'نەپشکنرا' },
  wordCopy: { ar: 'نسخة ورقية', en: 'Paper copy', ckb: 'کۆپیی کاغەز' },
  copySub: {
    ar: 'الختم صحيح؛ قارن النص المطبوع بالبيانات أدناه',
    en: 'The seal checks out; compare the printed text with the details below',
    ckb: 'مۆرەکە دروستە؛ دەقە چاپکراوەکە لەگەڵ زانیارییەکانی خوارەوە بەراورد بکە',
  },
  agency: { ar: 'الجهة المصدرة', en: 'Issuing agency', ckb: 'دەزگای دەرکەر' },
  claimedAgency: {
    ar: 'يزعم الختم أنه صادر عن: {agency}. لم يثبت ذلك؛ راجع الجهة مباشرة إن احتجت.',
    en: 'The seal claims to come from: {agency}. This is not confirmed; contact the agency directly if needed.',
    ckb: 'مۆرەکە دەڵێت لەلایەن {agency} دەرچووە. ئەمە پشتڕاست نەکراوەتەوە؛ ئەگەر پێویست بوو ڕاستەوخۆ پەیوەندی بە دەزگاکەوە بکە.',
  },
  docType: { ar: 'نوع الوثيقة', en: 'Document type', ckb: 'جۆری بەڵگەنامە' },
  docNumber: { ar: 'رقم الوثيقة', en: 'Document number', ckb: 'ژمارەی بەڵگەنامە' },
  issued: { ar: 'تاريخ الإصدار', en: 'Issued', ckb: 'ڕێکەوتی دەرچوون' },
  expires: { ar: 'تنتهي صلاحيتها', en: 'Expires', ckb: 'ڕێکەوتی بەسەرچوون' },
  signedFields: { ar: 'البيانات الموقّعة', en: 'Signed details', ckb: 'زانیارییە واژۆکراوەکان' },
  keyStatus: { ar: 'حالة مفتاح الجهة', en: 'Agency key status', ckb: 'دۆخی کلیلی دەزگا' },
  keyActive: { ar: 'ساري', en: 'active', ckb: 'کارا' },
  keyRetired: {
    ar: 'متقاعد (استُبدل بمفتاح أحدث؛ ما وقّعه أثناء صلاحيته يبقى صحيحاً)',
    en: 'retired (replaced by a newer key; what it signed while valid stays valid)',
    ckb: 'لەکارخراو (کلیلێکی نوێتر جێی گرتەوە؛ ئەوەی لە ماوەی خۆیدا واژۆی کردووە هەر دروستە)',
  },
  keyRevoked: { ar: 'ملغى', en: 'revoked', ckb: 'هەڵوەشاوە' },
  // Not "valid from" (صالح من): a revoked verdict must not carry the verdict word of a good one.
  keyValidity: { ar: 'مدة الاستعمال: {from} – {to}', en: 'period of use: {from} – {to}', ckb: 'ماوەی بەکارهێنان: {from} – {to}' },
  keyRevokedAt: { ar: 'أُلغي في {at}', en: 'revoked on {at}', ckb: 'لە {at} هەڵوەشێنرایەوە' },
  paperTitle: { ar: 'قارن بعينك', en: 'Compare by eye', ckb: 'بە چاوی خۆت بەراوردی بکە' },
  paperText: {
    ar: 'هذا ختم لوثيقة ورقية: الختم يثبت البيانات أدناه فقط. تأكد أن النص المطبوع على الورقة يطابقها حرفاً بحرف (الأسماء، الأرقام، التواريخ). أي اختلاف يعني أن الورقة مزوّرة.',
    en: 'This is a seal for a paper document: it vouches only for the details below. Check that the text printed on the paper matches them exactly (names, numbers, dates). Any difference means the paper was forged.',
    ckb: 'ئەمە مۆری بەڵگەنامەیەکی کاغەزییە: تەنها زانیارییەکانی خوارەوە دەسەلمێنێت. دڵنیا بە کە دەقی چاپکراو لەسەر کاغەزەکە پیت بە پیت وەک ئەوانە (ناو، ژمارە، ڕێکەوت). هەر جیاوازییەک واتە کاغەزەکە ساختەیە.',
  },
  scannedText: {
    ar: 'قُرئ الختم من صورة صفحة في ملف PDF (صورة ضوئية)، لا من ختم مضمّن في الملف، فلا يُعرف إن كانت الصفحات هي ما أصدرته الجهة. تأكد أن النص في الصفحات يطابق البيانات الموقّعة حرفاً بحرف (الأسماء، الأرقام، التواريخ).',
    en: 'The seal was read from a page image in the PDF (a scan), not from a seal embedded in the file, so whether the pages are the ones the agency issued is not known. Check that the text on the pages matches the signed details exactly (names, numbers, dates).',
    ckb: 'مۆرەکە لە وێنەی لاپەڕەیەکی ناو فایلی PDF (سکان) خوێندرایەوە، نەک لە مۆرێکی ناو فایلەکە، بۆیە نازانرێت لاپەڕەکان هەمان ئەوانەن کە دەزگاکە دەریکردوون. دڵنیا بە کە دەقی لاپەڕەکان پیت بە پیت وەک زانیارییە واژۆکراوەکانە (ناو، ژمارە، ڕێکەوت).',
  },
  copyText: {
    ar: 'هذا الختم لملف PDF (يحمل بصمة الملف)، لكنه قُرئ من صورة أو نسخة مطبوعة لا من الملف نفسه، فلا يُعرف إن كان النص المطبوع هو ما أصدرته الجهة. قارن النص المطبوع بالبيانات الموقّعة أدناه حرفاً بحرف (الأسماء، الأرقام، التواريخ)، أو افتح ملف PDF الأصلي هنا.',
    en: "This seal belongs to a PDF file (it carries the file's fingerprint) but was read from a picture or printout, not from the file, so whether the printed text is what the agency issued is not known. Compare the printed text with the signed details below exactly (names, numbers, dates), or open the original PDF file here.",
    ckb: 'ئەم مۆرە هی فایلێکی PDFـە (پەنجەمۆری فایلەکەی تێدایە)، بەڵام لە وێنە یان کۆپییەکی چاپکراوەوە خوێندرایەوە نەک لە خودی فایلەکە، بۆیە نازانرێت دەقە چاپکراوەکە ئەوەیە کە دەزگاکە دەریکردووە. دەقە چاپکراوەکە پیت بە پیت لەگەڵ زانیارییە واژۆکراوەکانی خوارەوە بەراورد بکە (ناو، ژمارە، ڕێکەوت)، یان فایلە PDFـە ڕەسەنەکە لێرە بکەرەوە.',
  },
  fileTitle: { ar: 'الملف', en: 'File', ckb: 'فایل' },
  reason: { ar: 'تفاصيل تقنية', en: 'Technical detail', ckb: 'وردەکاریی تەکنیکی' },
  statusChecked: {
    ar: 'الإلغاءات حتى {date} (قائمة الجهة رقم {seq}).',
    en: "Revocations as of {date} (agency's list no. {seq}).",
    ckb: 'هەڵوەشاندنەوەکان تا {date} (لیستی دەزگا ژمارە {seq}).',
  },
  statusStale: {
    ar: 'الإلغاءات حتى {date} (قائمة الجهة رقم {seq})، وهي قديمة: ربما أُلغيت وثائق بعد ذلك. حدّثها عند الاتصال.',
    en: "Revocations as of {date} (agency's list no. {seq}), out of date: documents may have been revoked since. Update when online.",
    ckb: 'هەڵوەشاندنەوەکان تا {date} (لیستی دەزگا ژمارە {seq})، کە کۆنە: لەوانەیە دواتر بەڵگەنامە هەڵوەشێنرابنەوە. کاتێک ئینتەرنێتت هەیە نوێی بکەرەوە.',
  },
  statusMissing: {
    ar: 'لا تتوفر لدى هذا الجهاز قائمة الوثائق الملغاة لهذه الجهة، فلم يُتحقق من إلغاء الوثيقة بعينها.',
    en: 'This device has no revoked-documents list for this agency, so whether this particular document was revoked was not checked.',
    ckb: 'ئەم ئامێرە لیستی بەڵگەنامە هەڵوەشاوەکانی ئەم دەزگایەی نییە، بۆیە نەپشکنرا کە ئەم بەڵگەنامەیە هەڵوەشاوەتەوە یان نا.',
  },
  scanAgain: { ar: 'تحقّق من وثيقة أخرى', en: 'Check another document', ckb: 'بەڵگەنامەیەکی تر بپشکنە' },
  // trust data
  trustTitle: { ar: 'بيانات الثقة', en: 'Trust data', ckb: 'زانیاریی متمانە' },
  trustInfo: {
    ar: 'قائمة المفاتيح المعتمدة رقم {seq}، صدرت في {date} ({age}).',
    en: 'Trusted key list no. {seq}, issued {date} ({age}).',
    ckb: 'لیستی کلیلە پشتپێبەستراوەکان ژمارە {seq}، دەرچووی {date} ({age}).',
  },
  trustSource: { ar: 'المصدر: {src}.', en: 'Source: {src}.', ckb: 'سەرچاوە: {src}.' },
  trustFetched: {
    ar: 'آخر تحقق من الخادم: {date}.',
    en: 'Last checked with the server: {date}.',
    ckb: 'دوایین پشکنین لەگەڵ ڕاژەکار: {date}.',
  },
  srcBundled: { ar: 'مضمّنة في الصفحة', en: 'bundled with the page', ckb: 'لەگەڵ پەڕەکەدایە' },
  srcStored: { ar: 'محفوظة على هذا الجهاز', en: 'stored on this device', ckb: 'لەسەر ئەم ئامێرە پاشەکەوتکراوە' },
  srcNetwork: { ar: 'محدّثة من الخادم الآن', en: 'just updated from the server', ckb: 'ئێستا لە ڕاژەکارەوە نوێکرایەوە' },
  trustStale: {
    ar: 'تنبيه: انتهى موعد تحديث قائمة المفاتيح في {date}. اتصل بالشبكة لتحديثها؛ قد يكون مفتاح ما أُلغي منذ ذلك الحين.',
    en: 'Warning: the trusted key list was due for update on {date}. Connect to update it; a key may have been revoked since.',
    ckb: 'ئاگاداری: کاتی نوێکردنەوەی لیستی کلیلەکان {date} بوو. پەیوەندی بە ئینتەرنێتەوە بکە بۆ نوێکردنەوەی؛ لەوانەیە لەو کاتەوە کلیلێک هەڵوەشێنرابێتەوە.',
  },
  clockBehind: {
    ar: 'تنبيه: ساعة هذا الجهاز مضبوطة على تاريخ أقدم من تاريخ إصدار قائمة المفاتيح ({date}). اضبط التاريخ والوقت؛ نتائج التحقق قد تكون خاطئة.',
    en: "Warning: this device's clock is set earlier than the trusted key list's issue date ({date}). Set the date and time; verdicts may be wrong.",
    ckb: 'ئاگاداری: کاتژمێری ئەم ئامێرە لە ڕێکەوتی دەرچوونی لیستی کلیلەکان ({date}) دواترە. ڕێکەوت و کات ڕێک بخە؛ لەوانەیە ئەنجامەکان هەڵە بن.',
  },
  trustNone: {
    ar: 'لا تتوفر قائمة مفاتيح معتمدة صالحة، فلا يمكن التحقق من أي ختم.',
    en: 'No valid trusted key list is available, so no seal can be verified.',
    ckb: 'هیچ لیستێکی دروستی کلیلە پشتپێبەستراوەکان بەردەست نییە، بۆیە هیچ مۆرێک ناپشکنرێت.',
  },
  trustRejected: {
    ar: 'رُفضت قائمة مفاتيح من الخادم: {why}',
    en: 'A key list from the server was rejected: {why}',
    ckb: 'لیستێکی کلیل لە ڕاژەکارەوە ڕەتکرایەوە: {why}',
  },
  statusHeld: {
    ar: '{agency}: الإلغاءات حتى {date} (قائمة رقم {seq}).',
    en: '{agency}: revocations as of {date} (list no. {seq}).',
    ckb: '{agency}: هەڵوەشاندنەوەکان تا {date} (لیستی ژمارە {seq}).',
  },
  statusHeldStale: {
    ar: '{agency}: الإلغاءات حتى {date} (قائمة رقم {seq})، وهي قديمة. اتصل بالشبكة لتحديثها.',
    en: '{agency}: revocations as of {date} (list no. {seq}), out of date. Connect to update it.',
    ckb: '{agency}: هەڵوەشاندنەوەکان تا {date} (لیستی ژمارە {seq})، کە کۆنە. پەیوەندی بە ئینتەرنێتەوە بکە بۆ نوێکردنەوەی.',
  },
  statusRejected: {
    ar: 'رُفضت قائمة الوثائق الملغاة لـ{agency}: {why}',
    en: "{agency}'s revoked-documents list was rejected: {why}",
    ckb: 'لیستی بەڵگەنامە هەڵوەشاوەکانی {agency} ڕەتکرایەوە: {why}',
  },
  updating: { ar: 'جارٍ التحديث…', en: 'Updating…', ckb: 'نوێکردنەوە…' },
  offlineReady: {
    ar: 'الصفحة محفوظة للعمل دون اتصال.',
    en: 'This page is saved for offline use.',
    ckb: 'ئەم پەڕەیە بۆ کارکردن بێ ئینتەرنێت پاشەکەوت کراوە.',
  },
  ageToday: { ar: 'اليوم', en: 'today', ckb: 'ئەمڕۆ' },
  ageDays: { ar: 'منذ {n} يوم', en: '{n} days ago', ckb: 'پێش {n} ڕۆژ' },
  ageOneDay: { ar: 'منذ يوم واحد', en: '1 day ago', ckb: 'پێش یەک ڕۆژ' },
  ageHours: { ar: 'منذ {n} ساعة', en: '{n} hours ago', ckb: 'پێش {n} کاتژمێر' },
} as const satisfies Record<string, Text>;

export type UiKey = keyof typeof UI;

/** The names of the languages, each in itself (the switch shows them so). */
export const LANG_NAMES: Record<Lang, string> = { ar: 'العربية', en: 'English', ckb: 'کوردی' };

let digits: Digits = 'arab';

/** Choose how dates and counts write their digits (the page remembers the choice). */
export function setDigits(d: Digits): void {
  digits = d;
}

export function getDigits(): Digits {
  return digits;
}

/** A count in the page language and digit style (English always Latin). */
export function formatNumber(lang: Lang, n: number): string {
  if (lang === 'en' || digits === 'latn') return String(n);
  return String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d)));
}

/** A UI text in `lang`, with `{name}` placeholders filled (numbers in the chosen digit style). */
export function t(lang: Lang, key: UiKey, vars: Record<string, string | number> = {}): string {
  return UI[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

/** Parts of a text with the seal markers `UR1:` and `#UR1B:` apart, so the page can isolate them left to right. */
export function splitMarkers(text: string): { text: string; marker: boolean }[] {
  return text
    .split(/(#?UR1B?:)/)
    .filter((s) => s !== '')
    .map((s) => ({ text: s, marker: /^#?UR1B?:$/.test(s) }));
}

/**
 * Date and time as Iraqis read them: Gregorian calendar with the Iraqi month names (ar-IQ: كانون الثاني…; Sorani:
 * کانوونی دووەم…), digits as chosen. English: en-GB.
 */
export function formatDate(lang: Lang, seconds: number, withTime = false): string {
  if (lang === 'ckb') return formatSorani(seconds, withTime);
  const locale = lang === 'en' ? 'en-GB' : `${lang}-IQ-u-ca-gregory-nu-${digits}`;
  const opts: Intl.DateTimeFormatOptions = withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' };
  try {
    return new Intl.DateTimeFormat(locale, opts).format(new Date(seconds * 1000));
  } catch {
    return new Date(seconds * 1000)
      .toISOString()
      .slice(0, withTime ? 16 : 10)
      .replace('T', ' ');
  }
}

/** Sorani month names of the Gregorian calendar as used in Iraq (کانوونی دووەم = January). */
const SORANI_MONTHS = [
  'کانوونی دووەم',
  'شوبات',
  'ئازار',
  'نیسان',
  'ئایار',
  'حوزەیران',
  'تەممووز',
  'ئاب',
  'ئەیلوول',
  'تشرینی یەکەم',
  'تشرینی دووەم',
  'کانوونی یەکەم',
];

/**
 * A date in Sorani ("٢ی کانوونی دووەمی ٢٠٢٦، ٩:٠٥"), written out here: browsers' ICU data often lacks `ckb`
 * (Chromium falls back to English), and a date a clerk reads must not switch language.
 */
function formatSorani(seconds: number, withTime: boolean): string {
  const d = new Date(seconds * 1000);
  const n = (v: number): string => formatNumber('ckb', v);
  let out = `${n(d.getDate())}ی ${SORANI_MONTHS[d.getMonth()]}ی ${n(d.getFullYear())}`;
  if (withTime) out += `، ${n(d.getHours())}:${formatNumber('ckb', d.getMinutes()).padStart(2, formatNumber('ckb', 0))}`;
  return out;
}

/** "today", "3 days ago", ... for the age of trust data. */
export function formatAge(lang: Lang, seconds: number): string {
  if (seconds < 0) return t(lang, 'ageToday');
  const hours = Math.floor(seconds / 3600);
  if (hours < 24) return hours < 1 ? t(lang, 'ageToday') : t(lang, 'ageHours', { n: hours });
  const days = Math.floor(hours / 24);
  return days === 1 ? t(lang, 'ageOneDay') : t(lang, 'ageDays', { n: days });
}

/** Kurdish (Sorani) for every verification result code (core's messages carry Arabic and English). */
export const RESULT_CKB: Record<ResultCode, string> = {
  VALID: 'مۆرەکە دروستە: بەڵگەنامەکە لەلایەن ئەو دەزگایەی ناوی هاتووە دەرچووە و هەڵنەوەشێنراوەتەوە.',
  MALFORMED: 'مۆرەکە ناخوێندرێتەوە: کۆدەکە تێکچووە یان مۆری urseal نییە.',
  UNSUPPORTED: 'مۆرەکە شێوازێک یان ئەلگۆریتمێک بەکاردەهێنێت کە ئەم وەشانە پشتگیریی ناکات. بەرنامەی پشکنین نوێ بکەرەوە.',
  UNKNOWN_KEY: 'ئەو کلیلەی مۆرەکەی واژۆ کردووە لە لیستی دەزگا پشتپێبەستراوەکاندا نییە. پشت بەم بەڵگەنامەیە مەبەستە.',
  BAD_SIGNATURE: 'واژۆکە ناگونجێت: ناوەڕۆکی مۆرەکە گۆڕدراوە یان ساختەیە. پشت بەم بەڵگەنامەیە مەبەستە.',
  ISSUER_MISMATCH: 'مۆرەکە ناوی دەزگایەکی دەرکەر دەبات جگە لەو دەزگایەی خاوەنی کلیلی واژۆکەیە. پشت بەم بەڵگەنامەیە مەبەستە.',
  KEY_REVOKED:
    'ئەو کلیلەی دەزگا کە ئەم مۆرەی واژۆ کردووە هەڵوەشێنراوەتەوە (لەوانەیە دزرابێت)، بۆیە پشت بە هیچ مۆرێکی نابەسترێت. داوای کۆپییەکی نوێ لە دەزگاکە بکە.',
  OUTSIDE_KEY_VALIDITY: 'ڕێکەوتی دەرچوونی مۆرەکە لە دەرەوەی ماوەی بەکارهێنانی کلیلی دەزگایە. پشت بەم بەڵگەنامەیە مەبەستە.',
  ISSUED_IN_FUTURE: 'ڕێکەوتی دەرچوونی مۆرەکە دوای کاتی ئێستای ئەم ئامێرەیە. ڕێکەوت و کاتژمێری ئامێرەکە بپشکنە.',
  EXPIRED: 'بەپێی مۆرەکە، ماوەی ئەم بەڵگەنامەیە بەسەرچووە.',
  DOCUMENT_REVOKED: 'دەزگای دەرکەر ئەم بەڵگەنامەیەی هەڵوەشاندۆتەوە. پشتی پێ مەبەستە.',
  UNPUBLISHED_CONTENT:
    'مۆرەکە دروستە، بەڵام جۆرە بەڵگەنامەیەک یان خانەیەکی تێدایە کە دەزگاکە لە لیستی متمانەدا بڵاوی نەکردۆتەوە، بۆیە بە کۆدەکەی و بێ ناو پیشان دەدرێت. پێش پرسین لە دەزگاکە پشتی پێ مەبەستە.',
  STATUS_OUT_OF_RANGE:
    'مۆرەکە دروستە، بەڵام ژمارەکەی لە لیستی بەڵگەنامە هەڵوەشاوەکاندا لە دەرەوەی لیستی دەزگاکەیە، بۆیە ناپشکنرێت کە هەڵوەشێنراوەتەوە یان نا. لە دەزگای دەرکەر بپرسە.',
  STATUS_UNKNOWN:
    'مۆرەکە دروستە، بەڵام هەڵوەشاندنەوە نەپشکنرا: لیستی بەڵگەنامە هەڵوەشاوەکانی دەزگاکە بەردەست نییە. جارێک پەیوەندی بە ئینتەرنێتەوە بکە بۆ هێنانی، یان لە دەزگای دەرکەر بپرسە.',
  TRUST_LIST_STALE:
    'مۆرەکە دروستە، بەڵام لیستی کلیلە پشتپێبەستراوەکانی ئەم ئامێرە کۆنە (کاتی نوێکردنەوەی تێپەڕیوە). کاتێک ئینتەرنێتت هەیە نوێی بکەرەوە تا دڵنیا بیت کلیلەکە هەڵنەوەشێنراوەتەوە.',
  FILE_MODIFIED:
    'مۆرەکە خۆی ڕەسەنە، بەڵام ئەم فایلە ئەو فایلە نییە کە دەزگاکە دەریکردووە: دوای مۆرکردن گۆڕدراوە یان شتی بۆ زیاد کراوە. پشت بە لاپەڕەکانی مەبەستە؛ داوای ڕەسەنەکەی بکە.',
  NO_SEAL: 'هیچ مۆرێکی urseal لەم فایلەدا نەدۆزرایەوە.',
  TRUST_LIST_UNTRUSTED:
    'لیستی کلیلە پشتپێبەستراوەکان لەلایەن ناوەندی نیشتمانیی زانیارییەکانەوە واژۆ نەکراوە، یان واژۆکەی هەڵەیە. بەکاری مەهێنە.',
  TRUST_LIST_ROLLBACK:
    'لیستی کلیلە پشتپێبەستراوەکان کۆنترە لە لیستێک کە پێشتر وەرگیراوە (ژمارەی زنجیرەی بچووکتر). ڕەتکرایەوە تا کلیلێکی هەڵوەشاوە نەگەڕێتەوە.',
  STATUS_LIST_INVALID: 'لیستی بەڵگەنامە هەڵوەشاوەکان بە یەکێک لە کلیلە پشتپێبەستراوەکانی دەزگاکە واژۆ نەکراوە.',
  STATUS_LIST_ROLLBACK: 'لیستی بەڵگەنامە هەڵوەشاوەکان کۆنترە لە لیستێک کە پێشتر وەرگیراوە. ڕەتکرایەوە.',
};

/** Kurdish for the PDF file-check messages of core/pdf/verify-file.ts, keyed by their Arabic text. */
const FILE_CKB: Record<string, string> = {
  'الملف مطابق تماماً لما أصدرته الجهة: لم يتغير فيه شيء بعد الختم.':
    'فایلەکە تەواو وەک ئەوەیە کە دەزگاکە دەریکردووە: دوای مۆرکردن هیچی تێدا نەگۆڕاوە.',
  'صفحات الملف ليست الصفحات التي ختمتها الجهة (غُيّرت، أو نُسخ الختم من وثيقة أخرى). لا تعتمد محتوى الملف.':
    'لاپەڕەکانی ئەم فایلە ئەو لاپەڕانە نین کە دەزگاکە مۆری کردوون (گۆڕدراون، یان مۆرەکە لە بەڵگەنامەیەکی ترەوە گوازراوەتەوە). پشت بە ناوەڕۆکی فایلەکە مەبەستە.',
  'أُضيف إلى الملف أو غُيّر فيه شيء بعد ختمه. لا تعتمد ما يظهر فيه، واطلب النسخة الأصلية.':
    'دوای مۆرکردن شتێک بۆ فایلەکە زیاد کراوە یان تێیدا گۆڕدراوە. پشت بەوەی پیشانی دەدات مەبەستە؛ داوای ڕەسەنەکەی بکە.',
  'لم يُتحقق من الملف لأن الختم نفسه غير صالح.': 'فایلەکە نەپشکنرا چونکە مۆرەکە خۆی دروست نییە.',
  'لا يحمل الملف ختماً مضمّناً. إن كان صورة ضوئية لوثيقة ورقية فتحقق من رمز QR المطبوع عليها.':
    'هیچ مۆرێک لەناو فایلەکەدا نییە. ئەگەر سکانی بەڵگەنامەیەکی کاغەزییە، کۆدی QRـی چاپکراو لەسەری بپشکنە.',
};

/** A result's message in `lang`: core's Arabic or English, or the page's Kurdish for its code (Arabic if none). */
export function resultMessage(lang: Lang, code: ResultCode, m: Message): string {
  if (lang === 'ckb') return RESULT_CKB[code] ?? m.ar;
  return m[lang];
}

/** A file-check message in `lang` (Kurdish by its Arabic text; Arabic when a newer core adds one not known here). */
export function fileMessage(lang: Lang, m: Message): string {
  if (lang === 'ckb') return FILE_CKB[m.ar] ?? m.ar;
  return m[lang];
}
