// Dates as users type them and drafts store them: impossible dates are refused, never rolled over (issue 11).
import { describe, expect, it } from 'vitest';
import { UserError } from '../../keys/errors.js';
import { formatTime, parseTime, readStoredTime } from '../../keys/time.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof UserError ? e.code : 'not a UserError';
  }
  return undefined;
}

describe('parseTime', () => {
  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-01T24:00',
    '2026-01-01T23:60',
    '2026-01-01T10:00:60Z',
    '2026-01-01T10:00+14:01',
    '2026-01-01T10:00+03:75',
    '1969-12-31',
  ])('refuses %s (URSEAL_E_BAD_DATE)', (v) => {
    expect(codeOf(() => parseTime(v, '--now'))).toBe('URSEAL_E_BAD_DATE');
  });

  it('reads real dates, times and zones, and seconds since 1970', () => {
    expect(formatTime(parseTime('2028-02-29', '--now'))).toBe('2028-02-29T00:00:00Z');
    expect(formatTime(parseTime('2026-01-31T13:00:00+03:00', '--now'))).toBe('2026-01-31T10:00:00Z');
    expect(formatTime(parseTime('2026-01-31 23:59', '--now'))).toBe('2026-01-31T23:59:00Z');
    expect(parseTime('1767225600', '--now')).toBe(1_767_225_600);
  });

  it('endOfDay: a date alone is its last second; a date with a time is that time', () => {
    expect(formatTime(parseTime('2026-01-31', '--not-after', { endOfDay: true }))).toBe('2026-01-31T23:59:59Z');
    expect(formatTime(parseTime('2026-01-31T12:00Z', '--not-after', { endOfDay: true }))).toBe('2026-01-31T12:00:00Z');
  });
});

describe('readStoredTime', () => {
  it('refuses an impossible stored date and reads a real one', () => {
    expect(codeOf(() => readStoredTime('2026-02-30T00:00:00Z', 'revoked[0].at'))).toBe('URSEAL_E_DRAFT_MALFORMED');
    expect(readStoredTime('2026-02-28T00:00:00Z', 'revoked[0].at')).toBe(parseTime('2026-02-28', 'x'));
  });
});
