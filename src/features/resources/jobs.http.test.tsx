// Job postings and crisis lines (ADR 0058) through the pages and the API, on both engines: a keeper's
// posting is published and logged, a member's waits for review; the form refuses beside each field in
// the reader's language and keeps what was written; expired postings leave the list and the API, and
// the daily clean-up deletes only those expired more than 90 days ago. Crisis lines follow the country
// the member chose (cookie or link), never another country's, and never a listing the reader may not
// read; every page's footer links to them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { createListing, termIds } from '../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { serviceContext } from '../../app-context.js';
import { formatDate, formatNumber, formatDateTime, translator } from '../../i18n/index.js';
import { viewContext, type ViewContext } from '../../views/context.js';
import { resourceJobs } from './background.js';
import { dayMs } from './jobs-schemas.js';
import { JobDetails } from './jobs-views.js';
import { dayOf, notExpiredJob } from './services/jobs.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const keeper = () => member(rt, 'keeper', { role: 'moderator' });

const job = (overrides: Record<string, unknown> = {}) => ({
  title: 'Community organiser',
  organizationName: 'Helm',
  description: 'Organise support circles across Beirut.',
  country: 'LB',
  city: 'Beirut',
  applyUrl: 'https://jobs.example.org/organiser',
  inclusionStatement: 'We are an LGBTQ+ led organisation and welcome trans applicants.',
  ...overrides,
});

const listed = async (client: TestClient) => {
  const response = await client.get('/api/v1/resources/jobs');
  assert.equal(response.status, 200);
  return (response.json().jobs as { id: string; title: string }[]).map((j) => j.id);
};

