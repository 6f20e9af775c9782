// The directory's vetting in a real browser (ADR 0056): a member reports an outdated phone
// anonymously, first with a mistake the page explains; a moderator accepts it from the corrections
// queue and marks the listing verified. With JavaScript on and off, Arabic and English, 360 and
// 1280 px, axe clean, nothing sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { member } from '../support/community.js';
import { createListing } from '../support/resources.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

let server: BrowserServer;
let readerId: string;
let moderatorId: string;
before(async () => {
  server = await startBrowserServer();
  readerId = (await member(server.rt, 'reader', { trust: 'member' })).user.id;
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

/** axe-core and the layout checks need script in the page; without it the flow alone is proven. */
async function check(page: Page, label: string, scripted: boolean) {
  if (!scripted) return;
  await page.evaluate(() => window.scrollTo(0, 0));
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways`);
  const duplicates = await page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(duplicates, [], `${label}: duplicate ids`);
}

for (const [locale, javaScriptEnabled, width] of [
  ['ar', true, 360],
  ['en', true, 1280],
  ['ar', false, 1280],
] as const) {
  test(`report an outdated phone, accept it and verify the listing (${locale}, script ${javaScriptEnabled ? 'on' : 'off'}, ${width}px)`, async () => {
    const { serviceId } = await createListing(server.rt, {
      service: { name: 'عيادة قانونية · Legal clinic' },
      phones: [{ number: '+961 1 111 111' }],
    });
    const reader = await signedIn(readerId, { locale, javaScriptEnabled, width });
    const page = reader.page;
    await page.goto(`/resources/${serviceId}/correct`);
    assert.equal(await page.getAttribute('html', 'dir'), locale === 'ar' ? 'rtl' : 'ltr');
    await check(page, `${locale} correct`, javaScriptEnabled);
    await page.selectOption('#field-reason', 'outdated');
    await page.fill('#field-phone', 'call us');
    await page.check('#field-anonymous');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.error-summary');
    await check(page, `${locale} correct with errors`, javaScriptEnabled);
    // The mistake is explained beside its field, and what was written and chosen is kept.
    assert.equal(await page.inputValue('#field-phone'), 'call us');
    assert.ok(await page.isChecked('#field-anonymous'));
    await page.fill('#field-phone', '+961 1 222 222');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.notice-success');
    await screenshot(page, `vetting-correct-${locale}-${width}`);
    await reader.context.close();

    const keeper = await signedIn(moderatorId, { locale, javaScriptEnabled, width });
    const mod = keeper.page;
    await mod.goto('/resources/corrections');
    await check(mod, `${locale} corrections queue`, javaScriptEnabled);
    const row = mod.locator('li.row', { hasText: '+961 1 222 222' });
    await row.getByRole('button').first().click();
    await mod.waitForSelector('.notice-success');
    const phone = await server.rt.ctx.db
      .selectFrom('resource_phones')
      .select('number')
      .where('service_id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.equal(phone.number, '+961 1 222 222');

    await mod.goto(`/resources/${serviceId}/verify`);
    await check(mod, `${locale} verify`, javaScriptEnabled);
    await mod.selectOption('#field-method', 'visited');
    await mod.click('main form[action$="/verify"] button[type=submit]');
    await mod.waitForSelector('.notice-success');
    await check(mod, `${locale} verified`, javaScriptEnabled);
    await screenshot(mod, `vetting-verified-${locale}-${width}`);
    await keeper.context.close();
    const verified = await server.rt.ctx.db
      .selectFrom('resource_services')
      .select('verified_method')
      .where('id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.equal(verified.verified_method, 'visited');
  });
}
