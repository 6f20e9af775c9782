// Invites carry the inviter, trusted members invite, the invite tree and frozen branches (issue 11, ADR 0051).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, defaultPassphrase, signInAs, type SeededUser } from '../../../test/support/seed.js';
import { createSession } from '../../security/sessions.js';
import { serviceContext } from '../../app-context.js';
import type { TrustLevel } from '../../db/schema.js';
import { memberInviteLimits } from './service.js';

let rt: TestRuntime;
let moderator: SeededUser;
let modApi: TestClient;
before(async () => {
  rt = await createTestRuntime({ registrationOverride: 'invite' });
  moderator = await createUser(rt, { username: 'tree_keeper', role: 'moderator' });
  modApi = await apiFor(moderator);
});
after(async () => rt.close());

let counter = 0;
const name = (prefix: string) => `${prefix}${++counter}_${Math.random().toString(36).slice(2, 6)}`;

async function apiFor(user: SeededUser): Promise<TestClient> {
  const client = new TestClient(rt.app);
  client.bearer = (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token;
  return client;
}

async function account(trust: TrustLevel, prefix = 'acct'): Promise<{ user: SeededUser; api: TestClient }> {
  const user = await createUser(rt, { username: name(prefix) });
  await rt.ctx.db.updateTable('users').set({ trust_level: trust }).where('id', '=', user.id).execute();
  return { user, api: await apiFor(user) };
}

/** Registers through the API with an invite code; returns the new account's id and a client signed in as it. */
async function registerWith(code: string, prefix = 'joiner') {
  const client = new TestClient(rt.app);
  const response = await client.api('POST', '/api/v1/auth/register', {
    username: name(prefix),
    passphrase: defaultPassphrase,
    invite: code,
  });
  assert.equal(response.status, 201, response.body);
  const body = response.json();
  client.bearer = body.token;
  return { id: body.user.id as string, username: body.user.username as string, api: client };
}

const inviterOf = async (id: string) =>
  (await rt.ctx.db.selectFrom('users').select('invited_by').where('id', '=', id).executeTakeFirstOrThrow()).invited_by;

test('a trusted member makes invites, sees only their own, and a registration records them as the inviter', async () => {
  const trusted = await account('trusted', 'trusted');
  const created = await trusted.api.api('POST', '/api/v1/invites', { uses: 2, days: 5 });
  assert.equal(created.status, 201, created.body);
  const invite = created.json().invite;

  const other = await account('trusted', 'other');
  await other.api.api('POST', '/api/v1/invites', {});
  const mine = (await trusted.api.get('/api/v1/invites')).json().invites.map((i: { id: string }) => i.id);
  assert.deepEqual(mine, [invite.id], "only the member's own invites are listed");
  assert.equal(
    (await other.api.api('DELETE', `/api/v1/invites/${invite.id}`)).status,
    404,
    "someone else's invite is not theirs to revoke",
  );

  const joined = await registerWith(invite.code);
  assert.equal(await inviterOf(joined.id), trusted.user.id);

  // The same through the registration form.
  const web = new TestClient(rt.app);
  const page = await web.submit(`/register?invite=${invite.code}`, '/register', {
    username: name('formjoin'),
    passphrase: defaultPassphrase,
    invite: invite.code,
  });
  assert.equal(page.status, 200, page.body.slice(0, 400));
  const me = (await web.get('/api/v1/me')).json();
  assert.equal(await inviterOf(me.user?.id ?? me.id), trusted.user.id);
});

test('new members and members make no invites; trusted members are capped, moderators are not', async () => {
  for (const trust of ['new', 'member'] as const) {
    const { api } = await account(trust);
    assert.equal((await api.get('/api/v1/invites')).status, 404);
    assert.equal((await api.api('POST', '/api/v1/invites', {})).status, 403);
  }
  const trusted = await account('trusted', 'capped');
  const tooMany = await trusted.api.api('POST', '/api/v1/invites', { uses: memberInviteLimits.maxUses + 1 });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.json().error.fields[0].field, 'uses');
  for (let i = 0; i < memberInviteLimits.active; i++)
    assert.equal((await trusted.api.api('POST', '/api/v1/invites', {})).status, 201);
  const over = await trusted.api.api('POST', '/api/v1/invites', {});
  assert.equal(over.status, 409, over.body);

  const wide = await modApi.api('POST', '/api/v1/invites', { uses: 50, days: 100 });
  assert.equal(wide.status, 201, 'instance moderators invite without the member cap');
});

