import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient } from '../../../test/support/client.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createListing, type ListingSeed, termIds } from '../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { localMoment, openState, weekdays } from './schedule.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => {
  await rt.close();
});

const day = 86_400_000;
const visitor = (language = 'en') => {
  const client = new TestClient(rt.app);
  client.acceptLanguage = language;
  return client;
};
/** The names of the listings an API search answers, in its order. */
async function names(client: TestClient, query: string): Promise<string[]> {
  const response = await client.get(`/api/v1/resources?${query}`);
  assert.equal(response.status, 200, response.body);
  return response.json().listings.map((l: { name: string }) => l.name);
}
const sorted = (list: string[]) => [...list].sort();

describe('who sees what', () => {
  let groupMember: Awaited<ReturnType<typeof member>>;
  let outsider: Awaited<ReturnType<typeof member>>;
  let keeper: Awaited<ReturnType<typeof member>>;
  before(async () => {
    groupMember = await member(rt, 'gm');
    outsider = await member(rt, 'out');
    keeper = await member(rt, 'keep', { role: 'moderator' });
    const group = await createGroupAs(groupMember.api, { visibility: 'private' });
    const now = rt.ctx.now();
    const listing = (name: string, service: Record<string, unknown> = {}) =>
      createListing(rt, { service: { name, country: 'YE', ...service } });
    await listing('Public clinic');
    await listing('Members clinic', { visibility: 'members' });
    await listing('Discreet clinic', { visibility: 'group', group_id: group.id });
    await listing('Waiting suggestion', { review_state: 'pending', submitted_by: outsider.user.id });
    await listing('Declined listing', { review_state: 'declined' });
    await listing('Open job', { kind: 'job', expires_at: now + 30 * day });
    await listing('Expired job', { kind: 'job', expires_at: now - 1000 });
  });

  test('a visitor sees public listings only, on the page and in the API', async () => {
    assert.deepEqual(sorted(await names(visitor(), 'country=YE')), ['Open job', 'Public clinic']);
    const page = await visitor().get('/resources?country=YE');
    assert.equal(page.status, 200);
    assert.match(page.body, /Public clinic/);
    assert.doesNotMatch(page.body, /Members clinic|Discreet clinic|Waiting suggestion|Expired job/);
  });

  test('members see members-only listings; group-limited ones only in the group; keepers see every published one', async () => {
    assert.deepEqual(sorted(await names(outsider.api, 'country=YE')), ['Members clinic', 'Open job', 'Public clinic']);
    assert.deepEqual(sorted(await names(groupMember.api, 'country=YE')), [
      'Discreet clinic',
      'Members clinic',
      'Open job',
      'Public clinic',
    ]);
    // A waiting suggestion has its own queue, even for its author and the keepers.
    assert.deepEqual(sorted(await names(keeper.api, 'country=YE')), [
      'Discreet clinic',
      'Members clinic',
      'Open job',
      'Public clinic',
    ]);
  });

  test('an expired job posting never appears, whatever the filters', async () => {
    for (const client of [visitor(), outsider.api, keeper.api]) {
      assert.ok(!(await names(client, 'country=YE&kind=job')).includes('Expired job'));
      assert.ok(!(await names(client, 'q=expired')).includes('Expired job'));
    }
    assert.deepEqual(await names(visitor(), 'country=YE&kind=job'), ['Open job']);
    assert.deepEqual(await names(visitor(), 'country=YE&kind=service'), ['Public clinic']);
  });

  test('the API lists exactly its fields: no search text, places, contacts or notes', async () => {
    await createListing(rt, {
      service: { name: 'Safe house', country: 'OM', city: 'Muscat' },
      address: { address_1: 'Secret street 4', city: 'Muscat', country: 'OM', confidential: true },
      phones: [{ number: '+968 0000 1111', confidential: true }],
      terms: ['housing-shelter'],
    });
    const response = await visitor().get('/api/v1/resources?country=OM');
    const [listing] = response.json().listings;
    assert.deepEqual(Object.keys(listing).sort(), [
      'categories',
      'city',
      'cost',
      'country',
      'expiresAt',
      'href',
      'id',
      'kind',
      'name',
      'nameLanguage',
      'openNow',
      'organization',
      'remote',
      'verification',
      'verifiedAt',
    ]);
    assert.doesNotMatch(response.body, /Secret street|0000 1111|search_text|safe house safe/);
    assert.deepEqual(listing.categories, [
      { id: termIds['housing-shelter'], code: 'housing-shelter', name: 'Housing and emergency shelter' },
    ]);
  });
});

