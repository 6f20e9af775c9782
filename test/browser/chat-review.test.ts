// A hostile review of the chat's pages: what members write (messages, content warnings, replies,
// room and group names, requests) is full of markup, script, bidi controls, long words, diacritics
// and emoji sequences, and every page that shows it (the chat, the room lists, the conversations
// and requests, the edit page, search, notifications) must run none of it, break no layout at
// 360 px in Arabic and English, and pass axe-core. The live script gets the same strings in frames.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { postMessage } from '../../src/features/chat/service.js';
import type { Member } from '../../src/security/actor.js';
import { createSession } from '../../src/security/sessions.js';
import { createRoomRow } from '../support/chat.js';
import { createGroupAs, member } from '../support/community.js';
import { describeViolations, seriousViolations, startBrowserServer, type BrowserServer } from '../support/browser.js';

const attacks = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '[a link](javascript:window.__xss=3)',
  '<svg onload="window.__xss = 4"><circle r="40"/></svg>',
  '<a href="javascript:window.__xss=5">click</a>',
  '<style>body { display: none }</style><div style="position:fixed;inset:0;background:red">cover</div>',
  '"><img src=x onerror=window.__xss=6>',
  '<iframe src="javascript:window.top.__xss=7"></iframe>',
  '\u202Egnp.exe \u202Bمقلوب\u202C',
  `${'ا'.repeat(240)} ${'x'.repeat(300)}`,
  'مَرْحَبًا بِكُمْ جَمِيعًا، أَهْلًا وَسَهْلًا',
  '👩‍❤️‍👩 🏳️‍🌈 🏳️‍⚧️ 👨‍👩‍👧‍👦'.repeat(20),
];
const hostile = attacks.join('\n\n');
const hostileName = `<img src=x onerror="window.__xss=8">\u202E${'ع'.repeat(90)}`;
const warningText = `<b onmouseover="window.__xss=9">${'ت'.repeat(40)}</b>\u202E`;

let server: BrowserServer;
let writer: Awaited<ReturnType<typeof member>>;
let reader: Awaited<ReturnType<typeof member>>;
let groupId: string;
let room: string;
let instanceRoom: string;
let firstId: string;
let conversation: string;

const asMember = (someone: { user: { id: string; username: string } }): Member => ({
  kind: 'user',
  id: someone.user.id,
  username: someone.user.username,
  role: 'member',
  trust: 'member',
});

before(async () => {
  server = await startBrowserServer();
  const rt = server.rt;
  writer = await member(rt, 'wrt');
  reader = await member(rt, 'rdr');
  groupId = (await createGroupAs(writer.api, { visibility: 'private', anonymousPosting: true })).id;
  await rt.ctx.db.updateTable('groups').set({ name: hostileName }).where('id', '=', groupId).execute();
  await rt.ctx.db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: reader.user.id, role: 'member', joined_at: rt.ctx.now() })
    .execute();
  room = await createRoomRow(rt, { groupId, name: hostileName, timerSeconds: 86_400 });
  instanceRoom = await createRoomRow(rt, { groupId: null, name: `${'غرفة'.repeat(40)}\u202E<script>x</script>` });
  const ctx = serviceContext(rt.ctx);
  const first = await postMessage(ctx, asMember(writer), room, { body: hostile }).catch((e) => {
    throw new Error(JSON.stringify(e.fields ?? e.errors ?? e));
  });
  firstId = first.messageId;
  await postMessage(ctx, asMember(writer), room, {
    body: `@${reader.user.username} ${attacks[1]}`,
    replyToId: firstId,
    warning: 'other',
    warningText,
  });
  await postMessage(ctx, asMember(reader), room, { body: hostile, anonymous: true, replyToId: firstId });
  await postMessage(ctx, asMember(writer), instanceRoom, { body: hostile });
  const started = await writer.api.api('POST', '/api/v1/conversations', {
    usernames: [reader.user.username],
    body: hostile,
  });
  assert.equal(started.status, 201, started.body);
  conversation = started.json().conversation?.id ?? started.json().conversationId ?? started.json().id;
  assert.ok(conversation, started.body);
});
after(async () => server.close());