describe('posting a job', () => {
  test("a keeper's posting is published at once, tagged, searchable and logged", async () => {
    const k = await keeper();
    const response = await k.api.api('POST', '/api/v1/resources/jobs', job());
    assert.equal(response.status, 201, response.body);
    const posted = response.json().job;
    assert.equal(posted.reviewState, 'published');
    assert.equal(posted.title, 'Community organiser');
    assert.equal(posted.organization.name, 'Helm');
    assert.equal(posted.remote, false);
    // Sixty days by default.
    assert.ok(Math.abs(posted.expiresAt - (rt.ctx.now() + 60 * dayMs)) < 60_000);
    assert.deepEqual(
      Object.keys(posted).sort(),
      [
        'applyContact',
        'applyUrl',
        'city',
        'country',
        'createdAt',
        'description',
        'expiresAt',
        'groupId',
        'id',
        'inclusionStatement',
        'language',
        'organization',
        'remote',
        'reviewState',
        'title',
        'visibility',
      ],
      'the presenter lists exactly what leaves the server',
    );

    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .selectAll()
      .where('id', '=', posted.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.kind, 'job');
    assert.equal(row.submitted_by, k.user.id);
    assert.match(row.search_text, / organiser /);
    assert.match(row.search_text, / jobs training /);
    const term = await rt.ctx.db
      .selectFrom('resource_attributes')
      .select('taxonomy_term_id')
      .where('link_id', '=', posted.id)
      .execute();
    assert.deepEqual(
      term.map((t) => t.taxonomy_term_id),
      [termIds['jobs-training']],
    );
    const log = await rt.ctx.db
      .selectFrom('moderation_log')
      .select(['action', 'actor_id', 'target_type'])
      .where('target_id', '=', posted.id)
      .execute();
    assert.deepEqual(log, [{ action: 'resource.publish', actor_id: k.user.id, target_type: 'resource' }]);

    const visitor = new TestClient(rt.app);
    assert.ok((await listed(visitor)).includes(posted.id));
    const page = await visitor.get('/resources/jobs');
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`href="/resources/${posted.id}"`));
    assert.match(page.body, /Community organiser/);
  });

  test("a member's posting through the form waits for review, seen by nobody else until approved", async () => {
    const author = await browserMember(rt, 'author');
    const form = await author.web.get('/resources/jobs/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /waits for a keeper of the directory to review it/);
    assert.match(form.body, /it expires on/);
    const response = await author.web.submit('/resources/jobs/new', '/resources/jobs', {
      ...job({ title: 'Night nurse', organizationName: 'Clinic Nour' }),
      applyUrl: '',
      applyContact: 'Ask for Rana at the front desk',
      remote: 'yes',
      country: '',
    });
    assert.equal(response.status, 303, response.body);
    assert.equal(response.headers.location, '/resources/jobs?done=submitted');
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .selectAll()
      .where('name', '=', 'Night nurse')
      .executeTakeFirstOrThrow();
    assert.equal(row.review_state, 'pending');
    assert.equal(row.submitted_by, author.user.id);
    assert.equal(row.remote, 1);
    assert.equal(row.country, null);
    assert.equal(row.apply_contact, 'Ask for Rana at the front desk');
    assert.equal(
      await rt.ctx.db.selectFrom('moderation_log').select('id').where('target_id', '=', row.id).executeTakeFirst(),
      undefined,
      'nothing is published, so nothing is logged',
    );

    const other = await member(rt, 'other');
    assert.ok(!(await listed(other.api)).includes(row.id));
    assert.ok(!(await listed(new TestClient(rt.app))).includes(row.id));
    const notice = await author.web.get('/resources/jobs?done=submitted');
    assert.match(notice.body, /nobody else sees it until then/);
    assert.match(notice.body, /Your postings waiting for review/);
    assert.match(notice.body, new RegExp(`href="/resources/${row.id}"`), 'the author finds their posting again');
    assert.doesNotMatch((await other.api.get('/resources/jobs')).body, new RegExp(row.id));

    // A keeper approves it in the review queue (the listings part's): then everyone sees it.
    await rt.ctx.db
      .updateTable('resource_services')
      .set({ review_state: 'published' })
      .where('id', '=', row.id)
      .execute();
    assert.ok((await listed(other.api)).includes(row.id));
  });

  test('the form refuses beside each field, in the reader’s language, keeping what was written', async () => {
    const author = await browserMember(rt, 'form');
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ applyUrl: 'javascript:alert(1)' }, 'applyUrl', /The link must start with https:\/\/ or http:\/\//],
      [{ applyUrl: 'ftp://files.example.org/job' }, 'applyUrl', /The link must start with https:\/\/ or http:\/\//],
      [{ applyUrl: '', applyContact: '' }, 'applyUrl', /A link or a contact to apply through is needed/],
      [{ expiresOn: dayOf(rt.ctx.now() - dayMs) }, 'expiresOn', /The day must be after today/],
      [{ expiresOn: dayOf(rt.ctx.now() + 200 * dayMs) }, 'expiresOn', /at most 180 days from today/],
      [{ expiresOn: '2027-02-30' }, 'expiresOn', /written as YYYY-MM-DD, and exist/],
      [{ country: '' }, 'country', /A country is needed, unless the work can be done remotely/],
      [{ inclusionStatement: '  ' }, 'inclusionStatement', /A statement of inclusion is needed/],
    ];
    for (const [change, field, message] of cases) {
      const response = await author.web.submit('/resources/jobs/new', '/resources/jobs', {
        ...job({ title: 'Kept title', description: 'Kept description' }),
        ...change,
      });
      assert.equal(response.status, 422, `${field}: ${response.body.slice(0, 200)}`);
      assert.match(response.body, /class="error-summary"/);
      assert.match(response.body, new RegExp(`href="#field-${field}"`));
      assert.match(response.body, new RegExp(`id="field-${field}-error"`));
      assert.match(response.body, message);
      assert.match(response.body, /value="Kept title"/, 'nothing is lost');
      assert.match(response.body, />Kept description<\/textarea>/);
      if (change.applyUrl) assert.ok(response.body.includes(`value="${change.applyUrl}"`));
    }
    // The highest day allowed is taken.
    const last = await author.web.submit('/resources/jobs/new', '/resources/jobs', {
      ...job({ title: 'Longest posting' }),
      expiresOn: dayOf(rt.ctx.now() + 180 * dayMs),
    });
    assert.equal(last.status, 303);

    author.web.acceptLanguage = 'ar';
    author.web.cookies.set('sanad_lang', 'ar');
    const arabic = await author.web.submit('/resources/jobs/new', '/resources/jobs', {
      ...job({ title: 'عنوان محفوظ' }),
      applyUrl: 'javascript:alert(1)',
    });
    assert.equal(arabic.status, 422);
    assert.match(arabic.body, /يجب أن يبدأ الرابط بـ https:\/\/ أو http:\/\//);
    assert.match(arabic.body, /value="عنوان محفوظ"/);
    assert.equal(
      await rt.ctx.db.selectFrom('resource_services').select('id').where('name', '=', 'Kept title').executeTakeFirst(),
      undefined,
      'a refused posting writes nothing',
    );
  });

  test("a keeper's form publishes and leads to the posting; a group must be one the poster takes part in", async () => {
    const k = await browserMember(rt, 'kform', { role: 'moderator' });
    const form = await k.web.get('/resources/jobs/new');
    assert.match(form.body, /published at once/);
    const response = await k.web.submit('/resources/jobs/new', '/resources/jobs', job({ title: 'Keeper form job' }));
    assert.equal(response.status, 303);
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['id', 'review_state'])
      .where('name', '=', 'Keeper form job')
      .executeTakeFirstOrThrow();
    assert.equal(response.headers.location, `/resources/${row.id}`);
    assert.equal(row.review_state, 'published');

    const owner = await member(rt, 'gpown');
    const group = await createGroupAs(owner.api, { visibility: 'public', name: 'Not joined' });
    const m = await browserMember(rt, 'gpm');
    const refused = await m.web.submit('/resources/jobs/new', '/resources/jobs', {
      ...job(),
      visibility: 'group',
      groupId: group.id,
    });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /That group cannot be chosen/);
  });

  test('the API refuses the same way, naming the field', async () => {
    const m = await member(rt, 'api');
    const bad = await m.api.api('POST', '/api/v1/resources/jobs', job({ applyUrl: 'javascript:alert(1)' }));
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad.json().error.fields.map((f: { field: string }) => f.field),
      ['applyUrl'],
    );
    const far = await m.api.api(
      'POST',
      '/api/v1/resources/jobs',
      job({ expiresOn: dayOf(rt.ctx.now() + 181 * dayMs) }),
    );
    assert.equal(far.status, 422);
    assert.equal(far.json().error.fields[0].field, 'expiresOn');
    const visitor = await new TestClient(rt.app).api('POST', '/api/v1/resources/jobs', job());
    assert.equal(visitor.status, 401);
    const pending = await m.api.api('POST', '/api/v1/resources/jobs', job({ title: 'API pending' }));
    assert.equal(pending.status, 201);
    assert.equal(pending.json().job.reviewState, 'pending');
  });

  test('an organisation only readable in a group cannot be picked by others', async () => {
    const owner = await member(rt, 'gown');
    const group = await createGroupAs(owner.api, { visibility: 'private', name: 'Closed circle' });
    const secret = await createListing(rt, {
      organization: { name: 'Discreet clinic' },
      service: { visibility: 'group', group_id: group.id },
    });
    const outsider = await browserMember(rt, 'outsider');
    const form = await outsider.web.get('/resources/jobs/new');
    assert.doesNotMatch(form.body, /Discreet clinic/);
    const response = await outsider.web.submit('/resources/jobs/new', '/resources/jobs', {
      ...job(),
      organizationId: secret.organizationId,
    });
    assert.equal(response.status, 422);
    assert.match(response.body, /That organisation cannot be chosen/);
  });
});

