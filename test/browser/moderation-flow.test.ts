import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createGroup, joinGroup, setMemberRole } from '../../src/features/groups/service.js';
import { createThread } from '../../src/features/discussions/service.js';
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
 * Issue 11's whole flow, every step through pages in Chromium: a member writes a post, another
 * reports it, a group moderator hides it from /moderation, the author reads the notice and appeals,
 * the moderator who hid it may not decide, the group's owner overturns it, the post shows again, and
 * the log tells each step: without moderator names to a member, with them to an administrator.
 * Only the people, the group and its discussion are seeded. Arabic and English, 360 and 1280 px,
 * once with JavaScript off; axe-core's checks and no sideways scrolling on every page.
 */

let server: BrowserServer;
let counter = 0;

before(async () => {
  server = await startBrowserServer();
});
after(async () => server.close());

async function scene() {
  const ctx = () => serviceContext(server.rt.ctx);
  const n = ++counter;
  const owner = await createUser(server.rt, { username: `owner_flow_${n}` });
  const moderator = await createUser(server.rt, { username: `moderator_flow_${n}` });
  const author = await createUser(server.rt, { username: `author_flow_${n}` });
  const reporter = await createUser(server.rt, { username: `reporter_flow_${n}` });
  const reader = await createUser(server.rt, { username: `reader_flow_${n}` });
  const admin = await createUser(server.rt, { username: `admin_flow_${n}`, role: 'admin' });
  const group = await createGroup(ctx(), asMember(owner), {
    name: `دائرة الأمان ${n} Safety circle`,
    description: 'A circle.',
    languages: ['ar', 'en'],
    visibility: 'public',
  });
  for (const m of [moderator, author, reporter, reader]) await joinGroup(ctx(), asMember(m), group.id);
  await setMemberRole(ctx(), asMember(owner), group.id, moderator.id, 'moderator');
  const { threadId } = await createThread(ctx(), asMember(owner), group.id, {
    title: 'أين نلتقي؟ Where do we meet?',
    body: 'Opening words',
  });
  return { group, owner, moderator, author, reporter, reader, admin, threadId, n };
}

type Run = { locale: 'ar' | 'en'; width: number; javaScriptEnabled: boolean };

