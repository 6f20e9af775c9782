import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

describe('creating and changing groups', () => {
  test('a member creates a group and becomes its owner; every field is checked with a localised message', async () => {
    const { api } = await member(rt);
    const valid = { name: 'Readers', description: 'd', languages: ['en'], visibility: 'public' };
    const fieldsOf = async (body: object) => {
      const bad = await api.api('POST', '/api/v1/groups', { ...valid, ...body });
      assert.equal(bad.status, 422);
      return bad
        .json()
        .error.fields.map((f: { field: string }) => f.field)
        .sort();
    };
    // The schema stops at the first problem; the service names every field it refuses.
    assert.deepEqual(await fieldsOf({ name: 'x' }), ['name']);
    assert.deepEqual(await fieldsOf({ description: '' }), ['description']);
    assert.deepEqual(await fieldsOf({ interests: ['a'.repeat(41)] }), ['interests']);
    assert.deepEqual(await fieldsOf({ name: ' x  ', languages: ['xx'], country: 'QQ' }), [
      'country',
      'languages',
      'name',
    ]);
    api.acceptLanguage = 'ar';
    const arabic = await api.api('POST', '/api/v1/groups', {
      name: 'x',
      description: 'd',
      languages: ['ar'],
      visibility: 'public',
    });
    assert.match(arabic.json().error.fields[0].message, /[\u0600-\u06FF]/, 'errors come in the requested language');

    const created = await api.api('POST', '/api/v1/groups', {
      name: '  نساء عابرات في القاهرة ',
      description: 'مساحة آمنة',
      languages: ['ar'],
      country: 'eg',
      city: 'القاهرة',
      visibility: 'private',
      identities: ['عابرات', 'Trans', 'trans'],
      questions: ['How did you hear of us?'],
    });
    assert.equal(created.status, 201);
    const group = created.json().group;
    assert.equal(group.name, 'نساء عابرات في القاهرة');
    assert.equal(group.country, 'EG');
    assert.equal(group.membership, 'owner');
    assert.deepEqual(
      group.tags.map((t: { label: string }) => t.label).sort(),
      ['Trans', 'عابرات'],
      'tags are de-duplicated ignoring case',
    );
    assert.deepEqual(Object.keys(group).sort(), [
      'anonymousPosting',
      'city',
      'country',
      'description',
      'id',
      'languages',
      'lastActivityAt',
      'membersListOpen',
      'membership',
      'name',
      'pendingRequest',
      'questions',
      'tags',
      'visibility',
    ]);
  });

  test('only the owner changes settings; a denied change is 403 for members and 404 for strangers to a hidden group', async () => {
    const owner = await member(rt);
    const other = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    await other.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    assert.equal((await other.api.api('PATCH', `/api/v1/groups/${group.id}`, { name: 'Taken over' })).status, 403);
    const changed = await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, {
      name: 'Renamed group',
      questions: ['Why?'],
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.json().group.name, 'Renamed group');
    const hidden = await createGroupAs(owner.api, { visibility: 'hidden' });
    assert.equal((await other.api.api('PATCH', `/api/v1/groups/${hidden.id}`, { name: 'Nope nope' })).status, 404);
  });
});