describe('filters', () => {
  before(async () => {
    const base = { country: 'JO', city: 'Amman', tz: 'Asia/Amman' };
    await createListing(rt, {
      service: { ...base, name: 'Amman legal aid', cost: 'free' },
      terms: ['legal-aid'],
      languages: ['ar', 'en'],
    });
    await createListing(rt, {
      service: { ...base, name: 'Amman counselling', cost: 'sliding', remote: 1 },
      terms: ['mental-health'],
      languages: ['ar'],
    });
    await createListing(rt, {
      service: { ...base, name: 'Irbid clinic', city: 'إربد', cost: 'paid' },
      terms: ['primary-care'],
      languages: ['en', 'fr'],
    });
    await createListing(rt, {
      service: { ...base, name: 'Zarqa job', city: 'Zarqa', kind: 'job', expires_at: rt.ctx.now() + 10 * day },
      terms: ['jobs-training'],
    });
  });

  test('free text, category by code or id, country and city', async () => {
    assert.deepEqual(await names(visitor(), 'country=JO&q=counselling'), ['Amman counselling']);
    assert.deepEqual(await names(visitor(), 'country=JO&category=legal-aid'), ['Amman legal aid']);
    assert.deepEqual(await names(visitor(), `country=JO&category=${termIds['primary-care']}`), ['Irbid clinic']);
    assert.deepEqual(sorted(await names(visitor(), 'country=jo&city=AMMAN')), ['Amman counselling', 'Amman legal aid']);
    // A city is compared as search normalises it: hamza and case folded.
    assert.deepEqual(await names(visitor(), `country=JO&city=${encodeURIComponent('اربد')}`), ['Irbid clinic']);
    assert.deepEqual(await names(visitor(), 'country=EG&city=Amman'), []);
  });

  test('language spoken, cost, remote and kind', async () => {
    assert.deepEqual(sorted(await names(visitor(), 'country=JO&language=en')), ['Amman legal aid', 'Irbid clinic']);
    assert.deepEqual(await names(visitor(), 'country=JO&language=fr'), ['Irbid clinic']);
    assert.deepEqual(await names(visitor(), 'country=JO&cost=free'), ['Amman legal aid']);
    assert.deepEqual(await names(visitor(), 'country=JO&cost=sliding'), ['Amman counselling']);
    assert.deepEqual(await names(visitor(), 'country=JO&cost=paid'), ['Irbid clinic']);
    assert.deepEqual(await names(visitor(), 'country=JO&remote=true'), ['Amman counselling']);
    assert.deepEqual(await names(visitor(), 'country=JO&kind=job'), ['Zarqa job']);
    assert.deepEqual(await names(visitor(), 'country=JO&kind=service&cost=free&language=ar'), ['Amman legal aid']);
  });

  test('the page applies the same filters from its form, and keeps them in the form', async () => {
    const page = await visitor().get('/resources?country=JO&category=legal-aid&remote=&open=');
    assert.equal(page.status, 200);
    assert.match(page.body, /Amman legal aid/);
    assert.doesNotMatch(page.body, /Amman counselling|Irbid clinic/);
    assert.match(page.body, /<option value="JO" selected>/);
    assert.match(page.body, /<option value="legal-aid" selected>/);
    assert.match(page.body, /href="\/resources\/[0-9a-f-]{36}"/);
    const remote = await visitor().get('/resources?country=JO&remote=on');
    assert.match(remote.body, /Amman counselling/);
    assert.match(remote.body, /name="remote" value="on" checked/);
  });
});

