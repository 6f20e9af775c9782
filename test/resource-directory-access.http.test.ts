// A hostile sweep of the resource directory (ADR 0053–0059), on both engines: every route that names
// a listing, tried by every kind of reader against every kind of listing. A listing someone may not
// read must answer exactly as a listing that does not exist (same status, same body once the id is
// swapped), for reads and writes alike, and a refused write changes nothing. Confidential places,
// addresses and phones never appear in an API answer, and never on a page a visitor sees.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient } from './support/client.js';
import { createGroupAs, member } from './support/community.js';
import { anonymousBanKey } from '../src/security/anonymity.js';
import { newId } from '../src/security/tokens.js';
import { createListing } from './support/resources.js';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';

let rt: TestRuntime;
after(async () => rt.close());

const missing = '00000000-0000-4000-8000-00000000dead';
const day = 86_400_000;

type Kind = 'public' | 'members' | 'group' | 'pending' | 'declined' | 'expired';
type Role =
  | 'visitor'
  | 'member'
  | 'group member'
  | 'suggester'
  | 'trusted'
  | 'frozen'
  | 'muted'
  | 'frozen moderator'
  | 'moderator'
  | 'admin';

interface World {
  clients: Record<Role, TestClient>;
  userIds: Partial<Record<Role, string>>;
  listings: Record<Kind, { serviceId: string; organizationId: string }>;
}

let world: World;

/** Who reads what: the policy's answer, written out (ADR 0053, 0058). */
const reads: Record<Role, Kind[]> = {
  visitor: ['public'],
  member: ['public', 'members'],
  'group member': ['public', 'members', 'group'],
  suggester: ['public', 'members', 'pending'],
  trusted: ['public', 'members'],
  frozen: ['public', 'members'],
  muted: ['public', 'members'],
  'frozen moderator': ['public', 'members'],
  moderator: ['public', 'members', 'group', 'pending', 'declined', 'expired'],
  admin: ['public', 'members', 'group', 'pending', 'declined', 'expired'],
};

before(async () => {
  rt = await createTestRuntime();
  const clients = { visitor: new TestClient(rt.app) } as Record<Role, TestClient>;
  const userIds: World['userIds'] = {};
  const add = async (role: Role, options: Parameters<typeof member>[2] = {}) => {
    const m = await member(rt, role.replace(/\W/g, '').slice(0, 6), options);
    clients[role] = m.api;
    userIds[role] = m.user.id;
    return m;
  };
  const groupMember = await add('group member');
  const group = await createGroupAs(groupMember.api, { visibility: 'private' });
  await add('member', { trust: 'new' });
  await add('suggester', { trust: 'member' });
  await add('trusted');
  await add('frozen');
  await add('muted');
  await add('frozen moderator', { role: 'moderator' });
  await add('moderator', { role: 'moderator' });
  await add('admin', { role: 'admin' });
  await rt.ctx.db
    .updateTable('users')
    .set({ frozen_at: Date.now() })
    .where('id', 'in', [userIds.frozen!, userIds['frozen moderator']!])
    .execute();
  await rt.ctx.db
    .updateTable('users')
    .set({ muted_until: Date.now() + 30 * day })
    .where('id', '=', userIds.muted!)
    .execute();
  const listing = async (kind: Kind, service: Record<string, unknown>) =>
    createListing(rt, {
      service: { name: `Listing ${kind}`, ...service },
      organization: { name: `Organisation ${kind}` },
      address: { address_1: `SECRET-ADDRESS-${kind}`, city: 'Beirut', country: 'LB', confidential: true },
      phones: [{ number: `+961 1 SECRET ${kind}`, confidential: true }, { number: '+961 1 000 000' }],
      terms: ['crisis-line', 'jobs-training'],
    });
  world = {
    clients,
    userIds,
    listings: {
      public: await listing('public', {}),
      members: await listing('members', { visibility: 'members' }),
      group: await listing('group', { visibility: 'group', group_id: group.id }),
      pending: await listing('pending', { review_state: 'pending', submitted_by: userIds.suggester }),
      declined: await listing('declined', { review_state: 'declined' }),
      expired: await listing('expired', { kind: 'job', expires_at: Date.now() - day, inclusion_statement: 'All' }),
    },
  };
});

const roles = Object.keys(reads) as Role[];
const kinds: Kind[] = ['public', 'members', 'group', 'pending', 'declined', 'expired'];

