import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  daysOf,
  localMoment,
  openState,
  parseTime,
  weekOrder,
  windowOf,
  windowsByDay,
  type ScheduleRow,
} from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const weekly = (byday: string, opens_at: string, closes_at: string, extra: Partial<ScheduleRow> = {}): ScheduleRow => ({
  freq: 'WEEKLY',
  byday,
  opens_at,
  closes_at,
  ...extra,
});

test('times: HH:MM and HH:MM:SS, 24:00 as the end of a day, nothing else', () => {
  assert.equal(parseTime('09:30'), 9 * 3600 + 30 * 60);
  assert.equal(parseTime('09:30:15'), 9 * 3600 + 30 * 60 + 15);
  assert.equal(parseTime('24:00'), 86_400);
  for (const bad of ['9:30', '24:01', '12:60', '09:00Z', '', null, undefined, 'noon'])
    assert.equal(parseTime(bad), null);
});

test('days: weekly codes in any case and spacing, ordinals and unknown codes left out', () => {
  assert.deepEqual(daysOf('MO,TU'), ['MO', 'TU']);
  assert.deepEqual(daysOf(' sa , su ,SA'), ['SA', 'SU']);
  assert.deepEqual(daysOf('1MO,XX,FR'), ['FR']);
  assert.deepEqual(daysOf(null), []);
});

test('rows Sanad does not understand are no window at all', () => {
  assert.equal(windowOf(weekly('MO', '09:00', '17:00', { freq: 'MONTHLY' })), null);
  assert.equal(windowOf(weekly('MO', '09:00', '17:00', { interval: 2 })), null);
  assert.equal(windowOf(weekly('', '09:00', '17:00')), null);
  assert.equal(windowOf(weekly('MO', '9am', '17:00')), null);
  assert.ok(windowOf(weekly('MO', '09:00', '17:00', { freq: null, interval: 1 })));
  assert.ok(windowOf(weekly('MO', '09:00', '17:00', { freq: 'weekly' })));
});

test('the local wall clock in a zone, with the day before', () => {
  // 2026-11-26 is a Thursday. Beirut is UTC+2 in winter.
  const m = localMoment(at('2026-11-26T22:30:05Z'), 'Asia/Beirut')!;
  assert.equal(m.date, '2026-11-27');
  assert.equal(m.weekday, 'FR');
  assert.equal(m.time, '00:30:05');
  assert.equal(m.previousDate, '2026-11-26');
  assert.equal(m.previousWeekday, 'TH');
  assert.equal(localMoment(at('2026-03-01T00:00:00Z'), 'Asia/Riyadh')!.previousDate, '2026-02-28');
  assert.equal(localMoment(at('2026-11-26T12:00:00Z'), 'Not/AZone'), null);
});

test('several windows a day: a prayer closure at midday is closed, either side open (Riyadh, UTC+3)', () => {
  const rows = [weekly('SU,MO,TU,WE,TH', '09:00', '12:00'), weekly('SU,MO,TU,WE,TH', '13:30', '17:00')];
  const tz = 'Asia/Riyadh';
  assert.equal(openState(rows, tz, at('2026-11-26T06:00:00Z')), 'open'); // Thu 09:00 local
  assert.equal(openState(rows, tz, at('2026-11-26T08:59:59Z')), 'open'); // 11:59:59
  assert.equal(openState(rows, tz, at('2026-11-26T09:00:00Z')), 'closed'); // 12:00, closes at 12:00
  assert.equal(openState(rows, tz, at('2026-11-26T10:15:00Z')), 'closed'); // 13:15
  assert.equal(openState(rows, tz, at('2026-11-26T10:30:00Z')), 'open'); // 13:30
  assert.equal(openState(rows, tz, at('2026-11-26T14:00:00Z')), 'closed'); // 17:00
  assert.equal(openState(rows, tz, at('2026-11-27T07:00:00Z')), 'closed'); // Friday: not a day of theirs
  assert.equal(openState(rows, tz, at('2026-11-26T05:59:00Z')), 'closed'); // 08:59
});

