import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serviceContext } from '../../src/app-context.js';
import { systemActor } from '../../src/security/actor.js';
import { createSession } from '../../src/security/sessions.js';
import { createInvite } from '../../src/features/invites/service.js';
import {
  createGroup,
  createGroupInvite,
  joinGroup,
  removeMember,
  setMemberRole,
} from '../../src/features/groups/service.js';
import { createUser, type SeededUser, asMember } from '../support/seed.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

/**
 * Moderators on a phone (issue 10): every list a moderator or an administrator acts on keeps each
 * of its actions inside a 360 px screen, in Arabic and in English, with the longest names people
 * may choose (30 characters, no space to break at); and making a group more visible asks first.
 */

let server: BrowserServer;
let owner: SeededUser;
let members: SeededUser[];
let publicGroupId: string;
let privateGroupId: string;
let hiddenGroupId: string;

// Usernames at their longest: one script each, no space to wrap at.
const longNames = [
  'عبدالرحمن_المستشارون_الاستثنائ',
  'alexandra_montgomery_whitfield',
  'فاطمةالزهراءبنتعبداللهالمغربي',
  'christopher_van_der_wiel_2024x',
  'نورالهدى_المتعاونات_في_الجنوب',
  'maximilian_oppenheimer_the_3rd',
  'سلمى',
];

before(async () => {
  server = await startBrowserServer();
  const ctx = () => serviceContext(server.rt.ctx);
  owner = await createUser(server.rt, { username: 'ريم_المؤسسة_لمجموعة_الأهالي_1', role: 'admin' });
  members = [];
  for (const name of longNames) members.push(await createUser(server.rt, { username: name }));
  const ownerActor = asMember(owner);
  const base = { description: 'A circle for parents.', languages: ['ar', 'en'] };

  const open = await createGroup(ctx(), ownerActor, { ...base, name: 'أهالي متضامنون', visibility: 'public' });
  publicGroupId = open.id;
  for (const m of members) await joinGroup(ctx(), asMember(m), publicGroupId);
  await setMemberRole(ctx(), ownerActor, publicGroupId, members[0]!.id, 'moderator');
  // Two banned, the rest stay.
  await removeMember(ctx(), ownerActor, publicGroupId, members[5]!.id, { ban: true });
  await removeMember(ctx(), ownerActor, publicGroupId, members[3]!.id, { ban: true });
  for (let i = 0; i < 3; i++) await createGroupInvite(ctx(), ownerActor, publicGroupId, { uses: 25 + i, days: 30 });

  const closed = await createGroup(ctx(), ownerActor, {
    ...base,
    name: 'Parents who listen',
    visibility: 'private',
    questions: ['ما الذي أتى بك إلينا؟ What brought you here?'],
  });
  privateGroupId = closed.id;
  for (const m of members.slice(0, 4))
    await joinGroup(ctx(), asMember(m), privateGroupId, {
      answers: ['ابني أخبرني العام الماضي وأريد أن أتعلّم كيف أسانده. My son came out last year.'],
    });

  const hidden = await createGroup(ctx(), ownerActor, { ...base, name: 'دائرة سرّية', visibility: 'hidden' });
  hiddenGroupId = hidden.id;
  // A hidden group is joined only by invite link: one member is let in directly.
  await server.rt.ctx.db
    .insertInto('group_members')
    .values({ group_id: hiddenGroupId, user_id: members[1]!.id, role: 'member', joined_at: Date.now() })
    .execute();
  for (let i = 0; i < 3; i++) await createInvite(ctx(), systemActor, { uses: 10 + i, days: 7 });
  for (const device of ['Firefox · Android', 'Chromium · Linux', 'Safari · iOS'])
    await createSession(ctx(), owner.id, device);
});
after(async () => server.close());