/** A page or answer with what changes from one request to the next taken out, and the id swapped. */
function normalised(body: string, id: string): string {
  return body
    .replaceAll(id, missing)
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"')
    .replace(/nonce="[^"]*"/g, 'nonce=""');
}

const readRoutes = (id: string, organizationId: string) => [
  `/resources/${id}`,
  `/api/v1/resources/${id}`,
  `/resources/${id}/notes`,
  `/api/v1/resources/${id}/notes`,
  `/resources/${id}/correct`,
  `/resources/${id}/verify`,
  `/api/v1/resources/${id}/verification`,
  `/resources/${id}/edit`,
  `/resources/${id}/delete`,
  `/resources/jobs/${id}/manage`,
  `/reports/new?targetType=resource&targetId=${id}`,
  `/reports/sent?targetType=resource&targetId=${id}`,
  `/api/hsds/services/${id}`,
  `/api/hsds/organizations/${organizationId}`,
];

describe('a listing one may not read answers as a missing one', () => {
  test('every read route × every role × every kind of listing', async () => {
    let compared = 0;
    let read = 0;
    for (const role of roles) {
      const client = world.clients[role];
      for (const kind of kinds) {
        const { serviceId, organizationId } = world.listings[kind];
        const routes = readRoutes(serviceId, organizationId);
        const absent = readRoutes(missing, missing);
        for (const [i, route] of routes.entries()) {
          const answer = await client.get(route);
          if (reads[role].includes(kind)) {
            if (i < 2) {
              assert.equal(answer.status, 200, `${role} reads the ${kind} listing: ${route}`);
              read++;
            }
            continue;
          }
          // The organisation's own id differs from the service's; HSDS answers 404 both ways.
          const other = await client.get(absent[i]!);
          assert.equal(answer.status, other.status, `${role} × ${kind}: ${route}`);
          assert.equal(
            normalised(normalised(answer.body, serviceId), organizationId),
            normalised(other.body, missing),
            `${role} × ${kind}: ${route} says more than a missing listing`,
          );
          compared++;
        }
      }
    }
    assert.ok(compared > 300 && read > 40, `${compared} compared, ${read} read`);
  });
});

