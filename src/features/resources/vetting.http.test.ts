import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serviceContext, type ServiceContext } from '../../app-context.js';
import { translator } from '../../i18n/index.js';
import { loadModules } from '../../platform/modules.js';
import { TestClient } from '../../../test/support/client.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createListing } from '../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { asMember } from '../../../test/support/seed.js';
import type { ListingVisibility } from './policy.js';
import { correctionLimits } from './services/corrections.js';
import { isoDay, queueLapsedVerifications, readVerification, verifyListing } from './services/verification.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const en = translator('en');
const ar = translator('ar');
const dayMs = 86_400_000;
/** A fixed clock for the services: 15 March 2026, noon UTC. */
const t0 = Date.UTC(2026, 2, 15, 12);
const at = (now: number): ServiceContext => ({ ...serviceContext(rt.ctx), now });

async function keeper(role: 'moderator' | 'admin' = 'moderator') {
  return member(rt, role, { role });
}

async function casesAbout(serviceId: string) {
  return rt.ctx.db
    .selectFrom('moderation_cases as c')
    .innerJoin('reports as r', 'r.case_id', 'c.id')
    .select(['c.id', 'c.status', 'c.group_id', 'r.reason', 'r.reporter_id'])
    .where('c.target_type', '=', 'resource')
    .where('c.target_id', '=', serviceId)
    .execute();
}

async function logAbout(serviceId: string) {
  return rt.ctx.db
    .selectFrom('moderation_log')
    .select(['action', 'actor_id', 'reason', 'target_type', 'group_id'])
    .where('target_id', '=', serviceId)
    .orderBy('created_at')
    .execute();
}

describe('who may do what, over HTTP', () => {
  type Who = 'visitor' | 'member' | 'groupMember' | 'moderator' | 'admin';
  const visibilities: ListingVisibility[] = ['public', 'members', 'group'];
  const clients = {} as Record<Who, TestClient>;
  const listings = {} as Record<ListingVisibility, string>;

  before(async () => {
    clients.visitor = new TestClient(rt.app);
    clients.member = (await member(rt, 'reader', { trust: 'member' })).api;
    const owner = await member(rt, 'owner');
    clients.groupMember = owner.api;
    clients.moderator = (await keeper('moderator')).api;
    clients.admin = (await keeper('admin')).api;
    const group = await createGroupAs(owner.api, { visibility: 'private' });
    for (const visibility of visibilities)
      listings[visibility] = (
        await createListing(rt, { service: { visibility, group_id: visibility === 'group' ? group.id : null } })
      ).serviceId;
  });

  const keepers = (who: Who) => who === 'moderator' || who === 'admin';
  const reads = (who: Who, v: ListingVisibility) =>
    v === 'public' || (who !== 'visitor' && (v === 'members' || who === 'groupMember' || keepers(who)));

  test('reading a verification: whoever may read the listing; 404 for the rest', async () => {
    for (const who of Object.keys(clients) as Who[])
      for (const v of visibilities) {
        const res = await clients[who].get(`/api/v1/resources/${listings[v]}/verification`);
        assert.equal(res.status, reads(who, v) ? 200 : 404, `${who}, ${v}`);
      }
  });

  test('verifying: keepers only; members are refused, visitors asked to sign in', async () => {
    for (const who of Object.keys(clients) as Who[])
      for (const v of visibilities) {
        const res = await clients[who].api('PUT', `/api/v1/resources/${listings[v]}/verification`, {
          method: 'visited',
        });
        assert.equal(res.status, keepers(who) ? 200 : who === 'visitor' ? 401 : 403, `${who}, ${v}: ${res.body}`);
        const page = await clients[who].get(`/resources/${listings[v]}/verify`);
        if (keepers(who)) assert.equal(page.status, 200, `${who}, ${v}`);
        else assert.notEqual(page.status, 200, `${who}, ${v}`);
        if (who === 'member' || who === 'groupMember') assert.equal(page.status, 404, `${who}, ${v}`);
      }
  });

  test('correcting: signed-in readers of the listing; 404 for members who may not read it', async () => {
    for (const who of Object.keys(clients) as Who[])
      for (const v of visibilities) {
        const res = await clients[who].api('POST', `/api/v1/resources/${listings[v]}/corrections`, {
          reason: 'outdated',
          note: 'The clinic moved.',
        });
        const expected = who === 'visitor' ? 401 : reads(who, v) ? 201 : 404;
        assert.equal(res.status, expected, `${who}, ${v}: ${res.body}`);
        const page = await clients[who].get(`/resources/${listings[v]}/correct`);
        if (who === 'visitor') assert.notEqual(page.status, 200);
        else assert.equal(page.status, reads(who, v) ? 200 : 404, `${who}, ${v}`);
      }
  });

  test('the corrections queue and the setting: keepers and administrators only', async () => {
    for (const who of Object.keys(clients) as Who[]) {
      const queue = await clients[who].get('/api/v1/resources/corrections');
      assert.equal(queue.status, keepers(who) ? 200 : who === 'visitor' ? 401 : 404, who);
      const settings = await clients[who].get('/api/v1/admin/resources');
      assert.equal(settings.status, who === 'admin' ? 200 : who === 'visitor' ? 401 : 404, who);
      const change = await clients[who].api('PUT', '/api/v1/admin/resources', { verificationMonths: 12 });
      assert.equal(change.status, who === 'admin' ? 200 : who === 'visitor' ? 401 : 403, who);
    }
  });
});

