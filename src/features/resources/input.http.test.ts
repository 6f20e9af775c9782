// Hostile input across the resource directory's writes, on both engines: direction controls never
// survive into names (listings, terms, postings, imports), a long or multi-line answer is refused
// beside its field with the form kept (never a bare error page), and an import's schedules must
// hold times, days and offsets that mean something.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { csrfTokenIn } from '../../../test/support/client.js';
import { browserMember, member } from '../../../test/support/community.js';
import { createListing } from '../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const RLO = '\u202E';
const PDI = '\u2069';
const FSI = '\u2068';
/** A name that closes the isolate it is put in, then reverses what follows it. */
const escaping = `Clinic${PDI}${RLO}exe.gnp`;
const controls = /[\u202A-\u202E\u2066-\u2069]/;

const listing = {
  organizationName: `Helm${RLO}`,
  name: escaping,
  description: `Help${RLO} for all`,
  language: 'en',
  visibility: 'public',
  country: 'LB',
  city: `Beirut${PDI}`,
};

describe('direction controls never reach a stored name', () => {
  test('listings (API and form), terms, postings and imports lose them; titles stay isolated', async () => {
    const keep = await member(rt, 'bidik', { role: 'moderator' });
    const viaApi = await keep.api.api('POST', '/api/v1/resources', listing);
    assert.equal(viaApi.status, 201, viaApi.body);
    const id = viaApi.json().listing.id as string;
    const page = await keep.api.get(`/resources/${id}`);
    assert.match(page.body, new RegExp(`<title>${FSI}Clinicexe\\.gnp${PDI} · Sanad</title>`));

    const web = await browserMember(rt, 'bidiw', { role: 'moderator' });
    const viaForm = await web.web.submit('/resources/new', '/resources', {
      ...listing,
      name: `Form ${escaping}`,
      phones: '+961 1 234 567',
      eligibility: `Adults${RLO}`,
    });
    assert.equal(viaForm.status, 303);

    const term = await keep.api.api('POST', '/api/v1/resources/terms', {
      nameAr: `ملجأ${RLO}`,
      nameEn: `Refuge${PDI}x`,
    });
    assert.equal(term.status, 201, term.body);
    assert.equal(term.json().term.name, 'Refugex');

    const poster = await member(rt, 'bidij', { role: 'moderator' });
    const job = await poster.api.api('POST', '/api/v1/resources/jobs', {
      title: `Nurse${PDI}${RLO}`,
      organizationName: `Nour${RLO}`,
      description: 'Night shifts',
      inclusionStatement: `All welcome${RLO}`,
      country: 'LB',
      city: `Tyre${RLO}`,
      applyContact: `Ask Rana${RLO}`,
    });
    assert.equal(job.status, 201, job.body);

    const imported = await keep.api.api('POST', '/api/v1/resources/import', {
      id: 'b1d1b1d1-0000-4000-8000-000000000001',
      name: `Imported${RLO} org`,
      description: 'An organisation',
      services: [
        {
          id: 'b1d1b1d1-0000-4000-8000-000000000002',
          name: `Imported ${escaping}`,
          description: `Text${RLO}`,
          status: 'active',
        },
      ],
    });
    assert.equal(imported.status, 200, imported.body);

    const db = rt.ctx.db;
    const stored = [
      ...(await db
        .selectFrom('resource_services')
        .select(['name', 'description', 'city', 'eligibility_description'])
        .execute()),
      ...(await db.selectFrom('resource_organizations').select(['name', 'description']).execute()),
      ...(await db.selectFrom('resource_phones').select(['number']).execute()),
    ];
    for (const row of stored)
      for (const value of Object.values(row))
        assert.doesNotMatch(String(value ?? ''), controls, `stored: ${JSON.stringify(row)}`);
    const translations = await db.selectFrom('resource_taxonomy_terms').select(['name', 'translations']).execute();
    for (const row of translations) assert.doesNotMatch(`${row.name}${row.translations ?? ''}`, controls);
  });
});