/** Everything a write could touch, to see that a refused one touched nothing. */
async function snapshot(): Promise<string> {
  const db = rt.ctx.db;
  const count = async (
    table: 'resource_notes' | 'resource_corrections' | 'moderation_log' | 'moderation_cases' | 'reports',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const services = await db
    .selectFrom('resource_services')
    .select(['id', 'name', 'review_state', 'verified_at', 'expires_at', 'updated_at', 'visibility'])
    .orderBy('id')
    .execute();
  return JSON.stringify({
    notes: await count('resource_notes'),
    corrections: await count('resource_corrections'),
    log: await count('moderation_log'),
    cases: await count('moderation_cases'),
    reports: await count('reports'),
    services,
  });
}

type Write = [method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body: unknown];
const writeRoutes = (id: string): Write[] => [
  ['POST', `/api/v1/resources/${id}/notes`, { body: 'Kind staff', rating: 'unsafe', anonymous: true }],
  ['POST', `/api/v1/resources/${id}/corrections`, { reason: 'wrong', note: 'The phone changed' }],
  ['PUT', `/api/v1/resources/${id}/verification`, { method: 'visited' }],
  ['DELETE', `/api/v1/resources/${id}/verification`, { reason: 'No longer sure' }],
  ['PATCH', `/api/v1/resources/${id}`, { name: 'Renamed' }],
  ['POST', `/api/v1/resources/${id}/review`, { decision: 'approve' }],
  [
    'POST',
    `/api/v1/resources/jobs/${id}/extend`,
    { expiresOn: new Date(Date.now() + 30 * day).toISOString().slice(0, 10) },
  ],
  ['DELETE', `/api/v1/resources/jobs/${id}`, { reason: 'Filled' }],
  ['DELETE', `/api/v1/resources/${id}`, { reason: 'Closed' }],
  ['POST', '/api/v1/reports', { targetType: 'resource', targetId: id, reason: 'spam' }],
];

/** Limits count every attempt; the sweep is about answers, so each attempt starts from a fresh count. */
async function freshLimits(role: Role) {
  const id = world.userIds[role];
  if (!id) return;
  for (const name of ['postBurst', 'postHour', 'reportHour'] as const) await rt.ctx.limits.reset(name, id);
}

describe('a write on a listing one may not read, or may not write, changes nothing', () => {
  test('every write route × every role but the keepers × every kind of listing', async () => {
    let compared = 0;
    let refused = 0;
    for (const role of roles.filter((r) => r !== 'moderator' && r !== 'admin')) {
      const client = world.clients[role];
      for (const kind of kinds) {
        const { serviceId } = world.listings[kind];
        const readable = reads[role].includes(kind);
        // Readers who may write are not this sweep's business: the features' own tests cover them.
        if (readable && role !== 'frozen' && role !== 'muted' && role !== 'frozen moderator' && role !== 'visitor')
          continue;
        const absent = writeRoutes(missing);
        for (const [i, [method, url, body]] of writeRoutes(serviceId).entries()) {
          // A muted member may still report what they can read (reports are not posts, ADR 0048).
          if (readable && role === 'muted' && url === '/api/v1/reports') continue;
          const before = await snapshot();
          await freshLimits(role);
          const answer = await client.api(method, url, body);
          assert.ok(
            (await snapshot()) === before,
            `${role} × ${kind}: ${method} ${url} (${answer.status}) changed something`,
          );
          assert.ok(answer.status >= 400, `${role} × ${kind}: ${method} ${url} answered ${answer.status}`);
          refused++;
          if (readable) continue;
          await freshLimits(role);
          const [, otherUrl, otherBody] = absent[i]!;
          const other = await client.api(method, otherUrl, otherBody);
          assert.equal(answer.status, other.status, `${role} × ${kind}: ${method} ${url}`);
          assert.equal(
            normalised(answer.body, serviceId),
            normalised(other.body, missing),
            `${role} × ${kind}: ${url}`,
          );
          compared++;
        }
      }
    }
    assert.ok(compared > 150 && refused > compared, `${compared} compared, ${refused} refused`);
  });
});

describe('confidential places and phones stay home', () => {
  test('never in an API answer or an export, whoever asks; never on a page a visitor sees', async () => {
    const apiRoutes = (id: string, organizationId: string) => [
      `/api/v1/resources/${id}`,
      `/api/v1/resources/${id}/verification`,
      `/api/v1/resources/${id}/notes`,
      `/api/hsds/services/${id}`,
      `/api/hsds/organizations/${organizationId}?full_service=true`,
    ];
    const lists = [
      '/api/v1/resources/jobs',
      '/api/v1/resources/corrections',
      '/api/v1/moderation/queue',
      '/api/hsds/services?full=true',
      '/api/hsds/organizations?full=true&full_service=true',
      '/api/hsds/service_at_locations?full=true',
      '/api/v1/resources/export?format=json&reach=all',
    ];
    let checked = 0;
    for (const role of roles) {
      const client = world.clients[role];
      const urls = [
        ...lists,
        ...kinds.flatMap((k) => apiRoutes(world.listings[k].serviceId, world.listings[k].organizationId)),
      ];
      for (const url of urls) {
        const answer = await client.get(url);
        assert.doesNotMatch(answer.body, /SECRET/, `${role}: ${url}`);
        if (answer.status === 200) checked++;
      }
    }
    const visitor = world.clients.visitor;
    for (const url of [
      '/resources/crisis',
      '/resources/crisis?country=LB',
      '/resources/jobs',
      `/resources/${world.listings.public.serviceId}`,
    ]) {
      const page = await visitor.get(url);
      assert.equal(page.status, 200, url);
      assert.doesNotMatch(page.body, /SECRET/, url);
    }
    assert.ok(checked > 100, `${checked} answers checked`);
  });
});

describe('side doors', () => {
  test('an organisation whose only listing is an expired job posting is not offered on the job form', async () => {
    const expired = world.listings.expired;
    for (const role of ['member', 'group member', 'trusted'] as const) {
      const form = await world.clients[role].get('/resources/jobs/new');
      assert.equal(form.status, 200);
      assert.ok(!form.body.includes(expired.organizationId), `${role} is offered it`);
      assert.doesNotMatch(form.body, /Organisation expired/, role);
      // Naming it by id is refused as an unknown organisation would be.
      const posting = {
        title: 'Nurse',
        description: 'Evening shifts',
        inclusionStatement: 'Everyone welcome',
        remote: true,
      };
      await freshLimits(role);
      const named = await world.clients[role].api('POST', '/api/v1/resources/jobs', {
        ...posting,
        organizationId: expired.organizationId,
      });
      const unknown = await world.clients[role].api('POST', '/api/v1/resources/jobs', {
        ...posting,
        organizationId: missing,
      });
      assert.equal(named.status, 422, role);
      assert.equal(named.body, unknown.body, role);
    }
    // Keepers still read expired postings, so they may still name their organisation.
    const keeperForm = await world.clients.moderator.get('/resources/jobs/new');
    assert.ok(keeperForm.body.includes(expired.organizationId));
  });

  test("a member's suggestion cannot name an organisation they may not read, nor learn its name", async () => {
    const before = await snapshot();
    for (const kind of ['group', 'pending', 'declined', 'expired'] as const) {
      const suggestion = {
        organizationId: world.listings[kind].organizationId,
        name: 'Quiet clinic',
        description: 'Testing on weekdays',
        language: 'en',
        visibility: 'public',
      };
      await freshLimits('trusted');
      const named = await world.clients.trusted.api('POST', '/api/v1/resources', suggestion);
      const unknown = await world.clients.trusted.api('POST', '/api/v1/resources', {
        ...suggestion,
        organizationId: missing,
      });
      assert.equal(named.status, 422, `${kind}: ${named.body.slice(0, 200)}`);
      assert.equal(named.body, unknown.body, kind);
      assert.doesNotMatch(named.body, new RegExp(`Organisation ${kind}`), kind);
    }
    assert.equal(await snapshot(), before);
    // One they may read is still theirs to name.
    await freshLimits('trusted');
    const readable = await world.clients.trusted.api('POST', '/api/v1/resources', {
      organizationId: world.listings.members.organizationId,
      name: 'Quiet clinic',
      description: 'Testing on weekdays',
      language: 'en',
      visibility: 'public',
    });
    assert.equal(readable.status, 201, readable.body.slice(0, 300));
    await rt.ctx.db.deleteFrom('resource_services').where('id', '=', readable.json().listing.id).execute();
  });

  test("the corrections queue's API holds back a proposed address or phone wherever the listing keeps one in confidence", async () => {
    // A confidential place whose address row is not flagged itself (as an import leaves it), and a
    // confidential phone that is not the listing's first.
    const { serviceId, locationId } = await createListing(rt, {
      service: { name: 'Safe house' },
      address: { address_1: 'Somewhere', city: 'Beirut', country: 'LB', confidential: true },
      phones: [{ number: '+961 1 111 111' }, { number: '+961 1 222 222', confidential: true }],
    });
    await rt.ctx.db
      .updateTable('resource_addresses')
      .set({ confidential: 0 })
      .where('location_id', '=', locationId)
      .execute();
    const phones = await rt.ctx.db
      .selectFrom('resource_phones')
      .select(['id', 'confidential'])
      .where('service_id', '=', serviceId)
      .execute();
    // The flagged phone must sort after the open one, as the correction's "first phone" is by id.
    const [first, second] = phones.sort((a, b) => (a.id < b.id ? -1 : 1));
    await rt.ctx.db.updateTable('resource_phones').set({ confidential: 0 }).where('id', '=', first!.id).execute();
    await rt.ctx.db.updateTable('resource_phones').set({ confidential: 1 }).where('id', '=', second!.id).execute();
    const sent = await world.clients.trusted.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      anonymous: true,
      proposed: { address: 'SECRET new street 4', phone: '+961 1 987 654', name: 'Safe house two' },
    });
    assert.equal(sent.status, 201, sent.body);
    assert.doesNotMatch(sent.body, /SECRET/);
    const queue = await world.clients.moderator.get('/api/v1/resources/corrections');
    assert.equal(queue.status, 200);
    const mine = queue.json().corrections.find((c: { serviceId: string }) => c.serviceId === serviceId);
    assert.deepEqual(mine.proposed, { name: 'Safe house two' });
    assert.doesNotMatch(queue.body, /SECRET|987 654/);
    await rt.ctx.db.deleteFrom('resource_services').where('id', '=', serviceId).execute();
  });
});

