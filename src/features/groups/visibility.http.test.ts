import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { csrfTokenIn, type TestClient } from '../../../test/support/client.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const settingsForm = {
  name: 'Circle of the river',
  description: 'A quiet place to talk.',
  languages: 'en',
  country: 'LB',
  city: 'Beirut',
  interests: 'books',
  issues: '',
  identities: 'queer',
  questions: '',
};

async function visibilityOf(groupId: string): Promise<string> {
  const row = await rt.ctx.db
    .selectFrom('groups')
    .select('visibility')
    .where('id', '=', groupId)
    .executeTakeFirstOrThrow();
  return row.visibility;
}

async function auditOf(groupId: string): Promise<string[]> {
  const rows = await rt.ctx.db
    .selectFrom('audit_log')
    .select('action')
    .where('subject', '=', groupId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.action);
}

async function notificationsOf(
  api: TestClient,
  groupId: string,
): Promise<{ kind: string; text: string; href: string }[]> {
  const body = (await api.get('/api/v1/notifications')).json();
  return body.notifications.filter((n: { href: string }) => n.href === `/groups/${groupId}`);
}

/** Owner, two members and a stranger around one group of the given visibility. */
async function community(visibility: 'hidden' | 'private' | 'public') {
  const owner = await browserMember(rt, 'owner');
  const ownerApi = await member(rt, 'ownerapi');
  const group = await createGroupAs(ownerApi.api, {
    name: settingsForm.name,
    description: settingsForm.description,
    languages: ['en'],
    visibility: 'public',
  });
  // Hand the group to the browser owner: both clients manage it through the owner's account.
  await rt.ctx.db
    .updateTable('group_members')
    .set({ user_id: owner.user.id })
    .where('group_id', '=', group.id)
    .execute();
  const members = [await member(rt, 'reader'), await member(rt, 'writer')];
  for (const m of members) assert.equal((await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  await threadIn(members[0]!.api, group.id, { title: 'Our first meeting' });
  await rt.ctx.db.updateTable('groups').set({ visibility }).where('id', '=', group.id).execute();
  const stranger = await member(rt, 'stranger');
  return { owner, group, members, stranger };
}

describe('showing a group to more people asks first (ADR 0042)', () => {
  test('hidden → public: a confirmation page says what becomes visible to whom, and nothing changes until it is confirmed', async () => {
    const { owner, group, members, stranger } = await community('hidden');
    const page = `/groups/${group.id}/settings`;
    const asked = await owner.web.submit(page, page, {
      ...settingsForm,
      name: 'Circle of the river, renamed',
      visibility: 'public',
    });
    assert.equal(asked.status, 200);
    assert.match(asked.body, /Show the group to more people\?/);
    assert.match(asked.body, /find the group in the directory and in search/);
    assert.match(asked.body, /read all its threads and posts, those written before today too/);
    assert.match(asked.body, /Every member of the group will be told/);
    // The other edits ride along, unsaved.
    assert.match(asked.body, /<input type="hidden" name="name" value="Circle of the river, renamed"/);
    assert.equal(await visibilityOf(group.id), 'hidden');
    const before = await rt.ctx.db
      .selectFrom('groups')
      .select('name')
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    assert.equal(before.name, 'Circle of the river');
    assert.equal((await stranger.api.get(`/api/v1/groups/${group.id}`)).status, 404);
    assert.deepEqual(await notificationsOf(members[0]!.api, group.id), []);

    // "Back to the settings" shows the form with the edits kept, and still changes nothing.
    const back = await owner.web.request('POST', page, {
      form: {
        ...settingsForm,
        name: 'Circle of the river, renamed',
        visibility: 'public',
        back: '1',
        _csrf: csrfTokenIn(asked.body),
      },
    });
    assert.equal(back.status, 200);
    assert.match(back.body, /value="Circle of the river, renamed"/);
    assert.match(back.body, /id="field-visibility-public"[^>]*checked|checked[^>]*id="field-visibility-public"/);
    assert.equal(await visibilityOf(group.id), 'hidden');

    // A confirmation of another visibility does not do: it must name the one asked for.
    const wrong = await owner.web.request('POST', page, {
      form: { ...settingsForm, visibility: 'public', confirmVisibility: 'private', _csrf: csrfTokenIn(asked.body) },
    });
    assert.match(wrong.body, /Show the group to more people\?/);
    assert.equal(await visibilityOf(group.id), 'hidden');

    const confirmed = await owner.web.request('POST', page, {
      form: {
        ...settingsForm,
        name: 'Circle of the river, renamed',
        visibility: 'public',
        confirmVisibility: 'public',
        _csrf: csrfTokenIn(asked.body),
      },
    });
    assert.equal(confirmed.status, 303);
    assert.equal(await visibilityOf(group.id), 'public');
    assert.equal(
      (await stranger.api.get(`/api/v1/groups/${group.id}`)).json().group.name,
      'Circle of the river, renamed',
    );
    assert.deepEqual(await auditOf(group.id), ['group.create', 'group.update', 'group.visibility.raise.hidden.public']);

    for (const m of members) {
      const told = await notificationsOf(m.api, group.id);
      assert.equal(told.length, 1, 'each member is told once');
      assert.equal(told[0]!.kind, 'group_visibility_raised');
      assert.match(told[0]!.text, /is now public/);
    }
    assert.deepEqual(await notificationsOf(stranger.api, group.id), [], 'people outside the group are not told');
    assert.deepEqual(await notificationsOf(owner.web, group.id), [], 'the owner who chose it is not told');

    // In Arabic too, and it stops naming the group for someone who left it.
    members[1]!.api.acceptLanguage = 'ar';
    assert.match((await notificationsOf(members[1]!.api, group.id))[0]!.text, /صارت .* عامّة/);
    await members[1]!.api.api('POST', `/api/v1/groups/${group.id}/leave`, {});
    assert.deepEqual(await notificationsOf(members[1]!.api, group.id), []);
  });

  test('hidden → private says the group gets listed while its threads stay for members; the notification says so', async () => {
    const { owner, group, members } = await community('hidden');
    const page = `/groups/${group.id}/settings`;
    owner.web.acceptLanguage = 'ar';
    const asked = await owner.web.submit(page, page, { ...settingsForm, visibility: 'private' });
    assert.match(asked.body, /إظهار المجموعة لعدد أكبر من الناس؟/);
    assert.match(asked.body, /سيجد كل من لديه حساب/);
    assert.match(asked.body, /تبقى المواضيع والمشاركات مقصورة على أعضائها/);
    assert.doesNotMatch(asked.body, /سيقرأ كل من لديه حساب/, 'a private group is not read by everyone');
    assert.equal(await visibilityOf(group.id), 'hidden');
    const confirmed = await owner.web.request('POST', page, {
      form: { ...settingsForm, visibility: 'private', confirmVisibility: 'private', _csrf: csrfTokenIn(asked.body) },
    });
    assert.equal(confirmed.status, 303);
    assert.equal(await visibilityOf(group.id), 'private');
    assert.match((await notificationsOf(members[0]!.api, group.id))[0]!.text, /is now listed in the directory/);
  });

  test('making a group less visible needs no confirmation, and is audited; a member who turned the kind off is not told', async () => {
    const { owner, group, members } = await community('public');
    const page = `/groups/${group.id}/settings`;
    const lowered = await owner.web.submit(page, page, { ...settingsForm, visibility: 'hidden' });
    assert.equal(lowered.status, 303);
    assert.equal(await visibilityOf(group.id), 'hidden');
    assert.ok((await auditOf(group.id)).includes('group.visibility.lower.public.hidden'));
    assert.deepEqual(await notificationsOf(members[0]!.api, group.id), []);

    // Preferences: the kind is listed and may be turned off like the others.
    const prefs = (await members[0]!.api.get('/api/v1/notifications/preferences')).json().preferences;
    assert.ok(prefs.some((p: { kind: string }) => p.kind === 'group_visibility_raised'));
    assert.equal(
      (await members[0]!.api.api('PUT', '/api/v1/notifications/preferences', { group_visibility_raised: 'off' }))
        .status,
      200,
    );
    const asked = await owner.web.submit(page, page, { ...settingsForm, visibility: 'private' });
    await owner.web.request('POST', page, {
      form: { ...settingsForm, visibility: 'private', confirmVisibility: 'private', _csrf: csrfTokenIn(asked.body) },
    });
    assert.equal(await visibilityOf(group.id), 'private');
    assert.deepEqual(await notificationsOf(members[0]!.api, group.id), [], 'turned off');
    assert.equal((await notificationsOf(members[1]!.api, group.id)).length, 1);
  });

  test('the API refuses a raise without confirmVisibilityIncrease (409, localised) and changes nothing', async () => {
    const owner = await member(rt);
    const reader = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    await reader.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    // Lowering: no confirmation.
    const lowered = await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, { visibility: 'private' });
    assert.equal(lowered.status, 200);
    assert.equal(lowered.json().group.visibility, 'private');

    const refused = await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, {
      visibility: 'public',
      name: 'Louder',
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.json().error.code, 'conflict');
    assert.match(refused.json().error.message, /confirmVisibilityIncrease/);
    assert.equal(await visibilityOf(group.id), 'private');
    const unchanged = await rt.ctx.db
      .selectFrom('groups')
      .select('name')
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(unchanged.name, 'Louder', 'nothing of the change is saved');
    owner.api.acceptLanguage = 'ar';
    const arabic = await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, {
      visibility: 'public',
      confirmVisibilityIncrease: false,
    });
    assert.equal(arabic.status, 409);
    assert.match(arabic.json().error.message, /[\u0600-\u06FF]/);

    const done = await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, {
      visibility: 'public',
      confirmVisibilityIncrease: true,
    });
    assert.equal(done.status, 200);
    assert.equal(done.json().group.visibility, 'public');
    assert.equal((await notificationsOf(reader.api, group.id)).length, 1);
    // Confirming when nothing is raised is harmless.
    const same = await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, {
      name: 'Same visibility',
      confirmVisibilityIncrease: true,
    });
    assert.equal(same.status, 200);
    assert.equal((await notificationsOf(reader.api, group.id)).length, 1, 'no second notice');
  });

  test('only the owner reaches the confirmation: a member gets 403, a stranger to a hidden group 404', async () => {
    const { group, members, stranger } = await community('hidden');
    const web = await browserMember(rt, 'nosy');
    const page = `/groups/${group.id}/settings`;
    // A member of the group (API: bearer token) asking to raise it is refused before any confirmation.
    const member403 = await members[0]!.api.api('PATCH', `/api/v1/groups/${group.id}`, {
      visibility: 'public',
      confirmVisibilityIncrease: true,
    });
    assert.equal(member403.status, 403);
    assert.equal((await stranger.api.api('PATCH', `/api/v1/groups/${group.id}`, { visibility: 'public' })).status, 404);
    const home = await web.web.get('/groups/mine');
    const token = csrfTokenIn(home.body);
    for (const extra of [{}, { back: '1' }, { confirmVisibility: 'public' }] as Record<string, string>[]) {
      const response = await web.web.request('POST', page, {
        form: { ...settingsForm, visibility: 'public', ...extra, _csrf: token },
      });
      assert.equal(response.status, 404);
    }
    assert.equal(await visibilityOf(group.id), 'hidden');
  });
});
