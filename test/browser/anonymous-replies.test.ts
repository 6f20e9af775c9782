import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { TestClient } from '../support/client.js';
import { createGroupAs } from '../support/community.js';
import { createUser, type SeededUser } from '../support/seed.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

// Replies to anonymous posts (ADR 0043): the composer says plainly that an anonymous author hears of
// nothing unless they ask, and what asking stores; the page that lists the replies; stopping.
let server: BrowserServer;
let owner: SeededUser;
let group: { id: string };
before(async () => {
  server = await startBrowserServer();
  owner = await createUser(server.rt, { username: 'nour_owner' });
  group = await createGroupAs(await apiOf(owner), { name: 'أمهات وآباء متضامنون', anonymousPosting: true });
});
after(async () => server.close());

async function apiOf(user: SeededUser): Promise<TestClient> {
  const api = new TestClient(server.rt.app);
  api.bearer = (await createSession(serviceContext(server.rt.ctx), user.id, 'Test · Linux')).token;
  return api;
}

async function joined(user: SeededUser): Promise<TestClient> {
  const api = await apiOf(user);
  const r = await api.api('POST', `/api/v1/groups/${group.id}/join`, {});
  assert.equal(r.status, 200, r.body);
  return api;
}

async function signedIn(
  user: SeededUser,
  locale: string,
  width: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await server.newContext({ javaScriptEnabled: false, locale, width });
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** axe-core on a copy of the scriptless page, unique ids, no sideways scrolling; then a screenshot. */
async function checkPage(page: Page, label: string): Promise<void> {
  const html = await page.content();
  const width = page.viewportSize()?.width ?? 1280;
  const scripted = await server.newContext({ locale: 'en', width, bypassCSP: true });
  const checked = await scripted.newPage();
  await checked.goto('/healthz');
  await checked.setContent(html, { waitUntil: 'load' });
  const violations = await seriousViolations(checked);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const duplicates = await checked.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(duplicates, [], `${label}: duplicate ids`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways at ${width}px`);
  await screenshot(page, label.replace(/[^a-z0-9]+/gi, '-'));
  await scripted.close();
}

const said = {
  en: { label: /Tell me of replies in this discussion/, plainly: /without this you will not be told of replies/ },
  ar: { label: /الإعلام بالردود في هذا النقاش/, plainly: /من دون هذا الخيار لا يصل أي إشعار بالردود/ },
} as const;

for (const locale of ['ar', 'en'] as const)
  for (const width of [360, 1280]) {
    test(`${locale} ${width}: without JavaScript, an anonymous author asks to hear of replies, reads them, and stops`, async () => {
      const author = await createUser(server.rt, { username: `hala_${locale}_${width}` });
      await joined(author);
      const replier = await createUser(server.rt, { username: `sami_${locale}_${width}` });
      const replierApi = await joined(replier);

      const { context, page } = await signedIn(author, locale, width);
      await page.goto(`/groups/${group.id}/threads/new`);
      const choice = page.locator('.anonymous-choice');
      assert.match(await choice.locator('label[for$="notifyReplies"]').innerText(), said[locale].label);
      const hint = await choice.locator('[id$="notifyReplies-hint"]').innerText();
      assert.match(hint, said[locale].plainly, 'told plainly that nothing comes without asking');
      await checkPage(page, `anonymous-replies-composer ${locale} ${width}`);

      const title = `سؤال بلا اسم ${locale} ${width}`;
      await page.fill('input[name=title]', title);
      await page.fill('textarea[name=body]', 'كيف كان الحديث مع الأهل؟');
      await choice.locator('input[name=anonymous]').check();
      await choice.locator('input[name=notifyReplies]').check();
      await page.locator('main form .composer-actions button[type=submit]').first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/threads/'));
      const threadId = new URL(page.url()).pathname.split('/').pop()!;

      const reply = await replierApi.api('POST', `/api/v1/threads/${threadId}/posts`, {
        body: 'تجربتي كانت صعبة أولًا.',
      });
      assert.equal(reply.status, 201, reply.body);

      await page.goto('/notifications');
      const link = page.locator('main a[href="/anonymous-replies"]');
      assert.match(await link.innerText(), locale === 'en' ? /1 new/ : /رد جديد واحد/);
      assert.equal((await page.locator('nav .count-badge').count()) > 0, true, 'the navigation counts it');
      await checkPage(page, `anonymous-replies-notifications ${locale} ${width}`);
      await link.click();
      await page.waitForURL((url) => url.pathname === '/anonymous-replies');
      assert.equal(await page.locator('nav .count-badge').count(), 0, 'seen once shown: the count drops at once');
      const item = page.locator('main li', { hasText: title });
      assert.equal(await item.count(), 1);
      assert.equal(await item.locator(`a[href="/posts/${reply.json().post.id}"]`).count(), 1);
      await checkPage(page, `anonymous-replies-page ${locale} ${width}`);

      await item.locator('button[type=submit]').click();
      await page.waitForURL((url) => url.pathname === '/anonymous-replies' && url.search === '?done=stopped');
      assert.equal(await page.locator('main .notice').count(), 1);
      assert.equal(await page.locator('main li', { hasText: title }).count(), 0, 'stopped');
      await context.close();
    });
  }
