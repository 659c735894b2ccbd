// Kurdish Sorani (ckb, Arabic script) for every user-error message of keys/ and cli/, keyed by its English lead.
// `{0}`, `{1}` stand for the parts a message fills in (`trust list refused ({0})`); a test scans the sources so
// that every userError call has its entry here.

/** English lead of a user error -> the same in Kurdish Sorani. */
export const CKB_ERRORS: Readonly<Record<string, string>> = {
  // files and folders
  'file not found': 'فایلەکە نەدۆزرایەوە',
  'cannot read file': 'خوێندنەوەی فایلەکە نەکرا',
  'cannot write file': 'نووسینی فایلەکە نەکرا',
  'this is a folder, not a file': 'ئەمە بوخچەیە نەک فایل',
  'file too large': 'فایلەکە لە سنووری ڕێگەپێدراو گەورەترە',
  'file is not valid JSON': 'فایلەکە JSONی دروست نییە',
  'file exists and was not replaced (use --force)': 'فایلەکە هەیە و نەگۆڕدرا (--force بەکاربهێنە)',
  'folder does not exist': 'بوخچەکە بوونی نییە',
  'folder of the --state file does not exist': 'بوخچەی فایلی --state بوونی نییە',
  'folder of the CSV report does not exist': 'بوخچەی ڕاپۆرتی CSV بوونی نییە',
  'cannot write there (no such folder, or a folder)': 'لەو شوێنە ناتوانرێت بنووسرێت (بوخچەکە نییە، یان خۆی بوخچەیە)',
  'cannot read standard input': 'خوێندنەوەی تێخراوی ستاندارد (stdin) نەکرا',
  'no such file or folder (and not a seal text)': 'ئەم فایل یان بوخچەیە نییە (دەقی مۆریش نییە)',
  'no seals, images or PDFs found in the inputs': 'هیچ مۆر، وێنە یان PDFێک لە تێخراوەکاندا نەدۆزرایەوە',
  'state file is malformed': 'فایلی دۆخ تێکچووە',
  // network
  'download failed': 'داگرتن سەرکەوتوو نەبوو',
  'download too large': 'فایلی داگیراو لە سنووری ڕێگەپێدراو گەورەترە',
  // passphrases and key files
  '--passphrase-env takes the NAME of an environment variable, not the passphrase':
    '--passphrase-env ناوی گۆڕاوێکی ژینگە وەردەگرێت، نەک خودی وشەی نهێنی',
  'environment variable is not set or empty': 'گۆڕاوی ژینگەکە دیاری نەکراوە یان بەتاڵە',
  'no terminal to ask for the passphrase; use --passphrase-env NAME':
    'تێرمیناڵێک نییە بۆ داواکردنی وشەی نهێنی؛ --passphrase-env NAME بەکاربهێنە',
  'the two passphrases differ': 'دوو وشە نهێنییەکە وەک یەک نین',
  'passphrase shorter than {0} characters': 'وشەی نهێنی لە {0} پیت کورتترە',
  'wrong passphrase, or the key file was altered': 'وشەی نهێنی هەڵەیە، یان فایلی کلیلەکە دەستکاری کراوە',
  'key file is damaged or not an urseal key file': 'فایلی کلیلەکە تێکچووە یان فایلی کلیلی urseal نییە',
  'key file was altered: kid does not match the public key': 'فایلی کلیلەکە دەستکاری کراوە: ناسنامەی کلیل (kid) لەگەڵ کلیلی گشتی ناگونجێت',
  'key file was altered: private key does not match the public key': 'فایلی کلیلەکە دەستکاری کراوە: کلیلی تایبەت لەگەڵ کلیلی گشتی ناگونجێت',
  'not a root key file': 'ئەمە فایلی کلیلی ڕەگ نییە',
  'not an agency key file': 'ئەمە فایلی کلیلی دەزگا نییە',
  'this is a root key, not an agency key': 'ئەمە کلیلی ڕەگە، نەک کلیلی دەزگا',
  'URSEAL_SCRYPT_N is invalid': 'بەهای URSEAL_SCRYPT_N نادروستە',
  // public keys
  'public key refused': 'کلیلی گشتی ڕەتکرایەوە',
  'file holds no public key': 'فایلەکە کلیلی گشتی تێدا نییە',
  'a public key is 64 hex digits or 43 base64url characters': 'کلیلی گشتی 64 ژمارەی شازدەیی یان 43 پیتی base64urlە',
  'pin the trusted NDC root with --root <public key (hex or base64url) or file> (or URSEAL_ROOT)':
    'ڕەگی متمانەپێکراوی NDC بە --root دیاری بکە (کلیلی گشتی یان فایل، یان URSEAL_ROOT)',
  // values, dates, usage
  'invalid number': 'ژمارەیەکی نادروست',
  'invalid number of days': 'ژمارەی ڕۆژەکان نادروستە',
  'invalid date (e.g. 2026-01-31)': 'بەرواری نادروست (بۆ نموونە 2026-01-31)',
  'invalid reason': 'هۆکاری نادروست',
  'invalid scopes': 'دەسەڵاتە داواکراوەکان نادروستن',
  'invalid seal data': 'زانیاریی مۆرەکە نادروستە',
  'invalid agency id': 'ناسنامەی دەزگا نادروستە',
  'invalid agency data': 'زانیاریی دەزگاکە نادروستە',
  'invalid agency file': 'فایلی دەزگاکە نادروستە',
  'invalid list size': 'قەبارەی لیستەکە نادروستە',
  'bad format, expected {0}': 'شێوازی هەڵە، ئەمە چاوەڕوان دەکرا: {0}',
  'use --not-after or --valid-days, not both': '--not-after یان --valid-days بەکاربهێنە، نەک هەردووکیان',
  'unknown language, use one of {0}': 'زمانێکی نەناسراو، یەکێک لەمانە بەکاربهێنە: {0}',
  'give either --valid-days or --expires': '--valid-days یان --expires دیاری بکە',
  'give the trust list with --trust-list <file|url> (or URSEAL_TRUST_LIST)':
    'لیستی کلیلە متمانەپێکراوەکان بە --trust-list دیاری بکە (فایل یان بەستەر، یان URSEAL_TRUST_LIST)',
  'give the agency with --agency (the key file names none)': 'دەزگاکە بە --agency دیاری بکە (فایلی کلیلەکە ناوی هیچ دەزگایەک نابات)',
  'name the agency': 'دەزگاکە دیاری بکە',
  '--status-list goes with --status-index': '--status-list پێویستی بە --status-index هەیە',
  '--qr must end in .png or .svg': '--qr دەبێت بە .png یان .svg کۆتایی بێت',
  '--from cannot be combined with --id, --type or --field': '--from لەگەڵ --id یان --type یان --field بەکارناهێنرێت',
  '--id, --name-ar and --name-en are required (or --from FILE)': '--id و --name-ar و --name-en پێویستن (یان --from فایل)',
  'the status-list URL must be an http(s) URL': 'بەستەری لیستی هەڵوەشاندنەوە دەبێت بە https:// یان http:// دەست پێبکات',
  'field must be id=value': 'خانە دەبێت بەم شێوەیە بێت: id=بەها',
  'field must start with its document type': 'خانە دەبێت بە جۆری بەڵگەنامەکەی دەست پێبکات',
  'field values must be text or whole numbers': 'بەهای خانەکان دەبێت دەق یان ژمارەی تەواو بن',
  'fields file must be a JSON object': 'فایلی خانەکان دەبێت ئۆبجێکتێکی JSON بێت',
  'document type not given with --type': 'جۆری بەڵگەنامەکە بە --type دیاری نەکراوە',
  'document type given twice': 'جۆری بەڵگەنامە دووجار دراوە',
  'field given twice': 'خانە دووجار دراوە',
  'give at least one document type with --type': 'لانیکەم یەک جۆری بەڵگەنامە بە --type زیاد بکە',
  // stamping PDFs and QR codes
  '--corner must be one of {0}': '--corner دەبێت یەکێک بێت لەمانە: {0}',
  '--place is x,y[,size] in millimetres from the top-left corner of the page':
    '--place بەم شێوەیەیە: x,y[,قەبارە] بە میلیمەتر لە گۆشەی سەرەوەی چەپی لاپەڕەوە',
  'the QR size is 35 to 200 mm': 'قەبارەی کۆدی QR لە 35 تا 200 میلیمەترە',
  '--place goes without --corner, --keep-corner and --seal-page': '--place لەگەڵ --corner و --keep-corner و --seal-page بەکارناهێنرێت',
  'give the size in --place or in --size-mm, not both': 'قەبارە لە --place یان لە --size-mm بدە، نەک لە هەردووکیان',
  '--size-mm is below the minimum for this seal: {0} mm ({1} mm per module)':
    '--size-mm لە کەمترین قەبارەی ئەم مۆرە بچووکترە: {0} ملم ({1} ملم بۆ هەر خانەیەک)',
  'cannot stamp the file ({0}): {1}': 'مۆرکردنی فایلەکە نەکرا ({0})',
  'cannot draw the QR code': 'کێشانی کۆدی QR نەکرا',
  // agencies, keys, drafts
  'the agency is not in the trust list': 'دەزگاکە لە لیستی کلیلە متمانەپێکراوەکاندا بڵاو نەکراوەتەوە',
  'the document type is not published for this agency in the trust list':
    'ئەم جۆرە بەڵگەنامەیە بۆ ئەم دەزگایە لە لیستی کلیلە متمانەپێکراوەکاندا بڵاو نەکراوەتەوە',
  'a field is not published for this document type in the trust list':
    'خانەیەک بۆ ئەم جۆرە بەڵگەنامەیە لە لیستی کلیلە متمانەپێکراوەکاندا بڵاو نەکراوەتەوە',
  'the key belongs to another agency': 'کلیلەکە هی دەزگایەکی ترە',
  'the key file belongs to another agency': 'فایلی کلیلەکە هی دەزگایەکی ترە',
  'the status list belongs to another agency': 'لیستی هەڵوەشاندنەوەکە هی دەزگایەکی ترە',
  'agency does not match the key file': 'دەزگاکە لەگەڵ فایلی کلیلەکە ناگونجێت',
  'agency already exists (use --replace to update it)': 'دەزگاکە پێشتر هەیە (بۆ نوێکردنەوەی --replace بەکاربهێنە)',
  'unknown agency in the draft': 'دەزگایەکی نەناسراو لە ڕەشنووسەکەدا',
  'no key with this kid in the draft': 'هیچ کلیلێک بەم ناسنامەیە (kid) لە ڕەشنووسەکەدا نییە',
  'no root with this kid in the draft': 'هیچ ڕەگێک بەم ناسنامەیە (kid) لە ڕەشنووسەکەدا نییە',
  'key already in the draft': 'کلیلەکە پێشتر لە ڕەشنووسەکەدا هەیە',
  'key window ends before it starts': 'ماوەی کاراییی کلیلەکە پێش دەستپێکردنی کۆتایی دێت',
  'the key is already revoked': 'کلیلەکە پێشتر هەڵوەشێنراوەتەوە',
  'retirement time is before the key window starts': 'کاتی وەستاندن پێش دەستپێکی ماوەی کاراییی کلیلەکەیە',
  'cannot remove the last root': 'دوایین ڕەگ ناسڕدرێتەوە',
  'sequence must be above the last signed list': 'ژمارەی زنجیرە دەبێت لە هی دوایین لیستی واژۆکراو گەورەتر بێت',
  'list expiry is in the past': 'بەرواری بەسەرچوونی لیستەکە لە ڕابردوودایە',
  'the draft has no root; add one with add-root': 'ڕەشنووسەکە هیچ ڕەگێکی نییە؛ بە فەرمانی add-root یەکێک زیاد بکە',
  'the draft breaks a trust-list rule': 'ڕەشنووسەکە یاسایەکی لیستی کلیلە متمانەپێکراوەکان دەشکێنێت',
  'malformed draft': 'ڕەشنووسی تێکچوو',
  'malformed trust-list draft': 'ڕەشنووسی لیستی کلیلە متمانەپێکراوەکان تێکچووە',
  'malformed status-list draft': 'ڕەشنووسی لیستی هەڵوەشاندنەوە تێکچووە',
  'signed list failed its self-check': 'لیستە واژۆکراوەکە لە پشکنینی خۆیدا سەرکەوتوو نەبوو',
  'index is outside the list': 'ژمارەی بەڵگەنامەکە لە دەرەوەی لیستەکەیە',
  "the status index is past the end of the agency's status list":
    'ژمارەی بەڵگەنامەکە لە لیستی هەڵوەشاندنەوەدا لە قەبارەی لیستی دەزگاکە تێدەپەڕێت',
  'the seal would not verify against this trust list ({0})': 'مۆرەکە بەم لیستەی کلیلە متمانەپێکراوانە پەسەند ناکرێت ({0})',
  // trust lists and status lists
  'trust list refused': 'لیستی کلیلە متمانەپێکراوەکان ڕەتکرایەوە',
  'trust list refused ({0})': 'لیستی کلیلە متمانەپێکراوەکان ڕەتکرایەوە ({0})',
  'malformed trust list': 'فایلی لیستی کلیلە متمانەپێکراوەکان تێکچووە',
  'status list refused ({0})': 'لیستی بەڵگەنامە هەڵوەشێنراوەکان ڕەتکرایەوە ({0})',
  'status list is older than one already accepted': 'لیستی بەڵگەنامە هەڵوەشێنراوەکان لە لیستێکی پێشتر پەسەندکراو کۆنترە',
  'malformed status list': 'فایلی لیستی هەڵوەشاندنەوە تێکچووە',
  // issuer service
  'no issuer registry in this folder': 'لەم بوخچەیەدا هیچ تۆمارێکی خزمەتگوزاریی دەرکردن نییە',
  'invalid issuer configuration': 'ڕێکخستنی خزمەتگوزاریی دەرکردن نادروستە',
  'cannot open the issuer registry': 'کردنەوەی تۆماری خزمەتگوزاریی دەرکردن نەکرا',
  'cannot start the issuer': 'دەستپێکردنی خزمەتگوزاریی دەرکردن نەکرا',
  'another issuer is running on this data folder': 'خزمەتگوزارییەکی دەرکردنی تر لەسەر ئەم بوخچەی داتایە کار دەکات',
  'cannot admit the agency in the demo': 'دەزگاکە لە نمایشە تاقیکارییەکەدا وەرنەگیرا',
  'cannot do that': 'ئەم فەرمانە جێبەجێ نەکرا',
};

const PATTERNS: { re: RegExp; ckb: string }[] = Object.entries(CKB_ERRORS)
  .filter(([en]) => /\{\d\}/.test(en))
  .map(([en, ckb]) => ({
    re: new RegExp(`^${en.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\d)\\\}/g, '([\\s\\S]*?)')}$`),
    ckb,
  }));

/**
 * The Kurdish for an English user-error lead, with any `{n}` filled from the English; undefined if untranslated.
 * @example ckbError('trust list refused (STALE)') // 'لیستی کلیلە متمانەپێکراوەکان ڕەتکرایەوە (STALE)'
 */
export function ckbError(en: string): string | undefined {
  if (Object.hasOwn(CKB_ERRORS, en)) return CKB_ERRORS[en];
  for (const p of PATTERNS) {
    const m = p.re.exec(en);
    if (m) return p.ckb.replace(/\{(\d)\}/g, (_all, i: string) => m[Number(i) + 1] ?? '');
  }
  return undefined;
}
