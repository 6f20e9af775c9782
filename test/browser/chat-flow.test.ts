// Chat end to end in a real Chromium, in Arabic (issue 13): two members chat in a room and see each
// other's messages arrive without reloading; a third, with JavaScript off as in Tor Browser's safest
// mode, sees them by refreshing and answers with the form, which arrives live on the others'
// screens; an unsent message leaves the other's screen; and a stranger's first message arrives as a
// request that is declined and blocked, while the stranger's own page stays as it was.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createRoomRow } from '../support/chat.js';
import { createGroupAs, member } from '../support/community.js';
import { startBrowserServer, type BrowserServer } from '../support/browser.js';

let server: BrowserServer;
before(async () => {
  server = await startBrowserServer();
});
after(async () => server.close());

type Person = Awaited<ReturnType<typeof member>>;

async function signedIn(person: Person, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await server.newContext({ locale: 'ar', width: 360, javaScriptEnabled });
  const { token } = await createSession(serviceContext(server.rt.ctx), person.user.id, 'Test · Chromium');
  await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

const transcript = (page: Page) => page.locator('ol.transcript');

/** Waits until the live script has subscribed: the server answered with the chat's number. */
async function live(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('ol.transcript')?.getAttribute('data-connected') === '1', {
    timeout: 10_000,
  });
}

async function send(page: Page, words: string): Promise<void> {
  await page.locator('#chat-composer textarea[name="body"]').fill(words);
  await page.locator('#chat-composer').getByRole('button', { name: 'إرسال', exact: true }).click();
}

test('two members chat live in Arabic; one without JavaScript refreshes and answers; unsending leaves the other screen', async () => {
  const owner = await member(server.rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private', name: 'دائرة الدعم' });
  const people: Person[] = [];
  for (const prefix of ['sara', 'noor', 'tor']) {
    const someone = await member(server.rt, prefix);
    await server.rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: group.id, user_id: someone.user.id, role: 'member', joined_at: server.rt.ctx.now() })
      .execute();
    people.push(someone);
  }
  const [sara, noor, tor] = people as [Person, Person, Person];
  const room = await createRoomRow(server.rt, { groupId: group.id, name: 'الغرفة العامة' });

  const a = await signedIn(sara);
  const b = await signedIn(noor);
  const c = await signedIn(tor, false);
  const errors: string[] = [];
  for (const { page } of [a, b]) page.on('pageerror', (e) => errors.push(String(e)));
  await a.page.goto(`/rooms/${room}`);
  await b.page.goto(`/rooms/${room}`);
  await c.page.goto(`/rooms/${room}`);
  await live(a.page);
  await live(b.page);

  // Sara writes; Noor's page shows it without reloading.
  const bLoads: string[] = [];
  b.page.on('framenavigated', (frame) => frame === b.page.mainFrame() && bLoads.push(frame.url()));
  await send(a.page, 'مرحبًا بالجميع، كيف الحال اليوم؟');
  await transcript(b.page).getByText('مرحبًا بالجميع، كيف الحال اليوم؟').waitFor();
  // Noor answers; Sara sees it arrive.
  await send(b.page, 'بخير، شكرًا على السؤال 🌈');
  await transcript(a.page).getByText('بخير، شكرًا على السؤال').waitFor();
  assert.deepEqual(bLoads, [], 'the receiving page was never reloaded');

  // Tor, with JavaScript off, sees nothing new until refreshing, then answers with the plain form.
  assert.equal(await transcript(c.page).getByText('مرحبًا بالجميع').count(), 0);
  await c.page.getByRole('link', { name: 'تحديث', exact: true }).first().click();
  await transcript(c.page).getByText('مرحبًا بالجميع، كيف الحال اليوم؟').waitFor();
  await transcript(c.page).getByText('بخير، شكرًا على السؤال').waitFor();
  await send(c.page, 'أهلًا، أكتب من دون جافاسكربت');
  await c.page.waitForURL((url) => url.pathname === `/rooms/${room}`);
  await transcript(c.page).getByText('أهلًا، أكتب من دون جافاسكربت').waitFor();
  // …and it arrives live on both other screens.
  await transcript(a.page).getByText('أهلًا، أكتب من دون جافاسكربت').waitFor();
  await transcript(b.page).getByText('أهلًا، أكتب من دون جافاسكربت').waitFor();

  // Sara unsends her first message from its own page; it leaves Noor's screen without a reload.
  const first = transcript(a.page).locator('li.message', { hasText: 'مرحبًا بالجميع' });
  const messageId = (await first.getAttribute('id'))!.replace(/^m-/, '');
  await a.page.goto(`/messages/${messageId}/unsend`);
  await a.page.getByRole('button', { name: 'سحب الرسالة من الجميع' }).click();
  await a.page.waitForURL((url) => url.pathname === `/rooms/${room}`);
  await b.page.waitForFunction((id) => !document.getElementById(`m-${id}`), messageId);
  assert.equal(await transcript(b.page).getByText('مرحبًا بالجميع').count(), 0);
  assert.deepEqual(bLoads, [], 'still never reloaded');
  // Without JavaScript, it is gone at the next refresh.
  await c.page.getByRole('link', { name: 'تحديث', exact: true }).first().click();
  assert.equal(await transcript(c.page).getByText('مرحبًا بالجميع').count(), 0);
  // Gone from the database too, not only from the screens.
  const row = await server.rt.ctx.db
    .selectFrom('chat_messages')
    .select(['kind', 'body'])
    .where('id', '=', messageId)
    .executeTakeFirst();
  assert.deepEqual(row, { kind: 'unsent', body: null });
  assert.deepEqual(errors, []);
  for (const { context } of [a, b, c]) await context.close();
});

