// Instance moderators (and administrators) act in every group's moderation without reading what they
// may not read (ADR 0032): roles × actions × visibilities, through the API, against a real database.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import type { TestClient } from '../../../test/support/client.js';
import type { Visibility } from './policy.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;
async function withRole(role: 'member' | 'moderator' | 'admin', prefix: string): Promise<Person> {
  const m = await member(rt, prefix);
  await rt.ctx.db.updateTable('users').set({ role }).where('id', '=', m.user.id).execute();
  return m;
}

/** A group with an owner, a group moderator, a member who posted, and (private) one waiting request. */
async function scene(visibility: Visibility) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility, questions: visibility === 'private' ? ['Why?'] : [] });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 5 })).json().invite;
  const join = async (m: Person) =>
    assert.equal(
      (await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      200,
    );
  const groupModerator = await member(rt, 'gmod');
  const poster = await member(rt, 'post');
  const other = await member(rt, 'oth');
  for (const m of [groupModerator, poster, other]) await join(m);
  await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${groupModerator.user.id}`, { role: 'moderator' });
  const created = (
    await poster.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
      title: 'Moderated thread',
      body: `secretwords${visibility}`,
    })
  ).json();
  const thread = { threadId: created.thread.id as string, postId: created.post.id as string };
  let requestId: string | null = null;
  if (visibility === 'private') {
    const applicant = await member(rt, 'app');
    await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['Hello'] });
    requestId = (await owner.api.get(`/api/v1/groups/${group.id}/requests`)).json().requests[0].id;
  }
  return { owner, group, groupModerator, poster, other, thread, requestId };
}

type Actor = 'instance moderator' | 'administrator' | 'instance member' | 'group moderator';
type Expected = Record<Actor, Record<Visibility, number>>;
const all = (status: number): Record<Visibility, number> => ({ public: status, private: status, hidden: status });
/** A member of the instance outside the group: may read a public group, moderates nothing. */
const outsider = { public: 403, private: 404, hidden: 404 };

const actions: Record<
  string,
  { expected: Expected; run: (c: TestClient, s: Awaited<ReturnType<typeof scene>>) => Promise<number> }
> = {
  'hide a post': {
    expected: {
      'instance moderator': all(204),
      administrator: all(204),
      'instance member': outsider,
      'group moderator': all(204),
    },
    run: async (c, s) => (await c.api('POST', `/api/v1/posts/${s.thread.postId}/hide`, { hidden: true })).status,
  },
  'list the members': {
    expected: {
      'instance moderator': all(200),
      administrator: all(200),
      'instance member': all(404),
      'group moderator': all(200),
    },
    run: async (c, s) => (await c.get(`/api/v1/groups/${s.group.id}/members`)).status,
  },
  'remove and ban a member': {
    expected: {
      'instance moderator': all(204),
      administrator: all(204),
      'instance member': { public: 403, private: 403, hidden: 404 },
      'group moderator': all(204),
    },
    run: async (c, s) =>
      (await c.api('DELETE', `/api/v1/groups/${s.group.id}/members/${s.other.user.id}?ban=true`)).status,
  },
  'remove the group moderator (outranked by instance staff only)': {
    expected: {
      'instance moderator': all(204),
      administrator: all(204),
      'instance member': { public: 403, private: 403, hidden: 404 },
      'group moderator': all(409),
    },
    run: async (c, s) =>
      (await c.api('DELETE', `/api/v1/groups/${s.group.id}/members/${s.groupModerator.user.id}`)).status,
  },
  'remove the owner': {
    expected: {
      'instance moderator': all(403),
      administrator: all(403),
      'instance member': { public: 403, private: 403, hidden: 404 },
      'group moderator': all(403),
    },
    run: async (c, s) => (await c.api('DELETE', `/api/v1/groups/${s.group.id}/members/${s.owner.user.id}`)).status,
  },
  'list the bans': {
    expected: {
      'instance moderator': all(200),
      administrator: all(200),
      'instance member': all(404),
      'group moderator': all(200),
    },
    run: async (c, s) => (await c.get(`/groups/${s.group.id}/bans`)).status,
  },
  'read the thread': {
    expected: {
      'instance moderator': { public: 200, private: 404, hidden: 404 },
      administrator: { public: 200, private: 404, hidden: 404 },
      'instance member': { public: 200, private: 404, hidden: 404 },
      'group moderator': all(200),
    },
    run: async (c, s) => (await c.get(`/api/v1/threads/${s.thread.threadId}`)).status,
  },
  'open the group page': {
    expected: {
      'instance moderator': { public: 200, private: 200, hidden: 404 },
      administrator: { public: 200, private: 200, hidden: 404 },
      'instance member': { public: 200, private: 200, hidden: 404 },
      'group moderator': all(200),
    },
    run: async (c, s) => (await c.get(`/api/v1/groups/${s.group.id}`)).status,
  },
  'make an invite link': {
    expected: {
      'instance moderator': { public: 403, private: 403, hidden: 404 },
      administrator: { public: 403, private: 403, hidden: 404 },
      'instance member': { public: 403, private: 403, hidden: 404 },
      'group moderator': all(201),
    },
    run: async (c, s) => (await c.api('POST', `/api/v1/groups/${s.group.id}/invites`, { uses: 1 })).status,
  },
  'delete a post outright': {
    expected: {
      'instance moderator': { public: 403, private: 404, hidden: 404 },
      administrator: { public: 403, private: 404, hidden: 404 },
      'instance member': outsider,
      'group moderator': all(204),
    },
    run: async (c, s) => (await c.api('DELETE', `/api/v1/posts/${s.thread.postId}`)).status,
  },
  'ban the author of a named post': {
    expected: {
      'instance moderator': all(204),
      administrator: all(204),
      'instance member': outsider,
      'group moderator': all(204),
    },
    run: async (c, s) => (await c.api('POST', `/api/v1/posts/${s.thread.postId}/ban-author`)).status,
  },
};

for (const visibility of ['public', 'private', 'hidden'] as Visibility[]) {
  test(`${visibility} group: instance staff moderate it without reading more than anyone may`, async () => {
    const actors: Record<Actor, Person | 'group moderator'> = {
      'instance moderator': await withRole('moderator', 'imod'),
      administrator: await withRole('admin', 'adm'),
      'instance member': await withRole('member', 'imem'),
      'group moderator': 'group moderator',
    };
    for (const [action, { expected, run }] of Object.entries(actions)) {
      for (const [name, who] of Object.entries(actors) as [Actor, Person | 'group moderator'][]) {
        const s = await scene(visibility);
        const client = who === 'group moderator' ? s.groupModerator.api : who.api;
        const status = await run(client, s);
        assert.equal(status, expected[name][visibility], `${visibility} / ${name} / ${action}`);
      }
    }
  });
}

test('private group: instance moderators decide join requests, and read the answers, not the threads', async () => {
  const staff = await withRole('moderator', 'imod');
  const s = await scene('private');
  const requests = await staff.api.get(`/api/v1/groups/${s.group.id}/requests`);
  assert.equal(requests.status, 200);
  assert.equal(requests.json().requests.length, 1);
  assert.equal(
    (await staff.api.api('POST', `/api/v1/groups/${s.group.id}/requests/${s.requestId}/approve`)).status,
    204,
  );
  const outsider = await member(rt, 'out');
  assert.equal((await outsider.api.get(`/api/v1/groups/${s.group.id}/requests`)).status, 404);
});

test('hidden group: found by staff on its moderation pages only, never in the directory or search', async () => {
  const staff = await withRole('moderator', 'imod');
  const s = await scene('hidden');
  const members = await staff.api.get(`/groups/${s.group.id}/members`);
  assert.equal(members.status, 200, 'the members page by id');
  assert.ok(!members.body.includes('secretwordshidden'));
  assert.equal((await staff.api.get(`/groups/${s.group.id}`)).status, 404, 'not its page');
  const directory = (await staff.api.get('/api/v1/groups')).json().groups as { id: string }[];
  assert.ok(!directory.some((g) => g.id === s.group.id), 'not in the directory');
  assert.equal((await staff.api.get('/api/v1/search?q=secretwordshidden')).json().results.length, 0);
  const hid = await staff.api.api('POST', `/api/v1/posts/${s.thread.postId}/hide`, { hidden: true });
  assert.equal(hid.status, 204);
  assert.equal(hid.body, '', 'hiding answers with nothing of the post');
  assert.equal((await staff.api.get(`/groups/${s.group.id}/invites`)).status, 404, 'nor its invite links');
});
