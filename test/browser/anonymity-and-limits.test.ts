import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { TestClient } from '../support/client.js';
import { createGroupAs, threadIn } from '../support/community.js';
import { createUser, defaultPassphrase, type SeededUser } from '../support/seed.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

// The pages the hostile review's fixes added or changed: own posts after leaving, erasing anonymous
// posts, reset codes with a second administrator, anonymous bans, the composer's promises, kept forms, NUL.
let server: BrowserServer;
let owner: SeededUser;
let publicGroup: { id: string };
let openingThread: string;
before(async () => {
  server = await startBrowserServer();
  owner = await createUser(server.rt, { username: 'layla_owner' });
  publicGroup = await createGroupAs(await apiOf(owner), { name: 'قرّاء كويريون في بيروت', anonymousPosting: true });
  openingThread = (
    await threadIn(await apiOf(owner), publicGroup.id, { title: 'كتب عن العبور الجندري', body: 'هل من اقتراحات؟' })
  ).threadId;
});
after(async () => server.close());

async function apiOf(user: SeededUser): Promise<TestClient> {
  const api = new TestClient(server.rt.app);
  api.bearer = (await createSession(serviceContext(server.rt.ctx), user.id, 'Test · Linux')).token;
  return api;
}

async function ok(response: Promise<{ status: number; body: string; json(): any }>): Promise<any> {
  const answer = await response;
  assert.ok(answer.status < 300, `${answer.status} ${answer.body}`);
  return answer.body ? answer.json() : undefined;
}

async function joined(user: SeededUser, groupId = publicGroup.id): Promise<TestClient> {
  const api = await apiOf(user);
  await ok(api.api('POST', `/api/v1/groups/${groupId}/join`, {}));
  return api;
}

/** Pages opened with JavaScript off: axe-core cannot run in them. */
const scriptless = new WeakSet<Page>();

