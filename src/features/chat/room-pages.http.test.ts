// The chat pages without JavaScript (ADR 0064), on both engines: who may open a room's and a
// conversation's page, the form that posts and comes back, older pages, replies, content warnings,
// anonymous messages, timer events, the room lists and settings, in English and Arabic.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createConversationRow, createRoomRow } from '../../../test/support/chat.js';
import { csrfTokenIn, TestClient } from '../../../test/support/client.js';
import { defaultPassphrase } from '../../../test/support/seed.js';
import { serviceContext } from '../../app-context.js';
import { newId } from '../../security/tokens.js';
import type { Member } from '../../security/actor.js';
import { postMessage } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Web = Awaited<ReturnType<typeof browserMember>>;
const asMember = (someone: { user: { id: string; username: string } }): Member => ({
  kind: 'user',
  id: someone.user.id,
  username: someone.user.username,
  role: 'member',
  trust: 'member',
});
const location = (r: { headers: Record<string, unknown> }) => r.headers.location as string;

async function join(groupId: string, userId: string, role: 'member' | 'moderator' = 'member') {
  await rt.ctx.db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, role, joined_at: rt.ctx.now() })
    .execute();
}

describe('a room of a private group', () => {
  let owner: Awaited<ReturnType<typeof member>>;
  let moderator: Web;
  let reader: Web;
  let outsider: Web;
  let instanceModerator: Web;
  let admin: Web;
  let groupId: string;
  let roomId: string;

  before(async () => {
    owner = await member(rt, 'own');
    moderator = await browserMember(rt, 'mod');
    reader = await browserMember(rt, 'rdr');
    outsider = await browserMember(rt, 'out');
    instanceModerator = await browserMember(rt, 'imod', { role: 'moderator' });
    admin = await browserMember(rt, 'adm', { role: 'admin' });
    groupId = (await createGroupAs(owner.api, { visibility: 'private', anonymousPosting: true, name: 'قرّاء بيروت' }))
      .id;
    await join(groupId, moderator.user.id, 'moderator');
    await join(groupId, reader.user.id);
    roomId = await createRoomRow(rt, { groupId, name: 'Welcome room', timerSeconds: 604_800 });
  });

  test('visitors are sent to sign in; who cannot read the group finds nothing', async () => {
    const visitor = new TestClient(rt.app);
    for (const path of ['/rooms', `/rooms/${roomId}`, `/groups/${groupId}/rooms`, `/rooms/${roomId}/settings`]) {
      const r = await visitor.get(path);
      assert.equal(r.status, 303, path);
      assert.match(location(r), /^\/login\?next=/);
    }
    for (const [who, label] of [
      [outsider, 'a non-member'],
      [instanceModerator, 'an instance moderator'],
      [admin, 'an administrator'],
    ] as const) {
      for (const path of [`/rooms/${roomId}`, `/groups/${groupId}/rooms`, `/rooms/${roomId}/settings`])
        assert.equal((await who.web.get(path)).status, 404, `${label} ${path}`);
      const post = await who.web.submit('/rooms', `/chats/${roomId}/messages`, { body: 'let me in' });
      assert.equal(post.status, 404, label);
    }
  });

  test('a member reads the page, posts with the form and lands back at the message', async () => {
    const page = await reader.web.get(`/rooms/${roomId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1 dir="auto">Welcome room<\/h1>/);
    assert.match(page.body, /Messages here disappear 1 week after they are sent\./);
    assert.match(page.body, new RegExp(`<ol class="transcript"[^>]*data-chat-id="${roomId}" data-seq="0"`));
    assert.match(page.body, /<template id="message-template" data-not-shown=/);
    assert.match(page.body, /<textarea id="field-message-body" name="body" rows="3" maxlength="4000" required/);
    assert.match(page.body, /name="anonymous"/, 'the group allows anonymous messages');
    assert.match(page.body, /<script src="\/assets\/chat\.js\?v=[\w-]+" defer/);
    const posted = await reader.web.submit(`/rooms/${roomId}`, `/chats/${roomId}/messages`, {
      body: 'مرحبا **everyone**',
    });
    assert.equal(posted.status, 303);
    const [, messageId] = /^\/rooms\/[\w-]+#m-([\w-]+)$/.exec(location(posted)) ?? [];
    assert.ok(messageId, location(posted));
    const after = (await reader.web.get(`/rooms/${roomId}`)).body;
    assert.match(
      after,
      new RegExp(`<li class="message message-mine" id="m-${messageId}" data-seq="1" data-position="1"`),
    );
    assert.match(after, /<p dir="auto">مرحبا <strong>everyone<\/strong><\/p>/);
    assert.match(after, new RegExp(`<span class="author" dir="auto">${reader.user.username}</span>`));
    assert.match(after, /data-seq="1" data-live="1"/);
  });

  test('a refused message comes back with its words and the problem', async () => {
    const long = 'كلمة '.repeat(900);
    const r = await reader.web.submit(`/rooms/${roomId}`, `/chats/${roomId}/messages`, {
      body: long,
      warning: 'violence',
      warningText: 'a hard day',
    });
    assert.equal(r.status, 422);
    assert.match(r.body, /class="error-summary"/);
    assert.match(r.body, /A message holds up to 4,000 characters\./);
    assert.ok(r.body.includes(long.trim()), 'the words are kept');
    assert.match(r.body, /<option value="violence" selected>/);
    assert.match(r.body, /value="a hard day"/);
  });

  test('a reply quotes the message answered; a content warning folds the words', async () => {
    const { messageId } = await postMessage(serviceContext(rt.ctx), asMember(moderator), roomId, {
      body: 'A question about *books*',
    });
    const page = (await reader.web.get(`/rooms/${roomId}?reply=${messageId}`)).body;
    assert.match(page, /Replying to <bdi>/);
    assert.match(page, new RegExp(`<input type="hidden" name="replyToId" value="${messageId}"/>`));
    const posted = await reader.web.submit(`/rooms/${roomId}?reply=${messageId}`, `/chats/${roomId}/messages`, {
      body: 'An answer',
      replyToId: messageId,
      warning: 'family_rejection',
      warningText: 'my parents',
    });
    assert.equal(posted.status, 303);
    const answerId = location(posted).split('#m-')[1]!;
    const html = (await moderator.web.get(`/rooms/${roomId}`)).body;
    const item = html.slice(html.indexOf(`id="m-${answerId}"`));
    assert.match(item, new RegExp(`<a href="#m-${messageId}">In reply to</a> <bdi>${moderator.user.username}</bdi>`));
    assert.match(item, /<p dir="auto">A question about books<\/p>/);
    assert.match(
      item,
      /<details class="content-warning"><summary><span class="tag tag-warning">Content warning: family rejection<\/span><span dir="auto"> my parents<\/span>/,
    );
  });

  test('an anonymous message names nobody but its pseudonym, and its author sees it as theirs', async () => {
    const posted = await reader.web.submit(`/rooms/${roomId}`, `/chats/${roomId}/messages`, {
      body: 'Said without a name',
      anonymous: 'on',
    });
    assert.equal(posted.status, 303);
    const id = location(posted).split('#m-')[1]!;
    const forOthers = (await moderator.web.get(`/rooms/${roomId}`)).body;
    const item = forOthers.slice(
      forOthers.indexOf(`id="m-${id}"`),
      forOthers.indexOf('</li>', forOthers.indexOf(`id="m-${id}"`)),
    );
    assert.match(item, /author author-anonymous" dir="auto">Anonymous member \(\w+ \d+\)</);
    assert.doesNotMatch(item, new RegExp(reader.user.username));
    const forAuthor = (await reader.web.get(`/rooms/${roomId}`)).body;
    assert.match(forAuthor.slice(forAuthor.indexOf(`id="m-${id}"`)), /^[\s\S]*?Yours \(only you see this\)/);
  });

  test('older messages page backwards by link, fifty at a time; a timer change reads as an event', async () => {
    const room = await createRoomRow(rt, { groupId, name: 'Busy room' });
    for (let i = 0; i < 54; i++)
      await postMessage(serviceContext(rt.ctx), asMember(moderator), room, { body: `Message ${i}` });
    const chat = await rt.ctx.db
      .selectFrom('chats')
      .select('last_seq')
      .where('id', '=', room)
      .executeTakeFirstOrThrow();
    await rt.ctx.db
      .insertInto('chat_messages')
      .values({
        id: newId(),
        chat_id: room,
        kind: 'timer',
        author_id: null,
        anonymous: 0,
        author_ref: null,
        pseudonym: null,
        body: null,
        warning: null,
        reply_to_id: null,
        timer_seconds: 3600,
        posted_seq: Number(chat.last_seq) + 1,
        changed_seq: Number(chat.last_seq) + 1,
        created_at: rt.ctx.now(),
        edited_at: null,
        expires_at: null,
      })
      .execute();
    await rt.ctx.db
      .updateTable('chats')
      .set({ last_seq: Number(chat.last_seq) + 1 })
      .where('id', '=', room)
      .execute();
    const latest = (await reader.web.get(`/rooms/${room}`)).body;
    const bodies = (html: string) => [...html.matchAll(/<p dir="auto">(Message \d+)<\/p>/g)].map((m) => m[1]);
    assert.equal(bodies(latest).length, 49);
    assert.equal(bodies(latest).at(-1), 'Message 53');
    assert.match(latest, /Disappearing messages set to 1 hour/);
    const older = /<a href="(\/rooms\/[\w-]+\?before=\d+)" rel="prev">Older messages<\/a>/.exec(latest);
    assert.ok(older, 'a link to older messages');
    const olderPage = (await reader.web.get(older[1]!.replace(/&amp;/g, '&'))).body;
    assert.deepEqual(bodies(olderPage), ['Message 0', 'Message 1', 'Message 2', 'Message 3', 'Message 4']);
    assert.match(olderPage, /rel="next">Newer messages<\/a>/);
    assert.doesNotMatch(olderPage, /data-live/, 'an older page is not live');
    assert.match(olderPage, new RegExp(`<a href="/rooms/${room}">Latest messages</a>`));
    // Where a "first unread" link leads: a page starting at that message, the marker before it.
    const from = (await reader.web.get(`/rooms/${room}?from=3`)).body;
    assert.deepEqual(bodies(from).slice(0, 2), ['Message 2', 'Message 3']);
    assert.match(
      from,
      /<li id="first-unread" class="unread-marker">Unread messages start here<\/li><li class="message" id="m-[\w-]+" data-seq="3"/,
    );
    assert.match(from, /rel="next">Newer messages<\/a>/);
    assert.match(latest, new RegExp(`<a href="/rooms/${room}" data-refresh>Refresh</a>`));
  });

  test('in Arabic, without assuming who reads', async () => {
    const html = (await reader.web.get(`/rooms/${roomId}`, { 'accept-language': 'ar' })).body;
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /تختفي الرسائل هنا بعد أسبوع واحد من إرسالها\./);
    assert.match(html, />كتابة رسالة</);
    assert.match(html, />إرسال</);
  });

  test("the group's moderators manage rooms from its rooms page and each room's settings; members do not", async () => {
    assert.equal((await reader.web.get(`/rooms/${roomId}/settings`)).status, 403);
    assert.equal((await reader.web.get(`/rooms/new?group=${groupId}`)).status, 403);
    const list = await reader.web.get(`/groups/${groupId}/rooms`);
    assert.equal(list.status, 200);
    assert.match(list.body, /Rooms of <bdi>قرّاء بيروت<\/bdi>/);
    assert.doesNotMatch(list.body, /Create the room/);
    const refused = await reader.web.submit(`/groups/${groupId}/rooms`, `/groups/${groupId}/rooms`, { name: 'Mine' });
    assert.equal(refused.status, 403);

    const form = await moderator.web.get(`/groups/${groupId}/rooms`);
    assert.match(form.body, /Create the room/);
    const short = await moderator.web.submit(`/groups/${groupId}/rooms`, `/groups/${groupId}/rooms`, { name: 'x' });
    assert.equal(short.status, 422);
    assert.match(short.body, /A room&#39;s name has 2 to 60 characters\.|A room's name has 2 to 60 characters\./);
    const created = await moderator.web.submit(`/groups/${groupId}/rooms`, `/groups/${groupId}/rooms`, {
      name: 'Book club',
    });
    assert.equal(created.status, 303);
    const newRoom = location(created).split('/').at(-1)!;
    const settings = await moderator.web.get(`/rooms/${newRoom}/settings`);
    assert.equal(settings.status, 200);
    const renamed = await moderator.web.submit(`/rooms/${newRoom}/settings`, `/rooms/${newRoom}/settings`, {
      name: 'Readers',
    });
    assert.equal(location(renamed), `/rooms/${newRoom}/settings?done=saved`);
    await moderator.web.submit(`/rooms/${newRoom}/settings`, `/rooms/${newRoom}/archive`, { archived: '1' });
    const archived = (await reader.web.get(`/rooms/${newRoom}`)).body;
    assert.match(archived, /This room is archived/);
    assert.doesNotMatch(archived, /id="chat-composer"/);
    assert.match((await reader.web.get('/rooms')).body, /Readers/);
    const confirm = await moderator.web.get(`/rooms/${newRoom}/delete`);
    assert.match(confirm.body, /Delete “<bdi>Readers<\/bdi>”\?/);
    const deleted = await moderator.web.submit(`/rooms/${newRoom}/delete`, `/rooms/${newRoom}/delete`, {});
    assert.equal(location(deleted), `/groups/${groupId}/rooms?done=deleted`);
    assert.equal((await reader.web.get(`/rooms/${newRoom}`)).status, 404);
  });

  test("the member's rooms list their unread messages' links and the instance's rooms", async () => {
    const instanceRoom = await createRoomRow(rt, { name: 'Newcomers' });
    const html = (await reader.web.get('/rooms')).body;
    assert.match(html, new RegExp(`<a href="/rooms/${instanceRoom}">Newcomers</a>`));
    assert.match(html, new RegExp(`<a href="/rooms/${roomId}">Welcome room</a>`));
    assert.match(html, /<a href="\/rooms">Chat<\/a>/, 'the navigation links to the rooms');
    assert.doesNotMatch(html, /New room for everyone/);
    assert.match((await admin.web.get('/rooms')).body, /New room for everyone/);
    const made = await admin.web.submit('/rooms/new', '/rooms', { name: 'Announcements' });
    assert.equal(made.status, 303);
    assert.equal((await reader.web.get(location(made))).status, 200);
  });
});

describe('a private conversation', () => {
  test('its participants read it; nobody else, administrators included; a request is answered, not written in', async () => {
    const one = await browserMember(rt, 'one');
    const two = await browserMember(rt, 'two');
    const asked = await browserMember(rt, 'ask');
    const admin = await browserMember(rt, 'adm', { role: 'admin' });
    const id = await createConversationRow(rt, [
      { userId: one.user.id },
      { userId: two.user.id },
      { userId: asked.user.id, state: 'requested' },
    ]);
    await postMessage(serviceContext(rt.ctx), asMember(one), id, { body: 'Hello, you two' });
    const page = await two.web.get(`/conversations/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Private conversation<\/h1>/);
    assert.match(page.body, /<p dir="auto">Hello, you two<\/p>/);
    assert.match(page.body, /Messages here disappear 1 week after they are sent\./);
    assert.match(page.body, /id="chat-composer"/);
    assert.equal((await admin.web.get(`/conversations/${id}`)).status, 404);
    assert.equal((await two.web.get(`/rooms/${id}`)).status, 404, 'a conversation is not a room');
    const request = await asked.web.get(`/conversations/${id}`);
    assert.equal(request.status, 200);
    assert.doesNotMatch(request.body, /id="chat-composer"/);
    assert.match(request.body, new RegExp(`action="/conversations/${id}/accept"`));
    assert.match(request.body, /name="block" value="1"/);
    const posted = await two.web.submit(`/conversations/${id}`, `/chats/${id}/messages`, { body: 'Hi!' });
    assert.match(location(posted), new RegExp(`^/conversations/${id}#m-`));
    assert.equal(location(await two.web.get(`/chats/${id}`)), `/conversations/${id}`);
  });
});

