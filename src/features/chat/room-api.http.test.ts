// Rooms through the API (ADR 0064), on both engines: who reads and who manages a group's rooms and
// the instance's, answered as the rules say (a room of a group one cannot read does not exist),
// each management action audited, and a deleted room's messages gone with it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext } from '../../app-context.js';
import type { Member } from '../../security/actor.js';
import { postMessage } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Someone = Awaited<ReturnType<typeof member>>;
const asMember = (someone: Someone): Member => ({
  kind: 'user',
  id: someone.user.id,
  username: someone.user.username,
  role: 'member',
  trust: 'member',
});

async function join(groupId: string, someone: Someone, role: 'member' | 'moderator' = 'member') {
  await rt.ctx.db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: someone.user.id, role, joined_at: rt.ctx.now() })
    .execute();
}

async function roomIn(api: TestClient, groupId: string, name = 'General') {
  const r = await api.api('POST', `/api/v1/groups/${groupId}/rooms`, { name });
  assert.equal(r.status, 201, r.body);
  return r.json().room as { id: string; groupId: string; name: string; timer: number | null; archived: boolean };
}

const audited = async (action: string, roomId: string) =>
  (
    await rt.ctx.db
      .selectFrom('audit_log')
      .select(['actor_id', 'subject'])
      .where('action', '=', action)
      .where('target_id', '=', roomId)
      .execute()
  ).length;

