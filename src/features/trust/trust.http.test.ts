import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import type { TrustLevel } from '../../db/schema.js';
import { translator } from '../../i18n/index.js';
import { loadModules } from '../../platform/modules.js';
import { createSession } from '../../security/sessions.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { csrfTokenIn, TestClient } from '../../../test/support/client.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const en = translator('en');
const ar = translator('ar');
const dayMs = 86_400_000;

async function levelOf(userId: string): Promise<{ level: TrustLevel; held: boolean }> {
  const row = await rt.ctx.db
    .selectFrom('users')
    .select(['trust_level', 'trust_set_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return { level: row.trust_level, held: row.trust_set_at !== null };
}

async function trustLog(userId: string) {
  const rows = await rt.ctx.db
    .selectFrom('moderation_log')
    .select(['actor_id', 'action', 'target_user_id', 'reason', 'detail', 'group_id', 'created_at'])
    .where('target_id', '=', userId)
    .orderBy('created_at')
    .execute();
  // Rows of one request share a time: within it, a vouch or a moderator's change comes before the rules' answer.
  const step = (r: { action: string; actor_id: string | null }) =>
    r.action.startsWith('trust.') ? (r.actor_id === null ? 2 : 1) : r.action === 'vouch.withdraw' ? 3 : 0;
  return rows
    .map((r, i) => ({ ...r, i, created_at: undefined, at: Number(r.created_at) }))
    .sort((a, b) => a.at - b.at || step(a) - step(b) || a.i - b.i)
    .map(({ i: _i, at: _at, created_at: _c, ...r }) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}

async function runPromotionJob(): Promise<void> {
  const job = (await loadModules()).flatMap((m) => m.jobs ?? []).find((j) => j.name === 'trust.promote');
  assert.ok(job, 'the trust module declares trust.promote');
  await job.run(serviceContext(rt.ctx), {});
}

/** A public group owned by a trusted member, with the given clients joined, and one thread. */
async function publicGroupWith(...clients: TestClient[]) {
  const owner = await member(rt, 'owner');
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  for (const client of clients) {
    const joined = await client.api('POST', `/api/v1/groups/${group.id}/join`, {});
    assert.ok([200, 201].includes(joined.status), joined.body);
  }
  const { threadId } = await threadIn(owner.api, group.id);
  return { owner, group, threadId };
}

/** An account made through the registration API, as a newcomer would: it starts as `new`. */
async function registered(name: string) {
  const api = new TestClient(rt.app);
  const res = await api.api('POST', '/api/v1/auth/register', {
    username: `${name}_${Math.random().toString(36).slice(2, 7)}`,
    passphrase: 'a quiet river under old olive trees',
  });
  assert.equal(res.status, 201, res.body);
  api.bearer = res.json().token;
  return { api, id: res.json().user.id as string };
}

async function setThresholds(values: Record<string, number>) {
  const { web } = await browserMember(rt, 'admin', { role: 'admin' });
  const current = (await web.get('/admin/trust')).body;
  const field = (name: string) => new RegExp(`name="${name}" value="(\\d+)"`).exec(current)![1]!;
  const names = [
    'memberDays',
    'memberPosts',
    'memberReads',
    'memberVouches',
    'trustedDays',
    'trustedPosts',
    'trustedVouches',
  ];
  const form = Object.fromEntries(names.map((n) => [n, String(values[n] ?? field(n))]));
  const saved = await web.submit('/admin/trust', '/admin/trust/thresholds', form);
  assert.equal(saved.status, 303, saved.body.slice(0, 500));
}

describe('new accounts', () => {
  test('a registered account starts new; its own page says so and what the next level needs, in both languages', async () => {
    const { api, id } = await registered('fresh');
    assert.deepEqual(await levelOf(id), { level: 'new', held: false });
    const me = (await api.get('/api/v1/me/trust')).json();
    assert.equal(me.level, 'new');
    assert.equal(me.held, false);
    assert.deepEqual(me.record, { days: 0, posts: 0, reads: 0, vouches: 0 });
    assert.equal(me.thresholds.memberDays, 3);

    const { web } = await browserMember(rt, 'page', { trust: 'new' });
    const page = await web.get('/account/trust');
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(en('trust.page.levelTitle', { level: en('trust.level.new') })));
    assert.ok(page.body.includes(en('trust.next.memberLead')));
    assert.ok(page.body.includes(en('trust.vouch.onlyTrusted')), 'no vouch form for a new account');
    web.acceptLanguage = 'ar';
    const arabic = await web.get('/account/trust');
    assert.ok(arabic.body.includes(ar('trust.page.levelTitle', { level: ar('trust.level.new') })));
    const account = await web.get('/account');
    assert.ok(account.body.includes('href="/account/trust"'), 'the account page links to it');
  });

  test('a new account starts three threads a day: the fourth answers 429 in its language, and nothing is stored', async () => {
    const { api, id } = await registered('threads');
    const { group, threadId } = await publicGroupWith(api);
    const start = (i: number) =>
      api.api('POST', `/api/v1/groups/${group.id}/threads`, { title: `Question ${i}`, body: 'Hello there' });
    for (let i = 0; i < 3; i++) assert.equal((await start(i)).status, 201);
    const refused = await start(3);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 60 * 60, 'a day, not a minute');
    assert.equal(refused.json().error.code, 'rate_limited');
    assert.equal(refused.json().error.message, en('limit.newcomerThread'));
    api.acceptLanguage = 'ar';
    assert.equal((await start(4)).json().error.message, ar('limit.newcomerThread'));
    api.acceptLanguage = 'en';
    const threads = await rt.ctx.db.selectFrom('posts').select('id').where('author_id', '=', id).execute();
    assert.equal(threads.length, 3);
    // Replies are counted apart.
    assert.equal((await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'A reply' })).status, 201);
  });

  test('a new account writes ten replies a day; the HTML form then answers 429 with the words kept', async () => {
    const { api } = await registered('replies');
    const { threadId } = await publicGroupWith(api);
    for (let i = 0; i < 10; i++)
      assert.equal((await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Reply ${i}` })).status, 201);
    const refused = await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'One too many' });
    assert.equal(refused.status, 429);
    assert.equal(refused.json().error.message, en('limit.newcomerReply'));

    const { web } = await browserMember(rt, 'webnew', { trust: 'new' });
    const place = await publicGroupWith();
    await web.submit(`/groups/${place.group.id}`, `/groups/${place.group.id}/join`, {});
    const token = csrfTokenIn((await web.get(`/threads/${place.threadId}`)).body);
    const reply = () => web.postForm(`/threads/${place.threadId}/posts`, { body: 'Words worth keeping', _csrf: token });
    for (let i = 0; i < 10; i++) assert.equal((await reply()).status, 303);
    const page = await reply();
    assert.equal(page.status, 429);
    assert.ok(page.body.includes(en('limit.newcomerReply').replace(/'/g, '&#x27;')));
    assert.ok(page.body.includes('>Words worth keeping</textarea>'));
  });

  test('members, trusted members and moderators are not held to the newcomer limits', async () => {
    for (const [trust, role] of [
      ['member', 'member'],
      ['new', 'moderator'],
    ] as const) {
      const { api } = await member(rt, 'free', { trust, role });
      const { group } = await publicGroupWith(api);
      for (let i = 0; i < 4; i++) {
        const started = await api.api('POST', `/api/v1/groups/${group.id}/threads`, { title: `T ${i}`, body: 'Hi' });
        assert.equal(started.status, 201, `${trust} ${role}: ${started.body}`);
      }
    }
  });

  test('a new account posts no links: Markdown links, autolinks and bare addresses are refused beside the field', async () => {
    const { api, id } = await registered('links');
    const { threadId } = await publicGroupWith(api);
    for (const body of [
      'Look at https://example.org/page',
      'See <https://example.org>',
      'A [friendly page](http://example.org)',
      'Go to www.example.org today',
      'Just example.org',
      'In code: `https://example.org`',
    ]) {
      const refused = await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body });
      assert.equal(refused.status, 422, body);
      assert.deepEqual(refused.json().error.fields, [{ field: 'body', message: en('trust.links.refused') }], body);
    }
    // Refused threads do not spend the newcomer's three a day (another account: the burst limit counts refusals).
    const other = await registered('refunded');
    const elsewhere = await publicGroupWith(other.api);
    for (let i = 0; i < 4; i++) {
      const thread = await other.api.api('POST', `/api/v1/groups/${elsewhere.group.id}/threads`, {
        title: 'Links',
        body: 'https://example.org',
      });
      assert.equal(thread.status, 422);
    }
    for (let i = 0; i < 3; i++)
      assert.equal(
        (
          await other.api.api('POST', `/api/v1/groups/${elsewhere.group.id}/threads`, {
            title: `Plain ${i}`,
            body: 'No link',
          })
        ).status,
        201,
      );
    assert.equal(
      (await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'No link, 3.5 apples.' })).status,
      201,
    );
    const own = (await rt.ctx.db.selectFrom('posts').select('id').where('author_id', '=', id).executeTakeFirstOrThrow())
      .id;
    const edited = await api.api('PATCH', `/api/v1/posts/${own}`, { body: 'Now with https://example.org' });
    assert.equal(edited.status, 422, 'an edit adding a link is refused too');

    // The HTML form: the message beside the field, the words kept.
    const { web } = await browserMember(rt, 'weblinks', { trust: 'new' });
    const place = await publicGroupWith();
    await web.submit(`/groups/${place.group.id}`, `/groups/${place.group.id}/join`, {});
    const page = await web.submit(`/threads/${place.threadId}`, `/threads/${place.threadId}/posts`, {
      body: 'Read https://example.org please',
    });
    assert.equal(page.status, 422);
    assert.ok(page.body.includes('class="error-message"'));
    assert.ok(page.body.includes(en('trust.links.refused')));
    assert.ok(page.body.includes('Read https://example.org please</textarea>'), 'the words are kept');

    // A member may.
    const { api: full } = await member(rt, 'linker', { trust: 'member' });
    const open = await publicGroupWith(full);
    assert.equal(
      (await full.api('POST', `/api/v1/threads/${open.threadId}/posts`, { body: 'https://example.org' })).status,
      201,
    );
  });

  test('new accounts and members create no groups; trusted members and moderators do', async () => {
    const { api } = await registered('grouper');
    const refused = await api.api('POST', '/api/v1/groups', {
      name: 'A new circle',
      description: 'd',
      languages: ['en'],
      visibility: 'public',
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error.message, en('trust.groups.refused'));
    const { web } = await browserMember(rt, 'webgroup', { trust: 'new' });
    const form = await web.get('/groups/new');
    assert.ok(form.body.includes(en('trust.groups.refused')), 'the form page says so before it is filled in');
    const sent = await web.submit('/groups/new', '/groups', { name: 'Circle', description: 'd', languages: 'en' });
    assert.equal(sent.status, 403);
    assert.ok(sent.body.includes(en('trust.groups.refused')));
    assert.ok(sent.body.includes('value="Circle"'), 'what was typed is kept');
    const body = { name: 'Circle', description: 'd', languages: ['en'], visibility: 'public' };
    assert.equal(
      (await (await member(rt, 'mem', { trust: 'member' })).api.api('POST', '/api/v1/groups', body)).status,
      403,
    );
    assert.equal(
      (await (await member(rt, 'tru', { trust: 'trusted' })).api.api('POST', '/api/v1/groups', body)).status,
      201,
    );
    assert.equal(
      (await (await member(rt, 'mod', { trust: 'new', role: 'moderator' })).api.api('POST', '/api/v1/groups', body))
        .status,
      201,
    );
  });
});

