// Private conversations on both engines (ADR 0063): who may start one (each messaging choice ×
// a shared group × a block × a newcomer), requests accepted, declined or declined with a block while
// the sender's view stays the same, leaving and the last one out deleting, the 20-person cap, 404 for
// everyone outside (administrators included), the messaging choice, and the notice when a partner's
// account is frozen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { asMember } from '../../../test/support/seed.js';
import { TestClient } from '../../../test/support/client.js';
import { createRoomRow } from '../../../test/support/chat.js';
import { serviceContext } from '../../app-context.js';
import { setAccountFrozen } from '../vetting/freeze.js';
import { listConversations } from './services/conversations.js';
import { postMessage } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

const start = (from: Person, usernames: string[], body = 'Hello, may we talk?') =>
  from.api.api('POST', '/api/v1/conversations', { usernames, body });

/** A group the owner made and each of the others joined. */
async function shareGroup(owner: Person, ...others: Person[]) {
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  for (const o of others) assert.equal((await o.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  return group.id;
}

const postAs = (p: Person, chatId: string, body: string) =>
  postMessage(serviceContext(rt.ctx), asMember(p.user), chatId, { body });
const requestsOf = async (p: Person) => (await p.api.get('/api/v1/conversation-requests')).json().requests as any[];
const viewOf = async (p: Person, id: string) => p.api.get(`/api/v1/conversations/${id}`);

test('who may start a conversation: each choice × a shared group × a block × a newcomer', async () => {
  const unknown = await start(await member(rt, 'u'), ['nobody_by_that_name']);
  assert.equal(unknown.status, 422);
  const neutral = unknown.json();
  const shape = (body: any, name: string) => JSON.stringify(body).replaceAll(name, 'NAME');
  let cases = 0;
  for (const messaging of ['anyone', 'shared_group', 'nobody'] as const)
    for (const shared of [true, false])
      for (const block of ['none', 'byRecipient', 'bySender'] as const)
        for (const newcomer of [false, true]) {
          const sender = await member(rt, 's', { trust: newcomer ? 'new' : 'trusted' });
          const recipient = await member(rt, 'r');
          assert.equal((await recipient.api.api('PUT', '/api/v1/me/messaging', { messaging })).status, 200);
          if (shared) await shareGroup(recipient, sender);
          if (block === 'byRecipient')
            await recipient.api.api('POST', '/api/v1/blocks', { username: sender.user.username });
          if (block === 'bySender')
            await sender.api.api('POST', '/api/v1/blocks', { username: recipient.user.username });
          const allowed =
            block === 'none' && messaging !== 'nobody' && (shared || (messaging === 'anyone' && !newcomer));
          const response = await start(sender, [recipient.user.username]);
          const label = `${messaging} shared=${shared} block=${block} newcomer=${newcomer}`;
          assert.equal(response.status, allowed ? 201 : 422, label);
          if (allowed) {
            const { conversation, message } = response.json();
            assert.deepEqual(
              conversation.participants,
              [{ id: recipient.user.id, username: recipient.user.username }],
              label,
            );
            assert.equal(conversation.state, 'active');
            assert.equal(conversation.timer, 604_800);
            assert.deepEqual(Object.keys(conversation).sort(), [
              'id',
              'lastMessageAt',
              'participants',
              'state',
              'timer',
              'unread',
            ]);
            assert.equal(message.body, 'Hello, may we talk?');
            assert.equal((await requestsOf(recipient)).length, 1, label);
          } else {
            // One neutral problem, the same whatever the reason, and as for an account that does not exist.
            assert.equal(shape(response.json(), recipient.user.username), shape(neutral, 'nobody_by_that_name'), label);
            assert.equal((await requestsOf(recipient)).length, 0, label);
          }
          cases++;
        }
  assert.equal(cases, 36);
});

test('a request accepted, declined, or declined with a block: the sender sees the same in all three', async () => {
  const sender = await member(rt, 'snd');
  const [accepts, declines, blocks] = [await member(rt, 'acc'), await member(rt, 'dec'), await member(rt, 'blk')];
  await shareGroup(sender, accepts, declines, blocks);
  const ids: Record<string, string> = {};
  const before: Record<string, unknown> = {};
  for (const [key, who] of Object.entries({ accepts, declines, blocks })) {
    const started = await start(sender, [who.user.username], `Hello ${key}, **welcome**`);
    assert.equal(started.status, 201);
    ids[key] = started.json().conversation.id;
    before[key] = (await viewOf(sender, ids[key]!)).json();
    const [request] = await requestsOf(who);
    assert.equal(request.id, ids[key]);
    assert.deepEqual(request.from, { id: sender.user.id, username: sender.user.username });
    assert.equal(request.excerpt, `Hello ${key}, welcome`, 'the words are readable to the one asked');
    assert.equal((await viewOf(who, ids[key]!)).json().conversation.state, 'requested');
  }
  const senderList = async () =>
    (await sender.api.get('/api/v1/conversations')).json().conversations.map((c: { id: string }) => c);

  const listBefore = await senderList();
  assert.equal((await accepts.api.api('POST', `/api/v1/conversation-requests/${ids.accepts}/accept`, {})).status, 200);
  assert.equal(
    (await declines.api.api('POST', `/api/v1/conversation-requests/${ids.declines}/decline`, {})).status,
    204,
  );
  assert.equal(
    (await blocks.api.api('POST', `/api/v1/conversation-requests/${ids.blocks}/decline`, { block: true })).status,
    204,
  );
  for (const key of Object.keys(ids))
    assert.deepEqual((await viewOf(sender, ids[key]!)).json(), before[key], `the sender's view after ${key}`);
  assert.deepEqual(await senderList(), listBefore, "the sender's list is unchanged");

  // The one who accepted takes part; the others are out, and the requests are gone.
  assert.equal((await viewOf(accepts, ids.accepts!)).json().conversation.state, 'active');
  assert.equal((await viewOf(declines, ids.declines!)).status, 404);
  assert.equal((await viewOf(blocks, ids.blocks!)).status, 404);
  for (const who of [accepts, declines, blocks]) assert.deepEqual(await requestsOf(who), []);
  const blocked = (await blocks.api.get('/api/v1/blocks')).json().blocks;
  assert.deepEqual(
    blocked.map((b: { userId: string }) => b.userId),
    [sender.user.id],
  );
  assert.equal((await declines.api.get('/api/v1/blocks')).json().blocks.length, 0, 'a plain decline blocks nobody');

  // Writing again goes where it went before: the accepted conversation, and the declined ones
  // (which ask nothing more of those who declined), with or without a block: refusing after a
  // block would tell it from a decline.
  const again = await start(sender, [accepts.user.username], 'and again');
  assert.equal(again.json().conversation.id, ids.accepts);
  const declinedAgain = await start(sender, [declines.user.username], 'once more');
  assert.equal(declinedAgain.status, 201);
  assert.equal(declinedAgain.json().conversation.id, ids.declines);
  assert.deepEqual(await requestsOf(declines), []);
  const blockedAgain = await start(sender, [blocks.user.username], 'once more');
  assert.equal(blockedAgain.status, 201);
  assert.equal(blockedAgain.json().conversation.id, ids.blocks);
  assert.deepEqual(await requestsOf(blocks), []);

  // Someone who already accepted joins a new group conversation at once; a newcomer to the sender is asked.
  const third = await member(rt, 'thr');
  await shareGroup(sender, third);
  const group = await start(sender, [accepts.user.username, third.user.username], 'all of us');
  assert.equal(group.status, 201);
  const groupId = group.json().conversation.id;
  assert.equal((await viewOf(accepts, groupId)).json().conversation.state, 'active');
  assert.equal((await viewOf(third, groupId)).json().conversation.state, 'requested');
  assert.notEqual(groupId, ids.accepts);
  // Answering only once: a request already answered is not there.
  assert.equal((await accepts.api.api('POST', `/api/v1/conversation-requests/${ids.accepts}/accept`, {})).status, 404);
});

test('leaving: the leaver no longer sees it; the last one out deletes it, messages and all', async () => {
  const a = await browserMember(rt, 'la');
  const b = await member(rt, 'lb');
  const group = await createGroupAs(b.api, { visibility: 'public' });
  assert.equal((await a.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {})).status, 303);
  const started = await a.web.submit('/conversations/new', '/conversations', {
    usernames: `@${b.user.username}`,
    body: 'A secret that should go',
  });
  assert.equal(started.status, 303);
  const id = /^\/conversations\/([\w-]+)$/.exec(String(started.headers.location))?.[1];
  assert.ok(id, `redirected to the conversation: ${started.headers.location}`);
  assert.equal((await b.api.api('POST', `/api/v1/conversation-requests/${id}/accept`, {})).status, 200);

  const confirm = await a.web.get(`/conversations/${id}/leave`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.body, /Leaving is final/);
  assert.match(confirm.body, new RegExp(`<bdi dir="auto">${b.user.username}</bdi>`));
  const left = await a.web.submit(`/conversations/${id}/leave`, `/conversations/${id}/leave`, {});
  assert.equal(left.status, 303);
  assert.equal(left.headers.location, '/conversations?done=left');
  assert.equal((await a.web.get(`/api/v1/conversations/${id}`)).status, 404);
  assert.equal((await a.web.get(`/conversations/${id}/leave`)).status, 404);
  const rows = () => rt.ctx.db.selectFrom('chat_messages').select('body').where('chat_id', '=', id!).execute();
  assert.equal((await rows()).length, 1, 'the other still reads it');
  assert.equal((await viewOf(b, id!)).json().conversation.participants.length, 0);

  assert.equal((await b.api.api('POST', `/api/v1/conversations/${id}/leave`, {})).status, 204);
  assert.equal((await viewOf(b, id!)).status, 404);
  assert.deepEqual(await rows(), []);
  assert.equal(
    (await rt.ctx.db.selectFrom('chats').select('id').where('id', '=', id!).execute()).length,
    0,
    'the conversation is deleted',
  );
  assert.equal(
    (await rt.ctx.db.selectFrom('chat_participants').select('user_id').where('chat_id', '=', id!).execute()).length,
    0,
  );
});

test('a conversation holds 20 people at most, the starter included', async () => {
  const starter = await member(rt, 'cap');
  const others: Person[] = [];
  for (let i = 0; i < 20; i++) others.push(await member(rt, 'p'));
  await shareGroup(starter, ...others);
  const names = others.map((o) => o.user.username);
  const tooMany = await start(starter, names);
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.json().error.fields[0].field, 'usernames');
  const web = await browserMember(rt, 'capw');
  const page = await web.web.submit('/conversations/new', '/conversations', {
    usernames: names.join(', '),
    body: 'Words I wrote',
  });
  assert.equal(page.status, 422);
  assert.match(page.body, /A conversation can have at most 19 people besides you/);
  assert.match(page.body, /Words I wrote/, 'what was written is kept');
  const full = await start(starter, names.slice(0, 19));
  assert.equal(full.status, 201);
  assert.equal(full.json().conversation.participants.length, 19);
});

