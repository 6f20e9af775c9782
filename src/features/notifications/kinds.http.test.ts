// Notifications of any kind (ADR 0030): every kind renders through its owning feature, in both
// languages, with the reader's rights now; members turn kinds off; the tab title stays discreet.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { createRoomRow } from '../../../test/support/chat.js';
import type { TestClient } from '../../../test/support/client.js';
import { translator } from '../../i18n/index.js';
import { notificationKinds } from './kind-registry.js';
import { notify } from './notify.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

interface ApiNotification {
  id: string;
  kind: string;
  text: string;
  href: string;
  read: boolean;
}

async function notesOf(client: TestClient, language = 'en') {
  const before = client.acceptLanguage;
  client.acceptLanguage = language;
  client.cookies.delete('sanad_lang');
  const body = (await client.get('/api/v1/notifications')).json() as {
    notifications: ApiNotification[];
    unread: number;
  };
  client.acceptLanguage = before;
  return body;
}

/** A private group with its owner and members let in through an invite link. */
async function privateGroup(name: string, count: number) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private', name, questions: ['Why?'] });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 10 })).json().invite;
  const members = [];
  for (let i = 0; i < count; i++) {
    const m = await member(rt, 'mem');
    const joined = await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
    assert.equal(joined.status, 200);
    members.push(m);
  }
  return { owner, group, members };
}

describe('every kind', () => {
  test('renders through its feature in both languages, naming what the reader may read and no words of a post', async () => {
    const { owner, group, members } = await privateGroup('Rendered circle', 1);
    const [author] = members;
    const { threadId, postId } = await threadIn(author!.api, group.id, {
      title: 'Rendered topic',
      body: 'words that stay in the post',
    });
    const reader = owner.user.id;
    const about = { userIds: [reader], now: Date.now() };
    const inPost = { ...about, subjectId: postId, context: { groupId: group.id, threadId } };
    const inGroup = { ...about, subjectId: group.id, context: { groupId: group.id } };
    await owner.api.api('POST', '/api/v1/notifications/read');
    await notify(rt.ctx.db, { ...inPost, kind: 'reply' });
    await notify(rt.ctx.db, { ...inPost, kind: 'thread' });
    await notify(rt.ctx.db, { ...inPost, kind: 'mention' });
    await notify(rt.ctx.db, { ...inGroup, kind: 'join_request' });
    await notify(rt.ctx.db, { ...inGroup, kind: 'join_approved' });
    await notify(rt.ctx.db, { ...inGroup, kind: 'join_declined' });
    await notify(rt.ctx.db, { ...inGroup, kind: 'group_visibility_raised' });
    await notify(rt.ctx.db, { ...about, kind: 'reset_code', subjectId: null });
    // A chat message naming the reader, in a room of the group.
    const room = await createRoomRow(rt, { groupId: group.id, name: 'Rendered room' });
    const said = await author!.api.api('POST', `/api/v1/rooms/${room}/messages`, {
      body: 'words that stay in the post',
    });
    const inRoom = { ...about, subjectId: said.json().message.id, context: { groupId: group.id, chatId: room } };
    await notify(rt.ctx.db, { ...inRoom, kind: 'chat_mention' });
    // The neutral notice to partners of a frozen account's conversations: about nobody.
    await notify(rt.ctx.db, { ...about, kind: 'chat_safety_notice', subjectId: null, context: {} });
    // A row of the moderation log about the reader (written directly: its own event would tell them twice).
    await rt.ctx.db
      .insertInto('moderation_log')
      .values({
        id: 'rendered-ban',
        group_id: group.id,
        actor_id: null,
        action: 'group.ban',
        target_type: 'user',
        target_id: reader,
        target_user_id: reader,
        reason: 'words of a reason',
        detail: null,
        case_id: null,
        created_at: Date.now(),
      })
      .execute();
    await notify(rt.ctx.db, { ...about, kind: 'moderation_action', subjectId: 'rendered-ban' });

    const en = await notesOf(owner.api, 'en');
    const ar = await notesOf(owner.api, 'ar');
    const unreadEn = en.notifications.filter((n) => !n.read);
    const unreadAr = ar.notifications.filter((n) => !n.read);
    assert.deepEqual(
      unreadEn.map((n) => n.kind).sort(),
      [...(await notificationKinds()).keys()].sort(),
      'one of every kind the features declare, all shown',
    );
    assert.equal(en.unread, unreadEn.length, 'and all counted');
    for (const [i, n] of unreadEn.entries()) {
      const arabic = unreadAr[i]!;
      assert.equal(arabic.id, n.id);
      for (const text of [n.text, arabic.text]) {
        assert.doesNotMatch(text, /[{}]|notification\./, `${n.kind} is a finished sentence`);
        assert.doesNotMatch(text, /words that stay/, `${n.kind} shows no words of the post`);
      }
      assert.match(arabic.text, /[\u0600-\u06ff]/, `${n.kind} is in Arabic`);
      assert.notEqual(arabic.text, n.text);
      // Notices about the account alone name no group.
      if (!['reset_code', 'chat_safety_notice'].includes(n.kind))
        assert.match(n.text, /Rendered circle/, `${n.kind} names the group`);
      if (['reply', 'thread', 'mention'].includes(n.kind)) {
        assert.match(n.text, /Rendered topic/, `${n.kind} names the thread`);
        assert.equal(n.href, `/posts/${postId}`);
      }
    }
    const page = await owner.api.get('/notifications');
    for (const n of unreadEn) assert.ok(page.body.includes(`href="${n.href}"`), `${n.kind} links on the page`);
  });
});

