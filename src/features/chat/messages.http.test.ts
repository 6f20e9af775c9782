// The core of chat's messages on both engines (ADR 0060): posting takes the chat's next change
// number and its timer's expiry; history pages backwards; a resume reads every change after a
// number; expiry filters every read at once; anonymous messages name nobody but recognise their author.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createRoomRow } from '../../../test/support/chat.js';
import { serviceContext } from '../../app-context.js';
import type { Member } from '../../security/actor.js';
import { changesSince, historyPage, loadDetails, postMessage, presentMessage } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const asMember = (user: { id: string; username: string }): Member => ({
  kind: 'user',
  id: user.id,
  username: user.username,
  role: 'member',
  trust: 'member',
});
const reader = (actor: Member) => ({ actor, keys: rt.ctx.keys, pseudonymName: (n: number) => `Anonymous ${n}` });

test('messages take consecutive numbers, page backwards and resume from a number', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private', anonymousPosting: true });
  const room = await createRoomRow(rt, { groupId: group.id });
  const actor = asMember(owner.user);
  const seqs: number[] = [];
  for (let i = 0; i < 55; i++)
    seqs.push((await postMessage(serviceContext(rt.ctx), actor, room, { body: `message ${i}` })).seq);
  assert.deepEqual(
    seqs,
    Array.from({ length: 55 }, (_, i) => i + 1),
  );
  const latest = await historyPage(serviceContext(rt.ctx), room, null);
  assert.equal(latest.rows.length, 50);
  assert.equal(latest.rows.at(-1)!.body, 'message 54');
  assert.equal(latest.olderBefore, 6);
  const older = await historyPage(serviceContext(rt.ctx), room, latest.olderBefore);
  assert.deepEqual(
    older.rows.map((r) => r.body),
    ['message 0', 'message 1', 'message 2', 'message 3', 'message 4'],
  );
  assert.equal(older.olderBefore, null);
  const resumed = await changesSince(serviceContext(rt.ctx), room, 53);
  assert.deepEqual(
    resumed.map((r) => r.body),
    ['message 53', 'message 54'],
  );
});

test('a message past its expiry is served nowhere, at once', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private' });
  const room = await createRoomRow(rt, { groupId: group.id, timerSeconds: 3600 });
  const actor = asMember(owner.user);
  await postMessage(serviceContext(rt.ctx), actor, room, { body: 'soon gone' });
  assert.equal((await historyPage(serviceContext(rt.ctx), room, null)).rows.length, 1);
  rt.advance(3600_000 + 1);
  assert.equal((await historyPage(serviceContext(rt.ctx), room, null)).rows.length, 0);
  assert.equal((await changesSince(serviceContext(rt.ctx), room, 0)).length, 0);
});

test('an anonymous message names no account, and its author alone sees it as theirs', async () => {
  const owner = await member(rt, 'own');
  const other = await member(rt, 'oth');
  const group = await createGroupAs(owner.api, { visibility: 'public', anonymousPosting: true });
  assert.equal((await other.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  const room = await createRoomRow(rt, { groupId: group.id });
  await postMessage(serviceContext(rt.ctx), asMember(owner.user), room, { body: 'from nobody', anonymous: true });
  const { rows } = await historyPage(serviceContext(rt.ctx), room, null);
  assert.equal(rows[0]!.author_id, null);
  const details = await loadDetails(serviceContext(rt.ctx), rows);
  const forAuthor = presentMessage(details, rows[0]!, reader(asMember(owner.user)));
  const forOther = presentMessage(details, rows[0]!, reader(asMember(other.user)));
  assert.equal(forAuthor.mine, true);
  assert.equal(forOther.mine, false);
  assert.equal(forOther.author, null);
  assert.match(forOther.pseudonym ?? '', /^Anonymous \d+$/);
  assert.doesNotMatch(JSON.stringify(forOther), new RegExp(owner.user.id));
});

test('a chat one cannot read answers as missing; one read but not written in refuses', async () => {
  const owner = await member(rt, 'own');
  const stranger = await member(rt, 'str');
  const hidden = await createGroupAs(owner.api, { visibility: 'hidden' });
  const open = await createGroupAs(owner.api, { visibility: 'public' });
  const hiddenRoom = await createRoomRow(rt, { groupId: hidden.id });
  const openRoom = await createRoomRow(rt, { groupId: open.id });
  const post = (room: string) => postMessage(serviceContext(rt.ctx), asMember(stranger.user), room, { body: 'hi' });
  await assert.rejects(post(hiddenRoom), { code: 'not_found' });
  await assert.rejects(post(openRoom), { code: 'forbidden' });
  await assert.rejects(postMessage(serviceContext(rt.ctx), asMember(owner.user), openRoom, { body: '  ' }), {
    code: 'validation_failed',
  });
});
