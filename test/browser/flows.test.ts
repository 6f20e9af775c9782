import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createInvite } from '../../src/features/invites/service.js';
import { createUser, defaultPassphrase } from '../support/seed.js';
import { startBrowserServer, type BrowserServer } from '../support/browser.js';
import { systemActor } from '../../src/security/actor.js';

let server: BrowserServer;
before(async () => {
  server = await startBrowserServer();
});
after(async () => server.close());

const passphrase = 'jasmine on the balcony at night';

async function signIn(page: Page, username: string, secret = defaultPassphrase) {
  await page.goto('/login');
  await page.fill('#field-username', username);
  await page.fill('#field-passphrase', secret);
  await page.click('main button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/');
}

async function signOut(page: Page) {
  await page.click('.site-nav .link-button');
  await page.waitForURL((url) => url.pathname === '/');
  assert.ok(await page.locator('.site-nav a[href="/login"]').isVisible(), 'signed out');
}

test('register with an invite, in Arabic by default, then sign out and back in', async () => {
  const invite = await createInvite(serviceContext(server.rt.ctx), systemActor, { uses: 1, days: 1 });
  const context = await server.newContext();
  const page = await context.newPage();
  await page.goto('/register');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await page.fill('#field-username', 'ياسمين');
  await page.fill('#field-passphrase', passphrase);
  assert.match(await page.locator('.passphrase-length').innerText(), /31/, 'the live length nudge counts');
  await page.fill('#field-invite', invite.code);
  await page.click('main button[type=submit]');
  await page.waitForSelector('.recovery-codes');
  assert.equal(await page.locator('.recovery-codes li').count(), 10);
  await page.click('.actions .button');
  await page.waitForURL((url) => url.pathname === '/');
  assert.match(await page.locator('h1').innerText(), /ياسمين/);
  await signOut(page);
  await signIn(page, 'ياسمين', passphrase);
  assert.match(await page.locator('h1').innerText(), /ياسمين/);
  await context.close();
});

test('switch language: right to left in Arabic, left to right in English, and remembered', async () => {
  const context = await server.newContext();
  const page = await context.newPage();
  await page.goto('/safety');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const exitBox = await page.locator('.quick-exit').boundingBox();
  assert.ok(exitBox && exitBox.x < 640, 'in Arabic the exit button sits on the left, at the end of the line');
  await page.click('.language-switch a[hreflang="en"]');
  await page.waitForURL((url) => url.pathname === '/safety');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  const exitBoxEn = await page.locator('.quick-exit').boundingBox();
  assert.ok(exitBoxEn && exitBoxEn.x > 640, 'in English it sits on the right');
  await page.goto('/login');
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered');
  await context.close();
});

test('revoke another session from the sessions page', async () => {
  const user = await createUser(server.rt, { username: 'two_devices' });
  const laptop = await server.newContext({ locale: 'en' });
  const phone = await server.newContext({ locale: 'en' });
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  await signIn(laptopPage, user.username);
  await signIn(phonePage, user.username);
  await laptopPage.goto('/account/sessions');
  assert.equal(await laptopPage.locator('.session').count(), 2);
  await laptopPage.click('.session:not(.session-current) button');
  await laptopPage.waitForURL((url) => url.search.includes('done=revoked'));
  assert.equal(await laptopPage.locator('.session').count(), 1);
  await phonePage.goto('/account');
  assert.equal(new URL(phonePage.url()).pathname, '/login', 'the phone is signed out');
  await laptop.close();
  await phone.close();
});

for (const how of ['button', 'Shift key pressed three times'] as const) {
  test(`quick exit by the ${how} blanks the page, leaves for the neutral site and ends the session`, async () => {
    const user = await createUser(server.rt, { username: `exit_${how === 'button' ? 'button' : 'keys'}` });
    const context = await server.newContext();
    const page = await context.newPage();
    await signIn(page, user.username);
    await page.goto('/account');
    if (how === 'button') {
      await page.click('.quick-exit');
    } else {
      await page.locator('main h1').click();
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
    }
    await page.waitForURL(`${server.origin}/healthz`);
    assert.equal(page.url(), server.rt.ctx.config.quickExitUrl);
    await page.goto('/account');
    assert.equal(new URL(page.url()).pathname, '/login', 'the session was ended on the server');
    await context.close();
  });
}

test('the quick exit control is the first thing in focus order', async () => {
  const context = await server.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'quick-exit');
  await context.close();
});

test('with JavaScript off: register, sign out, sign in, sign out, and quick exit still works', async () => {
  const invite = await createInvite(serviceContext(server.rt.ctx), systemActor, { uses: 1, days: 1 });
  const context = await server.newContext({ javaScriptEnabled: false, locale: 'en' });
  const page = await context.newPage();
  await page.goto('/register');
  await page.fill('#field-username', 'no_script');
  await page.fill('#field-passphrase', passphrase);
  await page.fill('#field-invite', invite.code);
  await page.click('main button[type=submit]');
  await page.waitForSelector('.recovery-codes');
  await page.click('.actions .button');
  await page.waitForURL((url) => url.pathname === '/');
  await signOut(page);
  await signIn(page, 'no_script', passphrase);
  await signOut(page);
  await signIn(page, 'no_script', passphrase);
  await page.click('.quick-exit');
  await page.waitForURL(`${server.origin}/healthz`);
  await page.goto('/account');
  assert.equal(new URL(page.url()).pathname, '/login');
  await context.close();
});

test('no page asks any other host for anything', () => {
  assert.ok(server.requested.size > 10);
  for (const url of server.requested) assert.ok(url.startsWith(server.origin) || url.startsWith('data:'), url);
});