describe('rights at read time', () => {
  test('a member removed from a group no longer sees or counts its notifications, even one stored after', async () => {
    const { owner, group, members } = await privateGroup('Leaving circle', 2);
    const [reader, writer] = members;
    const { threadId } = await threadIn(reader!.api, group.id, { title: 'Before leaving' });
    await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'a reply' });
    const before = await notesOf(reader!.api);
    assert.equal(before.unread, 1);
    assert.equal(before.notifications[0]!.kind, 'reply');

    assert.equal((await owner.api.api('DELETE', `/api/v1/groups/${group.id}/members/${reader!.user.id}`)).status, 204);
    // One stored as the removal happened (a race): rendered with the rights now, it is not shown.
    const reply = (await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'later' })).json();
    await notify(rt.ctx.db, {
      userIds: [reader!.user.id],
      kind: 'reply',
      subjectId: reply.post.id,
      context: { groupId: group.id, threadId },
      now: Date.now(),
    });
    const stored = await rt.ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', reader!.user.id)
      .where('kind', '=', 'reply')
      .execute();
    assert.equal(stored.length, 1, 'the late one is stored');
    const after = await notesOf(reader!.api);
    // Only the removal itself is told (ADR 0049), never what happens in the group after.
    assert.deepEqual(
      after.notifications.map((n: { kind: string }) => n.kind),
      ['moderation_action'],
    );
    assert.equal(after.unread, 1);
  });

  test('a hidden post’s notification disappears while it is hidden; a deleted one’s is gone with its row', async () => {
    const { owner, group, members } = await privateGroup('Hiding circle', 2);
    const [reader, writer] = members;
    const { threadId } = await threadIn(reader!.api, group.id, { title: 'Moderated topic' });
    const hidden = (await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'to hide' })).json();
    const deleted = (await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'to delete' })).json();
    assert.equal((await notesOf(reader!.api)).unread, 2);

    assert.equal((await owner.api.api('POST', `/api/v1/posts/${hidden.post.id}/hide`, { hidden: true })).status, 204);
    assert.equal((await writer!.api.api('DELETE', `/api/v1/posts/${deleted.post.id}`)).status, 204);
    const now = await notesOf(reader!.api);
    assert.deepEqual(now.notifications, []);
    assert.equal(now.unread, 0);
    assert.doesNotMatch((await reader!.api.get('/')).body, /class="count-badge"/);
    const rows = await rt.ctx.db
      .selectFrom('notifications')
      .select('subject_id')
      .where('user_id', '=', reader!.user.id)
      .execute();
    assert.deepEqual(
      rows.map((r) => r.subject_id),
      [hidden.post.id],
      'the deleted post takes its notification; the hidden one may be shown again',
    );

    await owner.api.api('POST', `/api/v1/posts/${hidden.post.id}/hide`, { hidden: false });
    assert.equal((await notesOf(reader!.api)).unread, 1, 'shown again, it is counted again');
  });
});

