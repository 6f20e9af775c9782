import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { csrfTokenIn } from '../../../test/support/client.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

async function countRows(
  table: 'notifications' | 'moderation_log',
  column: 'user_id' | 'group_id',
  value: string,
  kindColumn: 'kind' | 'action',
  kinds: string[],
) {
  // Each table is asked about its own columns; the decisions are in the moderation log (ADR 0047).
  const row =
    table === 'notifications'
      ? await rt.ctx.db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where(column as 'user_id', '=', value)
          .where(kindColumn as 'kind', 'in', kinds)
          .executeTakeFirstOrThrow()
      : await rt.ctx.db
          .selectFrom('moderation_log')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where(column as 'group_id', '=', value)
          .where(kindColumn as 'action', 'in', kinds)
          .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function pendingRequest(group: { id: string }, owner: Awaited<ReturnType<typeof member>>) {
  const applicant = await member(rt);
  await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['Hello'] });
  const [request] = (await owner.api.get(`/api/v1/groups/${group.id}/requests`)).json().requests;
  return { applicant, requestId: request.id as string };
}

describe('a join request is decided once', () => {
  test('fifty concurrent approvals: one succeeds, the others answer 404; one notification, one audit row', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'private', questions: ['Why?'] });
    const { applicant, requestId } = await pendingRequest(group, owner);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        owner.api.api('POST', `/api/v1/groups/${group.id}/requests/${requestId}/approve`),
      ),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 204).length, 1, `one approval wins: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 404).length, 49);
    assert.equal(
      await countRows('notifications', 'user_id', applicant.user.id, 'kind', ['join_approved', 'join_declined']),
      1,
    );
    assert.equal(
      await countRows('moderation_log', 'group_id', group.id, 'action', [
        'group.request.approve',
        'group.request.decline',
      ]),
      1,
    );
  });

  test('approving while another moderator declines: exactly one decision, and what the applicant is told matches it', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'private', questions: ['Why?'] });
    const moderator = await member(rt);
    await moderator.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['Hi'] });
    const [first] = (await owner.api.get(`/api/v1/groups/${group.id}/requests`)).json().requests;
    await owner.api.api('POST', `/api/v1/groups/${group.id}/requests/${first.id}/approve`);
    const promoted = await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${moderator.user.id}`, {
      role: 'moderator',
    });
    assert.ok([200, 204].includes(promoted.status), promoted.body);
    for (let round = 0; round < 10; round++) {
      const { applicant, requestId } = await pendingRequest(group, owner);
      const answers = await Promise.all([
        ...Array.from({ length: 5 }, () =>
          owner.api.api('POST', `/api/v1/groups/${group.id}/requests/${requestId}/approve`),
        ),
        ...Array.from({ length: 5 }, () =>
          moderator.api.api('POST', `/api/v1/groups/${group.id}/requests/${requestId}/decline`),
        ),
      ]);
      const won = answers
        .map((a, i) => (a.status === 204 ? (i < 5 ? 'approve' : 'decline') : null))
        .filter((d) => d !== null);
      assert.equal(won.length, 1, `one decision per request: ${answers.map((a) => a.status).join(' ')}`);
      assert.ok(answers.every((a) => a.status === 204 || a.status === 404));
      const membership = (await applicant.api.get(`/api/v1/groups/${group.id}`)).json().group.membership;
      assert.equal(membership, won[0] === 'approve' ? 'member' : null);
      const told = await countRows('notifications', 'user_id', applicant.user.id, 'kind', [
        won[0] === 'approve' ? 'join_approved' : 'join_declined',
      ]);
      assert.equal(told, 1);
      assert.equal(
        await countRows('notifications', 'user_id', applicant.user.id, 'kind', ['join_approved', 'join_declined']),
        1,
      );
    }
  });
});

describe('the HTML reaction toggle', () => {
  test('fifty concurrent toggles from "off" end "off", and every one succeeds', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    const opened = await owner.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
      title: 'Toggles',
      body: 'Press me',
    });
    const { thread, post } = opened.json();
    const [threadId, postId] = [thread.id, post.id];
    const { user, web } = await browserMember(rt);
    const joined = await web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
    assert.equal(joined.status, 303);
    const token = csrfTokenIn((await web.get(`/threads/${threadId}`)).body);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => web.postForm(`/posts/${postId}/reactions`, { toggle: 'hug', _csrf: token })),
    );
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [303]);
    const rows = await rt.ctx.db
      .selectFrom('reactions')
      .select('kind')
      .where('post_id', '=', postId)
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 0, 'an even number of toggles leaves the reaction off');
  });
});
