// Verification outcome codes and their messages in Arabic, English and Kurdish Sorani, for every part that shows a verdict.

/** Stable machine codes of every verification outcome (seal, PDF file, trust list, status list). */
export type ResultCode =
  | 'VALID'
  | 'MALFORMED'
  | 'UNSUPPORTED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'ISSUER_MISMATCH'
  | 'KEY_REVOKED'
  | 'OUTSIDE_KEY_VALIDITY'
  | 'ISSUED_IN_FUTURE'
  | 'EXPIRED'
  | 'DOCUMENT_REVOKED'
  | 'UNPUBLISHED_CONTENT'
  | 'STATUS_OUT_OF_RANGE'
  | 'STATUS_UNKNOWN'
  | 'TRUST_LIST_STALE'
  | 'FILE_MODIFIED'
  | 'NO_SEAL'
  | 'TRUST_LIST_UNTRUSTED'
  | 'TRUST_LIST_ROLLBACK'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_LIST_ROLLBACK';

/** valid: trust it; invalid: do not; warning: the seal checks out but something needs a person's attention. */
export type Verdict = 'valid' | 'invalid' | 'warning';

/** A message for a person: Arabic and English always, Kurdish Sorani (`ckb`, Arabic script) where translated. */
export interface Message {
  ar: string;
  en: string;
  ckb?: string;
}

interface CodeInfo {
  verdict: Verdict;
  message: Message;
}

