// Pinned and locked threads (ADR 0039) in a real browser: the group's list says "Pinned" in words,
// a locked thread says why where the reply form was, and the moderators' forms work with JavaScript
// off (a native disclosure, plain POSTs landing back on the thread); Arabic and English, 360 and
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
let ownerId: string;
let memberId: string;
let groupId: string;
let rulesId: string;
const spare: string[] = [];

before(async () => {
  server = await startBrowserServer();
  const rt = server.rt;
  const owner = await member(rt, 'own');
  const reader = await member(rt, 'mem');
  ownerId = owner.user.id;
  memberId = reader.user.id;
  const group = await createGroupAs(owner.api, {
    visibility: 'public',
    name: 'قرّاء بيروت Beirut readers',
    anonymousPosting: true,
  });
  groupId = group.id;
  await reader.api.api('POST', `/api/v1/groups/${groupId}/join`, {});
  rulesId = (await threadIn(owner.api, groupId, { title: 'قواعد المجموعة · Group rules', body: 'كونوا لطفاء.' }))
    .threadId;
  for (let i = 0; i < 4; i++) {
    rt.advance(60_000);
    spare.push((await threadIn(reader.api, groupId, { title: `نقاش رقم ${i + 1} · Discussion ${i + 1}` })).threadId);
  }
  const pin = await owner.api.api('POST', `/api/v1/threads/${rulesId}/pin`, { pinned: true, reason: 'Rules' });
  assert.equal(pin.status, 204);
  const lock = await owner.api.api('POST', `/api/v1/threads/${rulesId}/lock`, {
    locked: true,
    reason: 'القواعد للقراءة: الأسئلة في نقاش آخر (Rules are for reading)',
  });
  assert.equal(lock.status, 204);
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
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const duplicates = await page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(duplicates, [], `${label}: duplicate ids`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways at ${width}px`);
}

const words = {
  ar: { pinned: 'مثبّت', locked: 'مقفل', notice: 'هذا النقاش مقفل', moderate: 'الإشراف على هذا النقاش' },
  en: { pinned: 'Pinned', locked: 'Locked', notice: 'This discussion is locked', moderate: 'Moderate this discussion' },
} as const;

for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    test(`a member sees the pinned rules first and why they are locked (${locale}, ${width} px)`, async () => {
      const { context, page } = await signedIn(memberId, { locale, width, bypassCSP: true });
      await page.goto(`/groups/${groupId}`);
      const rows = page.locator('.thread-list > li');
      assert.equal(await rows.count(), 5);
      const first = rows.first();
      assert.ok((await first.innerText()).includes(words[locale].pinned), 'the first row says Pinned in words');
      assert.ok((await first.locator('a').first().innerText()).includes('Group rules'));
      assert.ok(!(await rows.nth(1).innerText()).includes(words[locale].pinned));
      await checkPage(page, `${locale} group`, width);
      await screenshot(page, `pinlock-group-${locale}-${width}`);

      await first.locator('h3 a').click();
      await page.waitForURL(`**/threads/${rulesId}`);
      const closed = page.locator('#reply');
      assert.ok((await closed.innerText()).includes(words[locale].notice));
      assert.ok((await closed.innerText()).includes('Rules are for reading'), 'the reason');
      assert.equal(await page.locator(`form[action="/threads/${rulesId}/posts"]`).count(), 0, 'no reply form');
      assert.equal(await page.locator('#moderation').count(), 0, 'no moderation block for a member');
      await checkPage(page, `${locale} locked thread`, width);
      await screenshot(page, `pinlock-locked-${locale}-${width}`);
      await context.close();
    });

    test(`the owner's moderation block is accessible (${locale}, ${width} px)`, async () => {
      const { context, page } = await signedIn(ownerId, { locale, width, bypassCSP: true });
      await page.goto(`/threads/${rulesId}`);
      await page.locator('#moderation > summary').click();
      assert.equal(await page.locator('#moderation').getAttribute('open'), '');
      assert.ok((await page.locator('#moderation').innerText()).includes(words[locale].moderate));
      await checkPage(page, `${locale} moderation`, width);
      await screenshot(page, `pinlock-moderation-${locale}-${width}`);
      // The owner may still reply in the locked thread, but not anonymously: only its moderators write there.
      const form = page.locator(`form[action="/threads/${rulesId}/posts"]`);
      assert.equal(await form.count(), 1, 'the owner keeps a reply form');
      assert.equal(await form.locator('input[name="anonymous"]').count(), 0, 'without the anonymous choice');
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, `pinlock-owner-composer-${locale}-${width}`);
      await context.close();
    });
  }
}

for (const locale of ['ar', 'en'] as const) {
  test(`with JavaScript off, the owner locks a thread, is told of a blank reason, and lands back on it (${locale})`, async () => {
    const threadId = spare[locale === 'ar' ? 0 : 1]!;
    const { context, page } = await signedIn(ownerId, { locale, width: 360, javaScriptEnabled: false });
    await page.goto(`/threads/${threadId}`);
    await page.locator('#moderation > summary').click();
    // Spaces pass the browser's own check of a required field, and the server refuses them.
    await page.fill('#field-lock-reason', '   ');
    await page.click(`form[action="/threads/${threadId}/lock"] button[type=submit]`);
    await page.waitForLoadState();
    assert.equal(await page.locator('#moderation').getAttribute('open'), '', 'the block comes back open');
    assert.equal(await page.locator('#field-lock-reason').getAttribute('aria-invalid'), 'true');
    assert.ok((await page.locator('.error-summary').innerText()).length > 0);
    await screenshot(page, `pinlock-refused-${locale}-360`);

    await page.fill('#field-lock-reason', 'خلاف حادّ: استراحة قصيرة · a short pause');
    await page.click(`form[action="/threads/${threadId}/lock"] button[type=submit]`);
    await page.waitForURL(`**/threads/${threadId}?done=locked`);
    assert.ok((await page.locator('.page-heading').innerText()).includes(words[locale].locked));
    // The owner may still reply: the form is there, with a word that the thread is locked.
    assert.equal(await page.locator(`form[action="/threads/${threadId}/posts"]`).count(), 1);
    await screenshot(page, `pinlock-done-${locale}-360`);
    await context.close();

    // A member, also without JavaScript, reads it and finds no reply form.
    const reader = await signedIn(memberId, { locale, width: 360, javaScriptEnabled: false });
    await reader.page.goto(`/threads/${threadId}`);
    assert.ok((await reader.page.locator('#reply').innerText()).includes('a short pause'));
    assert.equal(await reader.page.locator(`form[action="/threads/${threadId}/posts"]`).count(), 0);
    await reader.context.close();
  });
}