const trap = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
`;

async function signedIn(userId: string, options: Parameters<BrowserServer['newContext']>[0]): Promise<BrowserContext> {
  const context = await server.newContext(options);
  const { token } = await createSession(serviceContext(server.rt.ctx), userId, 'Test · Chromium');
  await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
  return context;
}

/** Screenshots, for a person to look at, only when asked for (a folder outside the project). */
const shots = process.env.REVIEW_SHOTS;

/** Nothing ran, nothing was refused by the CSP (which would mean markup got through), nothing overflows. */
async function inspect(page: Page, where: string, width: number): Promise<void> {
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: unknown }).__xss,
    violations: (window as unknown as { __violations: string[] }).__violations,
    handlers: Array.from(document.querySelectorAll('main *')).flatMap((el) =>
      Array.from(el.attributes)
        .filter((a) => a.name.startsWith('on') || /^\s*javascript:/i.test(a.value))
        .map((a) => `${el.tagName} ${a.name}`),
    ),
    // The page's own script (an asset, same origin) is the only element of these kinds allowed.
    injected: Array.from(document.querySelectorAll('main script, main style, main iframe, main svg, main img'))
      .filter((el) => !(el.tagName === 'SCRIPT' && /^\/assets\/chat\.js\?v=[\w-]+$/.test(el.getAttribute('src') ?? '')))
      .map((el) => el.outerHTML.slice(0, 80)),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    hidden: getComputedStyle(document.body).display === 'none',
  }));
  assert.equal(state.xss, undefined, `${where}: script ran`);
  assert.deepEqual(state.violations, [], `${where}: CSP violations`);
  assert.deepEqual(state.handlers, [], `${where}: handlers or javascript: URLs in the page`);
  assert.deepEqual(state.injected, [], `${where}: members' markup became elements`);
  assert.equal(state.hidden, false, `${where}: members' CSS applied`);
  if (width <= 360) assert.ok(state.overflow <= 0, `${where} scrolls sideways by ${state.overflow} px`);
}

/** The page in screens of 1,000 px, each small enough to look at. */
async function screens(page: Page, base: string): Promise<void> {
  const { w, h } = await page.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
  }));
  for (let y = 0, i = 0; y < h && i < 8; y += 1000, i++)
    await page.screenshot({
      path: `${base}-${i}.png`,
      fullPage: true,
      clip: { x: 0, y, width: w, height: Math.min(1000, h - y) },
    });
}

const pages = () => [
  { name: 'chat', as: () => reader, url: `/rooms/${room}` },
  { name: 'instance-chat', as: () => reader, url: `/rooms/${instanceRoom}` },
  { name: 'reply', as: () => reader, url: `/rooms/${room}?reply=${firstId}` },
  { name: 'rooms', as: () => reader, url: '/rooms' },
  { name: 'group-rooms', as: () => writer, url: `/groups/${groupId}/rooms` },
  { name: 'conversations', as: () => reader, url: '/conversations' },
  { name: 'conversations-sender', as: () => writer, url: '/conversations' },
  { name: 'request', as: () => reader, url: `/conversations/${conversation}` },
  { name: 'conversation-sender', as: () => writer, url: `/conversations/${conversation}` },
  { name: 'edit', as: () => writer, url: `/messages/${firstId}/edit` },
  { name: 'unsend', as: () => writer, url: `/messages/${firstId}/unsend` },
  { name: 'search', as: () => reader, url: `/search?q=${encodeURIComponent('مرحبا')}` },
  { name: 'notifications', as: () => reader, url: '/notifications' },
];