describe('accepting a correction', () => {
  test('never writes a proposed phone or address over an open record while another is kept in confidence', async () => {
    // An office number anyone may have, and a direct line (and a safe house) shared in confidence.
    const { serviceId, locationId } = await createListing(rt, {
      service: { name: 'Shelter line' },
      address: { address_1: 'Front office 1', city: 'Beirut', country: 'LB' },
      phones: [{ number: '+961 1 100 100' }, { number: '+961 1 200 200', confidential: true }],
    });
    const phones = await rt.ctx.db
      .selectFrom('resource_phones')
      .select('id')
      .where('service_id', '=', serviceId)
      .execute();
    const [first, second] = phones.map((p) => p.id).sort();
    await rt.ctx.db
      .updateTable('resource_phones')
      .set({ number: '+961 1 100 100', confidential: 0 })
      .where('id', '=', first!)
      .execute();
    await rt.ctx.db
      .updateTable('resource_phones')
      .set({ number: '+961 1 200 200', confidential: 1 })
      .where('id', '=', second!)
      .execute();
    const { locationId: hidden } = await createListing(rt, {
      address: { address_1: 'Safe house 9', city: 'Beirut', country: 'LB', confidential: true },
    });
    await rt.ctx.db
      .insertInto('resource_service_at_locations')
      .values({ id: '00000000-0000-4000-8000-0000000000f1', service_id: serviceId, location_id: hidden! })
      .execute();
    assert.ok(locationId);
    // A member who reads the page corrects the direct line and the safe house's street.
    await freshLimits('trusted');
    const sent = await world.clients.trusted.api('POST', `/api/v1/resources/${serviceId}/corrections`, {
      reason: 'outdated',
      proposed: { phone: '+961 1 300 300', address: 'Safe house 10', name: 'Shelter line (new)' },
    });
    assert.equal(sent.status, 201, sent.body);
    const decided = await world.clients.moderator.api(
      'POST',
      `/api/v1/resources/corrections/${sent.json().correction.id}/decision`,
      { decision: 'accept' },
    );
    assert.equal(decided.status, 200, decided.body);
    // The phone is left for the keeper's form; the address lands only on a record kept in confidence.
    assert.deepEqual(
      decided.json().correction.applied.filter((f: string) => f !== 'address'),
      ['name'],
    );
    for (const url of [`/api/v1/resources/${serviceId}`, `/api/hsds/services/${serviceId}`]) {
      const answer = await world.clients.visitor.get(url);
      assert.equal(answer.status, 200, url);
      assert.doesNotMatch(answer.body, /300 300|Safe house/, url);
      assert.match(answer.body, /100 100/, url);
      assert.match(answer.body, /Front office 1/, url);
    }
    // With the first record itself kept in confidence, the fix lands there and stays confidential.
    const only = await createListing(rt, {
      service: { name: 'Hotline' },
      phones: [{ number: '+961 1 400 400', confidential: true }],
    });
    await freshLimits('trusted');
    const again = await world.clients.trusted.api('POST', `/api/v1/resources/${only.serviceId}/corrections`, {
      reason: 'outdated',
      proposed: { phone: '+961 1 500 500' },
    });
    const accepted = await world.clients.moderator.api(
      'POST',
      `/api/v1/resources/corrections/${again.json().correction.id}/decision`,
      { decision: 'accept' },
    );
    assert.deepEqual(accepted.json().correction.applied, ['phone']);
    const stored = await rt.ctx.db
      .selectFrom('resource_phones')
      .select(['number', 'confidential'])
      .where('service_id', '=', only.serviceId)
      .execute();
    assert.deepEqual(stored, [{ number: '+961 1 500 500', confidential: 1 }]);
    assert.doesNotMatch((await world.clients.visitor.get(`/api/v1/resources/${only.serviceId}`)).body, /500 500/);
    for (const id of [serviceId, only.serviceId])
      await rt.ctx.db.deleteFrom('resource_services').where('id', '=', id).execute();
  });
});