test('nobody outside a conversation sees it, administrators included', async () => {
  const a = await member(rt, 'in');
  const b = await member(rt, 'in');
  await shareGroup(a, b);
  const id = (await start(a, [b.user.username])).json().conversation.id;
  const admin = await member(rt, 'adm', { role: 'admin' });
  const moderator = await member(rt, 'mod', { role: 'moderator' });
  const stranger = await member(rt, 'str');
  for (const outsider of [admin, moderator, stranger]) {
    assert.equal((await viewOf(outsider, id)).status, 404);
    assert.equal((await outsider.api.api('POST', `/api/v1/conversations/${id}/leave`, {})).status, 404);
    assert.equal((await outsider.api.api('POST', `/api/v1/conversation-requests/${id}/accept`, {})).status, 404);
    assert.equal((await outsider.api.api('POST', `/api/v1/conversation-requests/${id}/decline`, {})).status, 404);
    assert.deepEqual((await outsider.api.get('/api/v1/conversations')).json().conversations, []);
  }
  // A room, even one everyone reads, is not a conversation.
  const room = await createRoomRow(rt);
  assert.equal((await viewOf(a, room)).status, 404);
  assert.equal((await a.api.get(`/conversations/${room}/leave`)).status, 404);
  assert.equal((await a.api.api('POST', `/api/v1/conversations/${room}/leave`, {})).status, 404);
  assert.equal((await new TestClient(rt.app).get('/api/v1/conversations')).status, 401);
});