for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    test(`hostile words run nothing and break no layout (${locale}, ${width} px)`, async () => {
      if (shots) fs.mkdirSync(shots, { recursive: true });
      for (const javaScriptEnabled of [true, false]) {
        const contexts = new Map<string, BrowserContext>();
        for (const p of pages()) {
          const who = p.as();
          let context = contexts.get(who.user.id);
          if (!context) {
            context = await signedIn(who.user.id, { locale, width, javaScriptEnabled });
            await context.addInitScript({ content: trap });
            contexts.set(who.user.id, context);
          }
          const page = await context.newPage();
          const dialogs: string[] = [];
          page.on('dialog', (d) => {
            dialogs.push(d.message());
            void d.dismiss();
          });
          const response = await page.goto(p.url);
          assert.equal(response?.status(), 200, `${p.name}: ${response?.status()}`);
          const where = `${p.name} (${locale}, ${width} px, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`;
          if (javaScriptEnabled) await inspect(page, where, width);
          else {
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            if (width <= 360) assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow} px`);
            if (shots) await screens(page, path.join(shots, `${p.name}-${locale}-${width}`));
          }
          assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
          await page.close();
        }
        for (const context of contexts.values()) await context.close();
      }
    });
  }
}

test('every chat page passes axe-core with hostile words in it', async () => {
  for (const locale of ['ar', 'en'] as const) {
    const contexts = new Map<string, BrowserContext>();
    for (const p of pages()) {
      const who = p.as();
      let context = contexts.get(who.user.id);
      if (!context) {
        context = await signedIn(who.user.id, { locale, width: 360, bypassCSP: true });
        contexts.set(who.user.id, context);
      }
      const page = await context.newPage();
      await page.goto(p.url);
      const violations = await seriousViolations(page);
      assert.equal(violations.length, 0, `${p.name} (${locale}):\n${describeViolations(violations)}`);
      await page.close();
    }
    for (const context of contexts.values()) await context.close();
  }
});

const fakeSocket = `
(() => {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.listeners = {};
      sockets.push(this);
      setTimeout(() => { this.readyState = 1; this.fire('open', {}); }, 10);
    }
    addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
    fire(type, event) { for (const l of this.listeners[type] || []) l(event); }
    send() {}
    close(code) { this.readyState = 3; this.fire('close', { code: code || 1000 }); }
  }
  FakeSocket.OPEN = 1;
  window.WebSocket = FakeSocket;
  window.__emit = (frame) => sockets[sockets.length - 1].fire('message', { data: JSON.stringify(frame) });
})();
`;

test('the live script puts hostile frames in place as text, and they fit', async () => {
  // The messages exactly as the API serves them (the sanitiser's HTML included), then with every
  // text field replaced by markup: the script must show it as text.
  const listed = await writer.api.api('GET', `/api/v1/rooms/${room}/messages`);
  assert.equal(listed.status, 200, listed.body);
  const served = listed.json().messages as Record<string, unknown>[];
  assert.ok(served.length >= 3);
  for (const locale of ['ar', 'en'] as const) {
    const context = await signedIn(reader.user.id, { locale, width: 360 });
    await context.addInitScript({ content: trap });
    await context.addInitScript({ content: fakeSocket });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`/rooms/${instanceRoom}`);
    await page.waitForFunction(() => 'WebSocket' in window);
    await page.waitForTimeout(100);
    let seq = 1000;
    for (const [i, m] of served.entries()) {
      const frame = {
        ...m,
        id: `hostile-${locale}-${i}`,
        chatId: instanceRoom,
        seq: ++seq,
        position: seq,
        expiresAt: null,
        author: i === 0 ? { id: 'x', username: hostileName } : m.author,
        pseudonym: m.pseudonym === null ? null : `${hostileName}${'ب'.repeat(120)}`,
        warning: { kind: '<img src=x onerror="window.__xss=10">', text: warningText },
        replyTo: { id: '"><img src=x onerror="window.__xss=11">', excerpt: hostile, authorName: hostileName },
        reactions: [{ kind: 'hug', count: 3 }],
        reacted: ['hug'],
      };
      await page.evaluate(
        (f) =>
          (window as unknown as { __emit: (f: unknown) => void }).__emit({
            type: 'message',
            chatId: f.chatId,
            message: f,
          }),
        frame,
      );
    }
    await page.waitForFunction(
      (n) => document.querySelectorAll('ol.transcript > li[id^="m-hostile-"]').length === n,
      served.length,
    );
    await inspect(page, `live frames (${locale})`, 360);
    const first = page.locator(`ol.transcript > li[id="m-hostile-${locale}-0"]`);
    assert.equal(await first.locator('.author').textContent(), hostileName);
    assert.equal(await first.locator('[data-slot="warning-text"]').textContent(), ` ${warningText}`);
    assert.equal(await first.locator('[data-slot="reply-excerpt"]').textContent(), hostile);
    assert.deepEqual(errors, []);
    if (shots) await screens(page, path.join(shots, `live-${locale}-360`));
    await context.close();
  }
});

test('on a 360 px phone, a short message keeps its four reactions on one line', async () => {
  const short = await createRoomRow(server.rt, { groupId, name: 'Short' });
  await postMessage(serviceContext(server.rt.ctx), asMember(writer), short, { body: 'أهلًا' });
  for (const locale of ['ar', 'en'] as const) {
    const context = await signedIn(reader.user.id, { locale, width: 360, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/rooms/${short}`);
    const tops = await page
      .locator('ol.transcript > li.message .reaction')
      .evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    assert.equal(tops.length, 4);
    const widths = await page
      .locator('ol.transcript > li.message .reaction')
      .evaluateAll(
        (b) =>
          b.map((x) => Math.round(x.getBoundingClientRect().width)).join(',') +
          ' in ' +
          Math.round(b[0]!.closest('fieldset')!.getBoundingClientRect().width),
      );
    assert.equal(new Set(tops).size, 1, `${locale}: reactions on ${new Set(tops).size} lines ${widths}`);
    const sizes = await page
      .locator('ol.transcript > li.message .reaction')
      .evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect()));
    for (const s of sizes) assert.ok(s.width >= 24 && s.height >= 24, 'targets of 24 px at least');
    await context.close();
  }
});

