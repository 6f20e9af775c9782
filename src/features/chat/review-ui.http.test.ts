// The chat's pages under review, on both engines: a page of 50 messages stays light on a cheap
// phone (one reaction form per message, not one per reaction, each with its own token), and
// reacting still works with JavaScript off, each button saying whether it is pressed.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createConversationRow, createRoomRow } from '../../../test/support/chat.js';
import { serviceContext } from '../../app-context.js';
import type { Member } from '../../security/actor.js';
import { postMessage, unsendMessage } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const asMember = (someone: { user: { id: string; username: string } }): Member => ({
  kind: 'user',
  id: someone.user.id,
  username: someone.user.username,
  role: 'member',
  trust: 'member',
});

describe('a chat page of 50 messages', () => {
  let reader: Awaited<ReturnType<typeof browserMember>>;
  let roomId: string;
  let ids: string[] = [];

  before(async () => {
    const owner = await member(rt, 'own');
    reader = await browserMember(rt, 'rdr');
    const groupId = (await createGroupAs(owner.api, { visibility: 'private' })).id;
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: reader.user.id, role: 'member', joined_at: rt.ctx.now() })
      .execute();
    roomId = await createRoomRow(rt, { groupId, name: 'Weight room' });
    ids = [];
    for (let i = 0; i < 50; i++)
      ids.push(
        (
          await postMessage(serviceContext(rt.ctx), asMember(owner), roomId, {
            body: `Message ${i}: a short line of the kind people send, أهلًا بالجميع`,
          })
        ).messageId,
      );
  });

  test('has one reaction form per message and stays within its budget', async () => {
    for (const locale of ['en', 'ar']) {
      reader.web.acceptLanguage = locale;
      const page = await reader.web.get(`/rooms/${roomId}`);
      assert.equal(page.status, 200);
      const html = page.body;
      const raw = Buffer.byteLength(html);
      const gzipped = gzipSync(html).length;
      const tokens = (html.match(/name="_csrf"/g) ?? []).length;
      // Measured for the record: what a phone downloads.
      console.log(`chat page, 50 messages, ${locale}: ${raw} bytes, ${gzipped} gzipped, ${tokens} CSRF tokens`);
      const reactionForms = html.match(/<form[^>]*action="\/messages\/[^"/]+\/reactions[^"]*"/g) ?? [];
      assert.equal(reactionForms.length, 50, 'one reaction form per message');
      assert.ok(tokens <= 50 + 10, `${tokens} CSRF tokens on the page`);
      assert.ok(raw < 90_000, `${raw} bytes`);
      assert.ok(gzipped < 8_000, `${gzipped} bytes gzipped`);
    }
  });

  test('reacting with JavaScript off: a named button adds and, pressed, takes away', async () => {
    reader.web.acceptLanguage = 'en';
    const target = ids[10]!;
    const page = await reader.web.get(`/rooms/${roomId}`);
    const form = new RegExp(`<form[^>]*action="/messages/${target}/reactions"[\\s\\S]*?</form>`).exec(page.body);
    assert.ok(form, 'the message has its reaction form');
    assert.match(form[0], /<button[^>]*name="add"[^>]*value="hug"[^>]*aria-pressed="false"/);
    const added = await reader.web.submit(`/rooms/${roomId}`, `/messages/${target}/reactions`, { add: 'hug' });
    assert.equal(added.status, 303);
    assert.match(added.headers.location as string, new RegExp(`/rooms/${roomId}#m-${target}$`));
    const after = await reader.web.get(`/rooms/${roomId}`);
    const pressed = new RegExp(`<form[^>]*action="/messages/${target}/reactions"[\\s\\S]*?</form>`).exec(after.body)!;
    assert.match(pressed[0], /<button[^>]*name="remove"[^>]*value="hug"[^>]*aria-pressed="true"[^>]*>Hug · 1</);
    const removed = await reader.web.submit(`/rooms/${roomId}`, `/messages/${target}/reactions`, { remove: 'hug' });
    assert.equal(removed.status, 303);
    const again = await reader.web.get(`/rooms/${roomId}`);
    const back = new RegExp(`<form[^>]*action="/messages/${target}/reactions"[\\s\\S]*?</form>`).exec(again.body)!;
    assert.match(back[0], /<button[^>]*name="add"[^>]*value="hug"[^>]*aria-pressed="false"[^>]*>Hug</);
    // A kind that does not exist is refused, and nothing else changes.
    const wrong = await reader.web.submit(`/rooms/${roomId}`, `/messages/${target}/reactions`, { add: 'boo' });
    assert.equal(wrong.status, 400);
  });
});