describe('bringing a directory back in', () => {
  test('re-importing an export keeps every listing as private as it was, and is in the moderation log', async () => {
    const keeper = world.clients.moderator;
    const exported = await keeper.get('/api/v1/resources/export?format=json&reach=all');
    assert.equal(exported.status, 200);
    const document = JSON.parse(exported.body) as { services?: { id: string; name: string }[] }[];
    // The organisers fix a name in the file and bring it back, choosing nothing (public by default).
    for (const organization of document)
      for (const service of organization.services ?? []) service.name = `${service.name} (checked)`;
    const services = document.flatMap((o) => o.services ?? []).map((s) => s.id);
    assert.ok(services.includes(world.listings.group.serviceId));
    assert.ok(services.includes(world.listings.members.serviceId));
    const logBefore = await rt.ctx.db
      .selectFrom('moderation_log')
      .select('id')
      .where('action', '=', 'resource.import')
      .execute();
    const imported = await keeper.api('POST', '/api/v1/resources/import', document);
    assert.equal(imported.status, 200, imported.body.slice(0, 300));
    const stored = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['id', 'name', 'visibility', 'group_id', 'review_state'])
      .where('id', 'in', [world.listings.group.serviceId, world.listings.members.serviceId])
      .execute();
    const byId = new Map(stored.map((s) => [s.id, s]));
    // What the file says of the listing is taken; who may read it stays Sanad's own judgement.
    assert.match(byId.get(world.listings.group.serviceId)!.name ?? '', /\(checked\)$/);
    assert.equal(byId.get(world.listings.group.serviceId)!.visibility, 'group');
    assert.ok(byId.get(world.listings.group.serviceId)!.group_id);
    assert.equal(byId.get(world.listings.members.serviceId)!.visibility, 'members');
    for (const url of [
      `/resources/${world.listings.group.serviceId}`,
      `/api/hsds/services/${world.listings.members.serviceId}`,
    ])
      assert.equal((await world.clients.visitor.get(url)).status, 404, url);
    const logAfter = await rt.ctx.db
      .selectFrom('moderation_log')
      .select(['id', 'actor_id', 'group_id'])
      .where('action', '=', 'resource.import')
      .execute();
    assert.equal(logAfter.length, logBefore.length + 1);
    assert.equal(logAfter.at(-1)!.actor_id, world.userIds.moderator);
    assert.equal(logAfter.at(-1)!.group_id, null);
    // Put the names back for the other tests.
    for (const kind of kinds)
      await rt.ctx.db
        .updateTable('resource_services')
        .set({ name: `Listing ${kind}` })
        .where('id', '=', world.listings[kind].serviceId)
        .execute();
  });
});

