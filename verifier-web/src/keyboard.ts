// USB barcode scanners that "type": undo an Arabic keyboard layout and collect fast keystrokes into a seal.

/**
 * Windows "Arabic (101)" layout: what each US key produces, unshifted and shifted. A scanner sends key
 * positions, so with this layout active the page receives the Arabic side; we map it back to the US key.
 * Keys that give the same character in both layouts (digits, space, `-`, `=`, `\`, `!@#$%^&*`, `_+`, `:`, `"`, `|`)
 * are absent: they pass through unchanged.
 */
const ARABIC_101: ReadonlyArray<readonly [latin: string, arabic: string]> = [
  // unshifted
  ['`', 'ذ'],
  ['q', 'ض'],
  ['w', 'ص'],
  ['e', 'ث'],
  ['r', 'ق'],
  ['t', 'ف'],
  ['y', 'غ'],
  ['u', 'ع'],
  ['i', 'ه'],
  ['o', 'خ'],
  ['p', 'ح'],
  ['[', 'ج'],
  [']', 'د'],
  ['a', 'ش'],
  ['s', 'س'],
  ['d', 'ي'],
  ['f', 'ب'],
  ['g', 'ل'],
  ['h', 'ا'],
  ['j', 'ت'],
  ['k', 'ن'],
  ['l', 'م'],
  [';', 'ك'],
  ["'", 'ط'],
  ['z', 'ئ'],
  ['x', 'ء'],
  ['c', 'ؤ'],
  ['v', 'ر'],
  ['b', 'لا'],
  ['n', 'ى'],
  ['m', 'ة'],
  [',', 'و'],
  ['.', 'ز'],
  ['/', 'ظ'],
  // shifted
  ['~', '\u0651'],
  ['Q', '\u064E'],
  ['W', '\u064B'],
  ['E', '\u064F'],
  ['R', '\u064C'],
  ['T', 'لإ'],
  ['Y', 'إ'],
  ['U', '\u2018'],
  ['I', '÷'],
  ['O', '×'],
  ['P', '؛'],
  ['{', '<'],
  ['}', '>'],
  ['A', '\u0650'],
  ['S', '\u064D'],
  ['D', ']'],
  ['F', '['],
  ['G', 'لأ'],
  ['H', 'أ'],
  ['J', '\u0640'],
  ['K', '،'],
  ['L', '/'],
  ['Z', '~'],
  ['X', '\u0652'],
  ['C', '}'],
  ['V', '{'],
  ['B', 'لآ'],
  ['N', 'آ'],
  ['M', '\u2019'],
  ['<', ','],
  ['>', '.'],
  ['?', '؟'],
];

/** Arabic-Indic (U+0660..) and Extended Arabic-Indic (U+06F0..) digits, which some layouts type for 0-9. */
function asciiDigit(c: string): string | undefined {
  const code = c.charCodeAt(0);
  if (code >= 0x660 && code <= 0x669) return String(code - 0x660);
  if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);
  return undefined;
}

const SINGLE = new Map<string, string>();
const LIGATURES = new Map<string, string>();
for (const [latin, arabic] of ARABIC_101) (arabic.length === 1 ? SINGLE : LIGATURES).set(arabic, latin);

/** Characters that only an Arabic layout produces (so their presence means the text needs mapping). */
const ARABIC_ONLY = /[\u0600-\u06FF\u2018\u2019÷×]/;

/** Whether a text looks like what a scanner typed through an Arabic layout. */
export function looksArabicLayout(text: string): boolean {
  return ARABIC_ONLY.test(text);
}

/**
 * Map text typed through an Arabic (101) layout back to what the scanner meant. Text without Arabic
 * characters is returned unchanged except for Arabic-Indic digits (so pasting correct text is safe:
 * in an Arabic-typed text `/` means `L`, but in a normal one it is a `/`).
 * Lam-alef ligatures (one key: b, T, G, B) are read as that key: the lowercase `gh` they collide with
 * never occurs in a seal (Base45 and Base32 are upper case), only in a link's URL part, which is ignored.
 * @example fromArabicLayout('ٌ؛ ...') // 'RP ...'
 */
export function fromArabicLayout(text: string): string {
  const arabic = looksArabicLayout(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const d = asciiDigit(c);
    if (d !== undefined) {
      out += d;
      continue;
    }
    if (!arabic) {
      out += c;
      continue;
    }
    const pair = LIGATURES.get(text.slice(i, i + 2));
    if (pair !== undefined) {
      out += pair;
      i++;
      continue;
    }
    out += SINGLE.get(c) ?? c;
  }
  return out;
}

/** The US-layout character of a physical key (KeyboardEvent.code), which does not depend on the OS layout. */
const US_BY_CODE: Record<string, readonly [string, string]> = {
  Backquote: ['`', '~'],
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
};
const SHIFTED_DIGITS = ')!@#$%^&*(';

/** The character a key press meant, from its physical key when known, else from the layout's character. */
export function keyToChar(e: Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey'>): string | undefined {
  const code = e.code ?? '';
  let m = /^Key([A-Z])$/.exec(code);
  if (m) {
    // Caps Lock flips the case a layout gives; a scanner sends Shift for capitals, so trust Shift.
    return e.shiftKey ? m[1]! : m[1]!.toLowerCase();
  }
  m = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (m) return e.shiftKey && code.startsWith('Digit') ? SHIFTED_DIGITS[Number(m[1])]! : m[1]!;
  const us = US_BY_CODE[code];
  if (us) return e.shiftKey ? us[1] : us[0];
  if (e.key.length === 0 || (e.key.length > 1 && !LIGATURES.has(e.key))) return undefined; // Shift, Enter, ...
  return e.key;
}

/** Options of {@link listenForScanner}. */
export interface ScannerOptions {
  /** Longest pause between keys of one scan, ms. Scanners type a character every few ms; people far slower. */
  maxGapMs?: number;
  /** Called with the mapped text when Enter ends a burst that looks like a seal. */
  onScan: (text: string) => void;
}

/** Looks like a seal once mapped: "UR1:..." or a link with "#UR1B:". */
export function isSealLike(text: string): boolean {
  return /^UR\d+:/.test(text) || text.includes('#UR1B:');
}

/**
 * Collect keystrokes typed outside text fields (a keyboard-wedge scanner) and hand over the text when
 * Enter ends it. Returns a function that stops listening.
 */
export function listenForScanner(target: Document, opts: ScannerOptions): () => void {
  const maxGap = opts.maxGapMs ?? 100;
  let buffer = '';
  let last = 0;
  const onKey = (e: KeyboardEvent): void => {
    const el = e.target as HTMLElement | null;
    if (el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.isContentEditable)) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const now = performance.now();
    if (now - last > maxGap) buffer = '';
    last = now;
    if (e.key === 'Enter') {
      const text = fromArabicLayout(buffer);
      buffer = '';
      if (isSealLike(text)) {
        e.preventDefault();
        opts.onScan(text);
      }
      return;
    }
    const c = keyToChar(e);
    if (c === undefined) return;
    buffer += c;
    // A scan in progress must not scroll the page (space) or trigger a focused button.
    if (buffer.length > 3) e.preventDefault();
  };
  target.addEventListener('keydown', onKey, true);
  return () => target.removeEventListener('keydown', onKey, true);
}
