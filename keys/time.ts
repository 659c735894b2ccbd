// Times as users write them (ISO 8601 dates, or seconds since 1970) and as drafts store them.
import { userError } from './errors.js';

/** Options of {@link parseTime}. */
export interface ParseTimeOptions {
  /** A date without a time means the last second of that day (23:59:59 UTC): for "last day ..." flags. */
  endOfDay?: boolean;
}

/**
 * Parse a time given by the user: `2026-01-31`, `2026-01-31T10:00:00Z` (no zone = UTC), or whole seconds
 * since 1970 (`1767225600`). Impossible dates and times (2026-02-30, 24:00, +25:00) are refused, not rolled
 * over. URSEAL_E_BAD_DATE naming the flag.
 * @example parseTime('2026-01-01', '--not-before') // 1767225600
 * @example parseTime('2026-01-01', '--not-after', { endOfDay: true }) // 1767311999
 */
export function parseTime(value: string, flag: string, options: ParseTimeOptions = {}): number {
  const v = value.trim();
  if (/^\d{1,12}$/.test(v)) return Number(v);
  const seconds = strictIso(v, options.endOfDay === true);
  if (seconds !== undefined) return seconds;
  throw userError(
    'URSEAL_E_BAD_DATE',
    'تاريخ غير صالح (مثال 2026-01-31)',
    'invalid date (e.g. 2026-01-31)',
    `${flag} ${JSON.stringify(value)}`,
  );
}

/**
 * An ISO 8601 date or date-time (no zone = UTC) as seconds since 1970, or undefined when it is not one or names
 * an impossible date or time (2026-02-30, 24:00, +25:00): Date.parse would roll those over silently.
 */
function strictIso(v: string, endOfDay: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|([+-])(\d{2}):?(\d{2}))?$/.exec(v);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dateOnly = m[4] === undefined;
  const [h, mi, se] = dateOnly && endOfDay ? [23, 59, 59] : [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const day = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2026-02-30 over into March: a real date comes back with the same day and month.
  const realDate = y >= 1970 && mo >= 1 && mo <= 12 && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
  const realTime = h <= 23 && mi <= 59 && se <= 59 && Math.abs(offset) <= 14 * 60 && Number(m[10] ?? 0) <= 59;
  if (!realDate || !realTime) return undefined;
  const seconds = Math.floor(day.getTime() / 1000) + h * 3600 + mi * 60 + se - offset * 60;
  return seconds >= 0 ? seconds : undefined;
}

/**
 * Seconds since 1970 -> ISO 8601 in UTC without milliseconds.
 * @example formatTime(1767225600) // '2026-01-01T00:00:00Z'
 */
export function formatTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  // A seal may carry any whole number of seconds; JavaScript dates end in the year 275760.
  if (Number.isNaN(d.getTime())) return `${seconds} seconds after 1970 (beyond year 275760)`;
  return d.toISOString().replace('.000Z', 'Z');
}

/** Read an ISO time stored in a draft (strict), as seconds. */
export function readStoredTime(value: unknown, where: string): number {
  if (typeof value !== 'string')
    throw userError('URSEAL_E_DRAFT_MALFORMED', 'مسودة تالفة', 'malformed draft', `${where} must be an ISO 8601 time`);
  const seconds = /^\d{4}-\d{2}-\d{2}T/.test(value) ? strictIso(value, false) : undefined;
  if (seconds === undefined)
    throw userError('URSEAL_E_DRAFT_MALFORMED', 'مسودة تالفة', 'malformed draft', `${where} must be an ISO 8601 time`);
  return seconds;
}

/** The current time in seconds, or the user's `--now`. */
export function nowSeconds(now?: string): number {
  return now === undefined ? Math.floor(Date.now() / 1000) : parseTime(now, '--now');
}

/** Whole days -> seconds, checked. */
export function parseDays(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 36_500) {
    throw userError('URSEAL_E_BAD_VALUE', 'عدد أيام غير صالح', 'invalid number of days', `${flag} ${JSON.stringify(value)}`);
  }
  return n;
}