async function signedIn(
  user: SeededUser,
  options: { javaScriptEnabled?: boolean; locale?: string; width?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // axe-core is injected, so these contexts bypass the CSP (as the accessibility test's do).
  const context = await server.newContext({ ...options, bypassCSP: true });
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if (options.javaScriptEnabled === false) scriptless.add(page);
  return { context, page };
}

/**
 * axe-core (WCAG 2.2 AA), unique ids, and no sideways scrolling at the page's width. axe runs as a
 * script, so a page seen without JavaScript is checked as a copy in a tab that runs scripts.
 */
async function checkPage(page: Page, label: string): Promise<void> {
  let checked = page;
  let scripted: BrowserContext | undefined;
  if (scriptless.has(page)) {
    const html = await page.content();
    scripted = await server.newContext({ locale: 'en', width: page.viewportSize()?.width ?? 1280, bypassCSP: true });
    checked = await scripted.newPage();
    await checked.goto('/healthz');
    await checked.setContent(html, { waitUntil: 'load' });
  }
  const violations = await seriousViolations(checked);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const duplicates = await checked.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(duplicates, [], `${label}: duplicate ids`);
  const overflow = await checked.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways at ${checked.viewportSize()?.width}px`);
  await screenshot(checked, label.replace(/[^a-z0-9]+/gi, '-'));
  await scripted?.close();
}

for (const locale of ['ar', 'en']) {
  test(`${locale}: without JavaScript, a member deletes their own post from a group they left, on "Your posts"`, async () => {
    const author = await createUser(server.rt, { username: `reem_${locale}` });
    const ownerApi = await apiOf(owner);
    const privateGroup = await createGroupAs(ownerApi, { name: 'عائلات متضامنة', visibility: 'private' });
    const api = await apiOf(author);
    await ok(api.api('POST', `/api/v1/groups/${privateGroup.id}/join`, {}));
    const { requests } = await ok(ownerApi.api('GET', `/api/v1/groups/${privateGroup.id}/requests`));
    await ok(ownerApi.api('POST', `/api/v1/groups/${privateGroup.id}/requests/${requests[0].id}/approve`, {}));
    const words = `Words ${locale} written before leaving`;
    await threadIn(api, privateGroup.id, { title: 'الحديث مع الأهل', body: words });
    await ok(api.api('POST', `/api/v1/groups/${privateGroup.id}/leave`, {}));

    const { context, page } = await signedIn(author, { javaScriptEnabled: false, locale, width: 360 });
    await page.goto('/account');
    await page.click('a[href="/account/posts"]');
    await page.waitForURL((url) => url.pathname === '/account/posts');
    const item = page.locator('main li', { hasText: words });
    assert.equal(await item.locator('a[href^="/posts/"][href$="/delete"]').count(), 1);
    assert.equal(
      await item.locator('a[href^="/posts/"]:not([href$="/delete"])').count(),
      0,
      'no link into a group they cannot read',
    );
    await checkPage(page, `own-posts ${locale} 360`);
    await item.locator('a[href$="/delete"]').click();
    await checkPage(page, `own-post-delete ${locale} 360`);
    assert.equal(
      await page.getAttribute('main a[href="/account/posts"]', 'href'),
      '/account/posts',
      'cancel leads back to the list',
    );
    await page.click('main form button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/account/posts' && url.search === '?done=deleted');
    assert.equal(await page.locator('main .notice').count(), 1);
    assert.equal(await page.locator('main li', { hasText: words }).count(), 0, 'the post is gone');
    await context.close();
  });

  test(`${locale}: without JavaScript, a member erases their anonymous posts from the account page`, async () => {
    const author = await createUser(server.rt, { username: `anon_${locale}` });
    const api = await joined(author);
    const secret = `anonymous words ${locale} to erase`;
    await ok(api.api('POST', `/api/v1/threads/${openingThread}/posts`, { body: secret, anonymous: true }));
    const named = `named words ${locale} that stay`;
    await ok(api.api('POST', `/api/v1/threads/${openingThread}/posts`, { body: named }));

    const { context, page } = await signedIn(author, { javaScriptEnabled: false, locale, width: 360 });
    await page.goto('/account');
    await checkPage(page, `account ${locale} 360`);
    const section = page.locator('section[aria-labelledby="anonymous-posts"]');
    await section.locator('#field-anonymous-current').fill(defaultPassphrase);
    await section.locator('#field-anonymous-confirm').check();
    await section.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/account' && url.search === '?done=anonymous');
    assert.equal(await page.locator('main .notice').count(), 1);
    await page.goto(`/threads/${openingThread}`);
    const thread = await page.locator('main').innerText();
    assert.ok(!thread.includes(secret), 'the anonymous post is erased');
    assert.ok(thread.includes(named), 'the named post stays');
    await context.close();
  });

  test(`${locale}: a member banned through an anonymous post is told so on the group page, and offered no way to post`, async () => {
    const author = await createUser(server.rt, { username: `karim_${locale}` });
    const api = await joined(author);
    const { post } = await ok(
      api.api('POST', `/api/v1/threads/${openingThread}/posts`, { body: 'anonymous words', anonymous: true }),
    );
    await ok((await apiOf(owner)).api('POST', `/api/v1/posts/${post.id}/ban-author`, {}));

    const { context, page } = await signedIn(author, { locale, width: 360 });
    await page.goto(`/groups/${publicGroup.id}`);
    assert.equal(await page.locator('.membership .notice').count(), 1, 'the notice about the anonymous ban');
    assert.equal(
      await page.locator(`a[href="/groups/${publicGroup.id}/threads/new"]`).count(),
      0,
      'no "start a discussion" that would be refused',
    );
    await checkPage(page, `group-anonymous-ban ${locale} 360`);
    await page.goto(`/threads/${openingThread}`);
    assert.equal(await page.locator('#reply').count(), 0, 'no reply form either');
    await context.close();
  });

  test(`${locale}: the composer says what anonymity does not hide`, async () => {
    const author = await createUser(server.rt, { username: `writer_${locale}` });
    await joined(author);
    const { context, page } = await signedIn(author, { locale, width: 360 });
    await page.goto(`/groups/${publicGroup.id}/threads/new`);
    await page.click('.anonymous-choice details summary');
    const promises = await page.locator('.anonymous-choice details li').allInnerTexts();
    assert.ok(promises.length >= 6, 'every promise is listed');
    assert.ok(
      promises.some((p) => /^A passphrase reset hands your account over|^إعادة تعيين عبارة المرور تسلّم الحساب/.test(p)),
      'a reset hands the account over, said plainly',
    );
    assert.ok(
      promises.some((p) => /erase your anonymous posts first|محو المشاركات المجهولة أولًا/.test(p)),
      'erase before deleting',
    );
    await checkPage(page, `composer ${locale} 360`);
    await context.close();
  });

  test(`${locale}: without JavaScript, a reply refused by the posting limit keeps its words and is sent again`, async () => {
    const author = await createUser(server.rt, { username: `fast_${locale}` });
    await joined(author);
    const { context, page } = await signedIn(author, { javaScriptEnabled: false, locale, width: 360 });
    await page.goto(`/threads/${openingThread}`);
    // Spend the burst allowance the way eleven quick replies would.
    const limits = server.rt.ctx.limits;
    for (let i = 0; i < 20; i++) await limits.consume('postBurst', author.id).catch(() => undefined);
    const words = `ردّ كُتب بعناية (${locale}) and must not be lost`;
    await page.fill('#reply textarea[name=body]', words);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('#reply button[type=submit]'),
    ]);
    assert.equal(response.status(), 429);
    assert.equal(await page.inputValue('main form textarea[name=body]'), words, 'the words are kept');
    assert.equal(
      await page.locator('main h1').innerText(),
      locale === 'ar' ? 'لم يُرسَل بعد' : 'Not sent yet',
      'a short heading; the reason below',
    );
    await checkPage(page, `limit-kept ${locale} 360`);
    await limits.reset('postBurst', author.id);
    await page.click('main form.kept-form button[type=submit]');
    await page.waitForURL((url) => url.pathname === `/threads/${openingThread}`);
    assert.ok((await page.locator('main').innerText()).includes(words), 'sent again, it is posted');
    await context.close();
  });

  test(`${locale}: a NUL character gets a clear 400 page`, async () => {
    const member = await createUser(server.rt, { username: `nul_${locale}` });
    const { context, page } = await signedIn(member, { locale, width: 360 });
    const response = await page.goto('/groups?q=a%00b');
    assert.equal(response?.status(), 400);
    assert.match(await page.locator('main h1').innerText(), /U\+0000/);
    await checkPage(page, `nul ${locale} 360`);
    await context.close();
  });
}

test('reset code: one administrator asks, a second approves and sees it, and the member is told in Arabic and English', async () => {
  const asking = await createUser(server.rt, { username: 'نور_admin', role: 'admin' });
  const approving = await createUser(server.rt, { username: 'sami_admin', role: 'admin' });
  // A Latin username at the start of an Arabic sentence must not turn the sentence left to right.
  const member = await createUser(server.rt, { username: 'karim_resets' });

  const first = await signedIn(asking, { locale: 'ar', width: 360 });
  await first.page.goto(`/admin/users?q=karim_resets`);
  await first.page.click(`form[action="/admin/users/${member.id}/reset-code"] button`);
  await first.page.waitForURL((url) => url.search === '?done=requested');
  const waiting = first.page.locator('section[aria-labelledby="reset-requests"] li');
  assert.equal(await waiting.locator('form[action$="/approve"]').count(), 0, 'nobody approves their own request');
  assert.equal(
    await waiting
      .locator('p')
      .first()
      .evaluate((e) => getComputedStyle(e).direction),
    'rtl',
  );
  await checkPage(first.page, 'reset-requested ar 360');
  await first.context.close();

  const second = await signedIn(approving, { locale: 'en', width: 360 });
  await second.page.goto('/admin/users');
  await checkPage(second.page, 'reset-requests en 360');
  await second.page.click('section[aria-labelledby="reset-requests"] form[action$="/approve"] button');
  const code = await second.page.locator('.reset-code code').innerText();
  assert.match(code, /^[a-z0-9-]{8,}$/);
  await checkPage(second.page, 'reset-approved en 360');
  await second.context.close();

  for (const locale of ['ar', 'en']) {
    const told = await signedIn(member, { locale, width: 360 });
    await told.page.goto('/notifications');
    const notice = told.page.locator('main a[href="/account#change-passphrase"]');
    assert.equal(await notice.count(), 1, 'the notice leads to changing the passphrase');
    assert.match(await notice.innerText(), locale === 'ar' ? /رمز إعادة تعيين/ : /reset code/);
    await checkPage(told.page, `notifications-reset ${locale} 360`);
    await told.context.close();
  }
});