test('who may write: the API and the page with three choices, the default explained', async () => {
  const m = await browserMember(rt, 'msg');
  const page = await m.web.get('/account/messaging');
  assert.equal(page.status, 200);
  assert.match(
    page.body,
    /<input type="radio" id="field-messaging-shared_group" name="messaging" value="shared_group" checked /,
  );
  assert.match(page.body, /Members of a group we share \(the default\)/);
  const saved = await m.web.submit('/account/messaging', '/account/messaging', { messaging: 'nobody' });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.location, '/account/messaging?done=saved');
  const row = async () =>
    (await rt.ctx.db.selectFrom('users').select('messaging').where('id', '=', m.user.id).executeTakeFirstOrThrow())
      .messaging;
  assert.equal(await row(), 'nobody');
  const again = await m.web.get('/account/messaging?done=saved');
  assert.match(again.body, /value="nobody" checked /);
  assert.match(again.body, /Your choice is saved/);
  const bad = await m.web.submit('/account/messaging', '/account/messaging', { messaging: 'everyone' });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /Choose who may start a conversation with you/);
  assert.equal(await row(), 'nobody');

  const api = await member(rt, 'msa');
  assert.deepEqual((await api.api.api('PUT', '/api/v1/me/messaging', { messaging: 'anyone' })).json(), {
    messaging: 'anyone',
  });
  assert.equal((await api.api.api('PUT', '/api/v1/me/messaging', { messaging: 'everyone' })).status, 422);
  m.web.acceptLanguage = 'ar';
  assert.match((await m.web.get('/account/messaging')).body, /أعضاء مجموعة مشتركة \(الخيار الافتراضي\)/);
});

