import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

/**
 * Issue 11, ADR 0051: an instance moderator reviews the invite tree, opens a branch and stops its
 * invites, in Arabic and English, on a phone (360 px) and a wide screen, with the longest names.
 */

let server: BrowserServer;
let moderator: SeededUser;

before(async () => {
  server = await startBrowserServer();
  moderator = await createUser(server.rt, { username: 'مشرفة_الموقع', role: 'moderator' });
});
after(async () => server.close());

/** A root with a long name, who brought in one account, who brought in another. */
async function branch(tag: string): Promise<SeededUser[]> {
  const names = [`عبدالرحمن_المستشارون_${tag}`, `alexandra_montgomery_whit${tag}`, `نورالهدى_المتعاونات_${tag}`];
  const users: SeededUser[] = [];
  for (const name of names) {
    const user = await createUser(server.rt, { username: name });
    if (users.length)
      await server.rt.ctx.db
        .updateTable('users')
        .set({ invited_by: users.at(-1)!.id, trust_level: 'trusted' })
        .where('id', '=', user.id)
        .execute();
    users.push(user);
  }
  return users;
}

async function noSidewaysScroll(page: import('playwright-core').Page, label: string) {
  const { width, scrollWidth } = await page.evaluate(() => ({
    width: window.innerWidth,
    scrollWidth: document.scrollingElement!.scrollWidth,
  }));
  assert.ok(scrollWidth <= width, `${label}: the page scrolls sideways (${scrollWidth} > ${width})`);
}

const words = {
  ar: { open: 'فتح الفرع', reason: 'السبب', freeze: 'إيقاف الدعوات', done: 'توقفت دعوات 3 حسابات' },
  en: { open: 'Open branch', reason: 'Reason', freeze: 'Stop invitations', done: 'Invitations stopped for 3 accounts' },
} as const;

let n = 0;
for (const locale of ['ar', 'en'] as const) {
  for (const width of [360, 1280]) {
    test(`${locale} at ${width} px: a moderator opens a branch of the invite tree and stops its invites`, async () => {
      const tag = `${locale}${width}${++n}`.slice(0, 7);
      const [root, child, grandchild] = await branch(tag);
      const context = await server.newContext({ locale, width, bypassCSP: true });
      const session = await createSession(serviceContext(server.rt.ctx), moderator.id, 'Chromium · Linux');
      await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      try {
        const label = `invite tree (${locale}, ${width})`;
        const response = await page.goto('/moderation/invite-tree');
        assert.equal(response?.status(), 200);
        assert.equal(await page.getAttribute('html', 'lang'), locale);
        const rootItem = page.locator('main .invite-tree > li', { hasText: root!.username }).first();
        assert.ok(await rootItem.isVisible(), `${label}: the root is listed`);
        await noSidewaysScroll(page, label);
        const violations = await seriousViolations(page);
        assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
        await screenshot(page, `invite-tree-${locale}-${width}`);

        await page.goto('/moderation/invite-tree');
        await rootItem.getByRole('link', { name: words[locale].open }).first().click();
        await page.waitForURL(/root=/);
        const main = page.locator('main');
        for (const user of [root!, child!, grandchild!]) assert.ok((await main.textContent())!.includes(user.username));
        await noSidewaysScroll(page, `${label} branch`);
        const branchViolations = await seriousViolations(page);
        assert.equal(branchViolations.length, 0, `${label} branch:\n${describeViolations(branchViolations)}`);
        await screenshot(page, `invite-branch-${locale}-${width}`);

        await page.getByLabel(words[locale].reason).fill('Brought in someone who outed a member');
        await page.getByRole('button', { name: words[locale].freeze }).click();
        await page.waitForURL(/done=freeze/);
        assert.ok((await main.textContent())!.includes(words[locale].done), `${label}: the notice says how many`);
        const rows = await server.rt.ctx.db
          .selectFrom('users')
          .select('invites_frozen_at')
          .where('id', 'in', [root!.id, child!.id, grandchild!.id])
          .execute();
        assert.ok(
          rows.every((r) => r.invites_frozen_at !== null),
          'every account of the branch',
        );
        await noSidewaysScroll(page, `${label} frozen`);

        // Each account of the branch opens its review page, where it can be frozen.
        await main.getByRole('link', { name: grandchild!.username }).click();
        await page.waitForURL(/\/moderation\/accounts\//);
        await noSidewaysScroll(page, `${label} account`);
        const accountViolations = await seriousViolations(page);
        assert.equal(accountViolations.length, 0, `${label} account:\n${describeViolations(accountViolations)}`);
        await screenshot(page, `invite-account-${locale}-${width}`);
      } finally {
        await context.close();
      }
    });
  }
}