async function signedIn(
  user: SeededUser,
  options: { javaScriptEnabled?: boolean; locale: string; width: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await server.newContext({ ...options, bypassCSP: true });
  const session = await createSession(serviceContext(server.rt.ctx), user.id, 'Chromium · Linux');
  await context.addCookies([{ name: 'sanad_session', value: session.token, url: server.origin }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** Every action of the page's lists is fully on screen, and nothing scrolls sideways. */
async function assertWithinReach(page: Page, label: string, listSelector: string, axe = true) {
  const measured = await page.evaluate((selector) => {
    const width = window.innerWidth;
    const actions = Array.from(document.querySelectorAll(`main ${selector} :is(button, a, select)`));
    const outside = actions
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.left < 0 || box.right > width || box.width === 0;
      })
      .map((element) => element.outerHTML.slice(0, 120));
    return { width, scrollWidth: document.scrollingElement!.scrollWidth, count: actions.length, outside };
  }, listSelector);
  assert.ok(measured.count > 0, `${label}: the list has actions to measure`);
  assert.deepEqual(measured.outside, [], `${label}: actions outside the ${measured.width} px viewport`);
  assert.ok(
    measured.scrollWidth <= measured.width,
    `${label}: the page scrolls sideways (${measured.scrollWidth} > ${measured.width})`,
  );
  if (!axe) return; // axe-core runs as a script: pages seen with JavaScript off are checked in the run with it on.
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${label}:\n${describeViolations(violations)}`);
}

describe('administration and moderation lists at 360 px and 1280 px, in Arabic and English', () => {
  const pages = () => [
    { name: 'admin-invites', path: '/admin', list: '.row-list', rows: 3 },
    { name: 'admin-users', path: '/admin/users', list: '.row-list', rows: longNames.length + 1 },
    { name: 'group-members', path: `/groups/${publicGroupId}/members`, list: '.row-list', rows: 6 },
    { name: 'group-invites', path: `/groups/${publicGroupId}/invites`, list: '.row-list', rows: 3 },
    { name: 'group-bans', path: `/groups/${publicGroupId}/bans`, list: '.row-list', rows: 2 },
    { name: 'group-requests', path: `/groups/${privateGroupId}/requests`, list: '.card-list', rows: 4 },
    { name: 'sessions', path: '/account/sessions', list: '.session-list', rows: 4 },
  ];
  for (const locale of ['ar', 'en']) {
    for (const width of [360, 1280]) {
      test(`${locale} at ${width} px: every action in reach`, async () => {
        const { context, page } = await signedIn(owner, { locale, width });
        try {
          for (const target of pages()) {
            const label = `${target.name} (${locale}, ${width})`;
            const response = await page.goto(target.path);
            assert.equal(response?.status(), 200, label);
            assert.equal(await page.getAttribute('html', 'lang'), locale);
            const rows = await page.locator(`main ${target.list} > li`).count();
            assert.ok(rows >= target.rows, `${label}: ${rows} rows, expected ${target.rows}`);
            await assertWithinReach(page, label, target.list);
            await screenshot(page, `lists-${target.name}-${locale}-${width}`);
          }
        } finally {
          await context.close();
        }
      });
    }
  }

  test('at 1280 px the members list stays one row per member; at 360 px its actions move below the name', async () => {
    for (const width of [1280, 360]) {
      const { context, page } = await signedIn(owner, { locale: 'en', width });
      await page.goto(`/groups/${publicGroupId}/members`);
      const row = page.locator('main .row-list > li', { hasText: 'alexandra_montgomery_whitfield' });
      const name = await row.locator('.row-title').boundingBox();
      const remove = await row.getByRole('button', { name: 'Remove', exact: true }).boundingBox();
      assert.ok(name && remove);
      if (width === 1280) assert.ok(remove.y < name.y + name.height, 'side by side on a wide screen');
      else assert.ok(remove.y >= name.y + name.height, 'stacked on a narrow one');
      await context.close();
    }
  });
});

describe('making a group more visible on a phone, with JavaScript off and on', () => {
  for (const [locale, javaScriptEnabled] of [
    ['ar', false],
    ['en', false],
    ['ar', true],
    ['en', true],
  ] as const) {
    const js = javaScriptEnabled ? 'js' : 'nojs';
    test(`${locale}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}: the owner is told what becomes visible to whom, can go back with the edits kept, then confirms`, async () => {
      const words = {
        ar: {
          title: 'إظهار المجموعة لعدد أكبر من الناس؟',
          back: 'العودة إلى الإعدادات',
          yes: 'نعم، جعل المجموعة عامّة',
        },
        en: { title: 'Show the group to more people?', back: 'Back to the settings', yes: 'Yes, make it public' },
      }[locale];
      const groupName = locale === 'ar' ? 'دائرة سرّية للقراءة' : 'A secret reading circle';
      await server.rt.ctx.db
        .updateTable('groups')
        .set({ visibility: 'hidden' })
        .where('id', '=', hiddenGroupId)
        .execute();
      const { context, page } = await signedIn(owner, { locale, width: 360, javaScriptEnabled });
      await page.goto(`/groups/${hiddenGroupId}/settings`);
      await page.fill('#field-name', groupName);
      await page.check('#field-visibility-public');
      await page.click('main form button[type=submit]');
      await page.waitForSelector(`h1:text("${words.title}")`);
      assert.equal(new URL(page.url()).pathname, `/groups/${hiddenGroupId}/settings`);
      const said = (await page.textContent('main')) ?? '';
      assert.ok(said.includes(groupName), 'the lead names the group with the new name kept');
      assert.equal(await page.locator('main .panel li').count(), 4, 'listed, readable, what stays hidden, who is told');
      await assertWithinReach(page, `confirmation (${locale}, ${js})`, 'form', javaScriptEnabled);
      await screenshot(page, `visibility-confirm-${locale}-360-${js}`);
      const visibility = async () =>
        (
          await server.rt.ctx.db
            .selectFrom('groups')
            .select(['visibility', 'name'])
            .where('id', '=', hiddenGroupId)
            .executeTakeFirstOrThrow()
        ).visibility;
      assert.equal(await visibility(), 'hidden', 'nothing changed yet');

      await page.getByRole('button', { name: words.back }).click();
      await page.waitForSelector('#field-name');
      assert.equal(await page.inputValue('#field-name'), groupName, 'the edit is kept');
      assert.ok(await page.isChecked('#field-visibility-public'));
      assert.equal(await visibility(), 'hidden');

      await page.click('main form button[type=submit]');
      await page.getByRole('button', { name: words.yes }).click();
      await page.waitForURL(/done=saved/);
      assert.equal(await visibility(), 'public');
      await screenshot(page, `visibility-confirmed-${locale}-360-${js}`);

      // A member of the group reads the notice in their language.
      const reader = await signedIn(members[1]!, { locale, width: 360, javaScriptEnabled });
      await reader.page.goto('/notifications');
      const notice = reader.page.locator('main .notification-list li', { hasText: groupName });
      assert.match((await notice.first().textContent()) ?? '', locale === 'ar' ? /صارت .* عامّة/ : /is now public/);
      assert.ok(await reader.page.isVisible(`main .notification-list a[href="/groups/${hiddenGroupId}"]`));
      if (javaScriptEnabled) {
        const violations = await seriousViolations(reader.page);
        assert.equal(violations.length, 0, describeViolations(violations));
      }
      await screenshot(reader.page, `visibility-notice-${locale}-360-${js}`);
      await reader.context.close();
      await context.close();
    });
  }
});