describe('vouches', () => {
  test('a trusted member vouches for a new account, which becomes a member at once; the change is logged', async () => {
    const voucher = await member(rt, 'voucher', { trust: 'trusted' });
    const { api, id } = await registered('vouchee');
    const given = await voucher.api.api('POST', '/api/v1/vouches', { userId: id });
    assert.equal(given.status, 201, given.body);
    assert.equal(given.json().vouch.userId, id);
    assert.deepEqual(await levelOf(id), { level: 'member', held: false });
    const log = await trustLog(id);
    assert.deepEqual(
      log.map((r) => [r.action, r.actor_id, r.target_user_id, r.detail]),
      [
        ['vouch.give', voucher.user.id, null, null],
        ['trust.grant', null, id, { from: 'new', to: 'member', automatic: true }],
      ],
    );
    assert.ok(log.every((r) => r.group_id === null));
    // Again: nothing changes, nothing more is logged.
    assert.equal((await voucher.api.api('POST', '/api/v1/vouches', { userId: id })).status, 201);
    assert.equal((await trustLog(id)).length, 2);
    // The member now posts links.
    const { threadId } = await publicGroupWith(api);
    assert.equal(
      (await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'https://example.org' })).status,
      201,
    );
  });

  test('a vouch is seen by the two people concerned and the instance moderators only', async () => {
    const voucher = await member(rt, 'seen', { trust: 'trusted' });
    const vouchee = await member(rt, 'seenee', { trust: 'member' });
    const third = await member(rt, 'third', { trust: 'trusted' });
    const moderator = await member(rt, 'moder', { role: 'moderator' });
    assert.equal((await voucher.api.api('POST', '/api/v1/vouches', { username: vouchee.user.username })).status, 201);
    const mine = (await voucher.api.get('/api/v1/vouches')).json();
    assert.deepEqual(
      mine.given.map((v: { userId: string }) => v.userId),
      [vouchee.user.id],
    );
    assert.deepEqual(mine.received, []);
    const theirs = (await vouchee.api.get('/api/v1/vouches')).json();
    assert.deepEqual(
      theirs.received.map((v: { username: string }) => v.username),
      [voucher.user.username],
    );
    assert.deepEqual((await third.api.get('/api/v1/vouches')).json(), { given: [], received: [] });
    assert.equal((await third.api.get(`/api/v1/vouches?userId=${vouchee.user.id}`)).status, 404);
    assert.equal((await vouchee.api.get(`/api/v1/vouches?userId=${voucher.user.id}`)).status, 404);
    const reviewed = await moderator.api.get(`/api/v1/vouches?userId=${vouchee.user.id}`);
    assert.equal(reviewed.status, 200);
    assert.deepEqual(
      reviewed.json().received.map((v: { userId: string }) => v.userId),
      [voucher.user.id],
    );
    // Nothing told the vouchee through the moderation log: the vouch row names no one to tell.
    const notices = await rt.ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', vouchee.user.id)
      .execute();
    assert.equal(notices.length, 0);
  });

  test('who may vouch: not a member below trusted, not for oneself, not for a frozen or unknown account', async () => {
    const plain = await member(rt, 'plain', { trust: 'member' });
    const target = await member(rt, 'target', { trust: 'new' });
    const notAllowed = await plain.api.api('POST', '/api/v1/vouches', { userId: target.user.id });
    assert.equal(notAllowed.status, 403);
    assert.equal(notAllowed.json().error.message, en('trust.vouch.notAllowed'));
    const trusted = await member(rt, 'self', { trust: 'trusted' });
    const self = await trusted.api.api('POST', '/api/v1/vouches', { userId: trusted.user.id });
    assert.equal(self.status, 422);
    assert.equal(self.json().error.fields[0].message, en('trust.vouch.notYourself'));
    const unknown = await trusted.api.api('POST', '/api/v1/vouches', { username: 'nobody_by_this_name' });
    assert.equal(unknown.status, 422);
    await rt.ctx.db.updateTable('users').set({ frozen_at: Date.now() }).where('id', '=', target.user.id).execute();
    const frozen = await trusted.api.api('POST', '/api/v1/vouches', { userId: target.user.id });
    assert.equal(frozen.status, 422, 'a frozen account is found by nobody');
  });

  test("a frozen voucher's vouches do not count", async () => {
    await setThresholds({ memberVouches: 2 });
    try {
      const first = await member(rt, 'first', { trust: 'trusted' });
      const second = await member(rt, 'second', { trust: 'trusted' });
      const target = await member(rt, 'twice', { trust: 'new' });
      assert.equal((await first.api.api('POST', '/api/v1/vouches', { userId: target.user.id })).status, 201);
      assert.deepEqual(await levelOf(target.user.id), { level: 'new', held: false }, 'one vouch of two');
      await rt.ctx.db.updateTable('users').set({ frozen_at: Date.now() }).where('id', '=', first.user.id).execute();
      assert.equal((await second.api.api('POST', '/api/v1/vouches', { userId: target.user.id })).status, 201);
      assert.deepEqual(
        await levelOf(target.user.id),
        { level: 'new', held: false },
        'the frozen one counts for nothing',
      );
      await rt.ctx.db.updateTable('users').set({ frozen_at: null }).where('id', '=', first.user.id).execute();
      await runPromotionJob();
      assert.deepEqual(await levelOf(target.user.id), { level: 'member', held: false });
    } finally {
      await setThresholds({ memberVouches: 1 });
    }
  });

  test('a vouch is withdrawn through the API and the HTML page; the level it helped earn stays', async () => {
    const { user: voucher, web } = await browserMember(rt, 'webvoucher', { trust: 'trusted' });
    const target = await member(rt, 'webtarget', { trust: 'new' });
    const form = await web.submit('/account/trust', '/account/trust/vouches', { username: target.user.username });
    assert.equal(form.status, 303);
    assert.equal(form.headers.location, '/account/trust?done=vouched');
    const page = await web.get('/account/trust?done=vouched');
    assert.ok(page.body.includes(en('trust.notice.vouched')));
    assert.ok(page.body.includes(target.user.username));
    assert.ok(page.body.includes(`/account/trust/vouches/${target.user.id}/withdraw`));
    assert.deepEqual(await levelOf(target.user.id), { level: 'member', held: false });

    const refused = await web.submit('/account/trust', '/account/trust/vouches', { username: voucher.username });
    assert.equal(refused.status, 422);
    assert.ok(refused.body.includes(en('trust.vouch.notYourself')));
    assert.ok(refused.body.includes(`value="${voucher.username}"`), 'what was typed is kept');

    const withdrawn = await web.submit('/account/trust', `/account/trust/vouches/${target.user.id}/withdraw`, {});
    assert.equal(withdrawn.status, 303);
    assert.deepEqual((await target.api.get('/api/v1/vouches')).json().received, []);
    assert.deepEqual(await levelOf(target.user.id), { level: 'member', held: false });
    const log = await trustLog(target.user.id);
    assert.deepEqual(
      log.map((r) => r.action),
      ['vouch.give', 'trust.grant', 'vouch.withdraw'],
    );
    const api = (await member(rt, 'apiwithdraw', { trust: 'trusted' })).api;
    assert.equal((await api.api('POST', '/api/v1/vouches', { userId: target.user.id })).status, 201);
    assert.equal((await api.api('DELETE', `/api/v1/vouches/${target.user.id}`)).status, 204);
    assert.equal((await api.api('DELETE', `/api/v1/vouches/${target.user.id}`)).status, 404);
  });
});