describe('a group that banned a member through an anonymous post', () => {
  test('no longer shares its listings with them, in lists or by id, as a ban by name already does', async () => {
    const owner = await member(rt, 'gowner');
    const group = await createGroupAs(owner.api, { visibility: 'private' });
    const banned = await member(rt, 'anonban');
    await rt.ctx.db
      .insertInto('group_members')
      .values({ group_id: group.id, user_id: banned.user.id, role: 'member', joined_at: Date.now() })
      .execute();
    const { serviceId } = await createListing(rt, {
      service: { name: 'Discreet clinic', visibility: 'group', group_id: group.id },
      terms: ['crisis-line'],
    });
    const reads = async () => ({
      page: (await banned.api.get(`/resources/${serviceId}`)).status,
      api: (await banned.api.get(`/api/v1/resources/${serviceId}`)).status,
      notes: (await banned.api.get(`/api/v1/resources/${serviceId}/notes`)).status,
      crisis: (await banned.api.get('/resources/crisis?country=LB')).body.includes('Discreet clinic'),
      shareWith: (await banned.api.get('/resources/new')).body.includes(group.id),
    });
    assert.deepEqual(await reads(), { page: 200, api: 200, notes: 200, crisis: true, shareWith: true });
    // Their anonymous post was banned: they stay listed as a member, so nobody can tell who it was.
    await rt.ctx.db
      .insertInto('anonymous_bans')
      .values({
        id: newId(),
        group_id: group.id,
        author_key: anonymousBanKey(rt.ctx.keys.anonymity, group.id, banned.user.id),
        created_at: Date.now(),
      })
      .execute();
    assert.deepEqual(await reads(), { page: 404, api: 404, notes: 404, crisis: false, shareWith: false });
    const note = await banned.api.api('POST', `/api/v1/resources/${serviceId}/notes`, {
      body: 'Still here',
      rating: 'safe',
    });
    assert.equal(note.status, 404);
    // The owner's own anonymous ban ends only their anonymous posting there (ADR 0018).
    await rt.ctx.db
      .insertInto('anonymous_bans')
      .values({
        id: newId(),
        group_id: group.id,
        author_key: anonymousBanKey(rt.ctx.keys.anonymity, group.id, owner.user.id),
        created_at: Date.now(),
      })
      .execute();
    assert.equal((await owner.api.get(`/api/v1/resources/${serviceId}`)).status, 200);
    assert.ok((await owner.api.get('/resources/crisis?country=LB')).body.includes('Discreet clinic'));
  });
});

