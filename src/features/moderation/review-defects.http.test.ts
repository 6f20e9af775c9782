// Defects found in review of issue 11, each with the behaviour it must keep, on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({}, {}, { deliverEvents: false });
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

async function scene() {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 20 })).json().invite;
  const join = async (m: Person) =>
    assert.equal(
      (await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      200,
    );
  const moderator = await member(rt, 'gmod');
  const author = await member(rt, 'auth');
  const reporter = await member(rt, 'rep');
  for (const m of [moderator, author, reporter]) await join(m);
  await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${moderator.user.id}`, { role: 'moderator' });
  const thread = await threadIn(author.api, group.id, { title: 'Where to meet safely', body: 'Opening words' });
  const replied = await author.api.api('POST', `/api/v1/threads/${thread.threadId}/posts`, { body: 'A cruel reply' });
  assert.equal(replied.status, 201);
  return { owner, group, moderator, author, reporter, thread, postId: replied.json().post.id as string, join };
}

const report = (who: Person, body: Record<string, unknown>) => who.api.api('POST', '/api/v1/reports', body);
const actOn = (who: Person, body: Record<string, unknown>) => who.api.api('POST', '/api/v1/moderation/actions', body);

describe('a group’s case names only its own target', () => {
  test('a group moderator cannot warn or ban an unrelated account by naming their group’s case', async () => {
    const s = await scene();
    assert.equal((await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'spam' })).status, 204);
    const kase = await rt.ctx.db
      .selectFrom('moderation_cases')
      .select('id')
      .where('target_id', '=', s.postId)
      .executeTakeFirstOrThrow();
    const stranger = await member(rt, 'far');
    for (const action of ['warn', 'ban_group']) {
      const response = await actOn(s.moderator, {
        action,
        targetType: 'user',
        targetId: stranger.user.id,
        reason: 'No reason at all',
        reportId: kase.id,
      });
      assert.equal(response.status, 403, `${action}: ${response.body}`);
    }
    const rows = await rt.ctx.db
      .selectFrom('moderation_log')
      .select('id')
      .where('target_user_id', '=', stranger.user.id)
      .execute();
    assert.equal(rows.length, 0);
    // The post's own author, named with the case, is still theirs to warn.
    const warned = await actOn(s.moderator, {
      action: 'warn',
      targetType: 'user',
      targetId: s.author.user.id,
      reason: 'Be kind',
      reportId: kase.id,
    });
    assert.equal(warned.status, 204, warned.body);
  });
});