test('the list page: requests first with their three answers, declining and blocking by form', async () => {
  const sender = await member(rt, 'ps');
  const reader = await browserMember(rt, 'pr');
  const group = await createGroupAs(sender.api, { visibility: 'public' });
  assert.equal((await reader.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {})).status, 303);
  const id = (await start(sender, [reader.user.username], 'مرحبا، هل يمكننا الحديث؟')).json().conversation.id;
  const page = await reader.web.get('/conversations');
  assert.equal(page.status, 200);
  const requests = page.body.indexOf('id="requests-heading"');
  const list = page.body.indexOf('id="conversations-heading"');
  assert.ok(requests > 0 && requests < list, 'requests come first');
  assert.match(page.body, new RegExp(`A message from <bdi>${sender.user.username}</bdi>`));
  assert.match(page.body, /<p dir="auto">مرحبا، هل يمكننا الحديث؟<\/p>/);
  assert.match(page.body, new RegExp(`action="/conversations/${id}/accept"`));
  assert.match(page.body, /name="block" value="on"/);
  assert.match(page.body, /href="\/conversations\/new"/);
  const declined = await reader.web.submit('/conversations', `/conversations/${id}/decline`, { block: 'on' });
  assert.equal(declined.status, 303);
  assert.equal(declined.headers.location, '/conversations?done=declined');
  const after = await reader.web.get('/conversations?done=declined');
  assert.doesNotMatch(after.body, /id="requests-heading"/);
  assert.match(after.body, /The sender is not told/);
  const blocked = await rt.ctx.db
    .selectFrom('blocks')
    .select('blocked_id')
    .where('blocker_id', '=', reader.user.id)
    .execute();
  assert.deepEqual(
    blocked.map((b) => b.blocked_id),
    [sender.user.id],
  );
  // Accepting by form leads to the conversation.
  const other = await member(rt, 'po');
  assert.equal((await other.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  const second = (await start(other, [reader.user.username])).json().conversation.id;
  const accepted = await reader.web.submit('/conversations', `/conversations/${second}/accept`, {});
  assert.equal(accepted.status, 303);
  assert.equal(accepted.headers.location, `/conversations/${second}`);
  const listed = await reader.web.get('/conversations');
  assert.match(listed.body, new RegExp(`href="/conversations/${second}"><span><bdi dir="auto">${other.user.username}`));
});

test('an account frozen: its partners of the last 30 days get a notice naming nobody', async () => {
  const suspect = await member(rt, 'sus');
  const recent = await member(rt, 'rec');
  const old = await member(rt, 'old');
  const bystander = await member(rt, 'by');
  await shareGroup(suspect, recent, old, bystander);
  const longAgo = await start(suspect, [old.user.username], 'long ago');
  assert.equal(longAgo.status, 201);
  // Its last message 31 days ago.
  const then = rt.ctx.now() - 31 * 86_400_000;
  await rt.ctx.db
    .updateTable('chats')
    .set({ created_at: then, last_message_at: then })
    .where('id', '=', longAgo.json().conversation.id)
    .execute();
  assert.equal((await start(recent, [suspect.user.username], 'lately')).status, 201);
  const mod = await member(rt, 'fmod', { role: 'moderator' });
  await setAccountFrozen(serviceContext(rt.ctx), asMember(mod.user), {
    userId: suspect.user.id,
    frozen: true,
    reason: 'Asking members for their addresses',
  });
  await rt.settle();
  const notices = async (p: Person) =>
    (await p.api.get('/api/v1/notifications'))
      .json()
      .notifications.filter((n: { kind: string }) => n.kind === 'chat_safety_notice');
  const [notice] = await notices(recent);
  assert.ok(notice, 'the recent partner is told');
  assert.equal(notice.href, '/safety');
  assert.doesNotMatch(JSON.stringify(notice), new RegExp(suspect.user.username));
  assert.doesNotMatch(JSON.stringify(notice), new RegExp(suspect.user.id));
  for (const p of [old, bystander, suspect]) assert.deepEqual(await notices(p), []);
  // The frozen account is no longer named to its partners.
  const [conversation] = (await recent.api.get('/api/v1/conversations')).json().conversations;
  assert.deepEqual(conversation.participants, []);
});

test('the list pages by keyset, newest activity first', async () => {
  const me = await member(rt, 'kp');
  const friends: Person[] = [];
  for (let i = 0; i < 5; i++) friends.push(await member(rt, 'kf'));
  await shareGroup(me, ...friends);
  const ids: string[] = [];
  for (const f of friends) {
    ids.push((await start(me, [f.user.username])).json().conversation.id);
    rt.advance(1000);
  }
  // Writing again in the first brings it to the top.
  assert.equal((await start(me, [friends[0]!.user.username], 'news')).json().conversation.id, ids[0]);
  const expected = [ids[0], ids[4], ids[3], ids[2], ids[1]];
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listConversations(serviceContext(rt.ctx), asMember(me.user), { after, limit: 2 });
    seen.push(...page.conversations.map((c) => c.id));
    if (!page.next) break;
    after = page.next;
  }
  assert.deepEqual(seen, expected);
  const api = (await me.api.get('/api/v1/conversations')).json();
  assert.deepEqual(
    api.conversations.map((c: { id: string }) => c.id),
    expected,
  );
  assert.equal(api.next, null);
});

