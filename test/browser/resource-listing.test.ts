// A listing of the resource directory in a real browser (ADR 0054): no serious accessibility problem
// on the page or the form (with its errors), in Arabic and English; printed, it fits one page without
// the site around it; and the form works with JavaScript off.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createListing } from '../support/resources.js';
import { createUser, defaultPassphrase } from '../support/seed.js';
import { describeViolations, seriousViolations, startBrowserServer, type BrowserServer } from '../support/browser.js';

let server: BrowserServer;
let listingId: string;
before(async () => {
  server = await startBrowserServer();
  await createUser(server.rt, { username: 'listing_keeper', role: 'moderator' });
  listingId = (
    await createListing(server.rt, {
      service: { description: 'Free legal advice for LGBTQ+ people.\n\nCall before you come.' },
      terms: ['legal-aid', 'asylum-migration'],
      phones: [{ number: '+961 1 234 567' }, { number: '+961 70 999 888', confidential: true }],
      address: { address_1: 'Hamra Street 12', city: 'Beirut', country: 'LB' },
      schedules: [
        { byday: 'SA,SU,MO,TU,WE', opens_at: '09:00', closes_at: '13:00' },
        { byday: 'SA,SU,MO,TU,WE', opens_at: '14:00', closes_at: '17:00' },
        { byday: 'TH', opens_at: '22:00', closes_at: '02:00' },
      ],
      languages: ['ar', 'en', 'fr'],
    })
  ).serviceId;
});
after(async () => server.close());

async function signIn(page: import('playwright-core').Page) {
  await page.goto('/login');
  await page.fill('#field-username', 'listing_keeper');
  await page.fill('#field-passphrase', defaultPassphrase);
  await page.click('main button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/');
}

for (const locale of ['ar', 'en']) {
  test(`the listing page and its form have no serious accessibility problem, in ${locale}`, async () => {
    const context = await server.newContext({ locale, bypassCSP: true });
    const page = await context.newPage();
    const check = async (label: string) => {
      const violations = await seriousViolations(page);
      assert.equal(violations.length, 0, `${locale} ${label}:\n${describeViolations(violations)}`);
      const duplicates = await page.evaluate(() => {
        const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
        return ids.filter((id, i) => ids.indexOf(id) !== i);
      });
      assert.deepEqual(duplicates, [], `${locale} ${label}: duplicate ids`);
    };
    await page.goto(`/resources/${listingId}`);
    await check('listing (visitor)');
    await signIn(page);
    for (const path of [`/resources/${listingId}`, '/resources/new', `/resources/${listingId}/edit`]) {
      await page.goto(path);
      await check(path);
    }
    // The form with its errors: the summary first, each error beside its field.
    await page.goto('/resources/new');
    await page.evaluate(() =>
      document.querySelectorAll('[required]').forEach((e) => {
        e.removeAttribute('required');
      }),
    );
    await page.fill('#field-url', 'not a web address');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.error-summary');
    await check('form with errors');
    assert.equal(await page.inputValue('#field-url'), 'not a web address');
    // Nothing at 360 px needs a sideways scroll.
    await page.setViewportSize({ width: 360, height: 800 });
    for (const path of [`/resources/${listingId}`, '/resources/new']) {
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${locale} ${path} scrolls sideways at 360px`);
    }
    await context.close();
  });
}

test('printed, a listing fits one page without navigation, footer, forms or quick exit', async () => {
  const context = await server.newContext({ locale: 'ar' });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`/resources/${listingId}`);
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() =>
    ['.site-header', '.site-footer', '.exit-bar', 'form', '.listing-actions'].filter((selector) =>
      Array.from(document.querySelectorAll(selector)).some((e) => getComputedStyle(e).display !== 'none'),
    ),
  );
  assert.deepEqual(shown, []);
  const pdf = await page.pdf({ format: 'A4' });
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  assert.equal(pages.length, 1, 'one printed page');
  await context.close();
});

test('a keeper publishes a listing with JavaScript off', async () => {
  const context = await server.newContext({ locale: 'en', javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto('/resources/new');
  await page.fill('#field-organizationName', 'Mawja');
  await page.fill('#field-name', 'Evening support circle');
  await page.fill('#field-description', 'A circle that meets twice a week');
  await page.fill('#field-h-SA-1-o', '18:00');
  await page.fill('#field-h-SA-1-c', '20:00');
  await page.click('main button[type=submit]');
  await page.waitForURL((url) => /^\/resources\/[\w-]+$/.test(url.pathname));
  assert.equal(await page.textContent('h1'), 'Evening support circle');
  assert.match((await page.textContent('.opening-hours')) ?? '', /18:00–20:00/);
  assert.ok(
    [...server.requested].every((url) => url.startsWith(server.origin)),
    'no other host',
  );
  await context.close();
});
