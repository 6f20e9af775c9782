// Watched words (ADR 0052) in a real browser: a group moderator adds a hold word on the group's tools
// page; a member replies with the word written with tashkeel and tatweel; the post is held, and its
// author reads that it waits for a moderator while others do not read it. Arabic and English, 360 and
// 1280 px, axe clean, nothing sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createGroupAs, member, threadIn } from '../support/community.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

let server: BrowserServer;
let moderatorId: string;
let readerId: string;
let groupId: string;
let threadId: string;
const writers: string[] = [];

before(async () => {
  server = await startBrowserServer();
  const rt = server.rt;
  const owner = await member(rt, 'own');
  const moderator = await member(rt, 'gmod');
  const reader = await member(rt, 'read');
  moderatorId = moderator.user.id;
  readerId = reader.user.id;
  const group = await createGroupAs(owner.api, { visibility: 'public', name: 'قرّاء بيروت Beirut readers' });
  groupId = group.id;
  for (const m of [moderator, reader]) await m.api.api('POST', `/api/v1/groups/${groupId}/join`, {});
  await owner.api.api('PATCH', `/api/v1/groups/${groupId}/members/${moderator.user.id}`, { role: 'moderator' });
  for (let i = 0; i < 4; i++) {
    const writer = await member(rt, 'w');
    await writer.api.api('POST', `/api/v1/groups/${groupId}/join`, {});
    writers.push(writer.user.id);
  }
  threadId = (await threadIn(owner.api, groupId, { title: 'سؤال · A question', body: 'مرحبا' })).threadId;
});
after(async () => server.close());

async function signedIn(
  userId: string,
  options: Parameters<BrowserServer['newContext']>[0],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await server.newContext(options);
  const { token } = await createSession(serviceContext(server.rt.ctx), userId, 'Test · Chromium');
  await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

async function checkPage(page: Page, label: string, width: number) {
  // From the top: a page scrolled to a post may leave a button under the sticky quick-exit bar.
  await page.evaluate(() => window.scrollTo(0, 0));
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways at ${width}px`);
}

const text = {
  ar: { add: 'إضافة الكلمة', added: 'أُضيفت الكلمة', waiting: 'بانتظار مراجعة المشرفين', reply: 'نشر الرد' },
  en: { add: 'Add word', added: 'The word was added', waiting: 'waiting for a moderator', reply: 'Post reply' },
} as const;

let run = 0;
for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    test(`a hold word with tashkeel put in is still held (${locale}, ${width} px)`, async () => {
      // The group moderator sets the word on the group's tools page (adding it again keeps one row).
      const mod = await signedIn(moderatorId, { locale, width, bypassCSP: true });
      await mod.page.goto(`/groups/${groupId}`);
      await mod.page.locator(`a[href="/groups/${groupId}/tools"]`).click();
      await mod.page.waitForURL(`**/groups/${groupId}/tools`);
      await mod.page.locator('#field-words-phrase').fill('مثلا');
      await mod.page.locator('#field-words-action').selectOption('hold');
      await mod.page.getByRole('button', { name: text[locale].add }).click();
      await mod.page.waitForURL((url) => url.search.includes('done=added'));
      assert.ok((await mod.page.locator('.notice').first().innerText()).includes(text[locale].added));
      assert.equal(await mod.page.locator('#words .row-list > li').count(), 1);
      await checkPage(mod.page, `${locale} tools`, width);
      await screenshot(mod.page, `watched-tools-${locale}-${width}`);
      await mod.context.close();

      // A member writes it with tashkeel and tatweel.
      const body = `هذا مَثَلاً سؤال ${run} — for example مـــثلا`;
      const writer = await signedIn(writers[run++]!, { locale, width, bypassCSP: true });
      await writer.page.goto(`/threads/${threadId}`);
      await writer.page.locator('#field-reply-body').fill(body);
      await writer.page.locator('.composer-actions button.button:not(.button-secondary)').click();
      await writer.page.waitForURL((url) => url.hash.startsWith('#post-'));
      const postId = new URL(writer.page.url()).hash.slice('#post-'.length);
      const post = writer.page.locator(`#post-${postId}`);
      assert.ok((await post.innerText()).includes(text[locale].waiting), 'the author reads that it waits');
      assert.ok((await post.innerText()).includes('مَثَلاً'), 'and still reads their words');
      await checkPage(writer.page, `${locale} held post`, width);
      await screenshot(writer.page, `watched-held-${locale}-${width}`);
      await writer.context.close();

      // Another member does not read it.
      const reader = await signedIn(readerId, { locale, width });
      await reader.page.goto(`/threads/${threadId}`);
      assert.ok(!(await reader.page.locator('main').innerText()).includes(`سؤال ${run - 1}`));
      await reader.context.close();
    });
  }
}