describe('long and multi-line answers in the forms', () => {
  test('a listing: too long is refused beside the field with every answer kept; line breaks count once', async () => {
    const { web } = await browserMember(rt, 'longl', { role: 'moderator' });
    for (const locale of ['en', 'ar'] as const) {
      web.acceptLanguage = locale;
      const name = 'ن'.repeat(5000);
      const refused = await web.submit('/resources/new', '/resources', {
        ...listing,
        name,
        description: 'Kept description',
      });
      assert.equal(refused.status, 422);
      assert.match(
        refused.body,
        locale === 'en' ? /200 characters or fewer|200 characters/ : /200/,
        'the limit is named beside the field',
      );
      assert.ok(refused.body.includes(name), 'the long name is shown again to shorten');
      assert.match(refused.body, /Kept description/);
    }
    web.acceptLanguage = 'en';
    // 3,900 characters in 100 lines, as a textarea with maxlength 4000 lets through, sent with CR LF.
    const description = Array.from({ length: 100 }, () => 'x'.repeat(38)).join('\r\n');
    const accepted = await web.submit('/resources/new', '/resources', { ...listing, name: 'Lines', description });
    assert.equal(accepted.status, 303);
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .select('description')
      .where('name', '=', 'Lines')
      .executeTakeFirstOrThrow();
    assert.equal(row.description, description.replaceAll('\r\n', '\n'));
  });

  test('a job posting: too long is refused beside the field with every answer kept; line breaks count once', async () => {
    const { web } = await browserMember(rt, 'longj');
    const posting = {
      title: 'Peer worker',
      organizationName: 'Nour',
      description: 'd',
      country: 'LB',
      city: 'Beirut',
      applyUrl: 'https://jobs.example.org/apply',
      applyContact: '',
      inclusionStatement: 'Everyone is welcome',
      expiresOn: '',
      visibility: 'public',
    };
    const long = 'y'.repeat(6000);
    const refused = await web.submit('/resources/jobs/new', '/resources/jobs', { ...posting, description: long });
    assert.equal(refused.status, 422);
    assert.ok(refused.body.includes(long), 'the long description is shown again to shorten');
    assert.match(refused.body, /Everyone is welcome/);

    const description = Array.from({ length: 100 }, () => 'z'.repeat(48)).join('\r\n');
    const accepted = await web.submit('/resources/jobs/new', '/resources/jobs', { ...posting, description });
    assert.equal(accepted.status, 303);
  });
});

describe("an import's schedules", () => {
  test('times, days, frequencies, week starts and offsets that mean nothing are problems; nothing is taken', async () => {
    const keep = await member(rt, 'sched', { role: 'moderator' });
    const document = (schedule: Record<string, unknown>) => ({
      id: '5c4ed000-0000-4000-8000-000000000001',
      name: 'Schedules org',
      description: 'An organisation',
      services: [
        {
          id: '5c4ed000-0000-4000-8000-000000000002',
          name: 'Drop-in',
          status: 'active',
          schedules: [{ id: '5c4ed000-0000-4000-8000-000000000003', freq: 'WEEKLY', ...schedule }],
        },
      ],
    });
    const bad = await keep.api.api(
      'POST',
      '/api/v1/resources/import',
      document({ byday: 'XX', opens_at: '25:99', closes_at: '9am', wkst: 'ZZ', timezone: 1e308 }),
    );
    assert.equal(bad.status, 422, bad.body);
    const fields = bad.json().error.fields.map((f: { field: string }) => f.field);
    for (const field of ['opens_at', 'closes_at', 'byday', 'wkst', 'timezone'])
      assert.ok(fields.includes(`schedule:5c4ed000-0000-4000-8000-000000000003:${field}`), field);
    assert.match(bad.body, /not a time, day or offset HSDS knows/);
    keep.api.acceptLanguage = 'ar';
    const arabic = await keep.api.api('POST', '/api/v1/resources/import', document({ opens_at: '25:99' }));
    assert.match(arabic.body, /ليست وقتًا أو يومًا/);
    keep.api.acceptLanguage = 'en';
    assert.equal((await rt.ctx.db.selectFrom('resource_schedules').select('id').execute()).length, 0);

    const good = await keep.api.api(
      'POST',
      '/api/v1/resources/import',
      document({ byday: 'TH,FR,-1SA', opens_at: '10:00:00', closes_at: '18:00+03:00', wkst: 'SA', timezone: 3 }),
    );
    assert.equal(good.status, 200, good.body);
  });
});

