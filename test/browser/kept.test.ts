// Text kept when the session ends mid-writing (ADR 0041), in a real browser: the session is revoked
// while a reply is being written; sending it answers a 401 page that says the text is kept and
// links to sign-in; signing in leads back to the thread with the words in the composer. With
// JavaScript on and off, in Arabic and English, at 360 and 1280 px, axe clean (checked with it on).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createGroupAs, member, threadIn } from '../support/community.js';
import { createUser, defaultPassphrase } from '../support/seed.js';
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

before(async () => {
  server = await startBrowserServer();
  const owner = await member(server.rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', name: 'قرّاء بيروت' });
  groupId = group.id;
  ({ threadId } = await threadIn(owner.api, group.id, { title: 'كيف أبدأ؟ Where do I start?', body: 'أهلًا' }));
});
after(async () => server.close());

const words = {
  ar: 'كتبتُ هذا قبل أن تنتهي الجلسة، ولا أريد أن يضيع.',
  en: 'I wrote this before the session ended, and I do not want to lose it.',
};
const texts = {
  ar: { kept: 'لم يضِع شيء', signIn: 'تسجيل الدخول ومتابعة الكتابة', restored: 'حُفظ النص المكتوب' },
  en: { kept: 'Nothing is lost', signIn: 'Sign in and continue writing', restored: 'Your text was kept' },
};

let counter = 0;

for (const javaScriptEnabled of [true, false]) {
  for (const locale of ['ar', 'en'] as const) {
    for (const width of [360, 1280]) {
      const label = `${locale}, ${width} px, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
      test(`a reply written while the session ended comes back after sign-in (${label})`, async () => {
        const rt = server.rt;
        const user = await createUser(rt, { username: `kept_${locale}_${width}_${++counter}` });
        const { token } = await createSession(serviceContext(rt.ctx), user.id, 'Test · Chromium');
        await rt.ctx.db
          .insertInto('group_members')
          .values({ group_id: groupId, user_id: user.id, role: 'member', joined_at: rt.ctx.now() })
          .execute();
        const context = await server.newContext({ locale, width, javaScriptEnabled, bypassCSP: true });
        await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
        const page = await context.newPage();
        await page.goto(`/threads/${threadId}`);
        await page.fill('#field-reply-body', words[locale]);

        // Revoked on another device while writing: the session's row is gone, the cookie stays.
        await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
        await page.click('#reply button[type="submit"]');
        await page.waitForLoadState();
        assert.match(await page.locator('main').innerText(), new RegExp(texts[locale].kept));
        const signIn = page.getByRole('link', { name: texts[locale].signIn });
        assert.ok(await signIn.isVisible(), 'the 401 page links to sign-in');
        // The words are there to copy, folded, in a field that sends nothing.
        await page.click('.kept-words summary');
        assert.equal(await page.locator('.kept-words textarea').inputValue(), words[locale]);
        assert.equal(await page.locator('.kept-words textarea').getAttribute('name'), null);
        // axe-core runs as a script: with JavaScript off, the same pages were checked with it on.
        const violations = javaScriptEnabled ? await seriousViolations(page) : [];
        assert.deepEqual(violations, [], describeViolations(violations));
        const name = `kept-${locale}-${width}-js-${javaScriptEnabled ? 'on' : 'off'}`;
        await screenshot(page, `${name}-signed-out`);

        await signIn.click();
        await page.waitForURL(/\/login/);
        assert.ok(await page.locator('main .notice').isVisible(), 'the sign-in page says the text is kept');
        const atSignIn = javaScriptEnabled ? await seriousViolations(page) : [];
        assert.deepEqual(atSignIn, [], describeViolations(atSignIn));
        await screenshot(page, `${name}-sign-in`);
        await page.fill('#field-username', user.username);
        await page.fill('#field-passphrase', defaultPassphrase);
        await page.click('main button[type="submit"]');
        await page.waitForURL(new RegExp(`/threads/${threadId}`));
        assert.equal(await page.locator('#field-reply-body').inputValue(), words[locale]);
        assert.match(await page.locator('.notice-success').innerText(), new RegExp(texts[locale].restored));
        // From the top: at the #reply jump, axe counts whatever sits under the sticky exit bar as obscured.
        await page.evaluate(() => window.scrollTo(0, 0));
        const back = javaScriptEnabled ? await seriousViolations(page) : [];
        assert.deepEqual(back, [], describeViolations(back));
        await screenshot(page, `${name}-restored`);

        // Once: a reload brings an empty composer, and sending works as usual.
        await page.reload();
        assert.equal(await page.locator('#field-reply-body').inputValue(), '');
        await page.fill('#field-reply-body', words[locale]);
        await page.click('#reply button[type="submit"]');
        await page.waitForURL(/#post-/);
        assert.match(await page.locator('.posts').innerText(), new RegExp(words[locale].slice(0, 20)));
        await context.close();
      });
    }
  }
}

for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    test(`a member who may no longer post there gets the words to copy, not in a composer (${locale}, ${width} px)`, async () => {
      const rt = server.rt;
      const user = await createUser(rt, { username: `left_${locale}_${width}_${++counter}` });
      const { token } = await createSession(serviceContext(rt.ctx), user.id, 'Test · Chromium');
      await rt.ctx.db
        .insertInto('group_members')
        .values({ group_id: groupId, user_id: user.id, role: 'member', joined_at: rt.ctx.now() })
        .execute();
      const context = await server.newContext({ locale, width, bypassCSP: true });
      await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
      const page = await context.newPage();
      await page.goto(`/threads/${threadId}`);
      await page.fill('#field-reply-body', words[locale]);
      await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await page.click('#reply button[type="submit"]');
      await page.waitForLoadState();
      // Out of the group meanwhile: the public thread is still readable, no longer writable.
      await rt.ctx.db.deleteFrom('group_members').where('user_id', '=', user.id).execute();
      await page.getByRole('link', { name: texts[locale].signIn }).click();
      await page.waitForURL(/\/login/);
      await page.fill('#field-username', user.username);
      await page.fill('#field-passphrase', defaultPassphrase);
      await page.click('main button[type="submit"]');
      await page.waitForURL(new RegExp(`/threads/${threadId}`));
      assert.equal(await page.locator('#field-reply-body').count(), 0, 'no composer');
      assert.equal(await page.locator('#field-kept-body').inputValue(), words[locale]);
      assert.equal(await page.locator('#field-kept-body').getAttribute('readonly'), '');
      await page.evaluate(() => window.scrollTo(0, 0));
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      await screenshot(page, `kept-read-only-${locale}-${width}`);
      await context.close();
    });
  }
}