test("a stranger's first message arrives as a request, is declined and blocked, and the stranger sees no difference", async () => {
  const recipient = await member(server.rt, 'rcp');
  const stranger = await member(server.rt, 'str', { trust: 'member' });
  const r = await signedIn(recipient);
  const s = await signedIn(stranger);

  // The recipient lets anyone signed in write to them.
  await r.page.goto('/account/messaging');
  await r.page.locator('input[name="messaging"][value="anyone"]').check();
  await r.page.locator('main form button[type="submit"]').click();
  await r.page.waitForURL((url) => url.pathname !== '/account/messaging' || url.search.includes('done'));

  // The stranger writes first.
  await s.page.goto('/conversations/new');
  await s.page.locator('input[name="usernames"], textarea[name="usernames"]').fill(recipient.user.username);
  await s.page.locator('textarea[name="body"]').fill('مرحبًا، رأيت اسمك في المجموعة');
  await s.page.locator('main form').getByRole('button', { name: 'إرسال', exact: true }).click();
  await s.page.waitForURL((url) => url.pathname.startsWith('/conversations/'));
  const conversation = new URL(s.page.url()).pathname;
  const before = await s.page.locator('main').innerText();

  // It is a request: the recipient reads it and declines and blocks.
  await r.page.goto('/conversations');
  await r.page.getByText('مرحبًا، رأيت اسمك في المجموعة').waitFor();
  await r.page.getByRole('button', { name: 'رفض وحظر', exact: true }).click();
  await r.page.waitForURL((url) => url.pathname === '/conversations');
  assert.equal(await r.page.getByText('مرحبًا، رأيت اسمك في المجموعة').count(), 0, 'the request is gone');
  const blocks = await server.rt.ctx.db
    .selectFrom('blocks')
    .select('blocked_id')
    .where('blocker_id', '=', recipient.user.id)
    .execute();
  assert.deepEqual(
    blocks.map((b) => b.blocked_id),
    [stranger.user.id],
  );
  assert.equal((await r.page.goto(conversation))?.status(), 404, 'the recipient is no longer in it');

  // The stranger's page reads exactly as before: nothing says declined, blocked or unread.
  await s.page.goto(conversation);
  assert.equal(await s.page.locator('main').innerText(), before);
  for (const { context } of [r, s]) await context.close();
});
