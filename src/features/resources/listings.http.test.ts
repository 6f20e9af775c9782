// Listings of the resource directory (ADR 0054) through the pages and the API, on both engines: who
// reads which listing (404 when denied), confidential parts never in an API answer and never shown
// to visitors, members' suggestions waiting for a keeper, keepers' writes each with a moderation
// log row, localised errors beside the fields with nothing lost, taxonomy terms, and print CSS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient } from '../../../test/support/client.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createListing, termIds } from '../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const visitor = () => new TestClient(rt.app);
const logRows = (targetId: string) =>
  rt.ctx.db
    .selectFrom('moderation_log')
    .select(['action', 'reason', 'actor_id', 'target_type'])
    .where('target_id', '=', targetId)
    .orderBy('created_at')
    .execute();

/** A keeper (an instance moderator) with an API client and a browser. */
async function keeper() {
  const api = await member(rt, 'keep', { role: 'moderator' });
  return api;
}

const suggestion = {
  organizationName: 'Helm',
  name: 'Night shelter',
  description: 'Beds for LGBTQ+ people in need',
  language: 'en',
  visibility: 'public',
  country: 'LB',
  city: 'Beirut',
  cost: 'free',
};

describe('who reads a listing', () => {
  test('visibility × role: public for anyone, members-only for members, group for the group, 404 otherwise', async () => {
    const owner = await member(rt, 'gown');
    const group = await createGroupAs(owner.api, { visibility: 'private' });
    const outsider = await member(rt, 'out');
    const keep = await keeper();
    const admin = await member(rt, 'adm', { role: 'admin' });
    const suggester = await member(rt, 'sug');
    const listings = {
      public: (await createListing(rt, { service: { name: 'Open clinic' } })).serviceId,
      members: (await createListing(rt, { service: { name: 'Members clinic', visibility: 'members' } })).serviceId,
      group: (await createListing(rt, { service: { name: 'Group clinic', visibility: 'group', group_id: group.id } }))
        .serviceId,
      pending: (
        await createListing(rt, {
          service: { name: 'Waiting clinic', review_state: 'pending', submitted_by: suggester.user.id },
        })
      ).serviceId,
      declined: (await createListing(rt, { service: { name: 'Declined clinic', review_state: 'declined' } })).serviceId,
    };
    const readers: [string, TestClient][] = [
      ['visitor', visitor()],
      ['member', outsider.api],
      ['group member', owner.api],
      ['suggester', suggester.api],
      ['keeper', keep.api],
      ['admin', admin.api],
    ];
    const expected: Record<string, Record<keyof typeof listings, boolean>> = {
      visitor: { public: true, members: false, group: false, pending: false, declined: false },
      member: { public: true, members: true, group: false, pending: false, declined: false },
      'group member': { public: true, members: true, group: true, pending: false, declined: false },
      suggester: { public: true, members: true, group: false, pending: true, declined: false },
      keeper: { public: true, members: true, group: true, pending: true, declined: true },
      admin: { public: true, members: true, group: true, pending: true, declined: true },
    };
    for (const [role, client] of readers) {
      for (const [kind, id] of Object.entries(listings) as [keyof typeof listings, string][]) {
        const api = await client.get(`/api/v1/resources/${id}`);
        assert.equal(api.status, expected[role]![kind] ? 200 : 404, `${role} reading ${kind} through the API`);
        if (api.status === 200) assert.equal(api.json().listing.id, id);
        // The page answers the same: a denied read is a missing listing, nothing of it shown.
        const page = await client.get(`/resources/${id}`);
        assert.equal(page.status, expected[role]![kind] ? 200 : 404, `${role} reading ${kind} as a page`);
        if (!expected[role]![kind]) assert.equal(page.body.includes('clinic'), false);
      }
    }
    assert.equal((await visitor().get('/resources/no-such-listing')).status, 404);
  });
});

