import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createGroup, joinGroup, setMemberRole } from '../../src/features/groups/service.js';
import { createPost, createThread } from '../../src/features/discussions/service.js';
import { translator } from '../../src/i18n/index.js';
import { createUser, type SeededUser, asMember } from '../support/seed.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

/**
 * Reports and the moderation queue in a real browser (ADR 0048): a member reports a post from its
 * thread page, the group's moderator finds it at /moderation and hides it; in Arabic and English,
 * on a phone and a wide screen, with axe-core's checks, and once with JavaScript off.
 */

let server: BrowserServer;
let counter = 0;

before(async () => {
  server = await startBrowserServer();
});
after(async () => server.close());

/** A public group with an owner, a moderator, an author with a reply, and a reporter. */
async function scene() {
  const ctx = () => serviceContext(server.rt.ctx);
  const n = ++counter;
  const owner = await createUser(server.rt, { username: `owner_${n}` });
  const moderator = await createUser(server.rt, { username: `moderator_${n}` });
  const author = await createUser(server.rt, { username: `author_${n}` });
  const reporter = await createUser(server.rt, { username: `reporter_${n}` });
  const group = await createGroup(ctx(), asMember(owner), {
    name: `دائرة القراءة ${n}`,
    description: 'A reading circle.',
    languages: ['ar', 'en'],
    visibility: 'public',
  });
  for (const m of [moderator, author, reporter]) await joinGroup(ctx(), asMember(m), group.id);
  await setMemberRole(ctx(), asMember(owner), group.id, moderator.id, 'moderator');
  const { threadId } = await createThread(ctx(), asMember(author), group.id, {
    title: 'أين نلتقي بأمان؟ Where do we meet safely?',
    body: 'Opening words',
  });
  const { postId } = await createPost(ctx(), asMember(author), threadId, { body: `A cruel reply ${n}` });
  return { group, moderator, reporter, threadId, postId, text: `A cruel reply ${n}` };
}

async function open(user: SeededUser, options: { locale: string; width: number; javaScriptEnabled: boolean }) {
  const context = await server.newContext({ ...options, bypassCSP: true });
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

async function checkPage(page: Page, label: string, js: boolean) {
  const measured = await page.evaluate(() => ({
    width: window.innerWidth,
    scrollWidth: document.scrollingElement!.scrollWidth,
  }));
  assert.ok(measured.scrollWidth <= measured.width, `${label}: scrolls sideways (${measured.scrollWidth})`);
  // axe-core runs as a script: with JavaScript off the same pages are checked in the runs with it on.
  if (!js) return;
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
}

describe('a member reports a post; a group moderator hides it from the queue', () => {
  const runs = [
    { locale: 'ar', width: 360, javaScriptEnabled: true },
    { locale: 'en', width: 360, javaScriptEnabled: true },
    { locale: 'ar', width: 1280, javaScriptEnabled: true },
    { locale: 'en', width: 1280, javaScriptEnabled: true },
    { locale: 'ar', width: 360, javaScriptEnabled: false },
  ] as const;
  for (const run of runs) {
    const js = run.javaScriptEnabled;
    const label = `${run.locale} at ${run.width} px, JavaScript ${js ? 'on' : 'off'}`;
    test(label, async () => {
      const t = translator(run.locale);
      const s = await scene();

      const reporter = await open(s.reporter, run);
      try {
        const page = reporter.page;
        await page.goto(`/threads/${s.threadId}`);
        const post = page.locator(`#post-${s.postId}`);
        await post.getByRole('link', { name: t('report.post'), exact: true }).click();
        await page.waitForURL(/\/reports\/new/);
        assert.equal(await page.locator('h1').textContent(), t('moderation.report.titlePost'));
        await checkPage(page, `report page (${label})`, js);
        await page.getByLabel(t('moderation.reason.outing'), { exact: true }).check();
        await page.getByLabel(t('moderation.report.noteLabel')).fill('It names my friend · يذكر اسم صديقي');
        await page.getByRole('button', { name: t('moderation.report.submit') }).click();
        await page.waitForURL(/\/reports\/sent/);
        assert.equal(await page.locator('h1').textContent(), t('moderation.report.sentTitle'));
        await screenshot(page, `report-sent-${run.locale}-${run.width}-${js ? 'js' : 'nojs'}`);
      } finally {
        await reporter.context.close();
      }

      const moderator = await open(s.moderator, run);
      try {
        const page = moderator.page;
        await page.goto('/');
        await page.getByRole('link', { name: t('moderation.nav'), exact: true }).click();
        await page.waitForURL(/\/moderation$/);
        const row = page.locator('main .row-list > li', { hasText: s.text });
        assert.equal(await row.count(), 1);
        assert.ok((await row.textContent())?.includes(t('moderation.reason.outing')));
        assert.ok(!(await page.content()).includes(s.reporter.username), 'the reporter is never shown');
        await checkPage(page, `queue (${label})`, js);
        await screenshot(page, `queue-${run.locale}-${run.width}-${js ? 'js' : 'nojs'}`);
        // Every control of the case is within the screen.
        const outside = await row.evaluate((li) =>
          Array.from(li.querySelectorAll('button, select, input:not([type=hidden]), a'))
            .filter((el) => {
              const box = el.getBoundingClientRect();
              return box.left < 0 || box.right > window.innerWidth || box.width === 0;
            })
            .map((el) => el.outerHTML.slice(0, 80)),
        );
        assert.deepEqual(outside, []);
        await row.getByLabel(t('moderation.queue.actionLabel')).selectOption('hide');
        await row.getByLabel(t('moderation.queue.reasonLabel')).fill('Names someone · يذكر اسم أحد');
        await row.getByRole('button', { name: t('moderation.queue.submit') }).click();
        await page.waitForURL(/done=acted/);
        assert.ok((await page.content()).includes(t('moderation.queue.acted')));
        assert.equal(await page.locator('main .row-list > li', { hasText: s.text }).count(), 0);
      } finally {
        await moderator.context.close();
      }
      const hidden = await server.rt.ctx.db
        .selectFrom('posts')
        .select('hidden')
        .where('id', '=', s.postId)
        .executeTakeFirstOrThrow();
      assert.equal(hidden.hidden, 1);
    });
  }
});