test('the member page makes and revokes invites without JavaScript', async () => {
  const trusted = await account('trusted', 'pageuser');
  const web = new TestClient(rt.app);
  await signInAs(rt, web, trusted.user);
  assert.ok((await web.get('/account')).body.includes('href="/invites"'), 'the account page leads there');
  const made = await web.submit('/invites', '/invites', { uses: '1', days: '3' });
  assert.equal(made.status, 200);
  const code = /<p class="invite-code" dir="ltr"><code>([^<]+)<\/code>/.exec(made.body)?.[1];
  assert.ok(code, 'the code is shown once');
  const [invite] = (await trusted.api.get('/api/v1/invites')).json().invites;
  const revoked = await web.submit('/invites', `/invites/${invite.id}/revoke`, {});
  assert.equal(revoked.status, 303);
  assert.equal((await trusted.api.get('/api/v1/invites')).json().invites.length, 0);

  const plain = await account('member', 'plain');
  const plainWeb = new TestClient(rt.app);
  await signInAs(rt, plainWeb, plain.user);
  assert.equal((await plainWeb.get('/invites')).status, 404);
  assert.ok(!(await plainWeb.get('/account')).body.includes('href="/invites"'));
});

test('the invite tree: roots, children, a branch, depth, and only instance moderators see it', async () => {
  const root = await account('trusted', 'root');
  const code = (await root.api.api('POST', '/api/v1/invites', { uses: 2 })).json().invite.code;
  const child = await registerWith(code, 'child');
  await rt.ctx.db.updateTable('users').set({ trust_level: 'trusted' }).where('id', '=', child.id).execute();
  const childCode = (await child.api.api('POST', '/api/v1/invites', {})).json().invite.code;
  const grandchild = await registerWith(childCode, 'grand');

  const whole = (await modApi.get('/api/v1/admin/invite-tree')).json();
  assert.equal(whole.branch, null);
  const rootNode = whole.nodes.find((n: { id: string }) => n.id === root.user.id);
  assert.equal(rootNode.parentId, null);
  assert.equal(rootNode.level, 0);
  assert.equal(rootNode.invitedCount, 1);
  assert.ok(!whole.nodes.some((n: { id: string; level: number }) => n.id === grandchild.id && n.level !== 2));

  const branchResponse = await modApi.get(`/api/v1/admin/invite-tree?root=${child.id}`);
  assert.equal(branchResponse.status, 200, branchResponse.body);
  const branch = branchResponse.json();
  assert.deepEqual(branch.branch, {
    id: child.id,
    username: child.username,
    invitedBy: { id: root.user.id, username: root.user.username },
  });
  assert.deepEqual(
    branch.nodes.map((n: { id: string; parentId: string | null; level: number }) => [n.id, n.parentId, n.level]),
    [
      [child.id, null, 0],
      [grandchild.id, child.id, 1],
    ],
  );
  assert.deepEqual(Object.keys(branch.nodes[0]).sort(), [
    'frozen',
    'id',
    'invitedCount',
    'invitesFrozen',
    'joinedAt',
    'level',
    'parentId',
    'trust',
    'username',
  ]);
  const shallow = (await modApi.get(`/api/v1/admin/invite-tree?root=${root.user.id}&depth=1`)).json();
  assert.deepEqual(
    shallow.nodes.map((n: { id: string }) => n.id),
    [root.user.id],
  );
  assert.equal(shallow.nodes[0].invitedCount, 1, 'the count shows what lies below the depth');

  // Members, trusted members and group moderators (members of the instance) never see it.
  for (const trust of ['new', 'member', 'trusted'] as const) {
    const { user, api } = await account(trust, 'peek');
    assert.equal((await api.get('/api/v1/admin/invite-tree')).status, 404);
    const web = new TestClient(rt.app);
    await signInAs(rt, web, user);
    assert.equal((await web.get('/moderation/invite-tree')).status, 404);
    assert.equal((await web.get(`/moderation/invite-tree?root=${child.id}`)).status, 404);
  }
  assert.equal((await new TestClient(rt.app).get('/api/v1/admin/invite-tree')).status, 401);

  const web = new TestClient(rt.app);
  await signInAs(rt, web, moderator);
  const page = await web.get(`/moderation/invite-tree?root=${child.id}`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(grandchild.username));
  assert.ok(page.body.includes(`/moderation/accounts/${grandchild.id}`), 'each account links to its review page');
  assert.equal((await web.get(`/moderation/accounts/${grandchild.id}`)).status, 200);
  assert.equal((await web.get('/moderation/invite-tree?root=nobody')).status, 404);
});

