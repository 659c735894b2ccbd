// The page's own words in Arabic and English (seal outcome messages come from core/results.ts).

export type Lang = 'ar' | 'en';

/** Every text the page shows that is not part of a verification result. */
export const UI = {
  title: { ar: 'التحقق من الوثائق المختومة', en: 'Verify a sealed document' },
  intro: {
    ar: 'امسح رمز QR على الوثيقة، أو افتح صورة أو ملف PDF، أو الصق نص الختم. يعمل التحقق على هذا الجهاز دون اتصال.',
    en: 'Scan the QR code on the document, open an image or a PDF file, or paste the seal text. Checking happens on this device, without a connection.',
  },
  langToggle: { ar: 'English', en: 'العربية' },
  langToggleLabel: { ar: 'Switch to English', en: 'التبديل إلى العربية' },
  scan: { ar: 'المسح بالكاميرا', en: 'Scan with camera' },
  stopScan: { ar: 'إيقاف الكاميرا', en: 'Stop camera' },
  torchOn: { ar: 'تشغيل الإضاءة', en: 'Torch on' },
  torchOff: { ar: 'إطفاء الإضاءة', en: 'Torch off' },
  scanning: { ar: 'وجّه الكاميرا إلى رمز QR…', en: 'Point the camera at the QR code…' },
  cameraError: {
    ar: 'تعذّر تشغيل الكاميرا. اسمح للصفحة باستخدامها، أو افتح صورة للرمز بدلاً من ذلك.',
    en: 'The camera could not be started. Allow the page to use it, or open a picture of the code instead.',
  },
  openFile: { ar: 'فتح صورة أو ملف PDF', en: 'Open an image or a PDF' },
  openFileHint: { ar: 'صورة للرمز (PNG أو JPEG) أو ملف PDF مختوم', en: 'A picture of the code (PNG or JPEG) or a sealed PDF' },
  pasteLabel: { ar: 'نص الختم أو الرابط (يبدأ بـ UR1: أو يحتوي #UR1B:)', en: 'Seal text or link (starts with UR1: or contains #UR1B:)' },
  verify: { ar: 'تحقّق', en: 'Verify' },
  scannerHint: {
    ar: 'قارئ الباركود (USB): امسح الرمز في أي وقت، حتى لو كانت لوحة المفاتيح عربية.',
    en: 'USB barcode scanner: scan at any time, even with an Arabic keyboard layout.',
  },
  working: { ar: 'جارٍ التحقق…', en: 'Checking…' },
  noQr: {
    ar: 'لم يُعثر على رمز QR في الصورة. صوّر الرمز بوضوح وبإضاءة جيدة، وقرّب الكاميرا حتى يملأ الرمز جزءاً كبيراً من الصورة.',
    en: 'No QR code was found in the picture. Photograph the code sharply and in good light, close enough that it fills a large part of the picture.',
  },
  notSeal: {
    ar: 'الرمز المقروء ليس ختماً من urseal.',
    en: 'The code that was read is not an urseal seal.',
  },
  readError: { ar: 'تعذّرت قراءة الملف.', en: 'The file could not be read.' },
  scanPdfNote: {
    ar: 'إن كان الملف صورة ضوئية لوثيقة ورقية، فافتح صورة للرمز المطبوع عليها (لقطة شاشة أو صورة بالكاميرا).',
    en: 'If the file is a scan of a paper document, open a picture of the printed code instead (a screenshot or a photo).',
  },
  // verdict words
  wordValid: { ar: 'صالح', en: 'Valid' },
  wordInvalid: { ar: 'غير صالح', en: 'Not valid' },
  wordWarning: { ar: 'تنبيه', en: 'Warning' },
  wordProblem: { ar: 'تعذّر التحقق', en: 'Could not check' },
  agency: { ar: 'الجهة المصدرة', en: 'Issuing agency' },
  claimedAgency: {
    ar: 'يزعم الختم أنه صادر عن: {agency}. لم يثبت ذلك؛ راجع الجهة مباشرة إن احتجت.',
    en: 'The seal claims to come from: {agency}. This is not confirmed; contact the agency directly if needed.',
  },
  docType: { ar: 'نوع الوثيقة', en: 'Document type' },
  docNumber: { ar: 'رقم الوثيقة', en: 'Document number' },
  issued: { ar: 'تاريخ الإصدار', en: 'Issued' },
  expires: { ar: 'تنتهي صلاحيتها', en: 'Expires' },
  signedFields: { ar: 'البيانات الموقّعة', en: 'Signed details' },
  keyStatus: { ar: 'حالة مفتاح الجهة', en: 'Agency key status' },
  keyActive: { ar: 'ساري', en: 'active' },
  keyRetired: {
    ar: 'متقاعد (استُبدل بمفتاح أحدث؛ ما وقّعه أثناء صلاحيته يبقى صحيحاً)',
    en: 'retired (replaced by a newer key; what it signed while valid stays valid)',
  },
  keyRevoked: { ar: 'ملغى', en: 'revoked' },
  keyValidity: { ar: 'صالح من {from} إلى {to}', en: 'valid from {from} to {to}' },
  keyRevokedAt: { ar: 'أُلغي في {at}', en: 'revoked on {at}' },
  paperTitle: { ar: 'قارن بعينك', en: 'Compare by eye' },
  paperText: {
    ar: 'هذا ختم لوثيقة ورقية: الختم يثبت البيانات أعلاه فقط. تأكد أن النص المطبوع على الورقة يطابقها حرفاً بحرف (الأسماء، الأرقام، التواريخ). أي اختلاف يعني أن الورقة مزوّرة.',
    en: 'This is a seal for a paper document: it vouches only for the details above. Check that the text printed on the paper matches them exactly (names, numbers, dates). Any difference means the paper was forged.',
  },
  scannedText: {
    ar: 'قُرئ الختم من صورة صفحة في ملف PDF (صورة ضوئية)، لا من ختم مضمّن في الملف، فلا يُعرف إن كانت الصفحات هي ما أصدرته الجهة. تأكد أن النص في الصفحات يطابق البيانات الموقّعة حرفاً بحرف (الأسماء، الأرقام، التواريخ).',
    en: 'The seal was read from a page image in the PDF (a scan), not from a seal embedded in the file, so whether the pages are the ones the agency issued is not known. Check that the text on the pages matches the signed details exactly (names, numbers, dates).',
  },
  copyText: {
    ar: 'هذا الختم لملف PDF (يحمل بصمة الملف)، لكنه قُرئ من صورة أو نسخة مطبوعة لا من الملف نفسه، فلا يُعرف إن كان النص المطبوع هو ما أصدرته الجهة. قارن النص المطبوع بالبيانات الموقّعة أعلاه حرفاً بحرف (الأسماء، الأرقام، التواريخ)، أو افتح ملف PDF الأصلي هنا.',
    en: "This seal belongs to a PDF file (it carries the file's fingerprint) but was read from a picture or printout, not from the file, so whether the printed text is what the agency issued is not known. Compare the printed text with the signed details above exactly (names, numbers, dates), or open the original PDF file here.",
  },
  fileTitle: { ar: 'الملف', en: 'The file' },
  reason: { ar: 'تفاصيل تقنية', en: 'Technical detail' },
  statusChecked: {
    ar: 'قائمة الوثائق الملغاة للجهة: بتاريخ {date} (رقم {seq})',
    en: "Agency's revoked-documents list: as of {date} (no. {seq})",
  },
  statusStale: { ar: ' — قديمة، حدّثها عند الاتصال', en: ' — out of date; update when online' },
  statusMissing: {
    ar: 'لا تتوفر لدى هذا الجهاز قائمة الوثائق الملغاة لهذه الجهة، فلم يُتحقق من إلغاء الوثيقة بعينها.',
    en: 'This device has no revoked-documents list for this agency, so whether this particular document was revoked was not checked.',
  },
  scanAgain: { ar: 'تحقّق من وثيقة أخرى', en: 'Check another document' },
  // trust data
  trustTitle: { ar: 'بيانات الثقة', en: 'Trust data' },
  trustInfo: { ar: 'قائمة المفاتيح المعتمدة رقم {seq}، صدرت في {date} ({age}).', en: 'Trusted key list no. {seq}, issued {date} ({age}).' },
  trustSource: { ar: 'المصدر: {src}.', en: 'Source: {src}.' },
  trustFetched: { ar: 'آخر تحقق من الخادم: {date}.', en: 'Last checked with the server: {date}.' },
  srcBundled: { ar: 'مضمّنة في الصفحة', en: 'bundled with the page' },
  srcStored: { ar: 'محفوظة على هذا الجهاز', en: 'stored on this device' },
  srcNetwork: { ar: 'محدّثة من الخادم الآن', en: 'just updated from the server' },
  trustStale: {
    ar: 'تنبيه: انتهى موعد تحديث قائمة المفاتيح في {date}. اتصل بالشبكة لتحديثها؛ قد يكون مفتاح ما أُلغي منذ ذلك الحين.',
    en: 'Warning: the trusted key list was due for update on {date}. Connect to update it; a key may have been revoked since.',
  },
  clockBehind: {
    ar: 'تنبيه: ساعة هذا الجهاز مضبوطة على تاريخ أقدم من تاريخ إصدار قائمة المفاتيح ({date}). اضبط التاريخ والوقت؛ نتائج التحقق قد تكون خاطئة.',
    en: "Warning: this device's clock is set earlier than the trusted key list's issue date ({date}). Set the date and time; verdicts may be wrong.",
  },
  trustNone: {
    ar: 'لا تتوفر قائمة مفاتيح معتمدة صالحة، فلا يمكن التحقق من أي ختم.',
    en: 'No valid trusted key list is available, so no seal can be verified.',
  },
  trustRejected: { ar: 'رُفضت قائمة مفاتيح من الخادم: {why}', en: 'A key list from the server was rejected: {why}' },
  updating: { ar: 'جارٍ التحديث…', en: 'Updating…' },
  offlineReady: { ar: 'الصفحة محفوظة للعمل دون اتصال.', en: 'This page is saved for offline use.' },
  ageToday: { ar: 'اليوم', en: 'today' },
  ageDays: { ar: 'منذ {n} يوم', en: '{n} days ago' },
  ageOneDay: { ar: 'منذ يوم واحد', en: '1 day ago' },
  ageHours: { ar: 'منذ {n} ساعة', en: '{n} hours ago' },
} as const;

export type UiKey = keyof typeof UI;

/** A UI text in `lang`, with `{name}` placeholders filled. */
export function t(lang: Lang, key: UiKey, vars: Record<string, string | number> = {}): string {
  return UI[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Date and time in the page language, Gregorian calendar, Latin digits (easier to compare with print). */
export function formatDate(lang: Lang, seconds: number, withTime = false): string {
  const locale = lang === 'ar' ? 'ar-u-ca-gregory-nu-latn' : 'en-GB';
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

/** "today", "3 days ago", ... for the age of trust data. */
export function formatAge(lang: Lang, seconds: number): string {
  if (seconds < 0) return t(lang, 'ageToday');
  const hours = Math.floor(seconds / 3600);
  if (hours < 24) return hours < 1 ? t(lang, 'ageToday') : t(lang, 'ageHours', { n: hours });
  const days = Math.floor(hours / 24);
  return days === 1 ? t(lang, 'ageOneDay') : t(lang, 'ageDays', { n: days });
}