describe('a note one may not read, or did not write, answers as a missing one', () => {
  test('anonymous and hidden notes × every role but their author and the keepers', async () => {
    const listing = world.listings.public.serviceId;
    const group = world.listings.group.serviceId;
    await freshLimits('group member');
    const anonymous = await world.clients['group member'].api('POST', `/api/v1/resources/${group}/notes`, {
      body: 'Kind staff, discreet entrance',
      rating: 'safe',
      anonymous: true,
    });
    assert.equal(anonymous.status, 201, anonymous.body);
    await freshLimits('trusted');
    const named = await world.clients.trusted.api('POST', `/api/v1/resources/${listing}/notes`, {
      body: 'They asked for my papers',
      rating: 'mixed',
    });
    assert.equal(named.status, 201, named.body);
    await rt.ctx.db.updateTable('resource_notes').set({ hidden: 1 }).where('id', '=', named.json().note.id).execute();
    const notes: [string, string, Role][] = [
      [group, anonymous.json().note.id, 'group member'],
      [listing, named.json().note.id, 'trusted'],
    ];
    const missingNote = 'AAAAAAAAAAAAAAAAAAAAAA';
    const routes = (serviceId: string, noteId: string) =>
      [
        ['GET', `/resource-notes/${noteId}`],
        ['GET', `/reports/new?targetType=resource_note&targetId=${noteId}`],
        ['GET', `/resources/${serviceId}/notes/${noteId}/edit`],
        ['PATCH', `/api/v1/resources/${serviceId}/notes/${noteId}`],
        ['DELETE', `/api/v1/resources/${serviceId}/notes/${noteId}`],
        ['POST', '/api/v1/reports'],
      ] as const;
    let compared = 0;
    for (const [serviceId, noteId, author] of notes) {
      for (const role of roles.filter((r) => r !== author && r !== 'moderator' && r !== 'admin')) {
        const client = world.clients[role];
        const absent = routes(serviceId, missingNote);
        for (const [i, [method, url]] of routes(serviceId, noteId).entries()) {
          const body = (id: string) =>
            method === 'PATCH'
              ? { body: 'Changed' }
              : method === 'POST'
                ? { targetType: 'resource_note', targetId: id, reason: 'spam' }
                : undefined;
          const before = await snapshot();
          await freshLimits(role);
          const answer = await client.api(method, url, body(noteId));
          assert.ok((await snapshot()) === before, `${role}: ${method} ${url} changed something`);
          await freshLimits(role);
          const other = await client.api(method, absent[i]![1], body(missingNote));
          assert.equal(answer.status, other.status, `${role}: ${method} ${url}`);
          assert.equal(
            answer.body.replaceAll(noteId, missingNote).replace(/name="_csrf" value="[^"]*"/g, ''),
            other.body.replace(/name="_csrf" value="[^"]*"/g, ''),
            `${role}: ${method} ${url}`,
          );
          compared++;
        }
      }
    }
    assert.ok(compared > 80, `${compared} compared`);
    await rt.ctx.db.deleteFrom('resource_notes').execute();
  });
});

describe("the keepers' directory actions are in the moderation log", () => {
  test('adding a term is logged, in the instance log only, and named there', async () => {
    const added = await world.clients.moderator.api('POST', '/api/v1/resources/terms', {
      nameAr: 'دعم الأقران',
      nameEn: 'Peer support',
    });
    assert.equal(added.status, 201, added.body);
    const rows = await rt.ctx.db
      .selectFrom('moderation_log')
      .select(['action', 'actor_id', 'group_id', 'detail'])
      .where('action', '=', 'resource.term_add')
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_id, world.userIds.moderator);
    assert.equal(rows[0]!.group_id, null);
    assert.deepEqual(JSON.parse(rows[0]!.detail ?? '{}'), { termId: added.json().term.id });
    // Members read only their groups' logs: no directory action reaches them.
    for (const role of ['member', 'group member', 'trusted'] as const) {
      const log = await world.clients[role].get('/api/v1/moderation/log');
      assert.equal(log.status, 200);
      assert.doesNotMatch(log.body, /resource/, role);
    }
    // The instance's log names every directory action, none as "another moderation action".
    const log = await world.clients.admin.get('/moderation/log');
    assert.equal(log.status, 200);
    assert.doesNotMatch(log.body, /Another moderation action/);
    assert.match(log.body, /Kind of help added/);
  });
});
