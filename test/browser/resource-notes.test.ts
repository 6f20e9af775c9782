// Members' notes on a listing (ADR 0059) in a real browser, with JavaScript on and off: a member
// sends the form empty and reads the problems, then leaves an anonymous unsafe note in Arabic;
// another member reads it under a pseudonym, with the summary, and a report link. Arabic and
// English, 360 and 1280 px, axe clean, nothing sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { translator } from '../../src/i18n/index.js';
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
const writers: string[] = [];
let readerId: string;

before(async () => {
  server = await startBrowserServer();
  for (let i = 0; i < 8; i++) writers.push((await member(server.rt, 'nw')).user.id);
  readerId = (await member(server.rt, 'nr')).user.id;
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

async function checkPage(page: Page, label: string, width: number, axe: boolean) {
  await page.evaluate(() => window.scrollTo(0, 0));
  if (axe) {
    const violations = await seriousViolations(page);
    assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
  }
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${label} scrolls sideways at ${width}px`);
}

let run = 0;
for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    for (const javaScriptEnabled of [true, false]) {
      const label = `${locale}, ${width} px, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
      test(`an anonymous unsafe note, left and read (${label})`, async () => {
        const t = translator(locale);
        const { serviceId } = await createListing(server.rt, {
          service: { name: 'عيادة الأمل · Hope clinic' },
          terms: ['legal-aid'],
        });
        // axe-core is injected as a script: only where scripts run.
        const axe = javaScriptEnabled;
        const writer = await signedIn(writers[run++]!, { locale, width, javaScriptEnabled, bypassCSP: axe });
        await writer.page.goto(`/resources/${serviceId}/notes`);
        await checkPage(writer.page, `${label} empty notes`, width, axe);
        // Sent empty (the browser's own checks set aside): the problems, beside their fields.
        await writer.page.evaluate(() =>
          document.querySelectorAll('#note-form [required]').forEach((e) => {
            e.removeAttribute('required');
          }),
        );
        await writer.page.locator('#note-form button[type=submit]').click();
        await writer.page.waitForSelector('.error-summary');
        assert.ok(
          (await writer.page.locator('.error-summary').innerText()).includes(t('resources.notes.bodyRequired')),
        );
        await checkPage(writer.page, `${label} note with errors`, width, axe);

        const body = `سألوا عن عائلتي · They asked about my family ${run}`;
        await writer.page.locator('#field-body').fill(body);
        await writer.page.locator('label[for="field-rating-unsafe"]').click();
        await writer.page.locator('label[for="field-anonymous"]').click();
        await writer.page.locator('#note-form button[type=submit]').click();
        await writer.page.waitForURL((url) => url.search.includes('done=published'));
        const mine = writer.page.locator('.notes-list > li').first();
        assert.ok((await mine.innerText()).includes(body));
        assert.ok((await mine.innerText()).includes(t('resources.notes.rating.unsafe')));
        await checkPage(writer.page, `${label} note published`, width, axe);
        await screenshot(writer.page, `resource-notes-${locale}-${width}-${javaScriptEnabled ? 'js' : 'nojs'}`);
        await writer.context.close();

        // Another member reads it under a pseudonym, with the summary and a way to report it.
        const reader = await signedIn(readerId, { locale, width, javaScriptEnabled });
        await reader.page.goto(`/resources/${serviceId}/notes`);
        const note = reader.page.locator('.notes-list > li').first();
        assert.ok((await note.locator('.author-anonymous').innerText()).length > 0);
        assert.ok(
          (await reader.page.locator('.notes-summary').innerText()).includes(
            t('resources.notes.summaryUnsafe', { count: 1 }),
          ),
        );
        assert.equal(await note.locator('a.report-link').count(), 1);
        await reader.context.close();
      });
    }
  }
}
