import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { notify } from './notify.js';
import { formatNumber } from '../../i18n/index.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

test('notifications page by cursor: every one exactly once, even many made in the same millisecond', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api);
  const reader = await browserMember(rt);
  const now = Date.now();
  // 45 at one instant and 30 a moment earlier: more than two pages, with ties across the page boundary.
  const about = { userIds: [reader.user.id], subjectId: group.id, context: { groupId: group.id } };
  await notify(rt.ctx.db, { ...about, kind: 'join_approved', now });
  for (let i = 0; i < 44; i++) await notify(rt.ctx.db, { ...about, kind: 'join_approved', now });
  for (let i = 0; i < 30; i++) await notify(rt.ctx.db, { ...about, kind: 'join_declined', now: now - 1 });

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await reader.web.get(
      `/api/v1/notifications${cursor ? `?after=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(response.status, 200);
    const body = response.json();
    assert.equal(body.unread, 75);
    seen.push(...body.notifications.map((n: { id: string }) => n.id));
    cursor = body.next;
    pages++;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.equal(seen.length, 75);
  assert.equal(new Set(seen).size, 75, 'no notification twice');

  const page = await reader.web.get('/notifications');
  const next = /<a href="\/notifications\?after=([^"]+)" rel="next">/.exec(page.body);
  assert.ok(next, 'the page links to older notifications');
  assert.equal((await reader.web.get(`/notifications?after=${next[1]}`)).status, 200);
  assert.equal((await reader.web.get('/notifications?after=not-a-cursor')).status, 400);
});

test('opening the page reads what it shows, styled new this once; the API reads nothing; items show the time', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api);
  const reader = await browserMember(rt);
  const about = { userIds: [reader.user.id], subjectId: group.id, context: { groupId: group.id } };
  const at = Date.UTC(2026, 0, 5, 14, 7);
  // One more than a page holds: the oldest is not shown on the first page, so it stays unread.
  await notify(rt.ctx.db, { ...about, kind: 'join_declined', now: at - 60_000 });
  for (let i = 0; i < 30; i++) await notify(rt.ctx.db, { ...about, kind: 'join_approved', now: at });
  const unread = async () => (await reader.web.get('/api/v1/notifications')).json().unread;

  assert.equal(await unread(), 31);
  assert.equal(await unread(), 31, 'the API lists without marking anything read');

  const first = await reader.web.get('/notifications');
  assert.equal(first.status, 200);
  assert.equal(first.body.match(/class="notification notification-unread"/g)?.length, 30, 'shown as new this once');
  assert.match(first.body, /<time datetime="2026-01-05T14:07:00.000Z">January 5, 2026 at 2:07 PM UTC<\/time>/);
  assert.equal(await unread(), 1, 'only the notifications the page showed are read');
  const counted = (await reader.web.get('/notifications')).body;
  assert.doesNotMatch(counted, /notification-unread/, 'the second visit shows them read');

  const next = /<a href="\/notifications\?after=([^"]+)" rel="next">/.exec(counted);
  assert.ok(next);
  const older = await reader.web.get(`/notifications?after=${next[1]}`);
  assert.equal(older.body.match(/class="notification notification-unread"/g)?.length, 1);
  assert.equal(await unread(), 0);

  await notify(rt.ctx.db, { ...about, kind: 'join_approved', now: at + 60_000 });
  reader.web.cookies.set('sanad_lang', 'ar');
  const arabic = (await reader.web.get('/notifications')).body;
  assert.equal(arabic.match(/notification-unread/g)?.length, 1, 'what arrived since is the one new item');
  // Digits as the rest of the Arabic interface writes numbers.
  const digits = (n: number) => formatNumber('ar', n);
  assert.ok(arabic.includes(`${digits(2)}:${digits(0)}${digits(8)}`), 'the Arabic page shows the time too');
  assert.match(arabic, /<time datetime="2026-01-05T14:08:00.000Z">/);
});