test('overnight: Thursday 22:00–02:00 is open Friday at 01:00 and closed Friday at 02:00 (Beirut)', () => {
  const rows = [weekly('TH', '22:00', '02:00')];
  const tz = 'Asia/Beirut';
  assert.equal(openState(rows, tz, at('2026-11-26T19:59:00Z')), 'closed'); // Thu 21:59
  assert.equal(openState(rows, tz, at('2026-11-26T20:00:00Z')), 'open'); // Thu 22:00
  assert.equal(openState(rows, tz, at('2026-11-26T23:00:00Z')), 'open'); // Fri 01:00
  assert.equal(openState(rows, tz, at('2026-11-27T00:00:00Z')), 'closed'); // Fri 02:00
  // Wednesday night is not Thursday night: Thursday 01:00 is closed.
  assert.equal(openState(rows, tz, at('2026-11-25T23:00:00Z')), 'closed');
});

test('overnight to midnight, and all day when opening and closing are the same time', () => {
  const tz = 'Africa/Cairo'; // UTC+2 in November
  const toMidnight = [weekly('TH', '18:00', '00:00')];
  assert.equal(openState(toMidnight, tz, at('2026-11-26T21:59:59Z')), 'open'); // 23:59:59
  assert.equal(openState(toMidnight, tz, at('2026-11-26T22:00:00Z')), 'closed'); // Fri 00:00
  const allDay = [weekly('TH', '00:00', '00:00')];
  assert.equal(openState(allDay, tz, at('2026-11-25T22:00:00Z')), 'open'); // Thu 00:00
  assert.equal(openState(allDay, tz, at('2026-11-26T21:59:59Z')), 'open'); // Thu 23:59:59
  assert.equal(openState(allDay, tz, at('2026-11-26T22:00:00Z')), 'closed'); // Fri 00:00
  const untilEndOfDay = [weekly('TH', '20:00', '24:00')];
  assert.equal(openState(untilEndOfDay, tz, at('2026-11-26T21:30:00Z')), 'open');
});

test('validity dates are inclusive, on the local calendar; an overnight window belongs to the day it opened', () => {
  const tz = 'Asia/Beirut';
  const rows = [weekly('TH', '22:00', '02:00', { valid_from: '2026-11-26', valid_to: '2026-11-26' })];
  assert.equal(openState(rows, tz, at('2026-11-26T21:00:00Z')), 'open'); // Thu 23:00
  assert.equal(openState(rows, tz, at('2026-11-26T23:00:00Z')), 'open'); // Fri 01:00, opened Thursday
  assert.equal(openState(rows, tz, at('2026-12-03T21:00:00Z')), 'closed'); // a week later
  const ramadan = [
    weekly('MO,TU,WE,TH,FR,SA,SU', '20:00', '23:00', { valid_from: '2027-02-08', valid_to: '2027-03-09' }),
  ];
  assert.equal(openState(ramadan, tz, at('2027-02-07T19:00:00Z')), 'closed'); // the day before: known, closed
  assert.equal(openState(ramadan, tz, at('2027-02-08T19:00:00Z')), 'open');
  assert.equal(openState(ramadan, tz, at('2027-03-09T19:00:00Z')), 'open');
  assert.equal(openState(ramadan, tz, at('2027-03-10T19:00:00Z')), 'closed');
});

test('Berlin across the change to summer time: windows follow the wall clock', () => {
  const tz = 'Europe/Berlin';
  const rows = [weekly('SA,SU,MO', '09:00', '17:00')];
  // Saturday 28 March 2026, UTC+1: 09:00 local is 08:00 UTC.
  assert.equal(openState(rows, tz, at('2026-03-28T07:59:00Z')), 'closed');
  assert.equal(openState(rows, tz, at('2026-03-28T08:00:00Z')), 'open');
  // Sunday 29 March 2026, UTC+2 from 02:00: 09:00 local is 07:00 UTC.
  assert.equal(openState(rows, tz, at('2026-03-29T07:00:00Z')), 'open');
  assert.equal(openState(rows, tz, at('2026-03-29T06:59:00Z')), 'closed');
  assert.equal(openState(rows, tz, at('2026-03-29T15:00:00Z')), 'closed'); // 17:00 local
  // A night window across the skipped hour: Saturday 22:00 to Sunday 04:00.
  const night = [weekly('SA', '22:00', '04:00')];
  assert.equal(openState(night, tz, at('2026-03-29T00:30:00Z')), 'open'); // 01:30 CET
  assert.equal(openState(night, tz, at('2026-03-29T01:30:00Z')), 'open'); // 03:30 CEST
  assert.equal(openState(night, tz, at('2026-03-29T02:00:00Z')), 'closed'); // 04:00 CEST
  // And back in October: 25 October 2026 falls back at 03:00 to 02:00.
  assert.equal(openState(rows, tz, at('2026-10-25T07:59:00Z')), 'closed'); // 08:59 CET
  assert.equal(openState(rows, tz, at('2026-10-25T08:00:00Z')), 'open'); // 09:00 CET
});