/** The meaning of each code for the person reading the verdict. */
export const RESULT_CODES: Readonly<Record<ResultCode, CodeInfo>> = {
  VALID: {
    verdict: 'valid',
    message: {
      ar: 'الختم صحيح: الوثيقة صادرة عن الجهة المذكورة ولم تُلغَ.',
      en: 'Valid seal: the document was issued by the agency shown and has not been revoked.',
      ckb: 'مۆرەکە دروستە: بەڵگەنامەکە لەلایەن ئەو دەزگایەی ناوی هاتووە دەرچووە و هەڵنەوەشێنراوەتەوە.',
    },
  },
  MALFORMED: {
    verdict: 'invalid',
    message: {
      ar: 'تعذّرت قراءة الختم: الرمز تالف أو ليس ختماً من urseal.',
      en: 'The seal cannot be read: the code is damaged or is not an urseal seal.',
      ckb: 'مۆرەکە ناخوێندرێتەوە: کۆدەکە تێکچووە یان مۆری urseal نییە.',
    },
  },
  UNSUPPORTED: {
    verdict: 'invalid',
    message: {
      ar: 'الختم يستخدم صيغة أو خوارزمية لا يدعمها هذا الإصدار. حدّث برنامج التحقق.',
      en: 'The seal uses a format or algorithm this version does not support. Update the verifier.',
      ckb: 'مۆرەکە شێواز یان ئەلگۆریتمێک بەکاردەهێنێت کە ئەم وەشانە پشتگیریی ناکات. بەرنامەی پشکنین نوێ بکەرەوە.',
    },
  },
  UNKNOWN_KEY: {
    verdict: 'invalid',
    message: {
      ar: 'المفتاح الذي وقّع الختم غير موجود في قائمة الجهات المعتمدة. لا تعتمد الوثيقة.',
      en: 'The key that signed this seal is not in the list of trusted agencies. Do not rely on this document.',
      ckb: 'ئەو کلیلەی مۆرەکەی واژۆ کردووە لە لیستی دەزگا متمانەپێکراوەکاندا نییە. پشت بەم بەڵگەنامەیە مەبەستە.',
    },
  },
  BAD_SIGNATURE: {
    verdict: 'invalid',
    message: {
      ar: 'التوقيع غير صحيح: محتوى الختم غُيِّر أو زُوِّر. لا تعتمد الوثيقة.',
      en: 'The signature does not match: the seal was altered or forged. Do not rely on this document.',
      ckb: 'واژۆکە دروست نییە: ناوەڕۆکی مۆرەکە گۆڕدراوە یان ساختەیە. پشت بەم بەڵگەنامەیە مەبەستە.',
    },
  },
  ISSUER_MISMATCH: {
    verdict: 'invalid',
    message: {
      ar: 'الختم يذكر جهة إصدار غير الجهة التي يعود لها المفتاح. لا تعتمد الوثيقة.',
      en: 'The seal names an issuing agency other than the one that owns the signing key. Do not rely on this document.',
      ckb: 'مۆرەکە ناوی دەزگایەکی دەرکەر دەبات کە خاوەنی کلیلی واژۆکەر نییە. پشت بەم بەڵگەنامەیە مەبەستە.',
    },
  },
  KEY_REVOKED: {
    verdict: 'invalid',
    message: {
      ar: 'أُلغي مفتاح الجهة الذي وقّع هذا الختم (قد يكون سُرق)، فلا يُعتمد أي ختم وقّعه. اطلب نسخة جديدة من الجهة.',
      en: 'The agency key that signed this seal has been revoked (it may have been stolen), so no seal it made can be trusted. Ask the agency for a new copy.',
      ckb: 'ئەو کلیلەی دەزگا کە ئەم مۆرەی واژۆ کردووە هەڵوەشێنراوەتەوە (لەوانەیە دزرابێت)، بۆیە پشت بە هیچ مۆرێکی ئەو نابەسترێت. داوای کۆپییەکی نوێ لە دەزگاکە بکە.',
    },
  },
  OUTSIDE_KEY_VALIDITY: {
    verdict: 'invalid',
    message: {
      ar: 'تاريخ إصدار الختم خارج فترة صلاحية مفتاح الجهة. لا تعتمد الوثيقة.',
      en: "The seal's issue date is outside the period in which the agency key was valid. Do not rely on this document.",
      ckb: 'بەرواری دەرچوونی مۆرەکە لە دەرەوەی ماوەی کاراییی کلیلی دەزگاکەیە. پشت بەم بەڵگەنامەیە مەبەستە.',
    },
  },
  ISSUED_IN_FUTURE: {
    verdict: 'warning',
    message: {
      ar: 'تاريخ إصدار الختم بعد الوقت الحالي لهذا الجهاز. تحقق من ضبط تاريخ الجهاز وساعته.',
      en: "The seal's issue date is later than this device's clock. Check the device's date and time.",
      ckb: 'بەرواری دەرچوونی مۆرەکە دوای کاتی ئێستای ئەم ئامێرەیە. بەروار و کاتژمێری ئامێرەکە بپشکنە.',
    },
  },
  EXPIRED: {
    verdict: 'invalid',
    message: {
      ar: 'انتهت صلاحية هذه الوثيقة بحسب الختم.',
      en: 'This document has expired according to its seal.',
      ckb: 'بەپێی مۆرەکە، ماوەی ئەم بەڵگەنامەیە بەسەرچووە.',
    },
  },
  DOCUMENT_REVOKED: {
    verdict: 'invalid',
    message: {
      ar: 'ألغت الجهة المصدرة هذه الوثيقة. لا تعتمدها.',
      en: 'The issuing agency has revoked this document. Do not rely on it.',
      ckb: 'دەزگای دەرکەر ئەم بەڵگەنامەیەی هەڵوەشاندووەتەوە. پشتی پێ مەبەستە.',
    },
  },
  UNPUBLISHED_CONTENT: {
    verdict: 'warning',
    message: {
      ar: 'الختم صحيح، لكنه يحمل نوع وثيقة أو حقلاً لم تنشره الجهة في قائمة المفاتيح المعتمدة، فيظهر برمزه دون اسم. لا تعتمد ذلك الحقل قبل التأكد من الجهة.',
      en: 'The seal checks out, but it carries a document type or field the agency has not published in the trust list, so it is shown by its id, without a name. Do not rely on it before checking with the agency.',
      ckb: 'مۆرەکە دروستە، بەڵام جۆرە بەڵگەنامەیەک یان خانەیەکی تێدایە کە دەزگاکە لە لیستی کلیلە متمانەپێکراوەکاندا بڵاوی نەکردووەتەوە، بۆیە بە ناسنامەکەی و بێ ناو پیشان دەدرێت. پێش پشتڕاستکردنەوە لەگەڵ دەزگاکە پشتی پێ مەبەستە.',
    },
  },
  STATUS_OUT_OF_RANGE: {
    verdict: 'warning',
    message: {
      ar: 'الختم صحيح، لكن رقمه في قائمة الوثائق الملغاة يقع خارج قائمة الجهة، فلا يمكن التحقق من عدم إلغائه. راجع الجهة المصدرة.',
      en: "The seal checks out, but its index in the list of revoked documents lies outside the agency's list, so it cannot be checked whether it was revoked. Ask the issuing agency.",
      ckb: 'مۆرەکە دروستە، بەڵام ژمارەکەی لە لیستی بەڵگەنامە هەڵوەشێنراوەکاندا لە دەرەوەی لیستی دەزگاکەیە، بۆیە ناتوانرێت بپشکنرێت کە هەڵوەشێنراوەتەوە یان نا. لە دەزگای دەرکەر بپرسە.',
    },
  },
  STATUS_UNKNOWN: {
    verdict: 'warning',
    message: {
      ar: 'الختم صحيح، لكن لم يُتحقق من إلغاء الوثيقة: قائمة الوثائق الملغاة للجهة غير متوفرة. اتصل بالإنترنت مرة واحدة لتحديثها، أو راجع الجهة المصدرة.',
      en: "The seal checks out, but revocation was not checked: the agency's list of revoked documents is not available. Go online once to fetch it, or ask the issuing agency.",
      ckb: 'مۆرەکە دروستە، بەڵام هەڵوەشاندنەوەی بەڵگەنامەکە نەپشکنرا: لیستی بەڵگەنامە هەڵوەشێنراوەکانی دەزگاکە بەردەست نییە. جارێک پەیوەندی بە ئینتەرنێتەوە بکە بۆ نوێکردنەوەی، یان لە دەزگای دەرکەر بپرسە.',
    },
  },
  TRUST_LIST_STALE: {
    verdict: 'warning',
    message: {
      ar: 'الختم صحيح، لكن قائمة المفاتيح المعتمدة لدى هذا الجهاز قديمة (انتهى موعد تحديثها). حدّثها عند توفر الاتصال للتأكد من عدم إلغاء المفتاح.',
      en: "The seal checks out, but this device's list of trusted keys is out of date (past its update date). Update it when online to be sure the key has not been revoked.",
      ckb: 'مۆرەکە دروستە، بەڵام لیستی کلیلە متمانەپێکراوەکانی ئەم ئامێرە کۆنە (کاتی نوێکردنەوەی بەسەرچووە). کاتێک پەیوەندیت هەبوو نوێی بکەرەوە بۆ دڵنیابوون لەوەی کلیلەکە هەڵنەوەشێنراوەتەوە.',
    },
  },
  FILE_MODIFIED: {
    verdict: 'invalid',
    message: {
      ar: 'الختم نفسه صحيح، لكن الملف ليس الملف الذي أصدرته الجهة: غُيِّر أو أُضيف إليه بعد الختم. لا تعتمد صفحاته، واطلب النسخة الأصلية.',
      en: 'The seal itself is genuine, but this file is not the one the agency issued: it was changed or added to after sealing. Do not trust its pages; ask for the original.',
      ckb: 'خودی مۆرەکە ڕاستەقینەیە، بەڵام ئەم فایلە ئەو فایلە نییە کە دەزگاکە دەریکردووە: دوای مۆرکردن گۆڕدراوە یان شتی بۆ زیاد کراوە. پشت بە لاپەڕەکانی مەبەستە و داوای دانە ڕەسەنەکە بکە.',
    },
  },
  NO_SEAL: {
    verdict: 'invalid',
    message: {
      ar: 'لم يُعثر على ختم urseal في هذا الملف.',
      en: 'No urseal seal was found in this file.',
      ckb: 'هیچ مۆرێکی urseal لەم فایلەدا نەدۆزرایەوە.',
    },
  },
  TRUST_LIST_UNTRUSTED: {
    verdict: 'invalid',
    message: {
      ar: 'قائمة المفاتيح المعتمدة غير موقّعة من مركز البيانات الوطني أو توقيعها غير صحيح. لا تستخدمها.',
      en: 'The trusted key list is not signed by the national data center, or its signature is wrong. Do not use it.',
      ckb: 'لیستی کلیلە متمانەپێکراوەکان لەلایەن ناوەندی نیشتمانیی داتاوە واژۆ نەکراوە، یان واژۆکەی هەڵەیە. بەکاری مەهێنە.',
    },
  },
  TRUST_LIST_ROLLBACK: {
    verdict: 'invalid',
    message: {
      ar: 'قائمة المفاتيح المعتمدة أقدم من قائمة سبق قبولها (رقم تسلسل أصغر). رُفضت لمنع إرجاع مفتاح ملغى.',
      en: 'The trusted key list is older than one already accepted (lower sequence number). It was rejected so that a revoked key cannot come back.',
      ckb: 'لیستی کلیلە متمانەپێکراوەکان لە لیستێکی پێشتر پەسەندکراو کۆنترە (ژمارەی زنجیرەی بچووکترە). ڕەتکرایەوە بۆ ئەوەی کلیلێکی هەڵوەشێنراو نەگەڕێتەوە.',
    },
  },
  STATUS_LIST_INVALID: {
    verdict: 'invalid',
    message: {
      ar: 'قائمة الوثائق الملغاة غير موقّعة بمفتاح معتمد للجهة.',
      en: "The list of revoked documents is not signed by one of the agency's trusted keys.",
      ckb: 'لیستی بەڵگەنامە هەڵوەشێنراوەکان بە یەکێک لە کلیلە متمانەپێکراوەکانی دەزگاکە واژۆ نەکراوە.',
    },
  },
  STATUS_LIST_ROLLBACK: {
    verdict: 'invalid',
    message: {
      ar: 'قائمة الوثائق الملغاة أقدم من قائمة سبق قبولها. رُفضت.',
      en: 'The list of revoked documents is older than one already accepted. It was rejected.',
      ckb: 'لیستی بەڵگەنامە هەڵوەشێنراوەکان لە لیستێکی پێشتر پەسەندکراو کۆنترە. ڕەتکرایەوە.',
    },
  },
};

/** The verdict and message for a code. */
export function describe(code: ResultCode): CodeInfo {
  return RESULT_CODES[code];
}
