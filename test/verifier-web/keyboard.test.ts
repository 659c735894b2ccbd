// Undoing an Arabic (101) keyboard layout for USB scanners: known strings, pass-through of correct text, key codes.
import { describe, expect, it } from 'vitest';
import { fromArabicLayout, isSealLike, keyToChar, looksArabicLayout } from '../../verifier-web/src/keyboard.js';

describe('fromArabicLayout', () => {
  it('maps shifted letters, punctuation and Arabic-Indic digits back to what the scanner meant', () => {
    // "UR1:6BF.$/ %*+-" typed through Arabic (101): U=‘ R=ٌ 1 : 6 B=لآ F=[ .=ز $ /=ظ space % * + -
    expect(fromArabicLayout('\u2018\u064C١:٦لآ[ز$ظ %*+-')).toBe('UR1:6BF.$/ %*+-');
    expect(fromArabicLayout('لألإ')).toBe('GT');
    expect(fromArabicLayout('۱۲۳')).toBe('123');
  });

  it('maps a link: lower-case URL keys and the upper-case Base32 part', () => {
    // "h" = ا, "t" = ف, "p" = ح, "s" = س; ":" and "/" ; "#UR1B:" = # ‘ ٌ 1 لآ :
    const typed = 'اففحس:ظظ#\u2018\u064C1لآ:\u064F\u0650';
    expect(fromArabicLayout(typed)).toBe('https://#UR1B:EA');
    expect(isSealLike(fromArabicLayout(typed))).toBe(true);
  });

  it('leaves correct Latin text alone (a pasted seal keeps its "/" and ".")', () => {
    const seal = 'UR1:6BF.$/ %*+-ABC';
    expect(looksArabicLayout(seal)).toBe(false);
    expect(fromArabicLayout(seal)).toBe(seal);
  });
});

describe('keyToChar', () => {
  it('uses the physical key when the browser gives it, whatever the layout typed', () => {
    expect(keyToChar({ key: '\u0650', code: 'KeyA', shiftKey: true })).toBe('A');
    expect(keyToChar({ key: 'ش', code: 'KeyA', shiftKey: false })).toBe('a');
    expect(keyToChar({ key: 'ز', code: 'Period', shiftKey: false })).toBe('.');
    expect(keyToChar({ key: ':', code: 'Semicolon', shiftKey: true })).toBe(':');
    expect(keyToChar({ key: '٤', code: 'Digit4', shiftKey: false })).toBe('4');
    expect(keyToChar({ key: '$', code: 'Digit4', shiftKey: true })).toBe('$');
  });

  it('falls back to the character (mapped later) and ignores modifier keys', () => {
    expect(keyToChar({ key: 'لآ', code: '', shiftKey: true })).toBe('لآ');
    expect(keyToChar({ key: 'Shift', code: 'ShiftLeft', shiftKey: true })).toBeUndefined();
    expect(keyToChar({ key: 'Enter', code: '', shiftKey: false })).toBeUndefined();
  });
});