describe('the directory', () => {
  test('lists public and private groups, never hidden ones, with filters and Arabic-aware search', async () => {
    const { api } = await member(rt);
    const reader = await member(rt);
    const pub = await createGroupAs(api, {
      name: 'شبكة الأهالي',
      description: 'للعائلات والأهالي',
      country: 'MA',
      languages: ['ar', 'fr'],
      interests: ['parenting'],
      visibility: 'public',
    });
    const priv = await createGroupAs(api, {
      name: 'Amazigh queer youth',
      description: 'Young and queer',
      country: 'DZ',
      languages: ['zgh'],
      identities: ['Amazigh'],
      visibility: 'private',
    });
    const hidden = await createGroupAs(api, {
      name: 'Secret circle of the network',
      description: 'Nobody should find this',
      visibility: 'hidden',
    });
    const list = async (query: string) =>
      (await reader.api.get(`/api/v1/groups${query}`)).json().groups.map((g: { id: string }) => g.id);

    const all = await list('');
    assert.ok(all.includes(pub.id) && all.includes(priv.id));
    assert.ok(!all.includes(hidden.id));
    assert.deepEqual(await list('?country=MA'), [pub.id]);
    assert.deepEqual(await list('?language=zgh'), [priv.id]);
    assert.deepEqual(await list('?tag=amazigh'), [priv.id], 'tags match ignoring case');
    assert.deepEqual(
      await list(`?q=${encodeURIComponent('والشبكات')}`),
      [pub.id],
      'search matches other forms of the word',
    );
    assert.deepEqual(
      await list(`?q=${encodeURIComponent('Secret circle')}`),
      [],
      'hidden groups are not found by search',
    );

    const page = await reader.api.get(`/api/v1/groups/${hidden.id}`);
    assert.equal(page.status, 404);
    const web = await browserMember(rt);
    assert.equal((await web.web.get(`/groups/${hidden.id}`)).status, 404);
    const html = (await web.web.get('/groups')).body;
    assert.ok(html.includes('Amazigh queer youth'));
    assert.ok(!html.includes('Secret circle'));
  });

  test('paginates with a cursor, most recently active day first', async () => {
    const { api } = await member(rt);
    // Three founders take turns: one alone would meet the limit of ten groups a day.
    const founders = [api, (await member(rt)).api, (await member(rt)).api];
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const { id } = await createGroupAs(founders[i % 3]!, { name: `Paging group ${i}`, country: 'TN' });
      ids.push(id);
      // One day apart: strangers see the day of last activity only, and the order follows it.
      await rt.ctx.db
        .updateTable('groups')
        .set({ last_activity_at: Date.UTC(2026, 0, 1 + i, 12) })
        .where('id', '=', id)
        .execute();
    }
    const first = (await api.get('/api/v1/groups?country=TN')).json();
    assert.equal(first.groups.length, 20);
    assert.equal(first.groups[0].id, ids[22]);
    const second = (await api.get(`/api/v1/groups?country=TN&after=${first.next}`)).json();
    assert.deepEqual(
      second.groups.map((g: { id: string }) => g.id),
      [ids[2], ids[1], ids[0]],
    );
    assert.equal(second.next, null);
    assert.equal((await api.get('/api/v1/groups?after=garbage')).status, 400);
  });
});