test('a deleted account leaves its conversations; one it was the last in goes, the other words with it', async () => {
  const a = await member(rt, 'da');
  const b = await member(rt, 'db');
  const c = await member(rt, 'dc');
  await shareGroup(a, b, c);
  const pair = (await start(a, [b.user.username], 'just us')).json().conversation.id;
  const three = (await start(a, [b.user.username, c.user.username], 'all three')).json().conversation.id;
  assert.equal((await b.api.api('POST', `/api/v1/conversation-requests/${pair}/accept`, {})).status, 200);
  assert.equal((await c.api.api('POST', `/api/v1/conversation-requests/${three}/accept`, {})).status, 200);
  // b answers in the pair, then leaves it: a is the last one in.
  await postAs(b, pair, 'my words, which should not outlive the conversation');
  assert.equal((await b.api.api('POST', `/api/v1/conversations/${pair}/leave`, {})).status, 204);
  const deleted = await a.api.api('DELETE', '/api/v1/me', { current: a.user.passphrase });
  assert.equal(deleted.status, 204);
  const chats = await rt.ctx.db.selectFrom('chats').select('id').where('id', 'in', [pair, three]).execute();
  assert.deepEqual(
    chats.map((r) => r.id),
    [three],
    'the pair is gone; the three goes on with the two left',
  );
  assert.deepEqual(
    await rt.ctx.db.selectFrom('chat_messages').select('body').where('chat_id', '=', pair).execute(),
    [],
  );
  assert.equal((await viewOf(c, three)).json().conversation.participants.length, 1);
});

test('requests waiting are counted on the notifications page, stored for nobody', async () => {
  const sender = await member(rt, 'cs');
  const reader = await browserMember(rt, 'cr');
  const group = await createGroupAs(sender.api, { visibility: 'public' });
  assert.equal((await reader.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {})).status, 303);
  assert.match((await reader.web.get('/notifications')).body, /href="\/conversations#requests">Conversation requests</);
  await start(sender, [reader.user.username]);
  const page = await reader.web.get('/notifications');
  assert.match(page.body, /href="\/conversations#requests">Conversation requests: 1 waiting</);
  assert.deepEqual(
    await rt.ctx.db.selectFrom('notifications').select('kind').where('user_id', '=', reader.user.id).execute(),
    [],
  );
});
