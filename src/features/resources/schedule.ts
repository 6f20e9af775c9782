/**
 * Opening hours (ADR 0055): whether a listing is open at an instant, and its week for display,
 * from its HSDS schedule rows. Pure: no database, no clock of its own, no dependency beyond the
 * runtime's time-zone data (Intl.DateTimeFormat).
 *
 * A row Sanad understands is a weekly one (`freq` WEEKLY or empty, `interval` empty or 1) with the
 * days it applies to (`byday`, "MO,TU"), opening and closing times ("HH:MM" or "HH:MM:SS", the
 * listing's wall clock), optional validity dates (inclusive, "YYYY-MM-DD"), and an IANA time zone
 * on the row or on the service. A closing time at or before the opening time runs past midnight
 * into the next day (Thursday 22:00–02:00 is open on Friday at 01:00; 08:00–08:00 is all day).
 * Several rows a day are several windows (a lunch or prayer closure is the gap between them).
 * Rows Sanad does not understand are ignored; a listing with none it understands is "unknown",
 * never "closed": a missing schedule says nothing about the door.
 *
 * The directory's search filters "open now" in SQL with the same rules (services/find.ts), and the
 * tests hold the two to the same answers.
 */

export type Weekday = 'SU' | 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA';
/** In JavaScript's `getDay()` order, Sunday first. */
export const weekdays: readonly Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const isWeekday = (s: string): s is Weekday => (weekdays as readonly string[]).includes(s);

export interface ScheduleRow {
  freq?: string | null;
  interval?: number | null;
  byday?: string | null;
  opens_at?: string | null;
  closes_at?: string | null;
  valid_from?: string | null;
  valid_to?: string | null;
  wkst?: string | null;
  tz?: string | null;
}

export type OpenState = 'open' | 'closed' | 'unknown';

/** Seconds since midnight for "HH:MM" or "HH:MM:SS" (24:00 allowed as the end of a day), else null. */
export function parseTime(text: string | null | undefined): number | null {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text ?? '');
  if (!match) return null;
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (m > 59 || s > 59 || h > 24 || (h === 24 && (m > 0 || s > 0))) return null;
  return h * 3600 + m * 60 + s;
}

/** The days of a row, in the order written, without repeats; ordinal days ("1MO") are not weekly and are left out. */
export function daysOf(byday: string | null | undefined): Weekday[] {
  const days = (byday ?? '')
    .split(',')
    .map((d) => d.trim().toUpperCase())
    .filter(isWeekday);
  return [...new Set(days)];
}

export interface Window {
  days: Weekday[];
  opens: number;
  closes: number;
  /** Runs past midnight into the next day (closing at or before opening). */
  overnight: boolean;
  validFrom: string | null;
  validTo: string | null;
  tz: string | null;
}

const dateOf = (text: string | null | undefined): string | null =>
  text && /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : null;

/** A row as a weekly window, or null when Sanad does not understand it. */
export function windowOf(row: ScheduleRow, serviceTz: string | null = null): Window | null {
  const freq = row.freq?.trim().toUpperCase();
  if (freq && freq !== 'WEEKLY') return null;
  if (row.interval !== null && row.interval !== undefined && row.interval !== 1) return null;
  const days = daysOf(row.byday);
  const opens = parseTime(row.opens_at);
  const closes = parseTime(row.closes_at);
  if (days.length === 0 || opens === null || closes === null) return null;
  return {
    days,
    opens,
    closes,
    overnight: closes <= opens,
    validFrom: dateOf(row.valid_from),
    validTo: dateOf(row.valid_to),
    tz: row.tz || serviceTz || null,
  };
}

export interface LocalMoment {
  /** "YYYY-MM-DD" on the wall calendar of the zone. */
  date: string;
  weekday: Weekday;
  /** Seconds since local midnight. */
  seconds: number;
  /** "HH:MM:SS", as the SQL filter compares it. */
  time: string;
  /** The day before, for windows that ran past midnight. */
  previousDate: string;
  previousWeekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();
function formatterFor(tz: string): Intl.DateTimeFormat | null {
  if (!formatters.has(tz)) {
    let formatter: Intl.DateTimeFormat | null;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      // Not a time zone this runtime knows: the listing's hours are unknown, not wrong.
      formatter = null;
    }
    formatters.set(tz, formatter);
  }
  return formatters.get(tz) ?? null;
}