describe("a group's rooms", () => {
  let owner: Someone;
  let moderator: Someone;
  let groupMember: Someone;
  let outsider: Someone;
  let instanceModerator: Someone;
  let admin: Someone;
  let privateGroup: { id: string };
  let hiddenGroup: { id: string };
  let publicGroup: { id: string };

  before(async () => {
    owner = await member(rt, 'own');
    moderator = await member(rt, 'mod');
    groupMember = await member(rt, 'mem');
    outsider = await member(rt, 'out');
    instanceModerator = await member(rt, 'imod', { role: 'moderator' });
    admin = await member(rt, 'adm', { role: 'admin' });
    privateGroup = await createGroupAs(owner.api, { visibility: 'private' });
    hiddenGroup = await createGroupAs(owner.api, { visibility: 'hidden' });
    publicGroup = await createGroupAs(owner.api, { visibility: 'public' });
    for (const g of [privateGroup, hiddenGroup, publicGroup]) {
      await join(g.id, moderator, 'moderator');
      await join(g.id, groupMember);
    }
  });

  test("the owner creates a room, which starts with the group's room timer, and says so in the audit log", async () => {
    await rt.ctx.db
      .updateTable('groups')
      .set({ room_timer_seconds: 86_400 })
      .where('id', '=', privateGroup.id)
      .execute();
    const room = await roomIn(owner.api, privateGroup.id, '  غرفة  الترحيب ');
    assert.deepEqual(Object.keys(room).sort(), ['archived', 'groupId', 'id', 'name', 'timer', 'unread']);
    assert.equal(room.name, 'غرفة الترحيب');
    assert.equal(room.timer, 86_400);
    assert.equal(room.groupId, privateGroup.id);
    assert.equal(room.archived, false);
    assert.equal(await audited('chat.room.create', room.id), 1);
  });

  test('names of 2 to 60 characters only', async () => {
    for (const name of ['a', 'x'.repeat(61)]) {
      const r = await owner.api.api('POST', `/api/v1/groups/${privateGroup.id}/rooms`, { name });
      assert.equal(r.status, 422, name);
    }
    const spaces = await owner.api.api('POST', `/api/v1/groups/${privateGroup.id}/rooms`, { name: '   a   ' });
    assert.equal(spaces.status, 422);
    assert.equal(spaces.json().error.fields[0].field, 'name');
  });

  test('members read the rooms and write in them; only the owner and moderators manage them', async () => {
    const room = await roomIn(moderator.api, privateGroup.id, 'Moderated');
    const list = await groupMember.api.get(`/api/v1/groups/${privateGroup.id}/rooms`);
    assert.equal(list.status, 200);
    assert.ok(list.json().rooms.some((r: { id: string }) => r.id === room.id));
    assert.equal((await groupMember.api.get(`/api/v1/rooms/${room.id}`)).status, 200);
    await postMessage(serviceContext(rt.ctx), asMember(groupMember), room.id, { body: 'hello' });

    assert.equal(
      (await groupMember.api.api('POST', `/api/v1/groups/${privateGroup.id}/rooms`, { name: 'Mine' })).status,
      403,
    );
    assert.equal((await groupMember.api.api('PATCH', `/api/v1/rooms/${room.id}`, { name: 'Renamed' })).status, 403);
    assert.equal((await groupMember.api.api('DELETE', `/api/v1/rooms/${room.id}`)).status, 403);

    const renamed = await moderator.api.api('PATCH', `/api/v1/rooms/${room.id}`, { name: 'Renamed', archived: true });
    assert.equal(renamed.status, 200, renamed.body);
    assert.equal(renamed.json().room.name, 'Renamed');
    assert.equal(renamed.json().room.archived, true);
    assert.equal(await audited('chat.room.rename', room.id), 1);
    assert.equal(await audited('chat.room.archive', room.id), 1);
    // An archived room is read and takes nothing new.
    await assert.rejects(postMessage(serviceContext(rt.ctx), asMember(groupMember), room.id, { body: 'late' }), {
      code: 'forbidden',
    });
    const back = await owner.api.api('PATCH', `/api/v1/rooms/${room.id}`, { archived: false });
    assert.equal(back.json().room.archived, false);
    assert.equal(await audited('chat.room.unarchive', room.id), 1);
  });

  test('whoever cannot read a group cannot tell that its rooms exist', async () => {
    const room = await roomIn(owner.api, privateGroup.id, 'Private');
    const hidden = await roomIn(owner.api, hiddenGroup.id, 'Hidden');
    for (const [someone, label] of [
      [outsider, 'a non-member'],
      [instanceModerator, 'an instance moderator'],
      [admin, 'an administrator'],
    ] as const) {
      assert.equal((await someone.api.get(`/api/v1/groups/${privateGroup.id}/rooms`)).status, 404, label);
      assert.equal((await someone.api.get(`/api/v1/rooms/${room.id}`)).status, 404, label);
      assert.equal((await someone.api.get(`/api/v1/rooms/${hidden.id}`)).status, 404, label);
      assert.equal((await someone.api.api('PATCH', `/api/v1/rooms/${hidden.id}`, { name: 'Mine now' })).status, 404);
      assert.equal((await someone.api.api('DELETE', `/api/v1/rooms/${room.id}`)).status, 404, label);
      assert.equal(
        (await someone.api.api('POST', `/api/v1/groups/${hiddenGroup.id}/rooms`, { name: 'Sneaky' })).status,
        404,
        label,
      );
    }
    const visitor = new TestClient(rt.app);
    assert.equal((await visitor.get(`/api/v1/groups/${publicGroup.id}/rooms`)).status, 401);
    assert.equal((await visitor.get(`/api/v1/rooms/${room.id}`)).status, 401);
    assert.equal(
      (await visitor.api('POST', `/api/v1/groups/${publicGroup.id}/rooms`, { name: 'Visitor' })).status,
      401,
    );
  });

  test("a public group's rooms are read by any member, managed by its own moderators only", async () => {
    const room = await roomIn(owner.api, publicGroup.id, 'Open');
    assert.equal((await outsider.api.get(`/api/v1/rooms/${room.id}`)).status, 200);
    assert.equal((await admin.api.api('PATCH', `/api/v1/rooms/${room.id}`, { name: 'Taken' })).status, 403);
    assert.equal((await instanceModerator.api.api('DELETE', `/api/v1/rooms/${room.id}`)).status, 403);
  });

  test('deleting a room erases its messages with it, audited', async () => {
    const room = await roomIn(owner.api, privateGroup.id, 'Short lived');
    for (const body of ['one', 'two'])
      await postMessage(serviceContext(rt.ctx), asMember(groupMember), room.id, { body });
    const r = await moderator.api.api('DELETE', `/api/v1/rooms/${room.id}`);
    assert.equal(r.status, 204);
    const left = await rt.ctx.db.selectFrom('chat_messages').select('id').where('chat_id', '=', room.id).execute();
    assert.equal(left.length, 0);
    assert.equal((await groupMember.api.get(`/api/v1/rooms/${room.id}`)).status, 404);
    assert.equal(await audited('chat.room.delete', room.id), 1);
  });
});

