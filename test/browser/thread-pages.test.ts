// Keeping one's place (ADR 0036), in a real browser: a link to a post opens the page that holds it,
// scrolled so that the sticky quick-exit bar does not cover it; the pages link both ways without
// JavaScript; the thread page is accessible and fits 360 px in both languages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
let threadId: string;
let ids: string[];
let readerId: string;

before(async () => {
  server = await startBrowserServer();
  const rt = server.rt;
  const owner = await member(rt, 'own');
  readerId = owner.user.id;
  const group = await createGroupAs(owner.api, { visibility: 'public', name: 'قرّاء بيروت' });
  const writers: Awaited<ReturnType<typeof member>>[] = [];
  for (let i = 0; i < 6; i++) {
    const m = await member(rt);
    await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    writers.push(m);
  }
  const thread = await threadIn(owner.api, group.id, { title: 'كيف أبدأ؟ Where do I start?', body: 'رسالة 0' });
  threadId = thread.threadId;
  ids = [thread.postId];
  for (let i = 1; i < 45; i++) {
    rt.advance(7000);
    // Long enough that a page scrolls well past the post a link points at.
    const body = `رسالة ${i}\n\nA reply with a few lines, so that the page is long. ${'كلمات '.repeat(20)}`;
    const r = await writers[i % 6]!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body });
    assert.equal(r.status, 201, r.body);
    ids.push(r.json().post.id as string);
  }
});
after(async () => server.close());

async function signedIn(options: Parameters<BrowserServer['newContext']>[0]): Promise<BrowserContext> {
  const context = await server.newContext(options);
  const { token } = await createSession(serviceContext(server.rt.ctx), readerId, 'Test · Chromium');
  await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
  return context;
}

/** How far the post's top is below the bar's bottom, in CSS pixels (negative: the bar covers it). */
const clearance = (page: Page, postId: string) =>
  page.evaluate((id) => {
    const bar = document.querySelector('.exit-bar')!.getBoundingClientRect();
    const post = document.getElementById(`post-${id}`)!.getBoundingClientRect();
    return post.top - bar.bottom;
  }, postId);

/** What the member sees without scrolling, as opposed to `screenshot`'s whole page. */
async function viewportShot(page: Page, name: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../../screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

for (const javaScriptEnabled of [true, false]) {
  for (const locale of ['ar', 'en']) {
    for (const width of [360, 1280]) {
      const label = `${locale}, ${width} px, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
      test(`a link to a post opens its page, below the quick-exit bar (${label})`, async () => {
        const context = await signedIn({ locale, width, javaScriptEnabled });
        const page = await context.newPage();
        const target = ids[33]!;
        await page.goto(`/posts/${target}`);
        assert.equal(new URL(page.url()).search, '?page=2');
        assert.equal(new URL(page.url()).hash, `#post-${target}`);
        assert.ok(
          (await page.evaluate(() => window.scrollY)) > 0,
          'the page scrolled to the post (else the test proves nothing)',
        );
        const gap = await clearance(page, target);
        assert.ok(gap >= 0, `the post's top is ${-gap}px under the bar`);
        await viewportShot(page, `thread-jump-${locale}-${width}-js-${javaScriptEnabled ? 'on' : 'off'}`);

        // Following the pages: next, then the first page, with plain links.
        await page.click('nav.thread-pages >> nth=0 >> a[rel=next]');
        await page.waitForURL((url) => url.search === '?page=3');
        assert.equal(await page.locator('nav.thread-pages >> nth=0 >> [aria-current=page]').innerText(), '3');
        await page.click(`nav.thread-pages >> nth=-1 >> a[href="/threads/${threadId}"] >> nth=0`);
        await page.waitForURL((url) => url.search === '' && url.pathname === `/threads/${threadId}`);

        // A link within the page jumps there too, not under the bar.
        await page.goto(`/threads/${threadId}?page=2`);
        await page.click(`#post-${ids[36]} .post-time`);
        await page.waitForURL((url) => url.hash === `#post-${ids[36]}`);
        assert.ok((await clearance(page, ids[36]!)) >= 0, 'after following a link within the page');
        await context.close();
      });
    }
  }
}

for (const locale of ['ar', 'en']) {
  test(`the thread page is accessible and fits 360 px, in ${locale}`, async () => {
    const context = await signedIn({ locale, bypassCSP: true });
    const page = await context.newPage();
    for (const query of ['', '?page=2', '?page=3']) {
      await page.goto(`/threads/${threadId}${query}`);
      const violations = await seriousViolations(page);
      assert.equal(violations.length, 0, `${locale} ${query}:\n${describeViolations(violations)}`);
    }
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`/threads/${threadId}?page=2`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${locale} scrolls sideways at ${width}px`);
      for (const link of await page.locator('nav.thread-pages a').all()) {
        const box = await link.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${locale}: a page link is outside the viewport`);
      }
      await screenshot(page, `thread-pages-${locale}-${width}`);
      await viewportShot(page, `thread-pages-top-${locale}-${width}`);
      await page.locator('nav.thread-pages').last().scrollIntoViewIfNeeded();
      await viewportShot(page, `thread-pages-end-${locale}-${width}`);
    }
    await context.close();
  });
}