describe('a chat one reads but may not write in says why, truthfully', () => {
  test('a muted member of the group is not told that only members write here; an outsider is', async () => {
    const owner = await member(rt, 'own');
    const muted = await browserMember(rt, 'mut');
    const outsider = await browserMember(rt, 'out');
    const groupId = (await createGroupAs(owner.api, { visibility: 'public' })).id;
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: muted.user.id, role: 'member', joined_at: rt.ctx.now() })
      .execute();
    await rt.ctx.db
      .updateTable('users')
      .set({ muted_until: Date.now() + 3_600_000 })
      .where('id', '=', muted.user.id)
      .execute();
    const roomId = await createRoomRow(rt, { groupId, name: 'Open room' });
    const instanceRoom = await createRoomRow(rt, { groupId: null, name: 'Everyone' });
    const membersOnly = {
      en: "Only the group's members write here.",
      ar: 'الكتابة هنا لأعضاء المجموعة فقط.',
    };
    const paused = {
      en: 'Sending messages from this account is paused for now.',
      ar: 'إرسال الرسائل من هذا الحساب متوقف حاليًا.',
    };
    for (const locale of ['en', 'ar'] as const) {
      muted.web.acceptLanguage = locale;
      outsider.web.acceptLanguage = locale;
      for (const path of [`/rooms/${roomId}`, `/rooms/${instanceRoom}`]) {
        const page = await muted.web.get(path);
        assert.equal(page.status, 200);
        assert.ok(!page.body.includes(membersOnly[locale]), `${locale} ${path}: a member is told only members write`);
        assert.ok(page.body.includes(paused[locale]), `${locale} ${path}: says writing is paused`);
        assert.ok(!page.body.includes('id="chat-composer"'));
      }
      const page = await outsider.web.get(`/rooms/${roomId}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.includes(membersOnly[locale]), `${locale}: an outsider is told only members write`);
    }
  });
});

describe('a reply to a message that is gone, with JavaScript off', () => {
  test('the refusal is shown where the quote was, its summary link leads there, and the words stay', async () => {
    const owner = await member(rt, 'own');
    const reader = await browserMember(rt, 'rdr');
    const groupId = (await createGroupAs(owner.api, { visibility: 'private' })).id;
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: reader.user.id, role: 'member', joined_at: rt.ctx.now() })
      .execute();
    const roomId = await createRoomRow(rt, { groupId, name: 'Room' });
    const gone = await postMessage(serviceContext(rt.ctx), asMember(owner), roomId, { body: 'soon unsent' });
    await unsendMessage(serviceContext(rt.ctx), asMember(owner), gone.messageId);
    for (const [locale, words] of [
      ['en', 'The message being answered is no longer there.'],
      ['ar', 'الرسالة التي يجري الرد عليها لم تعد موجودة.'],
    ] as const) {
      reader.web.acceptLanguage = locale;
      const r = await reader.web.submit(`/rooms/${roomId}`, `/chats/${roomId}/messages`, {
        body: 'my answer, kept',
        replyToId: gone.messageId,
      });
      assert.equal(r.status, 422);
      assert.match(r.body, /href="#field-message-replyToId"/);
      const beside = /<[^>]*id="field-message-replyToId"[^>]*>[\s\S]*?<\/div>/.exec(r.body);
      assert.ok(beside, `${locale}: the summary's link leads to something on the page`);
      assert.ok(beside[0].includes(words), `${locale}: the refusal is said there`);
      assert.ok(r.body.indexOf('id="field-message-replyToId"') < r.body.indexOf('id="field-message-body"'));
      assert.match(r.body, />my answer, kept<\/textarea>/);
    }
  });
});