describe('joining, requests and leaving', () => {
  test('public groups are joined at once; leaving is immediate', async () => {
    const owner = await member(rt);
    const joiner = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    assert.equal((await joiner.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).json().status, 'joined');
    assert.equal((await joiner.api.get(`/api/v1/groups/${group.id}`)).json().group.membership, 'member');
    assert.equal((await joiner.api.api('POST', `/api/v1/groups/${group.id}/leave`)).status, 204);
    assert.equal((await joiner.api.get(`/api/v1/groups/${group.id}`)).json().group.membership, null);
    const mine = (await joiner.api.get('/api/v1/groups?mine=true')).json().groups;
    assert.ok(!mine.some((g: { id: string }) => g.id === group.id));
  });

  test('private groups: answers required, moderators approve or decline, applicants are told', async () => {
    const owner = await member(rt);
    const applicant = await member(rt);
    const declined = await member(rt);
    const group = await createGroupAs(owner.api, {
      visibility: 'private',
      questions: ['What brings you here?', 'Which city?'],
    });

    const missing = await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['Only one'] });
    assert.equal(missing.status, 422);
    assert.equal(missing.json().error.fields[0].field, 'answer1');
    const asked = await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, {
      answers: ['Looking for friends', 'Alexandria'],
    });
    assert.equal(asked.json().status, 'requested');
    assert.equal((await applicant.api.get(`/api/v1/groups/${group.id}`)).json().group.pendingRequest, true);
    assert.equal(
      (await applicant.api.get(`/api/v1/groups/${group.id}/threads`)).status,
      404,
      'applicants do not read yet',
    );
    await declined.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['x', 'y'] });

    assert.equal((await applicant.api.get(`/api/v1/groups/${group.id}/requests`)).status, 404);
    const requests = (await owner.api.get(`/api/v1/groups/${group.id}/requests`)).json().requests;
    assert.equal(requests.length, 2);
    const mine = requests.find((r: { answers: string[] }) => r.answers[0] === 'Looking for friends');
    assert.deepEqual(mine.questions, ['What brings you here?', 'Which city?']);
    const ownerNotes = (await owner.api.get('/api/v1/notifications')).json();
    assert.equal(ownerNotes.notifications.filter((n: { kind: string }) => n.kind === 'join_request').length, 2);
    assert.ok(!JSON.stringify(ownerNotes).includes(applicant.user.username), 'notifications name nobody');

    assert.equal(
      (await applicant.api.api('POST', `/api/v1/groups/${group.id}/requests/${mine.id}/approve`)).status,
      403,
    );
    assert.equal((await owner.api.api('POST', `/api/v1/groups/${group.id}/requests/${mine.id}/approve`)).status, 204);
    const other = requests.find((r: { id: string }) => r.id !== mine.id);
    assert.equal((await owner.api.api('POST', `/api/v1/groups/${group.id}/requests/${other.id}/decline`)).status, 204);
    assert.equal(
      (await owner.api.get(`/api/v1/groups/${group.id}/requests`)).json().requests.length,
      0,
      'decided requests and their answers are deleted',
    );

    assert.equal((await applicant.api.get(`/api/v1/groups/${group.id}`)).json().group.membership, 'member');
    assert.equal((await applicant.api.get(`/api/v1/groups/${group.id}/threads`)).status, 200);
    assert.equal((await applicant.api.get('/api/v1/notifications')).json().notifications[0].kind, 'join_approved');
    assert.equal((await declined.api.get('/api/v1/notifications')).json().notifications[0].kind, 'join_declined');
    assert.equal((await declined.api.get(`/api/v1/groups/${group.id}`)).json().group.membership, null);
  });

  test('the requests page: approve and decline are two sibling forms, none inside a <p> or another form', async () => {
    const owner = await member(rt);
    const applicant = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'private', questions: ['Why?'] });
    await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['To read'] });
    const web = new TestClient(rt.app);
    web.cookies.set('sanad_session', owner.api.bearer as string);
    const page = await web.get(`/groups/${group.id}/requests`);
    assert.equal(page.status, 200);
    const html = page.body;
    // A <p> ends at the first block-level tag, so a form "inside" one is invalid HTML that parsers rearrange.
    for (const paragraph of html.match(/<p[\s>][\s\S]*?<\/p>/g) ?? []) {
      assert.ok(!/<form[\s>]/.test(paragraph), `no form inside a paragraph: ${paragraph.slice(0, 200)}`);
    }
    let depth = 0;
    for (const tag of html.match(/<\/?form[\s>]/g) ?? []) {
      depth += tag.startsWith('</') ? -1 : 1;
      assert.ok(depth === 0 || depth === 1, 'forms are never nested');
    }
    const decision = html.match(
      /<div class="actions decision-actions">\s*(<form[^>]*action="[^"]*\/approve"[\s\S]*?<\/form>)\s*(<form[^>]*action="[^"]*\/decline"[\s\S]*?<\/form>)\s*<\/div>/,
    );
    assert.ok(decision, 'approve and decline are sibling forms in one block that sets them apart');
  });

  test('an owner who leaves hands the group on; a group nobody is left in is deleted with its content', async () => {
    const owner = await member(rt);
    const mod = await member(rt);
    const plain = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    await plain.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    rt.advance(1000);
    await mod.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    assert.equal(
      (await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${mod.user.id}`, { role: 'moderator' })).status,
      204,
    );
    await owner.api.api('POST', `/api/v1/groups/${group.id}/leave`);
    assert.equal(
      (await mod.api.get(`/api/v1/groups/${group.id}`)).json().group.membership,
      'owner',
      'the moderator comes before longer-standing members',
    );

    const lonely = await createGroupAs(owner.api, { visibility: 'public', name: 'Lonely group' });
    const { threadId } = await threadIn(owner.api, lonely.id, { title: 'Talking to myself', body: 'وحيد تمامًا' });
    await owner.api.api('POST', `/api/v1/groups/${lonely.id}/leave`);
    assert.equal((await owner.api.get(`/api/v1/groups/${lonely.id}`)).status, 404);
    assert.equal((await owner.api.get(`/api/v1/threads/${threadId}`)).status, 404);
    const docs = await rt.ctx.db
      .selectFrom('search_documents')
      .select('id')
      .where('ref_id', 'in', [lonely.id, threadId])
      .execute();
    assert.equal(docs.length, 0);
  });
});

describe('who can see members', () => {
  test('moderators only, unless the owner opens the list; nobody outside ever', async () => {
    const owner = await member(rt);
    const insider = await member(rt);
    const outsider = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    await insider.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    assert.equal((await insider.api.get(`/api/v1/groups/${group.id}/members`)).status, 404);
    assert.equal((await outsider.api.get(`/api/v1/groups/${group.id}/members`)).status, 404);
    const members = (await owner.api.get(`/api/v1/groups/${group.id}/members`)).json().members;
    assert.deepEqual(
      members.map((m: { role: string }) => m.role),
      ['owner', 'member'],
    );
    await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, { membersListOpen: true });
    assert.equal((await insider.api.get(`/api/v1/groups/${group.id}/members`)).status, 200);
    assert.equal((await outsider.api.get(`/api/v1/groups/${group.id}/members`)).status, 404);
    const directory = JSON.stringify((await outsider.api.get('/api/v1/groups')).json());
    assert.ok(
      !directory.includes(insider.user.username) && !/member(s)?Count/i.test(directory),
      'no names and no counts in the directory',
    );
  });
});

describe('hidden groups and invite links', () => {
  test('invite links let people in, with a use count and an expiry', async () => {
    const owner = await member(rt);
    const first = await member(rt);
    const second = await member(rt);
    const late = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'hidden', name: 'Safe house' });
    assert.equal(
      (await first.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status,
      404,
      'a hidden group cannot be joined without a link',
    );
    assert.equal((await first.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 1 })).status, 404);
    const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 2, days: 1 })).json()
      .invite;
    assert.match(invite.url, /\/join\//);
    const row = await rt.ctx.db
      .selectFrom('group_invites')
      .selectAll()
      .where('id', '=', invite.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.code_hash, invite.code, 'only the hash is stored');

    const accepted = await first.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
    assert.equal(accepted.status, 200);
    assert.equal(accepted.json().group.membership, 'member');
    assert.equal(
      (await first.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      200,
      'accepting twice uses nothing',
    );
    await second.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
    assert.equal(
      (await late.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      404,
      'used up',
    );

    const expiring = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 5, days: 1 })).json()
      .invite;
    rt.advance(2 * 86_400_000);
    const later = await member(rt);
    assert.equal(
      (await later.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(expiring.code)}/accept`)).status,
      404,
      'expired',
    );
  });

  test('the invite page works without JavaScript through forms', async () => {
    const owner = await member(rt);
    const guest = await browserMember(rt);
    const group = await createGroupAs(owner.api, { visibility: 'hidden', name: 'Quiet room' });
    const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 1 })).json().invite;
    const preview = await guest.web.get(`/join/${invite.code}`);
    assert.equal(preview.status, 200);
    assert.ok(preview.body.includes('Quiet room'));
    const joined = await guest.web.submit(`/join/${invite.code}`, `/join/${invite.code}`, {});
    assert.equal(joined.status, 303);
    assert.equal(joined.headers.location, `/groups/${group.id}?done=inviteAccepted`);
    assert.ok((await guest.web.get(`/groups/${group.id}`)).body.includes('Quiet room'));
  });
});