describe('moderators set levels', () => {
  test('a moderator withdraws a level with a reason; it holds against the rules until released', async () => {
    const moderator = await member(rt, 'setter', { role: 'moderator' });
    const voucher = await member(rt, 'held_voucher', { trust: 'trusted' });
    const target = await member(rt, 'held', { trust: 'member' });
    assert.equal((await voucher.api.api('POST', '/api/v1/vouches', { userId: target.user.id })).status, 201);

    const withdrawn = await moderator.api.api('POST', `/api/v1/users/${target.user.id}/trust`, {
      level: 'new',
      reason: 'Posted lures in two groups',
    });
    assert.equal(withdrawn.status, 200, withdrawn.body);
    assert.deepEqual(withdrawn.json().user, {
      id: target.user.id,
      username: target.user.username,
      trustLevel: 'new',
      held: true,
    });
    await runPromotionJob();
    assert.deepEqual(await levelOf(target.user.id), { level: 'new', held: true }, 'the vouch does not undo it');
    const me = (await target.api.get('/api/v1/me/trust')).json();
    assert.equal(me.held, true);

    const released = await moderator.api.api('POST', `/api/v1/users/${target.user.id}/trust`, {
      level: 'new',
      reason: 'Cleared after review',
      hold: false,
    });
    assert.equal(released.status, 200);
    assert.deepEqual(released.json().user.trustLevel, 'member', 'the rules raise it again at once');
    assert.equal(released.json().user.held, false);

    const changes = (await trustLog(target.user.id)).filter((r) => r.action.startsWith('trust.'));
    assert.deepEqual(
      changes.map((r) => [r.actor_id, r.reason, r.detail]),
      [
        [moderator.user.id, 'Posted lures in two groups', { from: 'member', to: 'new', automatic: false }],
        [moderator.user.id, 'Cleared after review', { from: 'new', to: 'new', automatic: false }],
        [null, null, { from: 'new', to: 'member', automatic: true }],
      ],
    );
    assert.ok(changes.every((r) => r.target_user_id === target.user.id));
  });

  test('only instance moderators set levels; a reason and a known level are required', async () => {
    const target = await member(rt, 'aim', { trust: 'new' });
    const trusted = await member(rt, 'notmod', { trust: 'trusted' });
    const denied = await trusted.api.api('POST', `/api/v1/users/${target.user.id}/trust`, {
      level: 'trusted',
      reason: 'x',
    });
    assert.equal(denied.status, 403);
    const moderator = await member(rt, 'req', { role: 'admin' });
    const noReason = await moderator.api.api('POST', `/api/v1/users/${target.user.id}/trust`, {
      level: 'trusted',
      reason: '   ',
    });
    assert.equal(noReason.status, 422);
    assert.deepEqual(noReason.json().error.fields, [{ field: 'reason', message: en('trust.set.reasonRequired') }]);
    const badLevel = await moderator.api.api('POST', `/api/v1/users/${target.user.id}/trust`, {
      level: 'moderator',
      reason: 'x',
    });
    assert.equal(badLevel.status, 422);
    const missing = await moderator.api.api('POST', '/api/v1/users/no_such_account/trust', {
      level: 'member',
      reason: 'x',
    });
    assert.equal(missing.status, 404);
    assert.deepEqual(await levelOf(target.user.id), { level: 'new', held: false });
    assert.deepEqual(await trustLog(target.user.id), []);
  });

  test('the HTML page: a moderator looks an account up and grants a level; members are kept out', async () => {
    const { web } = await browserMember(rt, 'webmod', { role: 'moderator' });
    const target = await member(rt, 'granted', { trust: 'member' });
    const page = await web.get(`/admin/trust?username=${target.user.username}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(en('trust.admin.current', { level: en('trust.level.member') })));
    assert.ok(!page.body.includes('action="/admin/trust/thresholds"'), 'thresholds are for administrators');
    const set = await web.submit('/admin/trust', '/admin/trust/level', {
      username: target.user.username,
      level: 'trusted',
      reason: 'Known to the organisers for years',
      hold: 'on',
    });
    assert.equal(set.status, 303, set.body.slice(0, 400));
    assert.deepEqual(await levelOf(target.user.id), { level: 'trusted', held: true });
    const again = await web.submit('/admin/trust', '/admin/trust/level', {
      username: target.user.username,
      level: 'new',
      reason: '',
    });
    assert.equal(again.status, 422);
    assert.ok(again.body.includes(en('trust.set.reasonRequired')));

    const { web: admin } = await browserMember(rt, 'webadmin', { role: 'admin' });
    const accounts = await admin.get(`/admin/users?q=${encodeURIComponent(target.user.username)}`);
    assert.ok(accounts.body.includes(`href="/admin/trust?username=${encodeURIComponent(target.user.username)}"`));

    const { web: plain } = await browserMember(rt, 'webplain', { trust: 'trusted' });
    assert.equal((await plain.get('/admin/trust')).status, 404);
  });
});

describe('the hourly job', () => {
  test('promotes by days and taking part, never lowers, and logs each change', async () => {
    await setThresholds({ memberDays: 3, memberPosts: 3, trustedDays: 30, trustedPosts: 4, trustedVouches: 2 });
    const { api, id } = await registered('patient');
    const { threadId } = await publicGroupWith(api);
    for (let i = 0; i < 4; i++)
      assert.equal((await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Reply ${i}` })).status, 201);
    const quiet = await registered('quiet');
    const stays = await member(rt, 'stays', { trust: 'trusted' });

    await runPromotionJob();
    assert.deepEqual(await levelOf(id), { level: 'new', held: false }, 'not before three days');

    rt.advance(3 * dayMs + 1000);
    await runPromotionJob();
    assert.deepEqual(await levelOf(id), { level: 'member', held: false });
    assert.deepEqual(await levelOf(quiet.id), { level: 'new', held: false }, 'time alone is not enough');
    assert.deepEqual(await levelOf(stays.user.id), { level: 'trusted', held: false });

    rt.advance(30 * dayMs);
    await runPromotionJob();
    assert.deepEqual(await levelOf(id), { level: 'member', held: false }, 'trusted needs two vouches');
    for (const name of ['v1', 'v2']) {
      const voucher = await member(rt, name, { trust: 'trusted' });
      assert.equal((await voucher.api.api('POST', '/api/v1/vouches', { userId: id })).status, 201);
    }
    assert.deepEqual(await levelOf(id), { level: 'trusted', held: false }, 'checked after the vouch');
    await runPromotionJob();
    const changes = (await trustLog(id)).filter((r) => r.action.startsWith('trust.'));
    assert.deepEqual(
      changes.map((r) => [r.actor_id, r.detail]),
      [
        [null, { from: 'new', to: 'member', automatic: true }],
        [null, { from: 'member', to: 'trusted', automatic: true }],
      ],
    );
    // A trusted member may now vouch and create groups.
    // Its session went idle while the clock moved on: a new one.
    const fresh = new TestClient(rt.app);
    fresh.bearer = (await createSession(serviceContext(rt.ctx), id, 'Test · Linux')).token;
    assert.equal(
      (
        await fresh.api('POST', '/api/v1/groups', {
          name: 'Mine',
          description: 'd',
          languages: ['en'],
          visibility: 'public',
        })
      ).status,
      201,
    );
  });
});