describe('what a conversation page leaves in the browser', () => {
  test("its title, kept in the browser's history and tabs, names nobody", async () => {
    const one = await browserMember(rt, 'one');
    const other = await member(rt, 'oth');
    const chatId = await createConversationRow(rt, [{ userId: one.user.id }, { userId: other.user.id }]);
    for (const locale of ['en', 'ar']) {
      one.web.acceptLanguage = locale;
      const page = await one.web.get(`/conversations/${chatId}`);
      assert.equal(page.status, 200);
      const title = /<title>([^<]*)<\/title>/.exec(page.body)?.[1] ?? '';
      assert.ok(title.length > 0);
      assert.ok(!title.includes(other.user.username), `${locale}: the title names ${other.user.username}: ${title}`);
      // The page itself still says who is in it.
      assert.ok(page.body.includes(`<bdi>${other.user.username}</bdi>`));
    }
  });
});

describe('unsending asks first (WCAG 3.3.4: erasing what cannot be brought back is confirmed)', () => {
  test('the menu leads to a page that shows the words and asks; only then are they gone, in both languages', async () => {
    const author = await browserMember(rt, 'aut');
    const other = await browserMember(rt, 'oth');
    const owner = await member(rt, 'own');
    const groupId = (await createGroupAs(owner.api, { visibility: 'private' })).id;
    for (const who of [author, other])
      await rt.ctx.db
        .insertInto('group_members')
        .values({ group_id: groupId, user_id: who.user.id, role: 'member', joined_at: rt.ctx.now() })
        .execute();
    const roomId = await createRoomRow(rt, { groupId, name: 'Room' });
    for (const [locale, words] of [
      ['en', { title: 'Unsend this message?', button: 'Unsend for everyone' }],
      ['ar', { title: 'سحب هذه الرسالة؟', button: 'سحب الرسالة من الجميع' }],
    ] as const) {
      author.web.acceptLanguage = locale;
      const { messageId } = await postMessage(serviceContext(rt.ctx), asMember(author), roomId, {
        body: `words to take back <b>${locale}</b>`,
      });
      const chat = await author.web.get(`/rooms/${roomId}`);
      assert.match(chat.body, new RegExp(`<a href="/messages/${messageId}/unsend">${words.button}</a>`));
      assert.doesNotMatch(chat.body, new RegExp(`<form[^>]*action="/messages/${messageId}/unsend"`));
      const ask = await author.web.get(`/messages/${messageId}/unsend`);
      assert.equal(ask.status, 200);
      assert.match(ask.body, new RegExp(`<h1>${words.title.replace('?', '\\?')}</h1>`));
      const quoted = ask.body.slice(ask.body.indexOf('<blockquote'), ask.body.indexOf('</blockquote>'));
      assert.ok(quoted.includes(`words to take back &lt;b>${locale}&lt;/b>`), quoted);
      assert.match(ask.body, new RegExp(`<form method="post" action="/messages/${messageId}/unsend"`));
      assert.match(ask.body, new RegExp(`href="/rooms/${roomId}#m-${messageId}"`));
      assert.equal((await other.web.get(`/messages/${messageId}/unsend`)).status, 404, 'not theirs to unsend');
      assert.ok(
        (await author.web.get(`/rooms/${roomId}`)).body.includes(`id="m-${messageId}"`),
        'asking erased nothing',
      );
      const done = await author.web.submit(`/messages/${messageId}/unsend`, `/messages/${messageId}/unsend`, {});
      assert.equal(done.status, 303);
      assert.ok(!(await author.web.get(`/rooms/${roomId}`)).body.includes(`id="m-${messageId}"`));
      assert.equal((await author.web.get(`/messages/${messageId}/unsend`)).status, 404, 'gone');
    }
  });
});

