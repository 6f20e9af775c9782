// What is new to a member (ADR 0038), in a real browser without JavaScript: the home page's "new
// since your last visit" and the group's thread list link to the page holding the first new post,
// which opens at the marker, below the quick-exit bar; accessible and fitting 360 px, in both languages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
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
let groupId: string;
let threadId: string;
let ids: string[];
let writers: Awaited<ReturnType<typeof member>>[];

before(async () => {
  server = await startBrowserServer();
  const rt = server.rt;
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', name: 'قرّاء بيروت' });
  groupId = group.id;
  writers = [];
  for (let i = 0; i < 6; i++) {
    const m = await member(rt);
    await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    writers.push(m);
  }
  const thread = await threadIn(owner.api, group.id, { title: 'كيف أبدأ؟ Where do I start?', body: 'رسالة 0' });
  threadId = thread.threadId;
  ids = [thread.postId];
  for (let i = 1; i < 25; i++) {
    server.rt.advance(7000);
    const body = `رسالة ${i}\n\nA reply with a few lines, so that the page is long. ${'كلمات '.repeat(20)}`;
    const r = await writers[i % 6]!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body });
    assert.equal(r.status, 201, r.body);
    ids.push(r.json().post.id as string);
  }
});
after(async () => server.close());

/** How far the element's top is below the quick-exit bar's bottom, in CSS pixels. */
const clearance = (page: Page, id: string) =>
  page.evaluate((elementId) => {
    const bar = document.querySelector('.exit-bar')!.getBoundingClientRect();
    return document.getElementById(elementId)!.getBoundingClientRect().top - bar.bottom;
  }, id);

async function viewportShot(page: Page, name: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../../screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

async function accessible(page: Page, where: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

async function fits(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${where} scrolls sideways`);
}

const words = {
  en: { five: '5 new posts', notOpened: 'New: not opened yet', marker: 'New posts start here', nothing: 'Nothing new' },
  ar: {
    five: '5 مشاركات جديدة',
    notOpened: 'جديد: لم يُفتح بعد',
    marker: 'بداية المشاركات الجديدة',
    nothing: 'لا جديد',
  },
};

for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    const label = `${locale}, ${width} px, JavaScript off`;
    test(`what is new links to the first new post, marked in words (${label})`, async () => {
      const rt = server.rt;
      const w = words[locale];
      // A member who joined after the long thread began, read its first page, and missed a new thread.
      const reader = await member(rt, 'rdr');
      await reader.api.api('POST', `/api/v1/groups/${groupId}/join`, {});
      rt.advance(1000);
      assert.equal((await reader.api.get(`/api/v1/threads/${threadId}`)).status, 200);
      const fresh = await threadIn(writers[(width + locale.length) % 6]!.api, groupId, {
        title: `خيط جديد ${locale} ${width}`,
      });

      const open = async (options: Parameters<BrowserServer['newContext']>[0]) => {
        const context = await server.newContext(options);
        const { token } = await createSession(serviceContext(rt.ctx), reader.user.id, 'Test · Chromium');
        await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
        return context;
      };

      // axe-core needs JavaScript: it checks the same pages first, the marker included.
      const checked = await open({ locale, width, bypassCSP: true });
      const axePage = await checked.newPage();
      for (const address of ['/', `/groups/${groupId}`, `/threads/${threadId}?page=2`]) {
        await axePage.goto(address);
        await accessible(axePage, `${label} ${address}`);
      }
      assert.equal(await axePage.locator('#first-unread').count(), 1, 'axe saw the marker');
      await checked.close();
      // That visit moved the member's place; put it back where the first page left it.
      const twentieth = await rt.ctx.db
        .selectFrom('posts')
        .select(['id', 'created_at'])
        .where('id', '=', ids[19]!)
        .executeTakeFirstOrThrow();
      await rt.ctx.db
        .updateTable('thread_reads')
        .set({ post_id: twentieth.id, post_created_at: twentieth.created_at })
        .where('user_id', '=', reader.user.id)
        .where('thread_id', '=', threadId)
        .execute();

      const context = await open({ locale, width, javaScriptEnabled: false });
      const page = await context.newPage();

      await page.goto('/');
      const news = page.locator('section[aria-labelledby="new-title"]');
      await assert.doesNotReject(news.getByRole('link', { name: w.five, exact: true }).waitFor());
      assert.equal(
        await news.getByRole('link', { name: w.notOpened, exact: true }).getAttribute('href'),
        `/threads/${fresh.threadId}#first-unread`,
      );
      await fits(page, `${label} home`);
      await screenshot(page, `unread-home-${locale}-${width}`);

      await page.goto(`/groups/${groupId}`);
      await fits(page, `${label} group`);
      await screenshot(page, `unread-group-${locale}-${width}`);
      const jump = page.locator('.thread-list').getByRole('link', { name: w.five, exact: true });
      assert.equal(await jump.getAttribute('href'), `/threads/${threadId}?page=2#first-unread`);
      await jump.click();
      await page.waitForURL((url) => url.search === '?page=2' && url.hash === '#first-unread');
      const marker = page.locator('#first-unread');
      assert.equal((await marker.innerText()).trim(), w.marker);
      assert.equal(await marker.evaluate((el) => el.tagName), 'H2', 'a heading: reachable by headings');
      assert.equal(
        await marker.evaluate((el) => el.nextElementSibling?.id),
        `post-${ids[20]}`,
        'the 21st post, the first the member has not seen',
      );
      assert.ok((await clearance(page, 'first-unread')) >= 0, 'the marker is not under the quick-exit bar');
      await viewportShot(page, `unread-marker-${locale}-${width}`);
      await fits(page, `${label} thread page 2`);

      // Seen now: the home page no longer lists the long thread, and its page shows no marker.
      await page.goto('/');
      assert.equal(await news.getByRole('link', { name: w.five, exact: true }).count(), 0);
      await page.goto(`/threads/${threadId}?page=2`);
      assert.equal(await page.locator('#first-unread').count(), 0);
      await context.close();
    });
  }
}