describe('the listing page', () => {
  test('shows hours in the week the listing keeps, phones as tel: links, names with their language', async () => {
    const { serviceId } = await createListing(rt, {
      service: {
        name: 'عيادة قانونية',
        language: 'ar',
        translations: JSON.stringify({ en: { name: 'Legal clinic' } }),
      },
      terms: ['legal-aid', 'crisis-line'],
      phones: [{ number: '+961 1 234 567' }],
      address: { address_1: 'Hamra Street 12', city: 'Beirut', country: 'LB' },
      schedules: [
        { byday: 'SA,MO', opens_at: '09:00', closes_at: '13:00', wkst: 'SA' },
        { byday: 'MO', opens_at: '14:00', closes_at: '17:00', wkst: 'SA' },
        { byday: 'FR', opens_at: '22:00', closes_at: '02:00', wkst: 'SA' },
      ],
      languages: ['ar', 'en'],
    });
    const en = await visitor().get(`/resources/${serviceId}`);
    assert.equal(en.status, 200);
    // The reader's language when the listing has it, marked as such.
    assert.match(en.body, /<h1 id="listing-name" lang="en" dir="auto">Legal clinic<\/h1>/);
    assert.match(en.body, /href="tel:\+9611234567"/);
    assert.match(en.body, /Hamra Street 12/);
    assert.equal(/maps\.|openstreetmap|google/i.test(en.body), false, 'no map service');
    // Saturday first, two windows on Monday, Friday past midnight, Sunday closed.
    const days = [...en.body.matchAll(/<dt>(Saturday|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday)<\/dt>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(days, ['Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
    assert.match(en.body, /<time>09:00<\/time>–<time>13:00<\/time>.*and.*<time>14:00<\/time>–<time>17:00<\/time>/s);
    assert.match(en.body, /<time>22:00<\/time>–<time>02:00<\/time><\/bdi> \(until the next day\)/);
    assert.match(en.body, /Legal aid and arrest support/);
    assert.match(en.body, /Asia\/Beirut/);

    const reader = visitor();
    reader.acceptLanguage = 'ar';
    const ar = await reader.get(`/resources/${serviceId}`);
    assert.match(ar.body, /<h1 id="listing-name" lang="ar" dir="auto">عيادة قانونية<\/h1>/);
    assert.match(ar.body, /المساعدة القانونية والدعم عند الاعتقال/);
    assert.match(ar.body, /السبت/);
    // A visitor may not report corrections; a member may.
    assert.equal(en.body.includes(`/resources/${serviceId}/correct`), false);
    const m = await member(rt, 'rd');
    assert.ok((await m.api.get(`/resources/${serviceId}`)).body.includes(`/resources/${serviceId}/correct`));
  });

  test('an imported address that is not a web address is shown, never made a link', async () => {
    const { serviceId } = await createListing(rt, { service: { url: 'javascript:alert(1)' } });
    const page = await visitor().get(`/resources/${serviceId}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.includes('href="javascript:'), false);
    assert.match(page.body, /<bdi dir="ltr">javascript:alert\(1\)<\/bdi>/);
  });

  test('print CSS hides the site around a listing', async () => {
    const { serviceId } = await createListing(rt);
    const page = await visitor().get(`/resources/${serviceId}`);
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(href);
    const css = (await visitor().get(href)).body;
    const section = css.slice(css.indexOf('/* Resource directory: listings */'));
    assert.ok(section.length > 40);
    assert.match(section, /@media print \{[^@]*\.site-header,[^@]*\.site-footer,[^@]*form,[^@]*display: none/s);
    assert.match(section, /\.exit-bar/);
  });
});

describe('confidential places and phones', () => {
  test('never in an API answer; on the page only for signed-in readers, flagged', async () => {
    const { serviceId } = await createListing(rt, {
      phones: [{ number: '+961 70 111 222' }, { number: '+961 70 999 888', confidential: true }],
      address: { address_1: 'Safe house lane 3', city: 'Beirut', country: 'LB', confidential: true },
    });
    const keep = await keeper();
    const m = await member(rt, 'cf');
    for (const client of [visitor(), m.api, keep.api]) {
      const body = (await client.get(`/api/v1/resources/${serviceId}`)).body;
      assert.ok(body.includes('+961 70 111 222'));
      assert.equal(body.includes('999 888'), false);
      assert.equal(body.includes('Safe house'), false);
    }
    const seen = await visitor().get(`/resources/${serviceId}`);
    assert.equal(seen.body.includes('999 888'), false);
    assert.equal(seen.body.includes('Safe house'), false);
    const signedIn = await m.api.get(`/resources/${serviceId}`);
    assert.ok(signedIn.body.includes('+961 70 999 888'));
    assert.ok(signedIn.body.includes('Safe house lane 3'));
    assert.match(signedIn.body, /Shared in confidence: do not pass it on/);
    // A keeper's API write that marks a phone confidential does not answer with it either.
    const made = await keep.api.api('POST', '/api/v1/resources', {
      ...suggestion,
      phones: [{ number: '+961 3 000 111', confidential: true }],
      address: { address1: 'Hidden 1', city: 'Beirut', country: 'LB', confidential: true },
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.includes('000 111'), false);
    assert.equal(made.body.includes('Hidden 1'), false);
    assert.deepEqual(made.json().listing.phones, []);
  });
});

describe('suggestions', () => {
  test('a member suggests; nobody else sees it until a keeper approves; a decline needs a reason', async () => {
    const m = await member(rt, 'sg');
    const other = await member(rt, 'ot');
    const keep = await keeper();
    const made = await m.api.api('POST', '/api/v1/resources', suggestion);
    assert.equal(made.status, 201);
    const { listing } = made.json();
    assert.equal(listing.reviewState, 'pending');
    assert.equal((await m.api.get(`/api/v1/resources/${listing.id}`)).status, 200);
    assert.equal((await other.api.get(`/api/v1/resources/${listing.id}`)).status, 404);
    assert.equal((await visitor().get(`/api/v1/resources/${listing.id}`)).status, 404);
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['submitted_by', 'review_state', 'search_text'])
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.submitted_by, m.user.id);
    assert.match(row.search_text, / night shelter /);
    // The member cannot decide their own suggestion.
    assert.equal(
      (await m.api.api('POST', `/api/v1/resources/${listing.id}/review`, { decision: 'approve' })).status,
      403,
    );
    // The queue lists it for keepers only.
    const queue = await keep.api.get('/resources/review');
    assert.equal(queue.status, 200);
    assert.ok(queue.body.includes('Night shelter'));
    assert.ok(queue.body.includes('href="/resources/terms"'), 'keepers find their other pages');
    assert.equal((await m.api.get('/resources/review')).status, 404);
    // Declining asks why.
    const noReason = await keep.api.api('POST', `/api/v1/resources/${listing.id}/review`, { decision: 'decline' });
    assert.equal(noReason.status, 422);
    assert.equal(noReason.json().error.fields[0].field, 'reason');
    const approved = await keep.api.api('POST', `/api/v1/resources/${listing.id}/review`, { decision: 'approve' });
    assert.equal(approved.status, 200);
    assert.equal(approved.json().listing.reviewState, 'published');
    assert.equal((await visitor().get(`/api/v1/resources/${listing.id}`)).status, 200);
    const again = await keep.api.api('POST', `/api/v1/resources/${listing.id}/review`, { decision: 'approve' });
    assert.equal(again.status, 409);
    assert.deepEqual(
      (await logRows(listing.id)).map((r) => [r.action, r.target_type, r.actor_id]),
      [['resource.approve', 'resource', keep.user.id]],
    );
  });

  test('the form: a member suggests, sees the review note, and a keeper declines with a reason in the log', async () => {
    const { web } = await browserMember(rt, 'sf');
    const form = await web.get('/resources/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /waits for a keeper of the directory to review it/);
    const sent = await web.submit('/resources/new', '/resources', {
      organizationName: 'Mawja',
      name: 'Peer support circle',
      description: 'Weekly circle',
      language: 'en',
      visibility: 'members',
      country: 'JO',
      city: 'Amman',
    });
    assert.equal(sent.status, 303);
    const location = String(sent.headers.location);
    assert.match(location, /\?done=suggested$/);
    const id = location.split('/')[2]!.split('?')[0]!;
    const own = await web.get(location);
    assert.match(own.body, /waits for review/);

    const keep = await browserMember(rt, 'kf', { role: 'moderator' });
    const declined = await keep.web.submit('/resources/review', `/resources/${id}/review`, {
      decision: 'decline',
      reason: 'Not a service',
    });
    assert.equal(declined.status, 303);
    assert.equal((await web.get(`/resources/${id}`)).status, 404);
    const rows = await logRows(id);
    assert.deepEqual(
      rows.map((r) => [r.action, r.reason]),
      [['resource.decline', 'Not a service']],
    );
  });
});

describe('keepers', () => {
  test('create through the form with hours, edit, and delete with a reason: each in the moderation log', async () => {
    const keep = await browserMember(rt, 'kc', { role: 'moderator' });
    const created = await keep.web.submit('/resources/new', '/resources', {
      organizationName: 'Sawt',
      name: 'Counselling line',
      description: 'Counsellors who listen',
      language: 'en',
      translationName: 'خط إرشاد',
      visibility: 'public',
      country: 'EG',
      city: 'Cairo',
      cost: 'sliding',
      remote: 'on',
      phones: '+20 2 1234 5678',
      wkst: 'SU',
      'h-SU-1-o': '10:00',
      'h-SU-1-c': '14:00',
      'h-SU-2-o': '15:00',
      'h-SU-2-c': '18:00',
      terms: termIds['mental-health'],
    });
    assert.equal(created.status, 303);
    const location = String(created.headers.location);
    assert.match(location, /done=created/);
    const id = location.split('/')[2]!.split('?')[0]!;
    const page = await visitor().get(`/resources/${id}`);
    assert.match(page.body, /Counselling line/);
    assert.match(page.body, /Mental health and counselling/);
    assert.match(page.body, /Sliding scale/);
    const firstDay = /<dt>(\w+day)<\/dt>/.exec(page.body)?.[1];
    assert.equal(firstDay, 'Sunday');
    assert.match(page.body, /<time>10:00<\/time>–<time>14:00<\/time>.*<time>15:00<\/time>–<time>18:00<\/time>/s);
    assert.match(page.body, /Africa\/Cairo/, 'the zone defaults by country');
    const api = (await visitor().get(`/api/v1/resources/${id}`)).json().listing;
    assert.deepEqual(api.translations, { ar: { name: 'خط إرشاد' } });
    assert.equal(api.remote, true);
    assert.equal(api.schedules.length, 2);

    // The edit form shows what is stored, and saves.
    const edit = await keep.web.get(`/resources/${id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.body, /value="10:00"/);
    assert.match(edit.body, /value="\+20 2 1234 5678"/);
    const saved = await keep.web.submit(`/resources/${id}/edit`, `/resources/${id}/edit`, {
      organizationId: api.organization.id,
      name: 'Counselling line (evenings)',
      description: 'Counsellors who listen',
      language: 'en',
      visibility: 'public',
      country: 'EG',
      city: 'Cairo',
      wkst: 'SU',
      'h-MO-1-o': '18:00',
      'h-MO-1-c': '22:00',
    });
    assert.equal(saved.status, 303);
    const changed = (await visitor().get(`/api/v1/resources/${id}`)).json().listing;
    assert.equal(changed.name.text, 'Counselling line (evenings)');
    assert.deepEqual(
      changed.schedules.map((s: { byday: string; opensAt: string }) => [s.byday, s.opensAt]),
      [['MO', '18:00']],
    );
    const search = await rt.ctx.db
      .selectFrom('resource_services')
      .select('search_text')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.match(search.search_text, / evenings /);

    // A member may neither open the edit form nor post it.
    const someone = await browserMember(rt, 'ne');
    assert.equal((await someone.web.get(`/resources/${id}/edit`)).status, 404);

    // Deleting asks for confirmation and a reason.
    const confirm = await keep.web.get(`/resources/${id}/delete`);
    assert.equal(confirm.status, 200);
    const noReason = await keep.web.submit(`/resources/${id}/delete`, `/resources/${id}/delete`, { reason: '' });
    assert.equal(noReason.status, 422);
    assert.match(noReason.body, /Give a reason/);
    const gone = await keep.web.submit(`/resources/${id}/delete`, `/resources/${id}/delete`, { reason: 'Closed down' });
    assert.equal(gone.status, 200);
    assert.equal((await visitor().get(`/api/v1/resources/${id}`)).status, 404);
    assert.deepEqual(
      (await logRows(id)).map((r) => [r.action, r.reason]),
      [
        ['resource.create', null],
        ['resource.edit', null],
        ['resource.delete', 'Closed down'],
      ],
    );
    assert.equal(
      (await rt.ctx.db.selectFrom('resource_phones').select('id').where('service_id', '=', id).execute()).length,
      0,
    );
  });

  test('the API: a keeper publishes, patches and deletes; members may not', async () => {
    const keep = await keeper();
    const m = await member(rt, 'ap');
    const made = await keep.api.api('POST', '/api/v1/resources', {
      ...suggestion,
      terms: [termIds['housing-shelter']],
      hours: [{ day: 'SA', opens: '20:00', closes: '08:00' }],
      wkst: 'SA',
    });
    assert.equal(made.status, 201);
    const listing = made.json().listing;
    assert.equal(listing.reviewState, 'published');
    assert.equal(listing.terms[0].code, 'housing-shelter');
    assert.equal(listing.tz, 'Asia/Beirut');
    assert.equal((await m.api.api('PATCH', `/api/v1/resources/${listing.id}`, { name: 'Mine now' })).status, 403);
    const patched = await keep.api.api('PATCH', `/api/v1/resources/${listing.id}`, { visibility: 'members' });
    assert.equal(patched.status, 200);
    // What the patch left out stays.
    assert.equal(patched.json().listing.name.text, 'Night shelter');
    assert.equal(patched.json().listing.schedules.length, 1);
    assert.equal((await visitor().get(`/api/v1/resources/${listing.id}`)).status, 404);
    assert.equal((await m.api.api('DELETE', `/api/v1/resources/${listing.id}`, { reason: 'x' })).status, 403);
    assert.equal(
      (await keep.api.api('DELETE', `/api/v1/resources/${listing.id}`, { reason: 'Duplicate' })).status,
      204,
    );
    assert.deepEqual(
      (await logRows(listing.id)).map((r) => r.action),
      ['resource.create', 'resource.edit', 'resource.delete'],
    );
  });

  test('a group-limited listing names a group the writer can choose; a member suggests only to their own groups', async () => {
    const owner = await member(rt, 'go');
    const group = await createGroupAs(owner.api, { visibility: 'private' });
    const outsider = await member(rt, 'gx');
    const refused = await outsider.api.api('POST', '/api/v1/resources', {
      ...suggestion,
      visibility: 'group',
      groupId: group.id,
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.json().error.fields[0].field, 'groupId');
    const ok = await owner.api.api('POST', '/api/v1/resources', {
      ...suggestion,
      visibility: 'group',
      groupId: group.id,
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.json().listing.groupId, group.id);
  });
});

describe('validation', () => {
  test('errors are localised, beside their fields, and what was typed is kept', async () => {
    const keep = await browserMember(rt, 'kv', { role: 'moderator' });
    keep.web.acceptLanguage = 'ar';
    const sent = await keep.web.submit('/resources/new', '/resources', {
      organizationName: 'مساحة',
      name: '',
      description: 'وصف مكتوب بعناية',
      language: 'ar',
      visibility: 'public',
      url: 'javascript:alert(1)',
      email: 'not-an-email',
      phones: '+961 abc',
      'h-SA-1-o': '09:00',
      address1: 'شارع الحمرا',
    });
    assert.equal(sent.status, 422);
    assert.match(sent.body, /class="error-summary"/);
    assert.match(sent.body, /يُرجى ملء هذا الحقل/);
    assert.match(sent.body, /اكتبوا عنوانًا إلكترونيًا يبدأ بـ https:\/\//);
    assert.match(sent.body, /حدّدوا لكل فترة وقت فتح ووقت إغلاق مختلفين/);
    assert.match(sent.body, /href="#field-name"/);
    assert.match(sent.body, /href="#field-hours"/);
    // Nothing lost.
    assert.match(sent.body, /وصف مكتوب بعناية/);
    assert.match(sent.body, /value="شارع الحمرا"/);
    assert.match(sent.body, /value="09:00"/);
    assert.match(sent.body, /value="javascript:alert\(1\)"/);

    const { api } = await keeper();
    const bad = await api.api('POST', '/api/v1/resources', { ...suggestion, url: 'ftp://x', tz: 'Mars/Olympus' });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      bad
        .json()
        .error.fields.map((f: { field: string }) => f.field)
        .sort(),
      ['tz', 'url'],
    );
  });
});

describe('taxonomy terms', () => {
  test('anyone lists them named in their language; keepers add their own', async () => {
    const reader = visitor();
    reader.acceptLanguage = 'ar';
    const listed = await reader.get('/api/v1/resources/terms');
    assert.equal(listed.status, 200);
    const terms = listed.json().terms as { code: string; name: string; builtin: boolean }[];
    assert.equal(terms.filter((t) => t.builtin).length, 13);
    assert.equal(terms.find((t) => t.code === 'crisis-line')?.name, 'خط أزمات');

    const m = await member(rt, 'tm');
    assert.equal(
      (await m.api.api('POST', '/api/v1/resources/terms', { nameAr: 'رياضة', nameEn: 'Sport' })).status,
      403,
    );
    assert.equal((await m.api.get('/resources/terms')).status, 404);
    const keep = await keeper();
    const added = await keep.api.api('POST', '/api/v1/resources/terms', { nameAr: 'رياضة', nameEn: 'Sport clubs' });
    assert.equal(added.status, 201);
    assert.equal(added.json().term.code, 'sport-clubs');
    const twice = await keep.api.api('POST', '/api/v1/resources/terms', { nameAr: 'رياضة', nameEn: 'Sport clubs' });
    assert.equal(twice.status, 422);
    assert.equal((await reader.get('/api/v1/resources/terms')).json().terms.at(-1).name, 'رياضة');

    const web = await browserMember(rt, 'kt', { role: 'admin' });
    const page = await web.web.get('/resources/terms');
    assert.equal(page.status, 200);
    assert.match(page.body, /Sport clubs/);
    const bad = await web.web.submit('/resources/terms', '/resources/terms', {
      nameAr: '',
      nameEn: 'Art',
      code: 'Bad Code',
    });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /value="Art"/);
    assert.match(bad.body, /Use lower-case Latin letters, digits and hyphens/);
    const good = await web.web.submit('/resources/terms', '/resources/terms', { nameAr: 'فن', nameEn: 'Art' });
    assert.equal(good.status, 303);
    // A listing names the term in the reader's language.
    const { serviceId } = await createListing(rt);
    const termId = added.json().term.id;
    const patched = await keep.api.api('PATCH', `/api/v1/resources/${serviceId}`, { terms: [termId] });
    assert.equal(patched.status, 200);
    const arPage = await reader.get(`/resources/${serviceId}`);
    assert.match(arPage.body, /<li class="tag" lang="ar" dir="auto">رياضة<\/li>/);
  });

  test('the OpenAPI document lists the listing routes beside the search', async () => {
    const doc = (await visitor().get('/api/v1/openapi.json')).json();
    for (const path of ['/api/v1/resources/{id}', '/api/v1/resources/{id}/review', '/api/v1/resources/terms'])
      assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/api/v1/resources']?.post);
    // Finding help (find-routes.tsx) answers GET on the same path.
    assert.ok(doc.paths['/api/v1/resources']?.get);
  });
});