describe('a message sent after its session ended', () => {
  test('is kept, and the chat page offers it again after signing in', async () => {
    const owner = await member(rt, 'own');
    const writer = await browserMember(rt, 'kw');
    const group = (await createGroupAs(owner.api, { visibility: 'private' })).id;
    await join(group, writer.user.id);
    const room = await createRoomRow(rt, { groupId: group, name: 'Kept room' });
    const token = csrfTokenIn((await writer.web.get(`/rooms/${room}`)).body);
    await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', writer.user.id).execute();
    const words = 'كلمات لم تُرسل بعد — words not sent yet';
    const res = await writer.web.request('POST', `/chats/${room}/messages`, {
      form: { body: words, warning: 'violence', _csrf: token },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(res.status, 401);
    assert.ok(res.body.includes(`href="/login?next=${encodeURIComponent(`/chats/${room}`)}"`));
    const signedIn = await writer.web.submit('/login', '/login', {
      username: writer.user.username,
      passphrase: defaultPassphrase,
      next: '/',
    });
    assert.equal(signedIn.headers.location, `/chats/${room}`);
    const back = await writer.web.get(`/chats/${room}`);
    assert.equal(location(back), `/rooms/${room}`);
    const page = await writer.web.get(`/rooms/${room}`);
    assert.match(page.body, /Your text was kept when your session ended/);
    assert.ok(page.body.includes(`>${words}</textarea>`), 'the composer holds the words');
    assert.match(page.body, /<option value="violence" selected/);
    const messages = await rt.ctx.db.selectFrom('chat_messages').select('id').where('chat_id', '=', room).execute();
    assert.equal(messages.length, 0, 'nothing was posted');
  });
});