describe("the instance's rooms", () => {
  test('administrators create and manage them; every member reads and writes in them', async () => {
    const admin = await member(rt, 'adm', { role: 'admin' });
    const instanceModerator = await member(rt, 'imod', { role: 'moderator' });
    const someone = await member(rt, 'any');
    const created = await admin.api.api('POST', '/api/v1/rooms', { name: 'Newcomers' });
    assert.equal(created.status, 201, created.body);
    const room = created.json().room;
    assert.equal(room.groupId, null);
    assert.equal((await instanceModerator.api.api('POST', '/api/v1/rooms', { name: 'Mods' })).status, 403);
    assert.equal((await someone.api.api('POST', '/api/v1/rooms', { name: 'Mine' })).status, 403);
    assert.equal((await someone.api.get(`/api/v1/rooms/${room.id}`)).status, 200);
    await postMessage(serviceContext(rt.ctx), asMember(someone), room.id, { body: 'hello everyone' });
    assert.equal((await someone.api.api('PATCH', `/api/v1/rooms/${room.id}`, { name: 'Mine' })).status, 403);
    assert.equal((await instanceModerator.api.api('PATCH', `/api/v1/rooms/${room.id}`, { name: 'Mine' })).status, 403);
    const mine = (await someone.api.get('/api/v1/rooms')).json().rooms as { id: string }[];
    assert.ok(
      mine.some((r) => r.id === room.id),
      "instance rooms are every member's",
    );
    assert.equal((await admin.api.api('PATCH', `/api/v1/rooms/${room.id}`, { archived: true })).status, 200);
    assert.equal((await admin.api.api('DELETE', `/api/v1/rooms/${room.id}`)).status, 204);
  });

  test("the member's rooms are the instance's and those of the groups they belong to and may read", async () => {
    const owner = await member(rt, 'own');
    const reader = await member(rt, 'rdr');
    const joined = await createGroupAs(owner.api, { visibility: 'private' });
    const other = await createGroupAs(owner.api, { visibility: 'public' });
    await join(joined.id, reader);
    const inJoined = await roomIn(owner.api, joined.id, 'Joined room');
    const inOther = await roomIn(owner.api, other.id, 'Other room');
    const rooms = (await reader.api.get('/api/v1/rooms')).json().rooms as { id: string }[];
    assert.ok(rooms.some((r) => r.id === inJoined.id));
    assert.ok(!rooms.some((r) => r.id === inOther.id), 'a public group one has not joined is not listed');
    // Banned (still listed as a member): the group's rooms leave the list, and cannot be read.
    await rt.ctx.db
      .insertInto('group_bans')
      .values({ group_id: joined.id, user_id: reader.user.id, anonymous: 0, created_at: rt.ctx.now() })
      .execute();
    const after = (await reader.api.get('/api/v1/rooms')).json().rooms as { id: string }[];
    assert.ok(!after.some((r) => r.id === inJoined.id));
    assert.equal((await reader.api.get(`/api/v1/rooms/${inJoined.id}`)).status, 404);
  });
});