test('the live script keeps history in order: a change to a message not on the page does not bring it to the end', async () => {
  const rt = server.rt;
  const ordered = await createRoomRow(rt, { groupId, name: 'Order' });
  const ctx = serviceContext(rt.ctx);
  for (let i = 0; i < 3; i++) await postMessage(ctx, asMember(writer), ordered, { body: `old ${i}` });
  const context = await signedIn(reader.user.id, { locale: 'en', width: 360 });
  await context.addInitScript({ content: fakeSocket });
  const page = await context.newPage();
  await page.goto(`/rooms/${ordered}`);
  await page.waitForFunction(() => 'WebSocket' in window);
  await page.waitForTimeout(100);
  const base = {
    chatId: ordered,
    kind: 'message',
    createdAt: Date.now(),
    editedAt: null,
    expiresAt: null,
    author: { id: writer.user.id, username: writer.user.username },
    anonymous: false,
    pseudonym: null,
    mine: false,
    withheld: false,
    warning: null,
    replyTo: null,
    reactions: [],
    reacted: [],
    timer: null,
  };
  const emit = (m: Record<string, unknown>) =>
    page.evaluate(
      (f) =>
        (window as unknown as { __emit: (f: unknown) => void }).__emit({
          type: 'message',
          chatId: f.chatId,
          message: f,
        }),
      { ...base, ...m },
    );
  await page.evaluate(
    (chatId) => (window as unknown as { __emit: (f: unknown) => void }).__emit({ type: 'subscribed', chatId, seq: 3 }),
    ordered,
  );
  // Resuming: two new messages arrive in the order they last changed, not the order they were posted.
  await emit({ id: 'newer', seq: 6, position: 5, body: 'fifth', html: '<p>fifth</p>' });
  await emit({ id: 'new', seq: 7, position: 4, body: 'fourth', html: '<p>fourth</p>', editedAt: Date.now() });
  // Someone reacts to a message from long ago, not on this page (its position is before the page's first).
  await emit({
    id: 'ancient',
    seq: 8,
    position: 0,
    body: 'ancient',
    html: '<p>ancient</p>',
    reactions: [{ kind: 'hug', count: 1 }],
  });
  await page.locator('#m-new').waitFor();
  await page.waitForTimeout(200);
  const order = await page
    .locator('ol.transcript > li[id^="m-"]')
    .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-position'))));
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    `in the order posted: ${order}`,
  );
  assert.equal(await page.locator('#m-ancient').count(), 0, 'a change to a message not on the page adds nothing');
  await context.close();
});