describe('removing and banning', () => {
  test('moderators remove and ban members; the banned cannot come back; only the owner removes moderators', async () => {
    const owner = await member(rt);
    const mod = await member(rt);
    const troll = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    for (const m of [mod, troll]) await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${mod.user.id}`, { role: 'moderator' });
    assert.equal((await mod.api.api('DELETE', `/api/v1/groups/${group.id}/members/${owner.user.id}`)).status, 403);
    assert.equal(
      (await mod.api.api('DELETE', `/api/v1/groups/${group.id}/members/${troll.user.id}?ban=true`)).status,
      204,
    );
    const again = await troll.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    assert.equal(again.status, 403);
    assert.equal((await troll.api.get(`/api/v1/groups/${group.id}`)).json().group.membership, null);
    assert.equal(
      (await troll.api.get(`/api/v1/groups/${group.id}/threads`)).status,
      200,
      'public content stays readable, as for anyone',
    );
  });
});

describe('HTML pages', () => {
  test('create a group through the form: errors beside fields, then the group page', async () => {
    const { web } = await browserMember(rt);
    const bad = await web.submit('/groups/new', '/groups', { name: 'ab', description: '', visibility: 'private' });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /class="error-summary"/);
    assert.match(bad.body, /href="#field-name"/);
    assert.match(bad.body, /value="ab"/, 'what was typed is kept');
    const good = await web.submit('/groups/new', '/groups', {
      name: 'LGBTQ parents',
      description: 'Parents talking',
      languages: 'en',
      visibility: 'private',
      identities: 'parents، آباء',
      questions: 'Are you a parent?',
      country: 'JO',
    });
    assert.equal(good.status, 303);
    const page = await web.get(good.headers.location as string);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('LGBTQ parents'));
    assert.ok(page.body.includes('آباء'), 'Arabic commas separate tags too');
    assert.match(page.body, /Your group is ready/);
    assert.match(page.body, /href="\/groups\/[^"]+\/requests"/);
  });

  test('a private group asks its questions on its page and takes the answers by form', async () => {
    const owner = await member(rt);
    const { web } = await browserMember(rt);
    const group = await createGroupAs(owner.api, { visibility: 'private', questions: ['How did you find us?'] });
    const page = await web.get(`/groups/${group.id}`);
    assert.ok(page.body.includes('How did you find us?'));
    assert.ok(!page.body.includes('Discussions'), 'no content for non-members');
    const empty = await web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, { answer0: '' });
    assert.equal(empty.status, 422);
    assert.match(empty.body, /id="field-join-answer0-error"/);
    const sent = await web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, { answer0: 'A friend told me' });
    assert.equal(sent.status, 303);
    assert.match((await web.get(sent.headers.location as string)).body, /waiting for the moderators/);
  });
});
