// Never lose what you wrote (ADR 0040), in a real browser: with JavaScript the reply saves itself a
// moment after typing stops and a reload brings it back; without it, the Save draft button does the
// same; Preview shows the post as it will read, above the composer, with the words kept. Arabic and
// English, 360 and 1280 px, axe clean.
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
let groupId: string;
let threadId: string;
const writers: string[] = [];

before(async () => {
  server = await startBrowserServer();
  const rt = server.rt;
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', name: 'قرّاء بيروت', anonymousPosting: true });
  groupId = group.id;
  ({ threadId } = await threadIn(owner.api, group.id, { title: 'كيف أبدأ؟ Where do I start?', body: 'أهلًا بالجميع' }));
  // One writer per run, so each starts with no draft.
  for (let i = 0; i < 8; i++) {
    const m = await member(rt, 'wri');
    await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    writers.push(m.user.id);
  }
});
after(async () => server.close());

async function signedIn(userId: string, options: Parameters<BrowserServer['newContext']>[0]): Promise<BrowserContext> {
  const context = await server.newContext(options);
  const { token } = await createSession(serviceContext(server.rt.ctx), userId, 'Test · Chromium');
  await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
  return context;
}

const saved = { ar: 'حُفظت المسودة', en: 'Draft saved' } as const;
const words = { ar: 'فكرة لم تكتمل بعد عن **الكتب**', en: 'A thought about **books**, not finished yet' } as const;

async function noSideways(page: Page, label: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways`);
}

let run = 0;
for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    test(`with JavaScript, a reply saves itself and a reload restores it (${locale}, ${width} px)`, async () => {
      const userId = writers[run++]!;
      const context = await signedIn(userId, { locale, width });
      const page = await context.newPage();
      await page.goto(`/threads/${threadId}`);
      const box = page.locator('#field-reply-body');
      await box.fill(words[locale]);
      const status = page.locator('.draft-status');
      await status.filter({ hasText: saved[locale] }).waitFor({ timeout: 8000 });
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      assert.ok(await page.locator('[data-draft-discard]').isVisible(), 'the draft can now be discarded');
      await noSideways(page, `${locale} ${width}`);
      await page.locator('#reply').scrollIntoViewIfNeeded();
      await screenshot(page, `drafts-autosaved-${locale}-${width}`);

      await page.reload();
      assert.equal(await page.locator('#field-reply-body').inputValue(), words[locale]);
      assert.ok(await page.locator('.composer .notice').isVisible(), 'says it was restored');

      // Posting it deletes the draft: the composer is empty afterwards.
      await page.locator('.composer-actions button.button:not(.button-secondary)').click();
      await page.waitForURL((url) => url.hash.startsWith('#post-'));
      assert.equal(await page.locator('#field-reply-body').inputValue(), '');
      await context.close();
    });

    test(`without JavaScript, Save draft and Preview work as plain forms (${locale}, ${width} px)`, async () => {
      const userId = writers[run++]!;
      const context = await signedIn(userId, { locale, width, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`/groups/${groupId}/threads/new`);
      await page.locator('#field-thread-title').fill(locale === 'ar' ? 'عن العائلة' : 'About family');
      await page.locator('#field-thread-body').fill(`${words[locale]}\n\n<script>alert(1)</script>`);
      await page.getByRole('button', { name: locale === 'ar' ? 'حفظ المسودة' : 'Save draft' }).click();
      await page.waitForURL((url) => url.search.includes('done=draft-saved'));
      assert.match(await page.locator('.notice').first().innerText(), new RegExp(saved[locale]));
      assert.match(await page.locator('#field-thread-body').inputValue(), /<script>alert\(1\)<\/script>/);

      await page.getByRole('button', { name: locale === 'ar' ? 'معاينة' : 'Preview', exact: true }).click();
      const preview = page.locator('section.preview');
      await preview.waitFor();
      assert.equal(await preview.locator('strong').first().innerText(), locale === 'ar' ? 'الكتب' : 'books');
      assert.equal(await preview.locator('script').count(), 0);
      assert.match(await preview.innerText(), /<script>alert\(1\)<\/script>/, 'shown as text');
      assert.match(await page.locator('#field-thread-body').inputValue(), /not finished yet|لم تكتمل/);
      await noSideways(page, `${locale} ${width} preview`);
      await screenshot(page, `drafts-preview-${locale}-${width}`);

      await page.getByRole('button', { name: locale === 'ar' ? 'حذف المسودة' : 'Discard draft' }).click();
      await page.waitForURL((url) => url.search.includes('done=draft-discarded'));
      assert.equal(await page.locator('#field-thread-body').inputValue(), '');
      await context.close();
    });
  }

  test(`the composers with a draft, a preview and a warning are accessible (${locale})`, async () => {
    const userId = writers[0]!;
    const context = await signedIn(userId, { locale, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`/threads/${threadId}`);
    await page.locator('#field-reply-body').fill(words[locale]);
    await page.locator('.draft-status').filter({ hasText: saved[locale] }).waitFor({ timeout: 8000 });
    await page.reload();
    let violations = await seriousViolations(page);
    assert.equal(violations.length, 0, `${locale} restored draft:\n${describeViolations(violations)}`);
    await page.getByRole('button', { name: locale === 'ar' ? 'معاينة' : 'Preview', exact: true }).click();
    await page.locator('section.preview').waitFor();
    violations = await seriousViolations(page);
    assert.equal(violations.length, 0, `${locale} preview:\n${describeViolations(violations)}`);
    // Anonymous: the script deletes the draft instead of saving, and says so.
    await page.locator('#field-reply-anonymous').check();
    await page
      .locator('.draft-status')
      .filter({ hasText: locale === 'ar' ? 'لا تُحفظ مسودات' : 'never kept for anonymous posts' })
      .waitFor({ timeout: 8000 });
    const rows = await server.rt.ctx.db.selectFrom('drafts').select('body').where('user_id', '=', userId).execute();
    assert.equal(rows.length, 0, 'ticking anonymous deleted the draft');
    await page.locator('#reply').scrollIntoViewIfNeeded();
    await screenshot(page, `drafts-anonymous-${locale}-1280`);
    await context.close();
  });
}
