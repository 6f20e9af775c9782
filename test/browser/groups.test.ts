import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createUser, type SeededUser } from '../support/seed.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

let server: BrowserServer;
let owner: SeededUser;
let applicant: SeededUser;
before(async () => {
  server = await startBrowserServer();
  owner = await createUser(server.rt, { username: 'layla_owner' });
  applicant = await createUser(server.rt, { username: 'samir_applicant' });
});
after(async () => server.close());

async function signedIn(
  user: SeededUser,
  options: { javaScriptEnabled?: boolean; locale?: string; bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await server.newContext(options);
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

async function checkAccessible(page: Page, label: string) {
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const duplicates = await page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(duplicates, [], `${label}: duplicate ids`);
}

test('a private group from creation to an anonymous post, with JavaScript on for one member and off for the other', async () => {
  const ownerSide = await signedIn(owner, { locale: 'ar' });
  const o = ownerSide.page;
  // The owner creates a private group with a membership question, in Arabic.
  await o.goto('/groups/new');
  await o.fill('#field-name', 'عائلات متضامنة');
  await o.fill('#field-description', 'مساحة للأهالي وأبنائهم من مجتمع الميم');
  await o.selectOption('#field-country', 'JO');
  await o.fill('#field-identities', 'أهالي، parents');
  await o.check('#field-visibility-private');
  await o.fill('#field-q0-questions', 'ما الذي أتى بك إلينا؟');
  await o.check('#field-anonymousPosting');
  await o.click('main form button[type=submit]');
  await o.waitForURL(/\/groups\/[^/]+\?done=created/);
  const groupPath = new URL(o.url()).pathname;
  assert.match((await o.textContent('main .notice')) ?? '', /المجموعة جاهزة/);

  // The applicant finds it in the directory with JavaScript off, and asks to join.
  const applicantSide = await signedIn(applicant, { javaScriptEnabled: false, locale: 'en' });
  const a = applicantSide.page;
  await a.goto(`/groups?q=${encodeURIComponent('عائلات')}`);
  await a.click(`a[href="${groupPath}"]`);
  assert.ok(await a.isVisible('text=ما الذي أتى بك إلينا؟'), 'the question is shown');
  await a.fill('#field-join-answer0', 'My son came out last year and I want to learn');
  await a.click('#join-title ~ form button[type=submit]');
  await a.waitForURL(/done=requested/);

  // The owner sees the request with its answer and approves it.
  await o.goto('/notifications');
  assert.ok(await o.isVisible('text=طلب أحدهم الانضمام'));
  await o.goto(`${groupPath}/requests`);
  assert.ok(await o.isVisible('text=My son came out last year'));
  await o.getByRole('button', { name: 'قبول', exact: true }).click();
  await o.waitForURL(/\/requests$/);
  assert.ok(await o.isVisible('text=لا توجد طلبات بالانتظار'));

  // The applicant, now a member, starts a thread with a content warning (no JavaScript).
  await a.goto(groupPath);
  await a.click('text=Start a discussion');
  await a.fill('#field-thread-title', 'Talking to family after coming out');
  await a.fill('#field-thread-body', 'My father **shouted** at first. It got better.');
  await a.click('text=Add a content warning');
  await a.selectOption('#field-thread-warning', 'family_rejection');
  await a.fill('#field-thread-warningText', 'shouting');
  await a.click('main form button[type=submit]');
  await a.waitForURL(/\/threads\//);
  const threadPath = new URL(a.url()).pathname;

  // The owner sees it folded, opens it, replies and reacts.
  await o.goto(threadPath);
  const warning = o.locator('details.content-warning').first();
  assert.equal(await warning.getAttribute('open'), null, 'folded until opened');
  assert.equal(await o.isVisible('text=It got better.'), false);
  await warning.locator('summary').click();
  assert.ok(await o.isVisible('text=It got better.'));
  await o.fill('#field-reply-body', 'شكرًا لمشاركتك، نحن معك');
  await o.click('#reply form button[type=submit]');
  await o.waitForURL(/#post-/);
  assert.ok(await o.isVisible('text=شكرًا لمشاركتك'));
  await o.locator('button.reaction', { hasText: 'عناق' }).first().click();
  await o.waitForLoadState();
  assert.equal(await o.locator('button.reaction[aria-pressed="true"]').first().textContent(), 'عناق · 1');

  // Arabic search finds the reply through another form of the word.
  await o.goto(`/search?q=${encodeURIComponent('المشاركة')}`);
  assert.equal(await o.locator('.search-results li').count(), 1);
  assert.equal(await o.locator('.search-results mark').first().textContent(), 'لمشاركتك');

  // The applicant starts a thread anonymously; its page source shows nobody who it was.
  await a.goto(groupPath);
  await a.click('text=Start a discussion');
  await a.fill('#field-thread-title', 'Something I cannot say with my name');
  await a.fill('#field-thread-body', 'Writing this one without my name.');
  await a.check('#field-thread-anonymous');
  await a.click('main form button[type=submit]');
  await a.waitForURL(/\/threads\//);
  assert.ok(await a.isVisible('text=Yours (only you see this)'));
  const anonymousThread = new URL(a.url()).pathname;
  const response = await o.goto(anonymousThread);
  const source = (await response!.text()) + (await o.content());
  assert.ok(source.includes('Writing this one without my name.'));
  assert.ok(source.includes('عضو مجهول'));
  assert.ok(!source.includes('samir_applicant'), 'the username is nowhere in the page source');
  assert.ok(!source.includes(applicant.id), 'nor the account id');

  await ownerSide.context.close();
  await applicantSide.context.close();
});

test('group and discussion pages pass axe, fit at 360 px and look right in both languages', async () => {
  const ownerSide = await signedIn(owner, { locale: 'ar', bypassCSP: true });
  const page = ownerSide.page;
  await page.goto('/groups/mine');
  const groupPath = await page.locator('.card-title a').first().getAttribute('href');
  await page.goto(groupPath!);
  const threadPath = await page.locator('.thread-title a').first().getAttribute('href');
  const pages = [
    '/',
    '/groups',
    '/groups/mine',
    '/groups/new',
    groupPath!,
    `${groupPath}/members`,
    `${groupPath}/invites`,
    `${groupPath}/settings`,
    threadPath!,
    `/groups/${groupPath!.split('/')[2]}/threads/new`,
    '/search?q=%D8%B4%D9%83%D8%B1%D8%A7',
    '/notifications',
    '/notifications/preferences',
    '/account/warnings',
  ];
  for (const locale of ['ar', 'en']) {
    await page.goto(`/lang/${locale}?next=/`);
    for (const path of pages) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(path);
      await checkAccessible(page, `${locale} ${path}`);
      await page.setViewportSize({ width: 360, height: 800 });
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${locale} ${path} scrolls sideways at 360px`);
    }
    for (const [name, path] of [
      ['groups', '/groups'],
      ['group', groupPath!],
      ['thread', threadPath!],
      ['new-group', '/groups/new'],
      ['notifications', '/notifications'],
      ['notification-preferences', '/notifications/preferences'],
    ] as const) {
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        await screenshot(page, `${name}-${locale}-${width}`);
      }
    }
  }
  assert.deepEqual(
    [...server.requested].filter((url) => !url.startsWith(server.origin)),
    [],
    'no request leaves the server',
  );
  await ownerSide.context.close();
});