/** Whether the runtime knows this IANA time zone. */
export const isTimeZone = (tz: string): boolean => formatterFor(tz) !== null;

/** The wall-clock date, weekday and time in `tz` at the instant `at` (epoch ms), or null for an unknown zone. */
export function localMoment(at: number, tz: string): LocalMoment | null {
  const formatter = formatterFor(tz);
  if (!formatter) return null;
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(at)) parts[part.type] = part.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const seconds = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  // The calendar day, as a UTC date, gives the weekday and the day before without any zone's rules.
  const day = new Date(`${date}T00:00:00Z`);
  const previous = new Date(day.getTime() - 86_400_000);
  return {
    date,
    weekday: weekdays[day.getUTCDay()]!,
    seconds,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    previousDate: previous.toISOString().slice(0, 10),
    previousWeekday: weekdays[previous.getUTCDay()]!,
  };
}

const validOn = (w: Window, date: string) =>
  (w.validFrom === null || w.validFrom <= date) && (w.validTo === null || w.validTo >= date);

/** Whether one window holds the moment: opened today, or opened yesterday and running past midnight. */
export function windowOpenAt(w: Window, local: LocalMoment): boolean {
  const today =
    w.days.includes(local.weekday) &&
    validOn(w, local.date) &&
    w.opens <= local.seconds &&
    (w.overnight || local.seconds < w.closes);
  const fromYesterday =
    w.overnight && w.days.includes(local.previousWeekday) && validOn(w, local.previousDate) && local.seconds < w.closes;
  return today || fromYesterday;
}

/**
 * Open, closed or unknown at the instant `at`, each row read in its own time zone (the row's, else
 * the service's). Unknown when no row is understood or none has a time zone the runtime knows.
 */
export function openState(rows: readonly ScheduleRow[], serviceTz: string | null, at: number): OpenState {
  let known = false;
  for (const row of rows) {
    const w = windowOf(row, serviceTz);
    if (!w?.tz) continue;
    const local = localMoment(at, w.tz);
    if (!local) continue;
    known = true;
    if (windowOpenAt(w, local)) return 'open';
  }
  return known ? 'closed' : 'unknown';
}

/**
 * The seven days from the week's first (`wkst`: Saturday in much of the region, Sunday or Monday
 * elsewhere); Monday when unsaid or unknown, as iCalendar's default.
 */
export function weekOrder(wkst: string | null | undefined): Weekday[] {
  const first = (wkst ?? '').trim().toUpperCase();
  const start = weekdays.indexOf(isWeekday(first) ? first : 'MO');
  return Array.from({ length: 7 }, (_, i) => weekdays[(start + i) % 7]!);
}

const clock = (seconds: number) => {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
};

export interface DayHours {
  day: Weekday;
  /** In opening order; `overnight` when it closes the next day. */
  windows: { opens: string; closes: string; overnight: boolean }[];
}

/**
 * The week for display, in the week order of the rows' own `wkst` unless one is given: each day
 * with its windows by opening time (an empty list is a closed day). Rows no longer valid on `on`
 * ("YYYY-MM-DD"), or not yet, are left out when `on` is given.
 */
export function windowsByDay(
  rows: readonly ScheduleRow[],
  options: { wkst?: string | null; on?: string } = {},
): DayHours[] {
  const wkst = options.wkst ?? rows.find((r) => r.wkst)?.wkst ?? null;
  const windows = rows
    .map((r) => windowOf(r))
    .filter((w): w is Window => w !== null && (!options.on || validOn(w, options.on)));
  return weekOrder(wkst).map((day) => ({
    day,
    windows: windows
      .filter((w) => w.days.includes(day))
      .sort((a, b) => a.opens - b.opens || a.closes - b.closes)
      .map((w) => ({ opens: clock(w.opens), closes: clock(w.closes), overnight: w.overnight })),
  }));
}