describe('preferences', () => {
  test('a kind turned off is not stored; the others still arrive', async () => {
    const { group, members } = await privateGroup('Quiet circle', 2);
    const [reader, writer] = members;
    const off = await reader!.api.api('PUT', '/api/v1/notifications/preferences', { reply: 'off' });
    assert.equal(off.status, 200);
    const { threadId } = await threadIn(reader!.api, group.id, { title: 'Quiet topic' });
    await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'a reply nobody is told of' });
    await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: `and a word for @${reader!.user.username}`,
    });
    const kinds = await rt.ctx.db
      .selectFrom('notifications')
      .select('kind')
      .where('user_id', '=', reader!.user.id)
      .execute();
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['mention'],
      'no reply stored, the mention arrives',
    );
    assert.deepEqual(
      (await notesOf(reader!.api)).notifications.map((n) => n.kind),
      ['mention'],
    );

    await reader!.api.api('PUT', '/api/v1/notifications/preferences', { reply: 'in_app' });
    await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'told again' });
    assert.equal((await notesOf(reader!.api)).notifications.filter((n) => n.kind === 'reply').length, 1);
    const left = await rt.ctx.db
      .selectFrom('notification_preferences')
      .select('kind')
      .where('user_id', '=', reader!.user.id)
      .execute();
    assert.deepEqual(left, [], 'the default is not stored');
  });

  test('the API lists every kind by its label in the asked language and round-trips; a reset code stays on', async () => {
    const { api } = await member(rt);
    const listed = (await api.get('/api/v1/notifications/preferences')).json().preferences as {
      kind: string;
      label: string;
      delivery: string;
      alwaysOn: boolean;
    }[];
    assert.deepEqual(
      listed.map((p) => p.kind),
      [...(await notificationKinds()).keys()],
    );
    assert.ok(listed.every((p) => p.delivery === 'in_app'));
    assert.equal(listed.find((p) => p.kind === 'mention')!.label, 'Mentions of your name in a post');
    api.acceptLanguage = 'ar';
    const arabic = (await api.get('/api/v1/notifications/preferences')).json().preferences;
    api.acceptLanguage = 'en';
    assert.equal(arabic.find((p: { kind: string }) => p.kind === 'mention').label, 'ذِكر اسمي في مشاركة');

    const changed = await api.api('PUT', '/api/v1/notifications/preferences', { mention: 'off', join_request: 'off' });
    assert.equal(changed.status, 200);
    const after = (await api.get('/api/v1/notifications/preferences')).json().preferences;
    assert.deepEqual(
      after.filter((p: { delivery: string }) => p.delivery === 'off').map((p: { kind: string }) => p.kind),
      ['mention', 'join_request'],
    );
    const refused = await api.api('PUT', '/api/v1/notifications/preferences', { reset_code: 'off' });
    assert.equal(refused.status, 422);
    assert.equal(refused.json().error.fields[0].field, 'reset_code');
    assert.equal((await api.api('PUT', '/api/v1/notifications/preferences', { nonsense: 'off' })).status, 422);
    assert.equal((await api.api('PUT', '/api/v1/notifications/preferences', { reply: 'email' })).status, 422);

    const doc = (await api.get('/api/v1/openapi.json')).json();
    for (const method of ['get', 'put']) {
      const operation = doc.paths['/api/v1/notifications/preferences'][method];
      assert.ok(operation.responses['200'].content['application/json'].schema, `${method} documents its answer`);
      assert.ok(operation.responses['401'], `${method} documents its refusal`);
    }
  });

  test('the page is a plain form, linked from the notifications page, and round-trips', async () => {
    const { user, web } = await browserMember(rt);
    const list = await web.get('/notifications');
    assert.match(list.body, /href="\/notifications\/preferences"/);
    const page = await web.get('/notifications/preferences');
    assert.equal(page.status, 200);
    assert.match(page.body, /<form method="post" action="\/notifications\/preferences"/);
    assert.match(page.body, /href="\/account\/warnings"/, 'content-warning choices are a link away');
    assert.match(page.body, /New replies in discussions you watch/);
    assert.match(page.body, /name="reply" value="off"/);
    assert.doesNotMatch(page.body, /name="reset_code"/, 'a reset code cannot be turned off');

    const saved = await web.submit('/notifications/preferences', '/notifications/preferences', {
      reply: 'off',
      thread: 'in_app',
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, '/notifications/preferences?done=saved');
    const again = await web.get('/notifications/preferences?done=saved');
    assert.match(again.body, /Saved\./);
    assert.match(again.body, /id="field-reply-off" name="reply" value="off" checked/);
    const row = await rt.ctx.db
      .selectFrom('notification_preferences')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(row, [{ user_id: user.id, kind: 'reply', delivery: 'off' }]);

    const refused = await web.submit('/notifications/preferences', '/notifications/preferences', {
      reply: 'loud',
    });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /href="#field-reply"/, 'the problem links to its field');

    web.cookies.set('sanad_lang', 'ar');
    assert.match((await web.get('/notifications/preferences')).body, /الردود الجديدة في النقاشات التي أتابعها/);
  });
});