describe('verification', () => {
  test('a keeper marks a listing on its page, with the date and how; members see neither who nor the note', async () => {
    const { serviceId } = await createListing(rt);
    const mod = await browserMember(rt, 'keeper', { role: 'moderator' });
    const yesterday = isoDay(Date.now() - dayMs);
    const res = await mod.web.submit(`/resources/${serviceId}/verify`, `/resources/${serviceId}/verify`, {
      date: yesterday,
      method: 'vouched',
      note: 'Vouched for by two members we know well',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/resources/${serviceId}/verify?done=verified`);
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['verified_at', 'verified_method', 'verified_note', 'verified_by'])
      .where('id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.verified_at), Date.parse(`${yesterday}T00:00:00Z`));
    assert.equal(row.verified_method, 'vouched');
    assert.equal(row.verified_note, 'Vouched for by two members we know well');
    assert.equal(row.verified_by, mod.user.id);
    assert.deepEqual(
      (await logAbout(serviceId)).map((r) => [r.action, r.actor_id, r.target_type, r.group_id]),
      [['resource.verify', mod.user.id, 'resource', null]],
    );
    const page = await mod.web.get(`/resources/${serviceId}/verify?done=verified`);
    assert.match(page.body, /Verified LGBTQ-affirming/);
    assert.match(page.body, /members vouched for it to the moderators, by name/);
    assert.match(page.body, /Vouched for by two members we know well/);

    const reader = await member(rt, 'reader');
    const answer = await reader.api.get(`/api/v1/resources/${serviceId}/verification`);
    assert.equal(answer.status, 200);
    const { verification } = answer.json();
    assert.equal(verification.freshness, 'verified');
    assert.equal(verification.method, 'vouched');
    assert.ok(!answer.body.includes(mod.user.id) && !answer.body.includes(mod.user.username));
    assert.ok(!answer.body.includes('two members we know'));
  });

  test('withdrawing needs a reason, clears the mark and is logged', async () => {
    const { serviceId } = await createListing(rt);
    const mod = await keeper();
    assert.equal(
      (await mod.api.api('PUT', `/api/v1/resources/${serviceId}/verification`, { method: 'statement' })).status,
      200,
    );
    const noReason = await mod.api.api('DELETE', `/api/v1/resources/${serviceId}/verification`, { reason: ' ' });
    assert.equal(noReason.status, 422);
    assert.equal(noReason.json().error.fields[0].field, 'reason');
    const res = await mod.api.api('DELETE', `/api/v1/resources/${serviceId}/verification`, {
      reason: 'Staff changed; no longer safe',
    });
    assert.equal(res.status, 204);
    const again = await mod.api.api('DELETE', `/api/v1/resources/${serviceId}/verification`, { reason: 'twice' });
    assert.equal(again.status, 409);
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['verified_at', 'verified_method', 'verified_note', 'verified_by'])
      .where('id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...row, verified_at: row.verified_at },
      {
        verified_at: null,
        verified_method: null,
        verified_note: null,
        verified_by: null,
      },
    );
    const log = await logAbout(serviceId);
    assert.deepEqual(
      log.map((r) => [r.action, r.reason]),
      [
        ['resource.verify', null],
        ['resource.unverify', 'Staff changed; no longer safe'],
      ],
    );
    const status = (await mod.api.get(`/api/v1/resources/${serviceId}/verification`)).json().verification;
    assert.equal(status.freshness, 'unverified');
    // The instance's moderation log names both actions in words.
    const logged = await mod.api.get('/api/v1/moderation/log');
    assert.equal(logged.status, 200);
    assert.ok(logged.body.includes(en('moderation.action.resource_verify')));
    assert.ok(logged.body.includes(en('moderation.action.resource_unverify')));
  });

  test('the mark lapses after the months set, on a fixed clock', async () => {
    const { serviceId } = await createListing(rt);
    const mod = await keeper();
    await verifyListing(at(t0), asMember(mod.user), serviceId, { method: 'visited' });
    const reader = asMember((await member(rt, 'reader')).user);
    const read = async (now: number) => (await readVerification(at(now), reader, serviceId))!.verification;
    const fresh = await read(t0 + 364 * dayMs);
    assert.equal(fresh.freshness, 'verified');
    assert.equal(fresh.verifiedAt, Date.UTC(2026, 2, 15));
    assert.equal(fresh.lapsesAt, Date.UTC(2027, 2, 15));
    assert.equal((await read(Date.UTC(2027, 2, 14, 23, 59))).freshness, 'verified');
    assert.equal((await read(Date.UTC(2027, 2, 15))).freshness, 'stale');
  });

  test('a date in the future, a date that does not exist or an unknown method are refused, in the reader’s language', async () => {
    const { serviceId } = await createListing(rt);
    const mod = await keeper();
    mod.api.acceptLanguage = 'ar';
    const tomorrow = isoDay(Date.now() + dayMs);
    const future = await mod.api.api('PUT', `/api/v1/resources/${serviceId}/verification`, {
      method: 'visited',
      date: tomorrow,
    });
    assert.equal(future.status, 422);
    assert.deepEqual(future.json().error.fields, [
      { field: 'date', message: ar('resources.vetting.verify.dateFuture') },
    ]);
    const bad = await mod.api.api('PUT', `/api/v1/resources/${serviceId}/verification`, {
      method: 'guessed',
      date: '2025-02-30',
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.json().error.fields.map((f: { field: string }) => f.field),
      ['date', 'method'],
    );
    assert.equal(bad.json().error.fields[1].message, ar('resources.vetting.verify.methodRequired'));

    const web = await browserMember(rt, 'keeper', { role: 'moderator' });
    web.web.acceptLanguage = 'ar';
    const page = await web.web.submit(`/resources/${serviceId}/verify`, `/resources/${serviceId}/verify`, {
      date: tomorrow,
      method: '',
    });
    assert.equal(page.status, 422);
    assert.match(page.body, /class="error-summary"/);
    assert.ok(page.body.includes(ar('resources.vetting.verify.dateFuture')));
    assert.ok(page.body.includes(ar('resources.vetting.verify.methodRequired')));
  });

  test('changing the months applies at once, and only administrators change it', async () => {
    const { serviceId } = await createListing(rt);
    const mod = await keeper();
    const sevenMonthsAgo = isoDay(Date.now() - 7 * 31 * dayMs);
    await mod.api.api('PUT', `/api/v1/resources/${serviceId}/verification`, {
      method: 'visited',
      date: sevenMonthsAgo,
    });
    const freshness = async () =>
      (await mod.api.get(`/api/v1/resources/${serviceId}/verification`)).json().verification.freshness;
    assert.equal(await freshness(), 'verified');

    const admin = await browserMember(rt, 'admin', { role: 'admin' });
    const saved = await admin.web.submit('/admin/resources', '/admin/resources', { months: '6' });
    assert.equal(saved.status, 303);
    assert.equal(await freshness(), 'stale');
    const page = await mod.api.get(`/resources/${serviceId}/verify`);
    assert.match(page.body, /it may no longer be true/);

    const refused = await admin.web.submit('/admin/resources', '/admin/resources', { months: 'twelve' });
    assert.equal(refused.status, 422);
    assert.ok(refused.body.includes(en('resources.vetting.settings.monthsInvalid', { min: 1, max: 60 })));
    const outOfRange = await admin.web.request('PUT', '/api/v1/admin/resources', { json: { verificationMonths: 0 } });
    assert.notEqual(outOfRange.status, 200);
    assert.equal(outOfRange.status < 500, true);

    const api = (await keeper('admin')).api;
    assert.equal((await api.api('PUT', '/api/v1/admin/resources', { verificationMonths: 12 })).status, 200);
    assert.deepEqual((await api.get('/api/v1/admin/resources')).json(), { verificationMonths: 12 });
    assert.equal(await freshness(), 'verified');
  });
});

describe('the daily lapse job', () => {
  test('puts each lapsed listing in the queue once, and again only after a new mark lapses', async () => {
    const job = (await loadModules()).flatMap((m) => m.jobs ?? []).find((j) => j.name === 'resources.requeueLapsed');
    assert.ok(job, 'the resources module declares resources.requeueLapsed');
    assert.ok(job.everyMs && job.everyMs <= dayMs);

    const { serviceId } = await createListing(rt);
    const { serviceId: freshOne } = await createListing(rt);
    const mod = asMember((await keeper()).user);
    await verifyListing(at(t0), mod, serviceId, { method: 'visited' });
    await verifyListing(at(t0 + 200 * dayMs), mod, freshOne, { method: 'statement' });

    const lapsed = t0 + 370 * dayMs;
    // The job as the runner calls it, on a fixed clock.
    await job.run(at(lapsed), {});
    const cases = await casesAbout(serviceId);
    assert.equal(cases.length, 1);
    assert.deepEqual(
      {
        status: cases[0]!.status,
        reason: cases[0]!.reason,
        reporter: cases[0]!.reporter_id,
        group: cases[0]!.group_id,
      },
      { status: 'open', reason: 'verification_lapsed', reporter: null, group: null },
    );
    assert.equal((await casesAbout(freshOne)).length, 0);

    // Idempotent: the next day, and after a keeper closed the case without acting, nothing is asked twice.
    assert.ok(!(await queueLapsedVerifications(at(lapsed + dayMs))).includes(serviceId));
    await rt.ctx.db
      .updateTable('moderation_cases')
      .set({ status: 'resolved', resolved_at: lapsed })
      .where('target_id', '=', serviceId)
      .execute();
    assert.ok(!(await queueLapsedVerifications(at(lapsed + 2 * dayMs))).includes(serviceId));
    assert.equal((await casesAbout(serviceId)).length, 1);

    // A new mark, given later, lapses in its turn and is asked about again.
    await verifyListing(at(lapsed + 3 * dayMs), mod, serviceId, { method: 'visited' });
    assert.ok((await queueLapsedVerifications(at(lapsed + 400 * dayMs))).includes(serviceId));
    assert.equal((await casesAbout(serviceId)).filter((c) => c.status === 'open').length, 1);
  });

  test('verifying again closes the lapse case, but not a case members opened', async () => {
    const { serviceId } = await createListing(rt);
    const mod = asMember((await keeper()).user);
    await verifyListing(at(t0), mod, serviceId, { method: 'visited' });
    await queueLapsedVerifications(at(t0 + 400 * dayMs));
    assert.equal((await casesAbout(serviceId))[0]!.status, 'open');
    await verifyListing(at(t0 + 401 * dayMs), mod, serviceId, { method: 'visited' });
    assert.equal((await casesAbout(serviceId))[0]!.status, 'resolved');
    const log = await rt.ctx.db
      .selectFrom('moderation_log')
      .select(['action', 'case_id'])
      .where('target_id', '=', serviceId)
      .orderBy('created_at')
      .execute();
    assert.equal(log.at(-1)!.case_id, (await casesAbout(serviceId))[0]!.id);

    // A member's report merged into the lapse case keeps it open for a moderator's own answer.
    await queueLapsedVerifications(at(t0 + 900 * dayMs));
    const reporter = (await member(rt, 'reporter')).user;
    const open = (await casesAbout(serviceId)).find((c) => c.status === 'open')!;
    await rt.ctx.db
      .insertInto('reports')
      .values({
        id: `r${open.id}`,
        case_id: open.id,
        reporter_id: reporter.id,
        reason: 'other',
        note: null,
        created_at: t0,
      })
      .execute();
    await verifyListing(at(t0 + 901 * dayMs), mod, serviceId, { method: 'visited' });
    // Both reports of the case (Sanad's and the member's) are still on an open case.
    assert.deepEqual(
      (await casesAbout(serviceId)).filter((c) => c.id === open.id).map((c) => c.status),
      ['open', 'open'],
    );
  });
});

describe('corrections', () => {
  test('anonymous: no account stored, the keyed hash and sealed id only; erased with the account', async () => {
    const { serviceId } = await createListing(rt);
    const author = await member(rt, 'anon');
    const res = await author.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'wrong',
      anonymous: true,
      proposed: { phone: '+961 1 234 567' },
    });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.json().correction.anonymous, true);
    const row = await rt.ctx.db
      .selectFrom('resource_corrections')
      .selectAll()
      .where('id', '=', res.json().correction.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.author_id, null);
    assert.equal(row.anonymous, 1);
    assert.ok(row.author_ref && row.author_box);
    assert.ok(!JSON.stringify(row).includes(author.user.id));

    const named = await author.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      note: 'Closed on Fridays now',
    });
    assert.equal(named.status, 201);

    const deleted = await author.api.api('DELETE', '/api/v1/me', { current: author.user.passphrase });
    assert.equal(deleted.status, 204, deleted.body);
    const left = await rt.ctx.db
      .selectFrom('resource_corrections')
      .select('id')
      .where('id', 'in', [res.json().correction.id, named.json().correction.id])
      .execute();
    assert.deepEqual(left, []);
  });

  test('the page works without script, says what anonymity means, and sends', async () => {
    const { serviceId } = await createListing(rt);
    const author = await browserMember(rt, 'web');
    const page = await author.web.get(`/resources/${serviceId}/correct`);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('Either way, moderators never see who sent a correction.'));
    assert.ok(page.body.includes('Anonymously, it is stored without the account'));
    assert.match(page.body, /<form method="post" action="\/resources\/[\w-]+\/correct"/);
    const res = await author.web.submit(`/resources/${serviceId}/correct`, `/resources/${serviceId}/correct`, {
      reason: 'outdated',
      note: '',
      name: 'Legal clinic (new name)',
      anonymous: 'on',
    });
    assert.equal(res.status, 303);
    const sent = await author.web.get(res.headers.location as string);
    assert.ok(sent.body.includes(en('resources.vetting.correct.sent')));
    const row = await rt.ctx.db
      .selectFrom('resource_corrections')
      .select(['author_id', 'anonymous', 'proposed'])
      .where('service_id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { author_id: null, anonymous: 1, proposed: '{"name":"Legal clinic (new name)"}' });

    author.web.acceptLanguage = 'ar';
    const refused = await author.web.submit(`/resources/${serviceId}/correct`, `/resources/${serviceId}/correct`, {
      reason: 'other',
      url: 'javascript:alert(1)',
      email: 'not an email',
      phone: 'call us',
    });
    assert.equal(refused.status, 422);
    for (const key of [
      'resources.vetting.correct.urlInvalid',
      'resources.vetting.correct.emailInvalid',
      'resources.vetting.correct.phoneInvalid',
    ] as const)
      assert.ok(refused.body.includes(ar(key)), key);
    // What was written is kept.
    assert.match(refused.body, /value="call us"/);
  });

  test('the queue lists open corrections oldest first and never who sent them', async () => {
    const { serviceId } = await createListing(rt, {
      address: { address_1: 'Hidden street 4', city: 'Beirut', country: 'LB', confidential: true },
      phones: [{ number: '+961 1 000 000', confidential: true }],
    });
    const named = await member(rt, 'named');
    const first = await named.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      note: 'First one',
      proposed: { address: 'Secret street 9', phone: '+961 1 999 999', name: 'Renamed clinic' },
    });
    rt.advance(1000);
    const second = await named.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'closed',
      note: 'Second one',
    });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    const mod = await keeper();
    const queue = await mod.api.get('/api/v1/resources/corrections');
    assert.equal(queue.status, 200);
    const mine = queue
      .json()
      .corrections.filter((c: { serviceId: string }) => c.serviceId === serviceId)
      .map((c: { id: string }) => c.id);
    assert.deepEqual(mine, [first.json().correction.id, second.json().correction.id]);
    for (const leak of [named.user.id, named.user.username, 'author', 'Secret street', '999 999'])
      assert.ok(!queue.body.includes(leak), leak);
    const firstItem = queue.json().corrections.find((c: { id: string }) => c.id === first.json().correction.id);
    assert.deepEqual(firstItem.proposed, { name: 'Renamed clinic' });

    const web = await browserMember(rt, 'keeper', { role: 'moderator' });
    const page = await web.web.get('/resources/corrections');
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(named.user.username));
    assert.ok(page.body.includes('Secret street 9'), 'keepers read the proposed address on the page');
    assert.ok(page.body.includes(en('resources.vetting.queue.confidential')));
  });

  test('accepting applies the fix to the HSDS records, sets assured_date and is logged', async () => {
    const { serviceId } = await createListing(rt, {
      address: { address_1: 'Old street 1', city: 'Beirut', country: 'LB' },
      phones: [{ number: '+961 1 111 111' }],
    });
    const author = await member(rt, 'fixer');
    const sent = await author.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      proposed: {
        name: 'Legal aid collective',
        description: 'Free legal advice and arrest support',
        phone: '+961 1 222 222',
        address: 'New street 2',
        city: 'Tripoli',
        url: 'https://legal.example.org',
        email: 'help@legal.example.org',
        hours: 'Mon–Fri 10–16',
      },
    });
    assert.equal(sent.status, 201, sent.body);
    const id = sent.json().correction.id;
    const web = await browserMember(rt, 'keeper', { role: 'moderator' });
    const decided = await web.web.submit('/resources/corrections', `/resources/corrections/${id}/decision`, {
      decision: 'accept',
      reason: 'Checked by phone',
    });
    assert.equal(decided.status, 303);
    assert.equal(decided.headers.location, '/resources/corrections?done=accepted');

    const db = rt.ctx.db;
    const service = await db
      .selectFrom('resource_services')
      .selectAll()
      .where('id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.equal(service.name, 'Legal aid collective');
    assert.equal(service.description, 'Free legal advice and arrest support');
    assert.equal(service.url, 'https://legal.example.org');
    assert.equal(service.email, 'help@legal.example.org');
    assert.equal(service.city, 'Tripoli');
    assert.equal(service.assured_date, isoDay(Date.now()));
    assert.ok(service.last_modified && Date.parse(service.last_modified) > Date.now() - 60_000);
    assert.match(service.search_text, / legal aid collective /);
    const phones = await db
      .selectFrom('resource_phones')
      .select('number')
      .where('service_id', '=', serviceId)
      .execute();
    assert.deepEqual(phones, [{ number: '+961 1 222 222' }]);
    const address = await db
      .selectFrom('resource_service_at_locations as sal')
      .innerJoin('resource_addresses as a', 'a.location_id', 'sal.location_id')
      .select(['a.address_1', 'a.city'])
      .where('sal.service_id', '=', serviceId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(address, { address_1: 'New street 2', city: 'Tripoli' });
    const correction = await db
      .selectFrom('resource_corrections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(correction.status, 'accepted');
    assert.equal(correction.decided_by, web.user.id);
    assert.equal(correction.proposed, null, 'the words leave once decided');
    assert.deepEqual(
      (await logAbout(serviceId)).map((r) => [r.action, r.reason]),
      [['resource.correction_accept', 'Checked by phone']],
    );

    const verifyPage = await web.web.get(`/resources/${serviceId}/verify`);
    assert.match(verifyPage.body, /Information last checked on /);

    const twice = await web.web.submit('/resources/corrections', `/resources/corrections/${id}/decision`, {
      decision: 'decline',
    });
    assert.equal(twice.status, 409);
  });

  test('accepting a phone for a listing with none adds one; declining changes nothing', async () => {
    const { serviceId } = await createListing(rt);
    const author = await member(rt, 'fixer');
    const mod = await keeper();
    const phone = await author.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      proposed: { phone: '٠١ ٢٣٤ ٥٦٧' },
    });
    const decided = await mod.api.api('POST', `/api/v1/resources/corrections/${phone.json().correction.id}/decision`, {
      decision: 'accept',
    });
    assert.equal(decided.status, 200, decided.body);
    assert.deepEqual(decided.json().correction.applied, ['phone']);
    assert.deepEqual(
      await rt.ctx.db.selectFrom('resource_phones').select('number').where('service_id', '=', serviceId).execute(),
      [{ number: '٠١ ٢٣٤ ٥٦٧' }],
    );

    const { serviceId: other } = await createListing(rt);
    const wrong = await author.api.api('POST', `/api/v1/resources/${other}/corrections`, {
      reason: 'wrong',
      proposed: { name: 'Spam name' },
    });
    const declined = await mod.api.api('POST', `/api/v1/resources/corrections/${wrong.json().correction.id}/decision`, {
      decision: 'decline',
      reason: 'Not right',
    });
    assert.equal(declined.status, 200);
    assert.equal(declined.json().correction.status, 'declined');
    const service = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['name', 'assured_date'])
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    assert.deepEqual(service, { name: 'Legal clinic', assured_date: null });
    assert.deepEqual(
      (await logAbout(other)).map((r) => [r.action, r.reason]),
      [['resource.correction_decline', 'Not right']],
    );
    const unknown = await mod.api.api('POST', `/api/v1/resources/corrections/${wrong.json().correction.id}/decision`, {
      decision: 'maybe',
    });
    assert.equal(unknown.status, 422);
  });

  test('new accounts send a few a day, the rest more; anonymous ones count too', async () => {
    const { serviceId } = await createListing(rt);
    const newcomer = await member(rt, 'new', { trust: 'new' });
    for (let i = 0; i < correctionLimits.perDayNewcomer; i++) {
      const res = await newcomer.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
        reason: 'outdated',
        note: `note ${i}`,
        anonymous: i % 2 === 0,
      });
      assert.equal(res.status, 201, res.body);
    }
    const refused = await newcomer.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      note: 'one more',
      anonymous: true,
    });
    assert.equal(refused.status, 429);
    assert.equal(refused.json().error.message, en('resources.vetting.correct.limit'));
  });

  test('bad input is refused, never a crash', async () => {
    const { serviceId } = await createListing(rt);
    const author = await member(rt, 'odd');
    author.api.acceptLanguage = 'ar';
    const cases: [string, unknown][] = [
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'outdated' }],
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'nonsense', note: 'x' }],
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'other', proposed: { name: 'x' } }],
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'wrong', proposed: { colour: 'red' } }],
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'wrong', proposed: 'not an object' }],
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'wrong', note: 'x'.repeat(3000) }],
      [`/api/v1/resources/${serviceId}/corrections`, { reason: 'wrong', anonymous: 'yes', note: 'x' }],
      [`/api/v1/resources/${serviceId}/corrections`, []],
      ['/api/v1/resources/not%20an%20id/corrections', { reason: 'wrong', note: 'x' }],
      ['/api/v1/resources/00000000-0000-0000-0000-000000000000/corrections', { reason: 'wrong', note: 'x' }],
    ];
    for (const [url, body] of cases) {
      const res = await author.api.api('POST', url, body);
      assert.ok(res.status >= 400 && res.status < 500, `${url} ${JSON.stringify(body)}: ${res.status} ${res.body}`);
    }
    const empty = await author.api.api('POST', `/api/v1/resources/${serviceId}/corrections`, { reason: 'outdated' });
    assert.equal(empty.status, 422);
    assert.equal(empty.json().error.fields[0].message, ar('resources.vetting.correct.empty'));
    const mod = await keeper();
    for (const [method, url, body] of [
      ['PUT', `/api/v1/resources/${serviceId}/verification`, { method: 'visited', date: '15/03/2026' }],
      ['PUT', `/api/v1/resources/${serviceId}/verification`, { method: 'visited', date: '1999-12-31' }],
      ['PUT', `/api/v1/resources/${serviceId}/verification`, { method: 7 }],
      ['DELETE', `/api/v1/resources/${serviceId}/verification`, {}],
      ['POST', '/api/v1/resources/corrections/nope/decision', { decision: 'accept' }],
      ['GET', '/api/v1/resources/corrections?after=garbage', undefined],
    ] as const) {
      const res = await mod.api.api(method, url, body);
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${url}: ${res.status} ${res.body}`);
    }
    const html = await browserMember(rt, 'keeper', { role: 'moderator' });
    const odd = await html.web.submit('/resources/corrections', '/resources/corrections/nope/decision', {
      decision: 'accept',
    });
    assert.equal(odd.status, 404);
  });
});