test('freezing a branch stops every invite its accounts made and any new one, logged; unfreezing restores them', async () => {
  const root = await account('trusted', 'fr');
  const rootCode = (await root.api.api('POST', '/api/v1/invites', { uses: 3 })).json().invite.code;
  const child = await registerWith(rootCode, 'frchild');
  await rt.ctx.db.updateTable('users').set({ trust_level: 'trusted' }).where('id', '=', child.id).execute();
  const childCode = (await child.api.api('POST', '/api/v1/invites', { uses: 2 })).json().invite.code;
  const outsider = await account('trusted', 'outside');
  const outsiderCode = (await outsider.api.api('POST', '/api/v1/invites', {})).json().invite.code;

  const noReason = await modApi.api('POST', `/api/v1/admin/invite-tree/${root.user.id}/freeze`, { reason: '  ' });
  assert.equal(noReason.status, 422);
  const frozen = await modApi.api('POST', `/api/v1/admin/invite-tree/${root.user.id}/freeze`, {
    reason: 'Invited someone who outed a member',
  });
  assert.equal(frozen.status, 200, frozen.body);
  assert.equal(frozen.json().accounts, 2);

  for (const code of [rootCode, childCode]) {
    const refused = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
      username: name('late'),
      passphrase: defaultPassphrase,
      invite: code,
    });
    assert.equal(refused.status, 422, 'an invite made in the frozen branch no longer works');
    assert.equal(refused.json().error.fields[0].field, 'invite');
  }
  assert.equal((await child.api.api('POST', '/api/v1/invites', {})).status, 403, 'and none can be made there');
  await registerWith(outsiderCode, 'unaffected');

  const log = await rt.ctx.db
    .selectFrom('moderation_log')
    .select(['action', 'actor_id', 'target_type', 'target_id', 'target_user_id', 'reason'])
    .where('target_id', '=', root.user.id)
    .execute();
  assert.deepEqual(log, [
    {
      action: 'invites.freeze_branch',
      actor_id: moderator.id,
      target_type: 'user',
      target_id: root.user.id,
      target_user_id: null,
      reason: 'Invited someone who outed a member',
    },
  ]);
  const tree = (await modApi.get(`/api/v1/admin/invite-tree?root=${root.user.id}`)).json();
  assert.ok(tree.nodes.every((n: { invitesFrozen: boolean }) => n.invitesFrozen));

  const restored = await modApi.api('POST', `/api/v1/admin/invite-tree/${root.user.id}/unfreeze`, {
    reason: 'Cleared after review',
  });
  assert.equal(restored.status, 200);
  await registerWith(childCode, 'again');
  const actions = await rt.ctx.db
    .selectFrom('moderation_log')
    .select('action')
    .where('target_id', '=', root.user.id)
    .orderBy('created_at')
    .execute();
  assert.deepEqual(actions.map((a) => a.action).sort(), ['invites.freeze_branch', 'invites.unfreeze_branch']);

  const member = await account('trusted', 'notmod');
  assert.equal(
    (await member.api.api('POST', `/api/v1/admin/invite-tree/${root.user.id}/freeze`, { reason: 'x' })).status,
    403,
  );
});

test('the branch page freezes a branch through its form', async () => {
  const root = await account('trusted', 'formroot');
  const web = new TestClient(rt.app);
  await signInAs(rt, web, moderator);
  const page = `/moderation/invite-tree?root=${root.user.id}`;
  const empty = await web.submit(page, `/moderation/invite-tree/${root.user.id}/freeze`, { reason: '' });
  assert.equal(empty.status, 422);
  const done = await web.submit(page, `/moderation/invite-tree/${root.user.id}/freeze`, { reason: 'Suspicious' });
  assert.equal(done.status, 303);
  const after = await web.get(done.headers.location as string);
  assert.ok(after.body.includes('Invitations stopped for 1 account'), after.body.slice(0, 300));
  assert.ok(after.body.includes(`/moderation/invite-tree/${root.user.id}/unfreeze`));
});

test('deleting an inviter makes those they brought in roots of the tree', async () => {
  const inviter = await account('trusted', 'leaver');
  const code = (await inviter.api.api('POST', '/api/v1/invites', {})).json().invite.code;
  const joined = await registerWith(code, 'orphan');
  const web = new TestClient(rt.app);
  await signInAs(rt, web, inviter.user);
  const deleted = await web.submit('/account', '/account/delete', { current: defaultPassphrase, confirm: 'on' });
  assert.ok([200, 303].includes(deleted.status), `${deleted.status}`);
  assert.equal(await inviterOf(joined.id), null);
});