describe('discreet by default', () => {
  const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)![1]!;

  test('while notifications wait unread, the tab names neither the platform, the group nor the page', async () => {
    const { group, members } = await privateGroup('Tell-tale circle', 2);
    const [, writer] = members;
    const reader = await browserMember(rt);
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: group.id, user_id: reader.user.id, role: 'member', joined_at: Date.now() })
      .execute();
    const quiet = titleOf((await reader.web.get(`/groups/${group.id}`)).body);
    assert.match(quiet, /\u2068Tell-tale circle\u2069 · Sanad/, 'with nothing unread, the title is as before');

    const { threadId } = await threadIn(writer!.api, group.id, { title: 'A telling title' });
    await notify(rt.ctx.db, {
      userIds: [reader.user.id],
      kind: 'thread',
      subjectId: (
        await rt.ctx.db
          .selectFrom('threads')
          .select('opening_post_id')
          .where('id', '=', threadId)
          .executeTakeFirstOrThrow()
      ).opening_post_id,
      context: { groupId: group.id, threadId },
      now: Date.now(),
    });
    for (const path of [`/groups/${group.id}`, `/threads/${threadId}`, '/']) {
      const title = titleOf((await reader.web.get(path)).body);
      assert.equal(title, '1 new notification', path);
    }
    reader.web.cookies.set('sanad_lang', 'ar');
    const arabic = titleOf((await reader.web.get(`/groups/${group.id}`)).body);
    assert.equal(arabic, 'إشعار جديد');
    assert.doesNotMatch(arabic, /Sanad|سند|Tell-tale|telling/);
    // Opening the notifications page reads what it shows: from then on the title is as before.
    reader.web.cookies.set('sanad_lang', 'en');
    assert.doesNotMatch(titleOf((await reader.web.get('/notifications')).body), /new notification/);
    assert.match(titleOf((await reader.web.get(`/groups/${group.id}`)).body), /Tell-tale circle/);
  });

  test('counts in the title take all six Arabic plural forms', () => {
    const ar = translator('ar');
    const forms = [0, 1, 2, 3, 11, 100].map((count) => ar('nav.unreadTitle', { count }));
    assert.equal(new Set(forms).size, 6, forms.join(' | '));
    assert.equal(ar('nav.unreadTitle', { count: 2 }), 'إشعاران جديدان');
    assert.match(ar('nav.unreadTitle', { count: 3 }), /إشعارات جديدة$/);
    assert.match(ar('nav.unreadTitle', { count: 11 }), /إشعارًا جديدًا$/);
    const en = translator('en');
    assert.equal(en('nav.unreadTitle', { count: 1 }), '1 new notification');
    assert.equal(en('nav.unreadTitle', { count: 5 }), '5 new notifications');
  });
});