test('New York, and a row with its own zone beside a service in another', () => {
  const rows = [weekly('MO,TU,WE,TH,FR', '09:00', '17:00')];
  // Thursday 26 November 2026, UTC−5.
  assert.equal(openState(rows, 'America/New_York', at('2026-11-26T14:00:00Z')), 'open'); // 09:00
  assert.equal(openState(rows, 'America/New_York', at('2026-11-26T22:00:00Z')), 'closed'); // 17:00
  // The same hours read in Beirut (UTC+2): 14:00 UTC is 16:00 there, 15:00 UTC is closing time.
  assert.equal(openState(rows, 'Asia/Beirut', at('2026-11-26T14:00:00Z')), 'open');
  assert.equal(openState(rows, 'Asia/Beirut', at('2026-11-26T15:00:00Z')), 'closed'); // 17:00 Beirut
  // A row's own zone wins over the service's.
  const own = [{ ...rows[0]!, tz: 'America/New_York' }];
  assert.equal(openState(own, 'Asia/Beirut', at('2026-11-26T20:00:00Z')), 'open'); // 15:00 New York
});

test('no schedule, none understood, or no zone is unknown, never closed', () => {
  const now = at('2026-11-26T12:00:00Z');
  assert.equal(openState([], 'Asia/Beirut', now), 'unknown');
  assert.equal(openState([weekly('MO', '09:00', '17:00', { freq: 'MONTHLY' })], 'Asia/Beirut', now), 'unknown');
  assert.equal(openState([weekly('MO', '09:00', '17:00')], null, now), 'unknown');
  assert.equal(openState([weekly('MO', '09:00', '17:00')], 'Mars/Olympus', now), 'unknown');
  // One understood row makes the rest of the week known: closed.
  assert.equal(openState([weekly('MO', '09:00', '17:00')], 'Asia/Beirut', now), 'closed');
});

test('week order starts on Saturday, Sunday or Monday as the listing says; Monday by default', () => {
  assert.deepEqual(weekOrder('SA'), ['SA', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR']);
  assert.deepEqual(weekOrder('su'), ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA']);
  assert.deepEqual(weekOrder('MO'), ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
  assert.deepEqual(weekOrder(null), weekOrder('MO'));
  assert.deepEqual(weekOrder('XX'), weekOrder('MO'));
});

test('the week for display: days in order, windows by opening time, overnight marked, expired rows left out', () => {
  const rows = [
    weekly('SA,SU', '14:00', '18:00', { wkst: 'SA' }),
    weekly('SA', '09:00', '12:30:00', { wkst: 'SA' }),
    weekly('TH', '22:00', '02:00', { wkst: 'SA' }),
    weekly('FR', '10:00', '11:00', { valid_to: '2020-01-01' }),
  ];
  const week = windowsByDay(rows, { on: '2026-11-26' });
  assert.deepEqual(
    week.map((d) => d.day),
    ['SA', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR'],
  );
  assert.deepEqual(week[0]!.windows, [
    { opens: '09:00', closes: '12:30', overnight: false },
    { opens: '14:00', closes: '18:00', overnight: false },
  ]);
  assert.deepEqual(week[1]!.windows, [{ opens: '14:00', closes: '18:00', overnight: false }]);
  assert.deepEqual(week[5]!.windows, [{ opens: '22:00', closes: '02:00', overnight: true }]);
  assert.deepEqual(week[6]!.windows, []);
  // Without a date, every understood row shows; a given week start wins over the rows'.
  const all = windowsByDay(rows, { wkst: 'SU' });
  assert.equal(all[0]!.day, 'SU');
  assert.deepEqual(all.at(-2)!.windows, [{ opens: '10:00', closes: '11:00', overnight: false }]);
});