describe('Arabic and English', () => {
  before(async () => {
    await createListing(rt, {
      service: { name: 'Cedar legal clinic', description: 'Free advice for LGBTQ+ people', country: 'LB' },
      terms: ['legal-aid'],
    });
    await createListing(rt, {
      service: {
        name: 'عيادة الأمل',
        description: 'استشاراتٌ نفسيّة للأفراد والعائلات',
        language: 'ar',
        country: 'LB',
        translations: JSON.stringify({ en: { name: 'Hope clinic' } }),
      },
      terms: ['mental-health'],
    });
  });

  test('an Arabic query finds an English legal-aid listing by its category’s Arabic names and words', async () => {
    for (const q of ['محامي', 'مُحامٍ', 'المحامين', 'مساعدة قانونية', 'المُساعَدة القانونيّة', 'lawyers']) {
      assert.deepEqual(await names(visitor(), `country=LB&q=${encodeURIComponent(q)}`), ['Cedar legal clinic'], q);
    }
  });

  test('variants and tashkeel find an Arabic listing; English words find it by its translation', async () => {
    for (const q of ['الأَمَل', 'الامل', 'عياده', 'عيادة', 'العايلات', 'hope', 'counselling']) {
      assert.deepEqual(await names(visitor('ar'), `country=LB&q=${encodeURIComponent(q)}`), ['عيادة الأمل'], q);
    }
  });

  test('the reader’s language names the listing and its category on the card', async () => {
    const english = await visitor('en').get('/resources?country=LB&category=mental-health');
    assert.match(english.body, /Hope clinic/);
    assert.match(english.body, /Mental health and counselling/);
    const arabic = await visitor('ar').get('/resources?country=LB&category=mental-health');
    assert.match(arabic.body, /عيادة الأمل/);
    assert.match(arabic.body, /الصحة النفسية والإرشاد/);
    assert.match(arabic.body, /دليل الموارد/);
  });
});

describe('order and pages', () => {
  test('verified and fresh first, then the rest by name; a lapsed mark does not lift a listing', async () => {
    const now = rt.ctx.now();
    await createListing(rt, { service: { name: 'Alpha unverified', country: 'KW' } });
    await createListing(rt, { service: { name: 'Beta lapsed', country: 'KW', verified_at: now - 400 * day } });
    await createListing(rt, { service: { name: 'Gamma fresh', country: 'KW', verified_at: now - 10 * day } });
    await createListing(rt, { service: { name: 'Delta fresh', country: 'KW', verified_at: now - 300 * day } });
    await createListing(rt, { service: { name: 'Epsilon', country: 'KW' } });
    assert.deepEqual(await names(visitor(), 'country=KW'), [
      'Delta fresh',
      'Gamma fresh',
      'Alpha unverified',
      'Beta lapsed',
      'Epsilon',
    ]);
    const listings = (await visitor().get('/api/v1/resources?country=KW')).json().listings;
    assert.deepEqual(
      listings.map((l: { verification: string }) => l.verification),
      ['verified', 'verified', 'unverified', 'stale', 'unverified'],
    );
    const page = await visitor().get('/resources?country=KW');
    assert.match(page.body, /Verified LGBTQ-affirming/);
    assert.match(page.body, /Verification lapsed/);
    // An administrator's shorter period lapses Delta's mark at once.
    await rt.ctx.db.insertInto('settings').values({ key: 'resources.verification_months', value: '6' }).execute();
    try {
      assert.deepEqual((await names(visitor(), 'country=KW'))[0], 'Gamma fresh');
      assert.equal((await names(visitor(), 'country=KW'))[1], 'Alpha unverified');
    } finally {
      await rt.ctx.db.deleteFrom('settings').where('key', '=', 'resources.verification_months').execute();
    }
  });

  test('twenty a page, in a stable order, every listing once; links to the next page and back to the first', async () => {
    const now = rt.ctx.now();
    for (let i = 0; i < 23; i++)
      await createListing(rt, {
        service: {
          name: `Listing ${String(i).padStart(2, '0')}`,
          country: 'QA',
          ...(i % 5 === 0 ? { verified_at: now - day } : {}),
        },
      });
    const client = visitor();
    const first = (await client.get('/api/v1/resources?country=QA')).json();
    assert.equal(first.listings.length, 20);
    assert.ok(first.next);
    const second = (await client.get(`/api/v1/resources?country=QA&after=${first.next}`)).json();
    assert.equal(second.listings.length, 3);
    assert.equal(second.next, null);
    const all = [...first.listings, ...second.listings].map((l: { name: string }) => l.name);
    assert.equal(new Set(all).size, 23);
    assert.deepEqual(all.slice(0, 5), ['Listing 00', 'Listing 05', 'Listing 10', 'Listing 15', 'Listing 20']);
    const page = await client.get('/resources?country=QA');
    const next = /href="(\/resources\?country=QA&amp;after=[^"]+)" rel="next"/.exec(page.body);
    assert.ok(next, 'a link to the next page');
    const nextPage = await client.get(next[1]!.replaceAll('&amp;', '&'));
    assert.match(nextPage.body, /Listing 22/);
    assert.match(nextPage.body, /href="\/resources\?country=QA">Back to the first results/);
  });

  test('nothing found: a clear empty state with a link to suggest a listing', async () => {
    const page = await visitor().get('/resources?country=SO');
    assert.equal(page.status, 200);
    assert.match(page.body, /No listing matches these filters/);
    assert.match(page.body, /href="\/resources\/new"/);
  });
});