describe('reading postings', () => {
  test('members-only and group-limited postings reach only their readers', async () => {
    const k = await keeper();
    const owner = await member(rt, 'jown');
    const group = await createGroupAs(owner.api, { visibility: 'public', name: 'Job seekers' });
    const insider = await member(rt, 'insider');
    assert.equal((await insider.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
    const outsider = await member(rt, 'jout');
    const membersOnly = (await k.api.api('POST', '/api/v1/resources/jobs', job({ visibility: 'members' }))).json().job;
    const grouped = (
      await k.api.api('POST', '/api/v1/resources/jobs', job({ visibility: 'group', groupId: group.id }))
    ).json().job;
    const visitor = new TestClient(rt.app);
    const seen = {
      visitor: await listed(visitor),
      outsider: await listed(outsider.api),
      insider: await listed(insider.api),
    };
    assert.ok(!seen.visitor.includes(membersOnly.id) && !seen.visitor.includes(grouped.id));
    assert.ok(seen.outsider.includes(membersOnly.id) && !seen.outsider.includes(grouped.id));
    assert.ok(seen.insider.includes(membersOnly.id) && seen.insider.includes(grouped.id));
    assert.doesNotMatch((await visitor.get('/resources/jobs')).body, new RegExp(membersOnly.id));
  });

  test('expired postings leave the page and the API; keepers still open and extend them', async () => {
    const k = await keeper();
    const soon = (
      await k.api.api('POST', '/api/v1/resources/jobs', job({ expiresOn: dayOf(rt.ctx.now() + dayMs) }))
    ).json().job;
    const visitor = new TestClient(rt.app);
    assert.ok((await listed(visitor)).includes(soon.id));
    rt.advance(3 * dayMs);
    try {
      assert.ok(!(await listed(visitor)).includes(soon.id));
      assert.doesNotMatch((await visitor.get('/resources/jobs')).body, new RegExp(soon.id));
      // Past its day a posting is opened by the keepers alone (the listing policy, ADR 0058).
      assert.equal((await visitor.get(`/resources/${soon.id}`)).status, 404);
      assert.equal((await visitor.get(`/api/v1/resources/${soon.id}`)).status, 404);
      const someoneElse = await member(rt, 'late');
      assert.equal((await someoneElse.api.get(`/api/v1/resources/${soon.id}`)).status, 404);
      const opened = await (await keeper()).api.get(`/api/v1/resources/${soon.id}`);
      assert.equal(opened.status, 200);
      assert.equal(opened.json().listing.job.expiresAt, soon.expiresAt);

      const keeperWeb = await browserMember(rt, 'kweb', { role: 'moderator' });
      const manage = await keeperWeb.web.get(`/resources/jobs/${soon.id}/manage`);
      assert.equal(manage.status, 200);
      assert.match(manage.body, /Expired on/);
      const someone = await browserMember(rt, 'nokeeper');
      assert.equal((await someone.web.get(`/resources/jobs/${soon.id}/manage`)).status, 404);

      const tooFar = await keeperWeb.web.submit(
        `/resources/jobs/${soon.id}/manage`,
        `/resources/jobs/${soon.id}/extend`,
        {
          expiresOn: dayOf(rt.ctx.now() + 190 * dayMs),
        },
      );
      assert.equal(tooFar.status, 422);
      assert.match(tooFar.body, /at most 180 days from today/);
      const extended = await keeperWeb.web.submit(
        `/resources/jobs/${soon.id}/manage`,
        `/resources/jobs/${soon.id}/extend`,
        {
          expiresOn: dayOf(rt.ctx.now() + 30 * dayMs),
        },
      );
      assert.equal(extended.status, 303);
      assert.ok((await listed(visitor)).includes(soon.id));
      const actions = await rt.ctx.db
        .selectFrom('moderation_log')
        .select('action')
        .where('target_id', '=', soon.id)
        .orderBy('created_at')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['resource.publish', 'resource.extend'],
      );

      // A fresh keeper: the first one's session has idled out while the clock moved on.
      const removed = await (await keeper()).api.api('DELETE', `/api/v1/resources/jobs/${soon.id}`);
      assert.equal(removed.status, 204);
      assert.ok(!(await listed(visitor)).includes(soon.id));
      assert.equal(
        (await rt.ctx.db.selectFrom('moderation_log').select('action').where('target_id', '=', soon.id).execute())
          .length,
        3,
      );
      assert.equal((await someone.web.get(`/resources/jobs/${soon.id}/manage`)).status, 404);
    } finally {
      rt.advance(-3 * dayMs);
    }
  });

  test('postings page newest first', async () => {
    const k = await keeper();
    // Written straight in: posting 22 through the API would meet the per-account posting limit.
    const start = rt.ctx.now() + 60_000;
    for (let i = 0; i < 22; i++)
      await createListing(rt, {
        terms: ['jobs-training'],
        service: {
          kind: 'job',
          name: `Paged ${i}`,
          visibility: 'members',
          inclusion_statement: 'Everyone welcome',
          apply_url: 'https://jobs.example.org',
          expires_at: start + 30 * dayMs,
          created_at: start + i * 1000,
        },
      });
    const first = (await k.api.get('/api/v1/resources/jobs')).json();
    assert.equal(first.jobs.length, 20);
    assert.equal(first.jobs[0].title, 'Paged 21');
    assert.ok(first.next);
    const second = (await k.api.get(`/api/v1/resources/jobs?after=${first.next}`)).json();
    assert.ok(!second.jobs.some((j: { id: string }) => first.jobs.some((f: { id: string }) => f.id === j.id)));
    assert.equal(second.jobs.find((j: { title: string }) => j.title.startsWith('Paged'))?.title, 'Paged 1');
  });

  test('the API is in the OpenAPI document', async () => {
    const document = (await new TestClient(rt.app).get('/api/v1/openapi.json')).json();
    assert.ok(document.paths['/api/v1/resources/jobs'].get);
    assert.ok(document.paths['/api/v1/resources/jobs'].post);
    assert.ok(document.paths['/api/v1/resources/jobs/{id}/extend'].post);
  });
});

describe('the daily clean-up', () => {
  test('deletes only postings expired more than 90 days ago, with their notes', async () => {
    const now = rt.ctx.now();
    const longGone = await createListing(rt, { service: { kind: 'job', expires_at: now - 91 * dayMs } });
    const recent = await createListing(rt, { service: { kind: 'job', expires_at: now - 10 * dayMs } });
    const open = await createListing(rt, { service: { kind: 'job', expires_at: now + 10 * dayMs } });
    const service = await createListing(rt, { service: { kind: 'service', expires_at: now - 200 * dayMs } });
    const writer = await member(rt, 'noter');
    await rt.ctx.db
      .insertInto('resource_notes')
      .values({
        id: crypto.randomUUID(),
        service_id: longGone.serviceId,
        author_id: writer.user.id,
        rating: 'safe',
        body: 'Kind interviewers',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await rt.ctx.db
      .insertInto('resource_attributes')
      .values({
        id: crypto.randomUUID(),
        link_id: longGone.serviceId,
        link_entity: 'service',
        link_type: 'service',
        taxonomy_term_id: termIds['jobs-training'],
      })
      .execute();
    const cleanup = resourceJobs.find((j) => j.name === 'resources.deleteExpiredJobs');
    assert.ok(cleanup?.everyMs === 24 * 60 * 60_000, 'a daily job');
    await cleanup.run(serviceContext(rt.ctx), {});
    const left = new Set((await rt.ctx.db.selectFrom('resource_services').select('id').execute()).map((r) => r.id));
    assert.ok(!left.has(longGone.serviceId));
    assert.ok(left.has(recent.serviceId) && left.has(open.serviceId) && left.has(service.serviceId));
    assert.equal(
      (await rt.ctx.db.selectFrom('resource_notes').select('id').where('service_id', '=', longGone.serviceId).execute())
        .length,
      0,
    );
    assert.equal(
      (
        await rt.ctx.db
          .selectFrom('resource_attributes')
          .select('id')
          .where('link_id', '=', longGone.serviceId)
          .execute()
      ).length,
      0,
    );
    // Running again (a worker that died mid-run) changes nothing more.
    await cleanup.run(serviceContext(rt.ctx), {});
    assert.ok(
      (await rt.ctx.db
        .selectFrom('resource_services')
        .select('id')
        .where('id', '=', recent.serviceId)
        .executeTakeFirst()) !== undefined,
    );
  });
});

describe('the filter other lists apply', () => {
  test('notExpiredJob keeps services and open postings, and drops expired postings', async () => {
    const now = rt.ctx.now();
    const expired = await createListing(rt, { service: { kind: 'job', expires_at: now - 1000 } });
    const open = await createListing(rt, { service: { kind: 'job', expires_at: now + dayMs } });
    const service = await createListing(rt, { service: { kind: 'service', expires_at: null } });
    const ids = (
      await rt.ctx.db
        .selectFrom('resource_services as s')
        .select('s.id')
        .where('s.id', 'in', [expired.serviceId, open.serviceId, service.serviceId])
        .where(notExpiredJob(now))
        .execute()
    ).map((r) => r.id);
    assert.deepEqual(ids.sort(), [open.serviceId, service.serviceId].sort());
  });
});

describe('JobDetails', () => {
  const view = (locale: 'en' | 'ar'): ViewContext => ({
    t: translator(locale),
    locale,
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    actor: { kind: 'visitor' },
    currentPath: '/',
    csrfToken: () => 'token',
    asset: (name) => `/${name}`,
    formatNumber: (v) => formatNumber(locale, v),
    formatDate: (v) => formatDate(locale, v),
    formatDateTime: (v) => formatDateTime(locale, v),
    navigation: [],
    counts: {},
  });
  const render = (locale: 'en' | 'ar', props: Parameters<typeof JobDetails>[0]) =>
    renderToString(
      <viewContext.Provider value={view(locale)}>
        <JobDetails {...props} />
      </viewContext.Provider>,
    );
  const fields = {
    id: 'j1',
    kind: 'job',
    apply_url: 'https://jobs.example.org/apply',
    apply_contact: 'Ask for Rana',
    inclusion_statement: 'Trans applicants are welcome.',
    expires_at: Date.UTC(2030, 0, 15, 23, 59, 59),
  };

  test('an open posting: the link leaves with no referrer, the note says so, the day it closes', () => {
    const html = render('en', { job: fields, locale: 'en', now: Date.UTC(2030, 0, 1) });
    assert.match(html, /<a href="https:\/\/jobs\.example\.org\/apply" rel="noopener noreferrer nofollow"/);
    assert.match(html, /This link leaves Sanad/);
    assert.match(html, /Trans applicants are welcome\./);
    assert.match(html, /Open until January 15, 2030/);
    assert.doesNotMatch(html, /This posting has expired/);
    assert.doesNotMatch(html, /manage/);
  });

  test('an expired posting says so, in Arabic too; keepers get the way to extend it', () => {
    const later = Date.UTC(2030, 1, 1);
    assert.match(
      render('en', { job: fields, locale: 'en', now: later, canManage: true }),
      /This posting has expired\./,
    );
    assert.match(
      render('en', { job: fields, locale: 'en', now: later, canManage: true }),
      /\/resources\/jobs\/j1\/manage/,
    );
    assert.match(render('ar', { job: fields, locale: 'ar', now: later }), /انتهت مدة هذا الإعلان/);
    assert.equal(render('en', { job: { ...fields, kind: 'service' }, locale: 'en', now: later }), '');
    const odd = render('en', { job: { ...fields, apply_url: 'javascript:alert(1)' }, locale: 'en', now: later });
    assert.doesNotMatch(odd, /href="javascript/, 'a link that is not http(s) is never a link');
  });
});

describe('crisis lines', () => {
  const line = (country: string | null, name: string, extra: Parameters<typeof createListing>[1] = {}) =>
    createListing(rt, {
      terms: ['crisis-line'],
      phones: [{ number: '+961 1 234 567' }],
      schedules: [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: '23:59' }],
      languages: ['ar', 'en'],
      ...extra,
      service: { name, country, city: null, ...extra.service },
    });
  let scene: Awaited<ReturnType<typeof makeScene>>;
  async function makeScene() {
    const owner = await member(rt, 'cown');
    const group = await createGroupAs(owner.api, { visibility: 'public', name: 'Crisis circle' });
    const insider = await member(rt, 'cin');
    assert.equal((await insider.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
    return {
      group,
      insider,
      lebanon: await line('LB', 'Beirut Listening Line', {
        phones: [{ number: '+961 1 234 567' }, { number: '+961 70 000 111', confidential: true }],
      }),
      egypt: await line('EG', 'Cairo Night Line'),
      international: await line(null, 'Worldwide Trans Lifeline', { service: { remote: 1 } }),
      membersOnly: await line('LB', 'Members Line Beirut', { service: { visibility: 'members' } }),
      grouped: await line('LB', 'Circle Line Beirut', { service: { visibility: 'group', group_id: group.id } }),
      pending: await line('LB', 'Waiting Line Beirut', { service: { review_state: 'pending' } }),
      notCrisis: await createListing(rt, {
        terms: ['legal-aid'],
        service: { name: 'Beirut Legal Aid', country: 'LB' },
      }),
    };
  }
  before(async () => {
    scene = await makeScene();
  });

  test('by a country link, without any cookie: that country and international lines, as large tel: links', async () => {
    const visitor = new TestClient(rt.app);
    const page = await visitor.get('/resources/crisis?country=LB');
    assert.equal(page.status, 200);
    assert.match(page.body, /Crisis lines in Lebanon/);
    assert.match(page.body, /Beirut Listening Line/);
    assert.match(page.body, /Worldwide Trans Lifeline/);
    assert.match(page.body, /<a class="crisis-phone" href="tel:\+9611234567" dir="ltr">\+961 1 234 567<\/a>/);
    assert.doesNotMatch(page.body, /tel:\+96170000111/, 'a confidential phone is for signed-in readers only');
    assert.match(page.body, /<dd>Arabic and English<\/dd>/);
    assert.match(page.body, /Every day: 00:00–23:59/);
    for (const absent of [
      'Cairo Night Line',
      'Members Line Beirut',
      'Circle Line Beirut',
      'Waiting Line Beirut',
      'Beirut Legal Aid',
    ])
      assert.ok(!page.body.includes(absent), absent);
    assert.match(page.body, /call the local emergency services/);
    assert.match(page.body, /kept by the community/);
    assert.match(page.body, /href="#choose"/);
    assert.match(page.body, /href="\/resources\/crisis\?country=EG"/, 'other countries are one click away');
    assert.equal(visitor.cookies.has('sanad_country'), false, 'a link keeps nothing');
  });

  test('a chosen country is kept in a cookie holding only its code, and can be forgotten', async () => {
    const visitor = new TestClient(rt.app);
    const first = await visitor.get('/resources/crisis');
    assert.doesNotMatch(first.body, /Crisis lines in/);
    assert.match(first.body, /Worldwide Trans Lifeline/);
    assert.match(first.body, /id="choose"/);
    const chose = await visitor.submit('/resources/crisis', '/resources/crisis/country', { country: 'EG' });
    assert.equal(chose.status, 303);
    assert.equal(chose.headers.location, '/resources/crisis');
    const cookie = [chose.headers['set-cookie']].flat().find((c) => c?.startsWith('sanad_country='));
    assert.ok(cookie);
    assert.match(cookie, /^sanad_country=EG;/);
    assert.match(cookie, /Max-Age=31536000/);
    assert.match(cookie, /Path=\//);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const page = await visitor.get('/resources/crisis');
    assert.match(page.body, /Crisis lines in Egypt/);
    assert.match(page.body, /Cairo Night Line/);
    assert.doesNotMatch(page.body, /Beirut Listening Line/);
    assert.match(page.body, /Forget the country on this device/);
    // A link still shows another country without changing the kept one.
    const other = await visitor.get('/resources/crisis?country=LB');
    assert.match(other.body, /Beirut Listening Line/);
    assert.match(other.body, /Remember Lebanon on this device/);
    assert.equal(visitor.cookies.get('sanad_country'), 'EG');
    // Nonsense is ignored, never stored.
    const odd = await visitor.submit('/resources/crisis', '/resources/crisis/country', { country: 'ZZ' });
    assert.equal(odd.status, 303);
    assert.equal(visitor.cookies.get('sanad_country'), 'EG');
    assert.match((await visitor.get('/resources/crisis?country=QQ')).body, /Crisis lines in Egypt/);
    const forgot = await visitor.submit('/resources/crisis', '/resources/crisis/country/forget', {});
    assert.equal(forgot.status, 303);
    assert.equal(visitor.cookies.has('sanad_country'), false);
    assert.doesNotMatch((await visitor.get('/resources/crisis')).body, /Crisis lines in/);
  });

  test('members see members-only lines and confidential phones; a group’s lines reach only its members', async () => {
    const outsider = await browserMember(rt, 'cout');
    const page = await outsider.web.get('/resources/crisis?country=LB');
    assert.match(page.body, /Members Line Beirut/);
    assert.match(page.body, /tel:\+96170000111/);
    assert.doesNotMatch(page.body, /Circle Line Beirut/);
    const insider = new TestClient(rt.app);
    insider.bearer = scene.insider.api.bearer;
    assert.match((await insider.get('/resources/crisis?country=LB')).body, /Circle Line Beirut/);
  });

  test('the page speaks Arabic', async () => {
    const visitor = new TestClient(rt.app);
    visitor.acceptLanguage = 'ar';
    const page = await visitor.get('/resources/crisis?country=LB');
    assert.match(page.body, /خطوط المساعدة في الأزمات/);
    assert.match(page.body, /يُرجى الاتصال بخدمات الطوارئ المحلية/);
    assert.match(page.body, /خطوط المساعدة في لبنان/);
  });

  test('every page’s footer links to the crisis lines, for visitors and members', async () => {
    const visitor = new TestClient(rt.app);
    const signed = await browserMember(rt, 'foot');
    const footerLink = /<footer[\s\S]*<a href="\/resources\/crisis">Crisis lines<\/a>[\s\S]*<\/footer>/;
    for (const path of ['/', '/safety', '/quick-exit', '/login', '/resources/jobs', '/resources/crisis']) {
      const page = await visitor.get(path);
      assert.equal(page.status, 200, path);
      assert.match(page.body, footerLink, path);
    }
    for (const path of ['/', '/resources/jobs/new', '/notifications', '/groups']) {
      const page = await signed.web.get(path);
      assert.equal(page.status, 200, path);
      assert.match(page.body, footerLink, path);
    }
    visitor.acceptLanguage = 'ar';
    assert.match((await visitor.get('/')).body, /<a href="\/resources\/crisis">خطوط المساعدة في الأزمات<\/a>/);
  });
});
