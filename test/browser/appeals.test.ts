// A hidden post's author is told, appeals, and a second moderator overturns it; the group's log
// shows each step to a member without moderator names (ADR 0049). Arabic and English, 360 and 1280
// px (at 360 with JavaScript off), axe clean, nothing sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { inTransaction } from '../../src/db/database.js';
import { setPostHidden } from '../../src/features/discussions/public.js';
import { recordModeration } from '../../src/platform/moderation.js';
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
before(async () => {
  server = await startBrowserServer();
});
after(async () => server.close());

type Person = Awaited<ReturnType<typeof member>>;

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

async function checkPage(page: Page, label: string, width: number, javaScript: boolean) {
  if (javaScript) {
    const violations = await seriousViolations(page);
    assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  }
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways at ${width}px`);
}

/** A group; a moderator hides the author's post with a reason, as the moderation log records it. */
async function scene() {
  const rt = server.rt;
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', name: 'قرّاء بيروت Beirut readers' });
  const join = async (m: Person) =>
    assert.equal((await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status < 300, true);
  const moderator = await member(rt, 'gmod');
  const second = await member(rt, 'gmod2');
  const author = await member(rt, 'auth');
  const reader = await member(rt, 'read');
  for (const m of [moderator, second, author, reader]) await join(m);
  for (const m of [moderator, second])
    await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${m.user.id}`, { role: 'moderator' });
  const thread = await threadIn(author.api, group.id, { title: 'طبيب لطيف · A kind doctor', body: 'Dr. X in Hamra' });
  const ctx = serviceContext(rt.ctx);
  await setPostHidden(
    ctx,
    { kind: 'user', id: moderator.user.id, username: moderator.user.username, role: 'member' },
    thread.postId,
    true,
  );
  const logId = await inTransaction(rt.ctx.db, (trx) =>
    recordModeration(trx, {
      actorId: moderator.user.id,
      action: 'post.hide',
      groupId: group.id,
      targetType: 'post',
      targetId: thread.postId,
      targetUserId: author.user.id,
      reason: 'ذكر اسم طبيب دون موافقته · Names a doctor without consent',
      now: ctx.now,
    }),
  );
  await rt.settle();
  return { group, moderator, second, author, reader, thread, logId };
}

const words = {
  ar: {
    hidden: 'أخفى فريق الإشراف أحد منشورات هذا الحساب',
    sent: 'أُرسل الاعتراض',
    overturned: 'أُلغي القرار',
    stepHide: 'إخفاء منشور',
    stepAppeal: 'اعتراض: إلغاء القرار',
    aModerator: 'أحد أعضاء فريق الإشراف',
  },
  en: {
    hidden: 'The moderators hid one of your posts',
    sent: 'Your appeal was sent',
    overturned: 'the decision was overturned',
    stepHide: 'Post hidden',
    stepAppeal: 'Appeal: decision overturned',
    aModerator: 'A moderator',
  },
} as const;

for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    const javaScript = width !== 360;
    test(`the author appeals, a second moderator overturns, the log shows each step without names (${locale}, ${width} px${javaScript ? '' : ', no JavaScript'})`, async () => {
      const s = await scene();
      const options = { locale, width, javaScriptEnabled: javaScript, bypassCSP: javaScript };

      // The author finds the notice among their notifications, reads why, and appeals.
      const author = await signedIn(s.author.user.id, options);
      await author.page.goto('/notifications');
      const link = author.page.locator(`a[href="/moderation/notices/${s.logId}"]`);
      assert.ok((await link.innerText()).includes(words[locale].hidden));
      await checkPage(author.page, `${locale} notifications`, width, javaScript);
      await link.click();
      await author.page.waitForURL(`**/moderation/notices/${s.logId}`);
      assert.ok((await author.page.locator('main').innerText()).includes('Names a doctor without consent'));
      await checkPage(author.page, `${locale} notice`, width, javaScript);
      await screenshot(author.page, `appeals-notice-${locale}-${width}`);
      const form = author.page.locator(`form[action="/moderation/notices/${s.logId}/appeal"]`);
      await form.locator('textarea[name="body"]').fill('سألت الطبيب أولًا ووافق · I asked the doctor first.');
      await form.locator('button[type="submit"]').click();
      await author.page.waitForURL(`**/moderation/notices/${s.logId}?done=appealed`);
      assert.ok((await author.page.locator('main').innerText()).includes(words[locale].sent));

      // The moderator who hid it may not decide; a second one overturns it.
      const acting = await signedIn(s.moderator.user.id, options);
      await acting.page.goto('/moderation/appeals');
      assert.equal(
        await acting.page.locator('form[action^="/moderation/appeals/"]').count(),
        0,
        'no decide form for the one who acted',
      );
      await acting.context.close();
      const second = await signedIn(s.second.user.id, options);
      await second.page.goto('/moderation/appeals');
      const decide = second.page.locator('form[action^="/moderation/appeals/"]').first();
      assert.ok((await second.page.locator('main').innerText()).includes('I asked the doctor first'));
      await checkPage(second.page, `${locale} appeals`, width, javaScript);
      await screenshot(second.page, `appeals-queue-${locale}-${width}`);
      await decide.locator('input[name="reason"]').fill('Consent was given · أُعطيت الموافقة');
      await decide.locator('button[value="overturned"]').click();
      await second.page.waitForURL('**/moderation/appeals?done=decided');
      await second.context.close();
      const post = await server.rt.ctx.db
        .selectFrom('posts')
        .select('hidden')
        .where('id', '=', s.thread.postId)
        .executeTakeFirstOrThrow();
      assert.equal(post.hidden, 0, 'the post shows again');

      await author.page.goto(`/moderation/notices/${s.logId}`);
      assert.ok((await author.page.locator('main').innerText()).includes(words[locale].overturned));
      await author.context.close();

      // A member reads the group's log from the group's page: each step, no moderator's name.
      const reader = await signedIn(s.reader.user.id, options);
      await reader.page.goto(`/groups/${s.group.id}`);
      await reader.page.locator(`a[href="/groups/${s.group.id}/moderation-log"]`).click();
      await reader.page.waitForURL(`**/groups/${s.group.id}/moderation-log`);
      const text = await reader.page.locator('main').innerText();
      assert.ok(text.includes(words[locale].stepHide), 'the hiding');
      assert.ok(text.includes(words[locale].stepAppeal), 'the decision');
      assert.ok(text.includes('Names a doctor without consent') && text.includes('Consent was given'));
      assert.ok(text.includes(words[locale].aModerator));
      for (const m of [s.moderator, s.second]) assert.ok(!text.includes(m.user.username), 'no moderator names');
      await checkPage(reader.page, `${locale} log`, width, javaScript);
      await screenshot(reader.page, `appeals-log-${locale}-${width}`);
      await reader.context.close();
    });
  }
}
