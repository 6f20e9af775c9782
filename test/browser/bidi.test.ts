// Mixed Arabic and English as Chromium lays it out (ADR 0035): an English paragraph in an Arabic
// post reads left to right with its full stop at its end; a title ending in "?" keeps it at its
// end inside an Arabic sentence; the hint's link example reads as typed. Screenshots at 360 px and
// 1280 px, in Arabic and English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { createUser, type SeededUser } from '../support/seed.js';
import { TestClient } from '../support/client.js';
import { createGroupAs, threadIn } from '../support/community.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

let server: BrowserServer;
let owner: SeededUser;
let writer: SeededUser;
let threadPath: string;
const english = 'This paragraph is in English, and it ends with a full stop.';

async function apiAs(user: SeededUser): Promise<TestClient> {
  const api = new TestClient(server.rt.app);
  api.bearer = (await createSession(serviceContext(server.rt.ctx), user.id, 'Test · Linux')).token;
  return api;
}

before(async () => {
  server = await startBrowserServer();
  owner = await createUser(server.rt, { username: 'noor_owner' });
  writer = await createUser(server.rt, { username: 'sam_writer' });
  const ownerApi = await apiAs(owner);
  const group = await createGroupAs(ownerApi, {
    name: 'دائرة الأهالي',
    description: '**أهلًا بكم.** مساحة آمنة للأهالي.\n\nParents of LGBTQ+ people, in Arabic and English.',
  });
  const writerApi = await apiAs(writer);
  assert.equal((await writerApi.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  const { threadId } = await threadIn(ownerApi, group.id, {
    title: 'Is it safe?',
    body: [
      'مرحبًا بالجميع، هذه مشاركة بالعربية.',
      english,
      '- البند الأول\n- the second item',
      `شكرًا @${writer.username} على المساعدة.`,
    ].join('\n\n'),
  });
  threadPath = `/threads/${threadId}`;
  assert.equal((await writerApi.api('POST', `${`/api/v1${threadPath}`}/posts`, { body: 'نعم، آمن.' })).status, 201);
});
after(async () => server.close());

async function signedIn(user: SeededUser, locale: string, width = 1280): Promise<Page> {
  const context = await server.newContext({ locale, width });
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([
    { name: 'sanad_session', value: session.token, url: server.origin },
    { name: 'sanad_lang', value: locale, url: server.origin },
  ]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Where the first and the last character of an element's text are drawn. */
function ends(page: Page, selector: string) {
  // No helper functions inside: the test runner's build would name them with a helper the page lacks.
  return page.$eval(selector, (element) => {
    const text = element.firstChild as Text;
    const boxes: { left: number; right: number }[] = [];
    for (const from of [0, text.data.length - 1]) {
      const range = document.createRange();
      range.setStart(text, from);
      range.setEnd(text, from + 1);
      const r = range.getBoundingClientRect();
      boxes.push({ left: r.left, right: r.right });
    }
    return {
      first: boxes[0]!,
      last: boxes[1]!,
      block: element.getBoundingClientRect().toJSON() as { left: number; right: number },
      direction: getComputedStyle(element).direction,
    };
  });
}

test('an English paragraph in an Arabic post reads left to right, its full stop on the right', async () => {
  for (const locale of ['ar', 'en']) {
    const page = await signedIn(owner, locale);
    await page.goto(threadPath);
    const paragraph = `.post-body p:text-is("${english}")`;
    const { first, last, block, direction } = await ends(page, paragraph);
    assert.equal(direction, 'ltr', `${locale}: the English paragraph is left to right`);
    assert.ok(last.left > first.right, `${locale}: the full stop is drawn to the right of the first letter`);
    assert.ok(first.left - block.left < 2, `${locale}: the paragraph starts at its left edge`);
    const arabic = await ends(page, '.post-body p:text-is("مرحبًا بالجميع، هذه مشاركة بالعربية.")');
    assert.equal(arabic.direction, 'rtl', `${locale}: the Arabic paragraph is right to left`);
    assert.ok(arabic.last.right < arabic.first.left, `${locale}: its full stop is on the left`);
    const item = await ends(page, '.post-body li:text-is("the second item")');
    assert.equal(item.direction, 'ltr', `${locale}: an English list item is left to right`);
    await page.context().close();
  }
});

test('a title ending in "?" keeps it at its end inside an Arabic sentence; the hint reads as typed', async () => {
  const page = await signedIn(owner, 'ar');
  await page.goto('/notifications');
  const title = await ends(page, '.notification-list bdi:text-is("Is it safe?")');
  assert.ok(title.last.left > title.first.right, 'the question mark stays after "safe", to its right');
  await page.goto(threadPath);
  const link = await ends(page, '.hint code:text-is("[رابط](https://…)")');
  assert.equal(link.direction, 'ltr');
  assert.ok(link.first.right <= link.last.left, 'the "[" comes first, on the left, and the ")" last');
  await page.context().close();
});

test('the mixed thread, looked at in both languages at 360 px and 1280 px, and accessible', async () => {
  for (const locale of ['ar', 'en']) {
    for (const width of [360, 1280]) {
      const context = await server.newContext({ locale, width, bypassCSP: true });
      const session = await createSession(serviceContext(server.rt.ctx), owner.id, 'Chromium · Linux');
      await context.addCookies([
        { name: 'sanad_session', value: session.token, url: server.origin },
        { name: 'sanad_lang', value: locale, url: server.origin },
      ]);
      const page = await context.newPage();
      await page.goto(threadPath);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${locale} ${width}: nothing wider than the screen`);
      await screenshot(page, `bidi-thread-${locale}-${width}`);
      if (width === 1280) {
        const violations = await seriousViolations(page);
        assert.equal(violations.length, 0, `${locale}:\n${describeViolations(violations)}`);
      }
      await page.goto('/groups/mine');
      await page.click('.card-title a');
      await screenshot(page, `bidi-group-${locale}-${width}`);
      await context.close();
    }
  }
});
