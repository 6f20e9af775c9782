// The resource directory end to end, as issue 12 asks, in a real browser: a member finds a verified
// legal-aid service by searching in Arabic, leaves an anonymous note on it, reports its outdated
// phone; a moderator approves the correction. With JavaScript on (Arabic, 360 px; English, 1280 px)
// and off (Arabic, 1280 px: Tor Browser's safest mode).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { member } from '../support/community.js';
import { createListing } from '../support/resources.js';
import { describeViolations, seriousViolations, startBrowserServer, type BrowserServer } from '../support/browser.js';

let server: BrowserServer;
let readerId: string;
let moderatorId: string;
before(async () => {
  server = await startBrowserServer();
  readerId = (await member(server.rt, 'seeker', { trust: 'member' })).user.id;
  moderatorId = (await member(server.rt, 'keeper', { role: 'moderator' })).user.id;
});
after(async () => server.close());

async function signedIn(
  userId: string,
  options: Parameters<BrowserServer['newContext']>[0],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await server.newContext({ bypassCSP: true, ...options });
  const { token } = await createSession(serviceContext(server.rt.ctx), userId, 'Test · Chromium');
  await context.addCookies([{ name: 'sanad_session', value: token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

async function accessible(page: Page, label: string, scripted: boolean) {
  if (!scripted) return;
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways`);
}

for (const [locale, javaScriptEnabled, width] of [
  ['ar', true, 360],
  ['en', true, 1280],
  ['ar', false, 1280],
] as const) {
  test(`find a verified legal-aid service in Arabic, note it anonymously, correct its phone, approve (${locale}, script ${javaScriptEnabled ? 'on' : 'off'}, ${width}px)`, async () => {
    const tag = `${locale}${javaScriptEnabled ? 'js' : 'nojs'}${width}`;
    const city = `Zahle${tag}`;
    // Two legal-aid services in one city: the verified one is found first; a third, unrelated, not at all.
    const unverified = await createListing(server.rt, {
      service: { name: `Advice desk ${tag}`, city },
      terms: ['legal-aid'],
    });
    const verified = await createListing(server.rt, {
      service: {
        name: `Rights clinic ${tag}`,
        city,
        verified_at: Date.now() - 86_400_000,
        verified_method: 'visited',
        translations: JSON.stringify({ ar: { name: `عيادة الحقوق ${tag}` } }),
      },
      terms: ['legal-aid'],
      phones: [{ number: '+961 8 111 111' }],
    });
    await createListing(server.rt, { service: { name: `Dentist ${tag}`, city }, terms: ['primary-care'] });

    const reader = await signedIn(readerId, { locale, javaScriptEnabled, width });
    const page = reader.page;
    await page.goto('/resources');
    assert.equal(await page.getAttribute('html', 'dir'), locale === 'ar' ? 'rtl' : 'ltr');
    await accessible(page, `${locale} directory`, javaScriptEnabled);
    // The search is typed in Arabic with tashkeel: "a lawyer" finds legal aid in any language.
    await page.fill('#field-q', 'مُحامٍ');
    await page.fill('#field-city', city);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('#find-results-title');
    const found = await page
      .locator('.card-list > li a[href^="/resources/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(found, [`/resources/${verified.serviceId}`, `/resources/${unverified.serviceId}`]);
    await accessible(page, `${locale} results`, javaScriptEnabled);

    await page.click(`a[href="/resources/${verified.serviceId}"]`);
    await page.waitForSelector('#listing-name');
    if (locale === 'ar') assert.match((await page.textContent('#listing-name')) ?? '', /عيادة الحقوق/);
    await accessible(page, `${locale} listing`, javaScriptEnabled);

    // An anonymous note, from the form on the listing page.
    await page.fill('#note-form textarea[name=body]', 'استقبلوني باحترام، ولم يسألوا عن اسمي.');
    await page.check('#note-form input[name=rating][value=safe]');
    await page.check('#note-form input[name=anonymous]');
    await page.click('#note-form button[type=submit]');
    await page.waitForSelector('.notice-success');
    const notes = await server.rt.ctx.db
      .selectFrom('resource_notes')
      .select(['author_id', 'anonymous', 'rating'])
      .where('service_id', '=', verified.serviceId)
      .execute();
    assert.deepEqual(notes, [{ author_id: null, anonymous: 1, rating: 'safe' }]);

    // The phone is out of date: reported from the listing, anonymously.
    await page.goto(`/resources/${verified.serviceId}`);
    await page.click(`a[href="/resources/${verified.serviceId}/correct"]`);
    await page.selectOption('#field-reason', 'outdated');
    await page.fill('#field-phone', '+961 8 222 222');
    await page.check('#field-anonymous');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.notice-success');
    await reader.context.close();

    const keeper = await signedIn(moderatorId, { locale, javaScriptEnabled, width });
    const mod = keeper.page;
    await mod.goto('/resources');
    await mod.click('a[href="/resources/corrections"]');
    await accessible(mod, `${locale} corrections`, javaScriptEnabled);
    await mod.locator('li.row', { hasText: '+961 8 222 222' }).getByRole('button').first().click();
    await mod.waitForSelector('.notice-success');
    await keeper.context.close();

    const phone = await server.rt.ctx.db
      .selectFrom('resource_phones')
      .select('number')
      .where('service_id', '=', verified.serviceId)
      .executeTakeFirstOrThrow();
    assert.equal(phone.number, '+961 8 222 222');
    // What anyone reads now: the new number, as a link that calls it, and the day it was checked.
    const visitor = await server.newContext({ locale, javaScriptEnabled, width });
    const listing = await visitor.newPage();
    await listing.goto(`/resources/${verified.serviceId}`);
    assert.equal(await listing.locator('a[href="tel:+9618222222"]').count(), 1);
    assert.equal(await listing.locator('#notes').count(), 0, 'notes are for signed-in members only');
    await visitor.close();
  });
}