describe('the quote of a long message being answered', () => {
  test('is cut between letters, never inside an emoji or a letter with its marks', async () => {
    const owner = await member(rt, 'own');
    const reader = await browserMember(rt, 'rdr');
    const groupId = (await createGroupAs(owner.api, { visibility: 'private' })).id;
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: reader.user.id, role: 'member', joined_at: rt.ctx.now() })
      .execute();
    const roomId = await createRoomRow(rt, { groupId, name: 'Room' });
    const family = '👩‍👩‍👧‍👦';
    for (const cut of [197, 198, 199]) {
      const body = `${'a'.repeat(cut)}${family}${'b'.repeat(50)}`;
      const { messageId } = await postMessage(serviceContext(rt.ctx), asMember(owner), roomId, { body });
      const page = await reader.web.get(`/rooms/${roomId}?reply=${messageId}`);
      assert.equal(page.status, 200);
      const quote = /<blockquote class="quote composer-reply">[\s\S]*?<\/blockquote>/.exec(page.body)![0];
      assert.ok(!quote.includes('\uFFFD'), `cut at ${cut}: a broken character`);
      const shown = /<p dir="auto">([^<]*)<\/p>/.exec(quote)![1]!;
      assert.ok(shown.endsWith('…'));
      const kept = shown.slice(0, -1).replace(/^a+/, '');
      assert.ok(kept === '' || kept === family, `cut at ${cut}: ${JSON.stringify(kept)}`);
      // The quote above an answer in the transcript, cut the same way.
      await postMessage(serviceContext(rt.ctx), asMember(owner), roomId, {
        body: `answer ${cut}`,
        replyToId: messageId,
      });
      const transcript = (await reader.web.get(`/rooms/${roomId}`)).body;
      const quotes = transcript.match(/<blockquote class="quote message-reply">[\s\S]*?<\/blockquote>/g) ?? [];
      assert.ok(quotes.length > 0);
      for (const q of quotes) assert.ok(!q.includes('\uFFFD') && !/\u200D…/.test(q), `cut at ${cut}: ${q}`);
    }
    // A request's first words, as its recipient reads them.
    const stranger = await member(rt, 'str');
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: stranger.user.id, role: 'member', joined_at: rt.ctx.now() })
      .execute();
    const started = await stranger.api.api('POST', '/api/v1/conversations', {
      usernames: [reader.user.username],
      body: `${'a'.repeat(197)}${family}`,
    });
    assert.equal(started.status, 201, started.body);
    const requests = (await reader.web.get('/conversations')).body;
    const excerpt = /<blockquote class="excerpt">[\s\S]*?<\/blockquote>/.exec(requests)![0];
    assert.ok(!excerpt.includes('\uFFFD') && !/\u200D…/.test(excerpt), excerpt);
  });
});

describe('the rooms list says how long messages stay without contradicting itself', () => {
  test('a room whose messages never disappear is not listed as "disappear after: never"', async () => {
    const someone = await browserMember(rt, 'rdr');
    await createRoomRow(rt, { groupId: null, name: 'Forever room', timerSeconds: null });
    await createRoomRow(rt, { groupId: null, name: 'Day room', timerSeconds: 86_400 });
    for (const [locale, contradiction, off, day] of [
      [
        'en',
        'Messages disappear after</dt><dd>never',
        'Messages kept for</dt><dd>no time limit',
        'Messages kept for</dt><dd>1 day',
      ],
      [
        'ar',
        'تختفي الرسائل بعد</dt><dd>لا تختفي',
        'مدة بقاء الرسائل</dt><dd>بلا حدّ زمني',
        'مدة بقاء الرسائل</dt><dd>يوم واحد',
      ],
    ] as const) {
      someone.web.acceptLanguage = locale;
      const page = (await someone.web.get('/rooms')).body;
      assert.ok(!page.includes(contradiction), locale);
      assert.ok(page.includes(off), `${locale}: ${off}`);
      assert.ok(page.includes(day), `${locale}: ${day}`);
    }
  });
});

describe('what the conversations page promises', () => {
  test('it does not promise more privacy than the server gives: not end-to-end encrypted', async () => {
    const someone = await browserMember(rt, 'rdr');
    for (const [locale, honest] of [
      ['en', 'not end-to-end encrypted'],
      ['ar', 'غير مشفّرة من طرف إلى طرف'],
    ] as const) {
      someone.web.acceptLanguage = locale;
      const page = (await someone.web.get('/conversations')).body;
      const lead = /<p class="lead">([^<]*)<\/p>/.exec(page)?.[1] ?? '';
      assert.ok(lead.includes(honest), `${locale}: ${lead}`);
    }
  });
});
