import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../src/app-context.js';
import { systemActor } from '../src/security/actor.js';
import { createSession } from '../src/security/sessions.js';
import { createInvite } from '../src/features/invites/service.js';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';
import { TestClient } from './support/client.js';
import { createUser } from './support/seed.js';
import { createGroupAs, member } from './support/community.js';

/**
 * The lists moderators and administrators act on are lists of rows, not wide tables (issue 10):
 * each row names what it is about in its own direction and holds its own actions, so a narrow
 * screen can stack them (the browser test measures that; this checks what the server sends).
 */

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const rowsOf = (html: string) => html.match(/<li class="row">[\s\S]*?<\/li>/g) ?? [];

test('members, bans, invites, accounts and site invites are rows with their actions, in both languages', async () => {
  const admin = await createUser(rt, { username: 'مديرة_الموقع_الطويل_اسمها_جدا', role: 'admin' });
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), admin.id, 'Test · Linux')).token);
  web.bearer = (await createSession(serviceContext(rt.ctx), admin.id, 'Test · Linux')).token;
  const group = await createGroupAs(web, { visibility: 'public' });
  web.bearer = undefined;
  const joiners = [await member(rt, 'alexandra_montgomery'), await member(rt, 'عضوة')];
  for (const j of joiners) await j.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
  await createInvite(serviceContext(rt.ctx), systemActor, { uses: 3, days: 7 });
  const banned = await member(rt, 'banned');
  await banned.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
  const membersPage = `/groups/${group.id}/members`;
  const ban = await web.submit(membersPage, `${membersPage}/${banned.user.id}/remove`, { ban: 'on' });
  assert.equal(ban.status, 303);
  assert.equal(
    (await web.submit(`/groups/${group.id}/invites`, `/groups/${group.id}/invites`, { uses: '2', days: '3' })).status,
    200,
  );

  for (const locale of ['en', 'ar']) {
    web.acceptLanguage = locale;
    const pages = {
      members: { path: membersPage, rows: 3, action: `${membersPage}/${joiners[0]!.user.id}/remove` },
      bans: { path: `/groups/${group.id}/bans`, rows: 1, action: `/groups/${group.id}/bans/${banned.user.id}/lift` },
      invites: { path: `/groups/${group.id}/invites`, rows: 1, action: '/revoke' },
      users: { path: '/admin/users', rows: 4, action: `/admin/users/${admin.id}/reset-code` },
      siteInvites: { path: '/admin', rows: 1, action: '/revoke' },
    };
    for (const [name, page] of Object.entries(pages)) {
      const response = await web.get(page.path);
      assert.equal(response.status, 200, name);
      assert.doesNotMatch(response.body, /<table/, `${name}: no wide table`);
      assert.match(response.body, /<ul class="row-list" aria-label="[^"]+">/, `${name}: a labelled list`);
      const rows = rowsOf(response.body);
      assert.ok(rows.length >= page.rows, `${name}: ${rows.length} rows`);
      assert.ok(
        rows.some((row) => row.includes(`action="${page.action}`) || row.includes(page.action)),
        `${name}: an action sits in its row`,
      );
    }
    const members = rowsOf((await web.get(membersPage)).body);
    const row = members.find((r) => r.includes(joiners[0]!.user.username))!;
    assert.match(
      row,
      new RegExp(`<bdi dir="auto">${joiners[0]!.user.username}</bdi>`),
      'the name keeps its own direction',
    );
    assert.match(row, /<dl class="row-facts"><div><dt>[^<]+<\/dt><dd>[^<]+<\/dd><\/div>/, 'facts are labelled');
    for (const action of ['/role', '/remove'])
      assert.ok(row.includes(`${membersPage}/${joiners[0]!.user.id}${action}`));
  }
});