describe('open now', () => {
  const zones = ['Asia/Beirut', 'Africa/Cairo', 'Asia/Riyadh', 'Europe/Berlin', 'America/New_York'];
  const allDays = weekdays.join(',');

  test('the SQL filter and the card agree with schedule.ts across zones, overnight and closures', async () => {
    const now = rt.ctx.now();
    const seeds: { name: string; tz: string; schedules: NonNullable<ListingSeed['schedules']> }[] = [];
    for (const tz of zones) {
      const local = localMoment(now, tz)!;
      const hour = Math.floor(local.seconds / 3600);
      const hh = (h: number) => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:00`;
      seeds.push(
        {
          name: `${tz} open around now`,
          tz,
          schedules: [{ byday: local.weekday, opens_at: hh(hour), closes_at: hh(hour + 1) }],
        },
        {
          name: `${tz} closed for prayer now`,
          tz,
          schedules: [
            { byday: allDays, opens_at: hh(hour - 3), closes_at: hh(hour) },
            { byday: allDays, opens_at: hh(hour + 1), closes_at: hh(hour + 3) },
          ],
        },
        {
          name: `${tz} overnight from yesterday`,
          tz,
          schedules: [{ byday: local.previousWeekday, opens_at: '23:59', closes_at: hh(hour + 1) }],
        },
        {
          name: `${tz} yesterday only`,
          tz,
          schedules: [{ byday: local.previousWeekday, opens_at: '00:00', closes_at: '23:59' }],
        },
        {
          name: `${tz} all day, ended`,
          tz,
          schedules: [{ byday: allDays, opens_at: '00:00', closes_at: '00:00', valid_to: '2020-12-31' }],
        },
        {
          name: `${tz} all day, row in another zone`,
          tz: 'Pacific/Auckland',
          schedules: [{ byday: local.weekday, opens_at: '00:00', closes_at: '00:00', tz }],
        },
        { name: `${tz} no hours`, tz, schedules: [] },
      );
    }
    const states = new Map<string, string>();
    for (const seed of seeds) {
      await createListing(rt, { service: { name: seed.name, country: 'BH', tz: seed.tz }, schedules: seed.schedules });
      const rows = seed.schedules.map((w) => ({ freq: 'WEEKLY', tz: w.tz ?? seed.tz, valid_to: null, ...w }));
      states.set(seed.name, openState(rows, seed.tz, now));
    }
    const expectedOpen = [...states].filter(([, s]) => s === 'open').map(([n]) => n);
    assert.ok(expectedOpen.length >= zones.length * 2, 'the seeds hold open listings in every zone');
    const listings: { name: string; openNow: string }[] = [];
    let next = '';
    do {
      const page = (
        await visitor().get(`/api/v1/resources?country=BH&open=true${next ? `&after=${next}` : ''}`)
      ).json();
      listings.push(...page.listings);
      next = page.next ?? '';
    } while (next);
    assert.deepEqual(sorted(listings.map((l) => l.name)), sorted(expectedOpen));
    // Without the filter, every card says what schedule.ts says, unknown included.
    const every: { name: string; openNow: string }[] = [];
    next = '';
    do {
      const page = (await visitor().get(`/api/v1/resources?country=BH${next ? `&after=${next}` : ''}`)).json();
      every.push(...page.listings);
      next = page.next ?? '';
    } while (next);
    assert.equal(every.length, seeds.length);
    for (const l of every) assert.equal(l.openNow, states.get(l.name), l.name);
    assert.equal(states.get('Asia/Beirut no hours'), 'unknown');
    assert.equal(states.get('Asia/Beirut yesterday only'), 'closed');
  });

  test('hours kept on a service-at-location count for its service', async () => {
    const { serviceId } = await createListing(rt, {
      service: { name: 'Clinic with hours at its place', country: 'SD', tz: 'Africa/Khartoum' },
      address: { address_1: 'Street 1', city: 'Khartoum', country: 'SD' },
    });
    const place = await rt.ctx.db
      .selectFrom('resource_service_at_locations')
      .select('id')
      .where('service_id', '=', serviceId)
      .executeTakeFirstOrThrow();
    await rt.ctx.db
      .insertInto('resource_schedules')
      .values({
        id: crypto.randomUUID(),
        service_at_location_id: place.id,
        freq: 'WEEKLY',
        byday: weekdays.join(','),
        opens_at: '00:00',
        closes_at: '00:00',
      })
      .execute();
    const [listing] = (await visitor().get('/api/v1/resources?country=SD&open=true')).json().listings;
    assert.equal(listing.name, 'Clinic with hours at its place');
    assert.equal(listing.openNow, 'open');
  });

  test('the page says open now, closed now or not known in words', async () => {
    const page = await visitor().get('/resources?country=BH');
    assert.match(page.body, /Open now/);
    assert.match(page.body, /Closed now/);
    assert.match(page.body, /Opening hours not known/);
  });
});

describe('wrong filters', () => {
  const bad = 'country=XX&cost=cheap&kind=event&language=not%20a%20code&open=maybe&category=no-such-term&after=%25%25';

  test('the API answers 400 naming each filter, in the reader’s language', async () => {
    const english = await visitor('en').get(`/api/v1/resources?${bad}`);
    assert.equal(english.status, 400);
    const { error } = english.json();
    assert.equal(error.code, 'bad_request');
    assert.equal(error.message, 'Some filters need another look.');
    assert.deepEqual(error.fields.map((f: { field: string }) => f.field).sort(), [
      'after',
      'category',
      'cost',
      'country',
      'kind',
      'language',
      'open',
    ]);
    assert.ok(error.fields.some((f: { message: string }) => f.message === 'Choose a country from the list.'));
    const arabic = (await visitor('ar').get('/api/v1/resources?cost=cheap')).json();
    assert.equal(arabic.error.message, 'بعض عوامل التصفية تحتاج إلى مراجعة.');
    assert.equal(arabic.error.fields[0].message, 'يُرجى اختيار مجانية أو حسب القدرة على الدفع أو مدفوعة.');
  });

  test('the page keeps the form as sent, with an error summary and each problem beside its field', async () => {
    const { web } = await browserMember(rt);
    const page = await web.get(`/resources?q=clinic&city=Tyre&${bad}`);
    assert.equal(page.status, 400);
    assert.match(page.body, /class="error-summary"/);
    assert.match(page.body, /href="#field-country">Choose a country from the list\./);
    assert.match(page.body, /id="field-cost-error"/);
    assert.match(page.body, /name="q"[^>]*value="clinic"|value="clinic"[^>]*name="q"/);
    assert.match(page.body, /value="Tyre"/);
    assert.doesNotMatch(page.body, /No listing matches/);
  });

  test('too many words is refused beside the words', async () => {
    const words = Array.from({ length: 9 }, (_, i) => `word${i}`).join(' ');
    const response = await visitor().get(`/api/v1/resources?q=${encodeURIComponent(words)}`);
    assert.equal(response.status, 400);
    assert.equal(response.json().error.fields[0].field, 'q');
  });
});

test('the navigation links to the directory for visitors and for members', async () => {
  const asVisitor = await visitor('ar').get('/resources');
  assert.match(asVisitor.body, /<a[^>]+href="\/resources"[^>]*>دليل الموارد<\/a>/);
  const { web } = await browserMember(rt);
  const asMember = await web.get('/');
  assert.match(asMember.body, /<a[^>]+href="\/resources"[^>]*>Resources<\/a>/);
});

test('the API is in the OpenAPI document with its filters', async () => {
  const document = (await visitor().get('/api/v1/openapi.json')).json();
  const operation = document.paths['/api/v1/resources'].get;
  const parameters = operation.parameters.map((p: { name: string }) => p.name).sort();
  assert.deepEqual(parameters, [
    'after',
    'category',
    'city',
    'cost',
    'country',
    'kind',
    'language',
    'open',
    'q',
    'remote',
  ]);
  assert.ok(operation.responses['400']);
});
