import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { notify } from './notify.js';

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
  await notify(rt.ctx.db, { userIds: [reader.user.id], kind: 'join_approved', groupId: group.id, now });
  for (let i = 0; i < 44; i++)
    await notify(rt.ctx.db, { userIds: [reader.user.id], kind: 'join_approved', groupId: group.id, now });
  for (let i = 0; i < 30; i++)
    await notify(rt.ctx.db, { userIds: [reader.user.id], kind: 'join_declined', groupId: group.id, now: now - 1 });

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