describe('the crisis page, signed in', () => {
  test('a confidential number is marked as on the listing, and the windows come in the order of the day', async () => {
    await createListing(rt, {
      terms: ['crisis-line'],
      service: { name: 'Tripoli Listening Line', country: 'LB' },
      phones: [{ number: '+961 6 111 222' }, { number: '+961 70 333 444', confidential: true }],
      // Rows in an order the page must not keep: ids are random, so any order may come back.
      schedules: [
        { byday: 'SA', opens_at: '14:00', closes_at: '17:00' },
        { byday: 'SA', opens_at: '09:00', closes_at: '13:00' },
      ],
    });
    const { api } = await member(rt, 'crisis');
    for (const [locale, mark] of [
      ['en', 'Shared in confidence'],
      ['ar', 'سرّي'],
    ] as const) {
      api.acceptLanguage = locale;
      const page = (await api.get('/resources/crisis?country=LB')).body;
      const line = page.slice(page.indexOf('Tripoli Listening Line'));
      assert.ok(line.includes(`+961 70 333 444</a> <strong class="in-confidence">${mark}`), `${locale}: marked`);
      assert.doesNotMatch(
        line.slice(0, line.indexOf('+961 70 333 444')),
        /in-confidence/,
        'the open number is not marked',
      );
      const nine = line.indexOf('09:00');
      const two = line.indexOf('14:00');
      assert.ok(nine > 0 && two > nine, `${locale}: 09:00 before 14:00`);
    }
  });
});

describe('the listing form', () => {
  test("each phone's confidential box names its phone, in Arabic and English", async () => {
    const { web } = await browserMember(rt, 'labels');
    for (const [locale, expected] of [
      ['en', ['Phone 1 is confidential', 'Phone 2 is confidential', 'Phone 3 is confidential']],
      ['ar', ['الهاتف 1 سرّي', 'الهاتف 2 سرّي', 'الهاتف 3 سرّي']],
    ] as const) {
      web.acceptLanguage = locale;
      const form = (await web.get('/resources/new')).body;
      const labels = [0, 1, 2].map(
        (i) => new RegExp(`<label for="field-phoneConfidential-${i}">([^<]*)</label>`).exec(form)?.[1],
      );
      assert.deepEqual(labels, expected);
    }
  });
});

describe('the listing page in English and Arabic', () => {
  test('lists take the reader\'s comma, and a listing with no place says no "Where"', async () => {
    const { serviceId } = await createListing(rt, { service: { name: 'Comma clinic' }, languages: ['ar', 'en'] });
    const { web } = await browserMember(rt, 'comma');
    const en = (await web.get(`/resources/${serviceId}`)).body;
    assert.match(en, /<bdi dir="auto">Beirut<\/bdi><\/span><span>, Lebanon<\/span>/);
    assert.match(en, /<dd>(Arabic, English|English, Arabic)<\/dd>/);
    web.acceptLanguage = 'ar';
    const ar = (await web.get(`/resources/${serviceId}`)).body;
    assert.match(ar, /<bdi dir="auto">Beirut<\/bdi><\/span><span>، لبنان<\/span>/);
    assert.match(ar, /<dd>(العربية، الإنجليزية|الإنجليزية، العربية)<\/dd>/);
    const nowhere = await createListing(rt, { service: { name: 'Nowhere line', country: null, city: null } });
    web.acceptLanguage = 'en';
    assert.doesNotMatch((await web.get(`/resources/${nowhere.serviceId}`)).body, /<dt>Where<\/dt>/);
  });
});

describe("the directory's other forms", () => {
  test('a value far too long is refused beside its field with the form kept, never a bare error page', async () => {
    const { serviceId } = await createListing(rt);
    const pending = await createListing(rt, { service: { name: 'Waiting', review_state: 'pending' } });
    const doomed = await createListing(rt, { service: { name: 'Doomed' } });
    const { web: keeper } = await browserMember(rt, 'longk', { role: 'moderator' });
    const { web: reader } = await browserMember(rt, 'longr');
    const long = 'طويل'.repeat(1500);
    const forms: [typeof keeper, string, string, Record<string, string>][] = [
      [
        reader,
        `/resources/${serviceId}/correct`,
        `/resources/${serviceId}/correct`,
        { reason: 'outdated', note: long },
      ],
      [keeper, `/resources/${serviceId}/verify`, `/resources/${serviceId}/verify`, { method: 'visited', note: long }],
      [keeper, '/resources/terms', '/resources/terms', { nameAr: long, nameEn: 'Long' }],
      [keeper, `/resources/${doomed.serviceId}/delete`, `/resources/${doomed.serviceId}/delete`, { reason: long }],
      [keeper, '/resources/review', `/resources/${pending.serviceId}/review`, { decision: 'decline', reason: long }],
    ];
    for (const [client, page, action, fields] of forms) {
      const token = csrfTokenIn((await client.get(page)).body);
      const response = await client.request('POST', action, { form: { ...fields, _csrf: token } });
      assert.equal(response.status, 422, `${action}: ${response.body.slice(0, 200)}`);
      assert.match(response.body, /class="error-summary"/, action);
      assert.ok(response.body.includes(long), `${action}: what was typed is shown again`);
    }
  });
});
