// Showing signed text to a person: what issuance refuses today (controls, bidi controls, lone surrogates, blanks)
// may still be in older seals, so verifiers show it visibly instead of letting it act.

const mark = (c: number) => `⟨U+${c.toString(16).toUpperCase().padStart(4, '0')}⟩`;

function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * A signed text (document number, field value) made safe to show: control and bidirectional control characters
 * become visible marks (`⟨U+202E⟩`), a lone surrogate becomes U+FFFD, and a value of only blanks shows each blank
 * as a mark, so no value can display as something it is not. Text without any of these comes back unchanged.
 * Put the result in its own bidi isolate (`<bdi>`, `dir="auto"`) when it sits next to other text.
 * @example displayText('invoice\u202Efdp.exe') // 'invoice⟨U+202E⟩fdp.exe'
 */
export function displayText(s: string): string {
  let out = '';
  let last = 0;
  let visible = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (isControl(c)) rep = mark(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        i++;
        visible = true;
        continue;
      }
      rep = '\uFFFD';
    } else if (!/\s|[\u200b-\u200d\ufeff]/.test(s[i]!)) visible = true;
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
      visible = true;
    }
  }
  if (!visible) {
    // Only blanks (or nothing): show each one, so an empty-looking field is seen to be one.
    let marks = '';
    for (let i = 0; i < s.length; i++) marks += mark(s.charCodeAt(i));
    return marks === '' ? '⟨empty⟩' : marks;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** A field value (text or whole number) as {@link displayText} shows it. */
export function displayValue(v: string | number): string {
  return typeof v === 'number' ? String(v) : displayText(v);
}
