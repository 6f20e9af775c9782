// Every read path, for every role and every visibility, agrees with the pure policies: the group
// page and API, the thread page and API, search, mention notifications, the member list, and
// anonymous authors (never shown to anyone).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser } from '../../../test/support/seed.js';
import { createSession } from '../../security/sessions.js';
import { serviceContext } from '../../app-context.js';
import { canReadContent, canSeeGroup, canSeeMembers, type GroupRole, type Visibility } from './policy.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Role =
  | 'visitor'
  | 'instance member'
  | 'applicant'
  | 'group member'
  | 'group moderator'
  | 'owner'
  | 'instance moderator'
  | 'admin';
const roles: Role[] = [
  'visitor',
  'instance member',
  'applicant',
  'group member',
  'group moderator',
  'owner',
  'instance moderator',
  'admin',
];

async function staff(role: 'moderator' | 'admin') {
  const user = await createUser(rt, { username: `${role}_${Math.random().toString(36).slice(2, 8)}`, role });
  const api = new TestClient(rt.app);
  api.bearer = (await createSession(serviceContext(rt.ctx), user.id, 'Test')).token;
  return { user, api };
}

for (const visibility of ['public', 'private', 'hidden'] as Visibility[]) {
  test(`read paths in a ${visibility} group agree with the policies for all eight roles`, async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility,
      anonymousPosting: true,
      questions: visibility === 'private' ? ['Why?'] : [],
    });
    const moderator = await member(rt, 'mod');
    const plain = await member(rt, 'mem');
    const applicant = await member(rt, 'app');
    const outsider = await member(rt, 'out');
    const instanceModerator = await staff('moderator');
    const admin = await staff('admin');
    const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 5 })).json().invite;
    for (const m of [moderator, plain]) {
      const joined = await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
      assert.equal(joined.status, 200);
    }
    await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${moderator.user.id}`, { role: 'moderator' });
    if (visibility === 'private')
      await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['Friends'] });

    const word = `matrixword${visibility}`;
    const people = { owner, moderator, plain, applicant, outsider, instanceModerator, admin };
    const mentions = Object.values(people)
      .map((p) => `@${p.user.username}`)
      .join(' ');
    const { thread, post: opening } = (
      await plain.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
        title: `About ${word}`,
        body: `${word} ${mentions}`,
      })
    ).json();
    const secretBody = `anonymous${visibility}`;
    await plain.api.api('POST', `/api/v1/threads/${thread.id}/posts`, { body: secretBody, anonymous: true });

    const clients: Record<Role, TestClient> = {
      visitor: new TestClient(rt.app),
      'instance member': outsider.api,
      applicant: applicant.api,
      'group member': plain.api,
      'group moderator': moderator.api,
      owner: owner.api,
      'instance moderator': instanceModerator.api,
      admin: admin.api,
    };
    const membership: Record<Role, GroupRole | null> = {
      visitor: null,
      'instance member': null,
      applicant: null,
      'group member': 'member',
      'group moderator': 'moderator',
      owner: 'owner',
      'instance moderator': null,
      admin: null,
    };
    const facts = { visibility, membersListOpen: false };

    for (const role of roles) {
      const client = clients[role];
      const actor =
        role === 'visitor'
          ? ({ kind: 'visitor' } as const)
          : ({
              kind: 'user',
              id: 'x',
              username: 'x',
              role: role === 'admin' ? 'admin' : role === 'instance moderator' ? 'moderator' : 'member',
            } as const);
      const viewer = {
        actor,
        membership: membership[role],
        pendingRequest: role === 'applicant' && visibility === 'private',
        banned: false,
      };
      const label = `${visibility} / ${role}`;
      if (role === 'visitor') {
        for (const path of [
          `/api/v1/groups/${group.id}`,
          `/api/v1/threads/${thread.id}`,
          `/api/v1/search?q=${word}`,
          '/api/v1/notifications',
        ]) {
          assert.equal((await client.get(path)).status, 401, `${label} ${path}`);
        }
        assert.equal((await client.get(`/groups/${group.id}`)).status, 303, `${label} is sent to sign in`);
        assert.equal(canSeeGroup(viewer, facts), false);
        continue;
      }
      const sees = canSeeGroup(viewer, facts);
      const reads = canReadContent(viewer, facts);
      assert.equal((await client.get(`/api/v1/groups/${group.id}`)).status, sees ? 200 : 404, `${label}: group API`);
      assert.equal(
        (await client.get(`/api/v1/groups/${group.id}/threads`)).status,
        reads ? 200 : 404,
        `${label}: thread list API`,
      );
      const threadApi = await client.get(`/api/v1/threads/${thread.id}`);
      assert.equal(threadApi.status, reads ? 200 : 404, `${label}: thread API`);
      const members = await client.get(`/api/v1/groups/${group.id}/members`);
      assert.equal(members.status, canSeeMembers(viewer, facts) ? 200 : 404, `${label}: member list`);

      const web = new TestClient(rt.app);
      web.cookies.set('sanad_session', client.bearer!);
      assert.equal((await web.get(`/groups/${group.id}`)).status, sees ? 200 : 404, `${label}: group page`);
      const threadPage = await web.get(`/threads/${thread.id}`);
      assert.equal(threadPage.status, reads ? 200 : 404, `${label}: thread page`);

      const hits = (await client.get(`/api/v1/search?q=${word}`)).json().results;
      assert.equal(hits.length, reads ? 1 : 0, `${label}: search`);
      const mentioned = (await client.get('/api/v1/notifications'))
        .json()
        .notifications.some(
          (n: { kind: string; href: string }) => n.kind === 'mention' && n.href === `/posts/${opening.id}`,
        );
      const isAuthor = role === 'group member';
      assert.equal(mentioned, reads && !isAuthor, `${label}: mention notification`);

      if (reads) {
        const anonymous = threadApi.json().posts.find((p: { body: string }) => p.body === secretBody);
        assert.equal(anonymous.author.kind, 'anonymous', `${label}: anonymous author`);
        assert.deepEqual(
          Object.keys(anonymous.author).sort(),
          ['kind', 'pseudonym'],
          `${label}: nothing but a pseudonym`,
        );
        assert.equal(anonymous.mine, isAuthor, `${label}: only the author recognises it`);
      }
    }
  });
}