async function open(user: SeededUser, run: Run) {
  const context = await server.newContext({ ...run, bypassCSP: run.javaScriptEnabled });
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** Nothing scrolls sideways; with JavaScript on (axe-core is a script), no serious axe violation. */
async function checkPage(page: Page, label: string, run: Run) {
  const measured = await page.evaluate(() => ({
    width: document.documentElement.clientWidth,
    scrollWidth: document.scrollingElement!.scrollWidth,
  }));
  assert.ok(measured.scrollWidth <= measured.width, `${label}: scrolls sideways (${measured.scrollWidth})`);
  if (!run.javaScriptEnabled) return;
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
}

const mainText = async (page: Page) => (await page.locator('main').innerText()).normalize();

/** Page screenshots for people to look at (not committed), by page, language and width. */
const shot = (page: Page, name: string, run: Run) =>
  screenshot(page, `flow-${name}-${run.locale}-${run.width}${run.javaScriptEnabled ? '' : '-nojs'}`);

describe('a report flows from a member to a moderator, an appeal to a second moderator, every step in the log', () => {
  const runs: Run[] = [
    { locale: 'ar', width: 360, javaScriptEnabled: false },
    { locale: 'en', width: 360, javaScriptEnabled: true },
    { locale: 'ar', width: 1280, javaScriptEnabled: true },
    { locale: 'en', width: 1280, javaScriptEnabled: true },
  ];
  for (const run of runs) {
    const label = `${run.locale} at ${run.width} px, JavaScript ${run.javaScriptEnabled ? 'on' : 'off'}`;
    test(label, async () => {
      const t = translator(run.locale);
      const s = await scene();
      const words = `A cruel reply ${s.n} · ردّ قاسٍ`;
      const hideReason = `Harassment of a member ${s.n} · مضايقة`;
      const appealWords = `I was quoting, not attacking ${s.n} · كنت أقتبس`;
      const decisionReason = `It was a quotation ${s.n} · كان اقتباسًا`;

      // A writes a post: a reply on the discussion's page.
      const author = await open(s.author, run);
      await author.page.goto(`/threads/${s.threadId}`);
      await author.page.locator('#reply textarea[name="body"]').fill(words);
      await author.page
        .locator('#reply')
        .getByRole('button', { name: t('discussions.reply.submit'), exact: true })
        .click();
      await author.page.waitForURL((url) => url.pathname === `/threads/${s.threadId}`);
      const written = author.page.locator('article[id^="post-"]', { hasText: words });
      assert.equal(await written.count(), 1, 'the reply is on the page');
      const postId = (await written.getAttribute('id'))!.slice('post-'.length);

      // B reports it from its Report link, for harassment.
      const reporter = await open(s.reporter, run);
      {
        const page = reporter.page;
        await page.goto(`/threads/${s.threadId}`);
        await page
          .locator(`#post-${postId}`)
          .getByRole('link', { name: t('report.post'), exact: true })
          .click();
        await page.waitForURL(/\/reports\/new/);
        await checkPage(page, `report page (${label})`, run);
        await page.getByLabel(t('moderation.reason.harassment'), { exact: true }).check();
        await page.getByRole('button', { name: t('moderation.report.submit') }).click();
        await page.waitForURL(/\/reports\/sent/);
        assert.equal(await page.locator('h1').textContent(), t('moderation.report.sentTitle'));
      }

      // M1, a moderator of the group, finds the case at /moderation and hides the post with a reason.
      const first = await open(s.moderator, run);
      {
        const page = first.page;
        await page.goto('/');
        await page.getByRole('link', { name: t('moderation.nav'), exact: true }).click();
        await page.waitForURL(/\/moderation$/);
        const row = page.locator('main .row-list > li', { hasText: words });
        assert.equal(await row.count(), 1, 'the case is in the queue');
        assert.ok((await row.innerText()).includes(t('moderation.reason.harassment')));
        assert.ok(!(await page.content()).includes(s.reporter.username), 'the reporter is never shown');
        await checkPage(page, `queue (${label})`, run);
        await shot(page, 'queue', run);
        await row.getByLabel(t('moderation.queue.actionLabel')).selectOption('hide');
        await row.getByLabel(t('moderation.queue.reasonLabel')).fill(hideReason);
        await row.getByRole('button', { name: t('moderation.queue.submit') }).click();
        await page.waitForURL(/done=acted/);
        assert.ok((await mainText(page)).includes(t('moderation.queue.acted')));
      }

      // The reporter no longer reads the words.
      await reporter.page.goto(`/threads/${s.threadId}`);
      const hiddenPost = await reporter.page.locator(`#post-${postId}`).innerText();
      assert.ok(!hiddenPost.includes(words), 'hidden from members');
      await reporter.context.close();

      // A sees the notice among their notifications, opens it, reads the reason and appeals.
      {
        const page = author.page;
        await page.goto('/notifications');
        const link = page.locator('main a[href^="/moderation/notices/"]', {
          hasText: t('moderation.notice.post_hide').replace(/\.$/, ''),
        });
        assert.equal(await link.count(), 1, 'one notice of the hiding');
        await checkPage(page, `notifications (${label})`, run);
        await link.click();
        await page.waitForURL(/\/moderation\/notices\/[^/?]+$/);
        const notice = await mainText(page);
        assert.ok(notice.includes(t('moderation.notice.post_hide')), 'what was done');
        assert.ok(notice.includes(hideReason), 'why');
        await checkPage(page, `notice (${label})`, run);
        await shot(page, 'notice', run);
        await page.getByLabel(t('moderation.appeal.body')).fill(appealWords);
        await page.getByRole('button', { name: t('moderation.appeal.submit') }).click();
        await page.waitForURL(/\?done=appealed$/);
        assert.ok((await mainText(page)).includes(t('moderation.appeal.sent')));
      }

      // M1 may not decide the appeal against their own action: the page says so, with no form.
      {
        const page = first.page;
        await page.goto('/moderation/appeals');
        const row = page.locator('main .row-list > li', { hasText: appealWords });
        assert.equal(await row.count(), 1, 'M1 sees the appeal');
        assert.equal(await row.locator('form').count(), 0, 'no form to decide it');
        assert.ok((await row.innerText()).includes(t('moderation.appeal.sameModerator')));
        await first.context.close();
      }

      // M2, the group's owner, overturns it.
      const second = await open(s.owner, run);
      {
        const page = second.page;
        await page.goto('/moderation/appeals');
        const row = page.locator('main .row-list > li', { hasText: appealWords });
        assert.equal(await row.count(), 1);
        assert.ok((await row.innerText()).includes(hideReason));
        await checkPage(page, `appeals (${label})`, run);
        await shot(page, 'appeals', run);
        await row.getByLabel(t('moderation.decision.reason')).fill(decisionReason);
        await row.getByRole('button', { name: t('moderation.decision.overturn'), exact: true }).click();
        await page.waitForURL(/\/moderation\/appeals\?done=decided$/);
        assert.ok((await mainText(page)).includes(t('moderation.decision.done')));
        assert.equal(await page.locator('main .row-list > li', { hasText: appealWords }).count(), 0);
        await second.context.close();
      }

      // A is told, and the post shows again to everyone.
      await author.page.reload();
      const answered = await mainText(author.page);
      assert.ok(answered.includes(t('moderation.appeal.status.overturned')) && answered.includes(decisionReason));
      await author.context.close();

      // A plain member reads the group's log from the group's page: both steps, no moderator named.
      const reader = await open(s.reader, run);
      {
        const page = reader.page;
        await page.goto(`/threads/${s.threadId}`);
        assert.ok((await page.locator(`#post-${postId}`).innerText()).includes(words), 'the post is visible again');
        await page.goto(`/groups/${s.group.id}`);
        await page.locator(`main a[href="/groups/${s.group.id}/moderation-log"]`).click();
        await page.waitForURL(`**/groups/${s.group.id}/moderation-log`);
        const rows = await page.locator('main .row-list > li').allInnerTexts();
        // Newest first: the decision, then the hiding.
        const decided = rows.findIndex((r) => r.includes(t('moderation.action.appeal_overturned')));
        const hid = rows.findIndex((r) => r.includes(t('moderation.action.post_hide')));
        assert.ok(decided >= 0 && hid > decided, `the decision above the hiding: ${JSON.stringify(rows)}`);
        assert.ok(rows[hid]!.includes(hideReason) && rows[decided]!.includes(decisionReason));
        for (const i of [hid, decided]) assert.ok(rows[i]!.includes(t('moderation.log.aModerator')));
        // Overturning showed the post again: that row says why too.
        const shown = rows.find((r) => r.includes(t('moderation.action.post_unhide')));
        assert.ok(shown?.includes(decisionReason), `the post shown again, with the decision's reason: ${shown}`);
        const html = await page.content();
        for (const m of [s.moderator, s.owner]) assert.ok(!html.includes(m.username), 'no moderator is named');
        assert.ok(!html.includes(s.reporter.username), 'nor the reporter');
        await checkPage(page, `group log (${label})`, run);
        await shot(page, 'group-log', run);
        await reader.context.close();
      }

      // The administrator's log names who did each.
      const admin = await open(s.admin, run);
      {
        const page = admin.page;
        await page.goto('/moderation/log');
        const rows = await page.locator('main .row-list > li').allInnerTexts();
        const hid = rows.find((r) => r.includes(t('moderation.action.post_hide')) && r.includes(hideReason));
        const decided = rows.find(
          (r) => r.includes(t('moderation.action.appeal_overturned')) && r.includes(decisionReason),
        );
        assert.ok(hid?.includes(s.moderator.username), 'M1 named on the hiding');
        assert.ok(decided?.includes(s.owner.username), 'M2 named on the decision');
        assert.ok(!(await page.content()).includes(s.reporter.username), 'the reporter never');
        await checkPage(page, `instance log (${label})`, run);
        await shot(page, 'instance-log', run);
        await admin.context.close();
      }
    });
  }
});
