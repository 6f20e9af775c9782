// Members' notes on listings (ADR 0059), through the API and the HTML pages, on both engines: who
// reads them, anonymous notes and their erasure, one note each, the unsafe flag from trusted members,
// reports on notes and listings through the moderation queue, blocks and mutes, and refusals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient } from '../../../test/support/client.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createListing } from '../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { asMember, defaultPassphrase } from '../../../test/support/seed.js';
import { serviceContext } from '../../app-context.js';
import { translator } from '../../i18n/index.js';
import { deleteAccount } from '../account/service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;
const en = translator('en');
const ar = translator('ar');

const notesOf = (who: Person, listingId: string) => who.api.get(`/api/v1/resources/${listingId}/notes`);
const leave = (who: Person, listingId: string, body: Record<string, unknown>) =>
  who.api.api('POST', `/api/v1/resources/${listingId}/notes`, body);
const note = (text = 'Kind staff, nobody asked questions.', rating = 'safe', anonymous = false) => ({
  body: text,
  rating,
  anonymous,
});
const casesAbout = (targetType: string, targetId: string) =>
  rt.ctx.db
    .selectFrom('moderation_cases')
    .selectAll()
    .where('target_type', '=', targetType as 'resource')
    .where('target_id', '=', targetId)
    .execute();

async function keeper(prefix = 'keep'): Promise<Person> {
  return member(rt, prefix, { role: 'moderator' });
}

/** A group with its owner and one member who joined by invite. */
async function groupWithMember() {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private' });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 5 })).json().invite;
  const inGroup = await member(rt, 'gm');
  const joined = await inGroup.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
  assert.equal(joined.status, 200);
  return { owner, group, inGroup };
}

describe('who reads notes: signed-in readers of the listing, never visitors', () => {
  test('visitor, member, group member and moderator × public, members-only and group-limited', async () => {
    const { group, inGroup } = await groupWithMember();
    const plain = await member(rt, 'plain');
    const moderator = await keeper();
    const listings = {
      public: (await createListing(rt)).serviceId,
      members: (await createListing(rt, { service: { visibility: 'members' } })).serviceId,
      group: (await createListing(rt, { service: { visibility: 'group', group_id: group.id } })).serviceId,
    };
    // One note on each, by someone who may read it, so there is something to withhold.
    for (const id of Object.values(listings)) assert.equal((await leave(inGroup, id, note())).status, 201);
    const visitor = new TestClient(rt.app);
    const expected: Record<string, Record<keyof typeof listings, number>> = {
      member: { public: 200, members: 200, group: 404 },
      groupMember: { public: 200, members: 200, group: 200 },
      moderator: { public: 200, members: 200, group: 200 },
    };
    const people: Record<string, Person> = { member: plain, groupMember: inGroup, moderator };
    for (const [kind, id] of Object.entries(listings) as [keyof typeof listings, string][]) {
      assert.equal((await visitor.get(`/api/v1/resources/${id}/notes`)).status, 401, `visitor · ${kind}`);
      const page = await visitor.get(`/resources/${id}/notes`);
      assert.ok([302, 303, 401].includes(page.status), `visitor page · ${kind}: ${page.status}`);
      assert.ok(!page.body.includes('Kind staff'));
      for (const [who, person] of Object.entries(people)) {
        const response = await notesOf(person, id);
        assert.equal(response.status, expected[who]![kind], `${who} · ${kind}`);
        if (response.status === 200) {
          assert.equal(response.json().notes.length, 1);
          assert.deepEqual(response.json().summary, { safe: 1, mixed: 0, unsafe: 0, total: 1 });
        } else assert.ok(!response.body.includes('Kind staff'));
        // Nobody who may not read the notes may write one either.
        if (expected[who]![kind] === 404) assert.equal((await leave(person, id, note())).status, 404);
      }
    }
    // A waiting suggestion has no notes, even for its author.
    const waiting = (await createListing(rt, { service: { review_state: 'pending', submitted_by: plain.user.id } }))
      .serviceId;
    assert.equal((await notesOf(plain, waiting)).status, 404);
    assert.equal((await notesOf(plain, 'no-such-listing')).status, 404);
  });
});

describe('writing notes', () => {
  test('by name and anonymously: an anonymous note keeps no account and shows only its pseudonym', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const named = await member(rt, 'named');
    const hidden = await member(rt, 'anonwriter');
    const reader = await member(rt, 'reader');
    const first = await leave(named, listingId, note('Friendly doctor', 'safe'));
    assert.equal(first.status, 201);
    assert.deepEqual(first.json().note.author, { kind: 'member', username: named.user.username });
    const second = await leave(hidden, listingId, note('Receptionist asked about my partner', 'mixed', true));
    assert.equal(second.status, 201);
    const anonymousId = second.json().note.id as string;
    assert.equal(second.json().note.author.kind, 'anonymous');
    assert.equal(second.json().note.mine, true);
    const row = await rt.ctx.db
      .selectFrom('resource_notes')
      .selectAll()
      .where('id', '=', anonymousId)
      .executeTakeFirstOrThrow();
    assert.equal(row.author_id, null);
    assert.equal(row.anonymous, 1);
    assert.ok(row.author_ref && row.author_box);
    assert.ok(!row.author_box.includes(hidden.user.id));
    const read = await notesOf(reader, listingId);
    assert.equal(read.status, 200);
    assert.ok(!read.body.includes(hidden.user.username));
    assert.ok(!read.body.includes(hidden.user.id));
    const shown = read.json().notes.find((n: { id: string }) => n.id === anonymousId);
    assert.equal(shown.author.kind, 'anonymous');
    assert.equal(shown.mine, false);
    // The pseudonym stays the same each time the listing is read.
    assert.equal((await notesOf(named, listingId)).json().notes[0].author.pseudonym, shown.author.pseudonym);
    assert.deepEqual(read.json().summary, { safe: 1, mixed: 1, unsafe: 0, total: 2 });
    // The anonymous author recognises, changes and deletes their own note; nobody else can.
    assert.equal(
      (await reader.api.api('PATCH', `/api/v1/resources/${listingId}/notes/${anonymousId}`, { rating: 'safe' })).status,
      404,
    );
    assert.equal((await reader.api.api('DELETE', `/api/v1/resources/${listingId}/notes/${anonymousId}`)).status, 404);
    const changed = await hidden.api.api('PATCH', `/api/v1/resources/${listingId}/notes/${anonymousId}`, {
      body: 'It was fine in the end',
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.json().note.body, 'It was fine in the end');
    assert.equal(changed.json().note.rating, 'mixed');
    assert.equal(changed.json().note.edited, true);
    assert.equal((await hidden.api.api('DELETE', `/api/v1/resources/${listingId}/notes/${anonymousId}`)).status, 204);
    assert.equal((await notesOf(reader, listingId)).json().notes.length, 1);
  });

  test('one note per member per listing, named or anonymous', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const writer = await member(rt, 'once');
    assert.equal((await leave(writer, listingId, note('First', 'safe', true))).status, 201);
    const again = await leave(writer, listingId, note('Second', 'unsafe'));
    assert.equal(again.status, 409);
    assert.equal(again.json().error.message, en('resources.notes.already'));
    const page = (await notesOf(writer, listingId)).json();
    assert.equal(page.canNote, false);
    assert.equal(page.ownNoteId, page.notes[0].id);
  });

  test('anonymous notes go with the account that wrote them', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const leaving = await member(rt, 'leaving');
    const staying = await member(rt, 'staying');
    assert.equal((await leave(leaving, listingId, note('Anonymous words', 'mixed', true))).status, 201);
    assert.equal((await leave(staying, listingId, note('Staying words', 'safe', true))).status, 201);
    await deleteAccount(serviceContext(rt.ctx), asMember(leaving.user), { current: defaultPassphrase, confirm: true });
    const left = await rt.ctx.db
      .selectFrom('resource_notes')
      .select('body')
      .where('service_id', '=', listingId)
      .execute();
    assert.deepEqual(
      left.map((r) => r.body),
      ['Staying words'],
    );
  });

  test('refusals are localised, beside their fields, and bad input never crashes', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const writer = await member(rt, 'refused');
    writer.api.acceptLanguage = 'ar';
    const empty = await leave(writer, listingId, { body: '   ', rating: 'safe' });
    assert.equal(empty.status, 422);
    assert.deepEqual(empty.json().error.fields, [{ field: 'body', message: ar('resources.notes.bodyRequired') }]);
    const long = await leave(writer, listingId, { body: 'ب'.repeat(1001), rating: 'safe' });
    assert.equal(long.status, 422);
    assert.deepEqual(long.json().error.fields, [
      { field: 'body', message: ar('resources.notes.bodyLength', { max: 1000 }) },
    ]);
    // Exactly the limit is taken, counted in characters, not UTF-16 units.
    assert.equal((await leave(writer, listingId, { body: '🌿'.repeat(1000), rating: 'safe' })).status, 201);
    const other = await member(rt, 'bad');
    for (const body of [
      { body: 'x', rating: 'great' },
      { body: 'x' },
      { rating: 'safe' },
      { body: 42, rating: 'safe' },
      { body: 'x', rating: 'safe', anonymous: 'yes' },
      { body: 'x', rating: 'safe', extra: 1 },
      { body: 'a\u0000b', rating: 'safe' },
    ])
      assert.ok([400, 422].includes((await leave(other, listingId, body)).status), JSON.stringify(body));
    assert.equal((await other.api.api('POST', `/api/v1/resources/${listingId}/notes`, 'nonsense')).status, 400);
    assert.equal((await leave(other, 'bad id!', note())).status, 400);
    assert.equal((await other.api.api('PATCH', `/api/v1/resources/${listingId}/notes/nope`, {})).status, 404);
    assert.equal((await other.api.get(`/api/v1/resources/${listingId}/notes?after=garbage`)).status, 400);
    // New accounts post no links, in notes as in replies.
    const newcomer = await member(rt, 'newbie', { trust: 'new' });
    const link = await leave(newcomer, listingId, note('See https://example.org for more'));
    assert.equal(link.status, 422);
    assert.equal(link.json().error.fields[0].message, en('trust.links.refused'));
    // The HTML form: the page again with the problems beside the fields, in the member's language.
    const { web } = await browserMember(rt, 'form');
    web.acceptLanguage = 'ar';
    const page = await web.submit(`/resources/${listingId}/notes`, `/resources/${listingId}/notes`, {
      body: '',
      rating: '',
    });
    assert.equal(page.status, 422);
    assert.ok(page.body.includes(ar('resources.notes.bodyRequired')));
    assert.ok(page.body.includes(ar('resources.notes.ratingRequired')));
    assert.ok(page.body.includes('error-summary'));
  });
});

describe('the HTML pages work without JavaScript', () => {
  test('read, write, edit and delete a note; escape what members wrote', async () => {
    const listingId = (await createListing(rt, { service: { name: 'Clinic <b>Rainbow</b>' } })).serviceId;
    const { web } = await browserMember(rt, 'page');
    const page = await web.get(`/resources/${listingId}/notes`);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('Clinic &lt;b>Rainbow&lt;/b>'));
    assert.ok(page.body.includes(`/reports/new?targetType=resource&amp;targetId=${listingId}`));
    const sent = await web.submit(`/resources/${listingId}/notes`, `/resources/${listingId}/notes`, {
      body: '<script>alert(1)</script> كانوا لطفاء',
      rating: 'safe',
      anonymous: 'on',
    });
    assert.equal(sent.status, 303);
    const location = String(sent.headers.location);
    assert.match(location, new RegExp(`^/resources/${listingId}/notes\\?done=published#note-`));
    const noteId = location.split('#note-')[1]!;
    const shown = await web.get(`/resources/${listingId}/notes?done=published`);
    assert.ok(shown.body.includes(en('resources.notes.published')));
    assert.ok(shown.body.includes('&lt;script>alert(1)&lt;/script>'));
    assert.ok(!shown.body.includes('<script>alert'));
    assert.ok(shown.body.includes('dir="auto"'));
    // The edit page, then the change, then deletion.
    const edit = await web.get(`/resources/${listingId}/notes/${noteId}/edit`);
    assert.equal(edit.status, 200);
    const changed = await web.submit(
      `/resources/${listingId}/notes/${noteId}/edit`,
      `/resources/${listingId}/notes/${noteId}/edit`,
      { body: 'Changed my mind', rating: 'mixed' },
    );
    assert.equal(changed.status, 303);
    const row = await rt.ctx.db
      .selectFrom('resource_notes')
      .select(['body', 'rating'])
      .where('id', '=', noteId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { body: 'Changed my mind', rating: 'mixed' });
    // Someone else's note has no edit page.
    const { web: stranger } = await browserMember(rt, 'stranger');
    assert.equal((await stranger.get(`/resources/${listingId}/notes/${noteId}/edit`)).status, 404);
    // Another reader sees a report link for it.
    const theirs = await stranger.get(`/resources/${listingId}/notes`);
    assert.ok(theirs.body.includes(`/reports/new?targetType=resource_note&amp;targetId=${noteId}`));
    assert.equal((await stranger.get(`/reports/new?targetType=resource_note&targetId=${noteId}`)).status, 200);
    const removed = await web.submit(
      `/resources/${listingId}/notes`,
      `/resources/${listingId}/notes/${noteId}/delete`,
      {},
    );
    assert.equal(removed.status, 303);
    assert.equal(
      (await rt.ctx.db.selectFrom('resource_notes').select('id').where('id', '=', noteId).executeTakeFirst()) ?? null,
      null,
    );
  });

  test('the summary counts ratings with Arabic plural forms', async () => {
    const listingId = (await createListing(rt)).serviceId;
    for (let i = 0; i < 3; i++) assert.equal((await leave(await member(rt, 'r'), listingId, note())).status, 201);
    const { web } = await browserMember(rt, 'arabic');
    web.acceptLanguage = 'ar';
    const page = await web.get(`/resources/${listingId}/notes`);
    assert.ok(page.body.includes(ar('resources.notes.summarySafe', { count: 3 })));
    assert.ok(ar('resources.notes.summarySafe', { count: 3 }).includes('تقييمات'));
    assert.ok(page.body.includes(ar('resources.notes.summaryUnsafe', { count: 0 })));
  });
});

describe('an unsafe note from a trusted member flags the listing at once', () => {
  test('trusted: one case however many; a member: none; turning a note unsafe counts', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const plain = await member(rt, 'plainrater', { trust: 'member' });
    assert.equal((await leave(plain, listingId, note('They called the police', 'unsafe'))).status, 201);
    assert.equal((await casesAbout('resource', listingId)).length, 0);
    const trusted = await member(rt, 'trusted', { trust: 'trusted' });
    assert.equal((await leave(trusted, listingId, note('They called the police', 'unsafe', true))).status, 201);
    const cases = await casesAbout('resource', listingId);
    assert.equal(cases.length, 1);
    assert.equal(cases[0]!.status, 'open');
    const reports = await rt.ctx.db.selectFrom('reports').selectAll().where('case_id', '=', cases[0]!.id).execute();
    assert.deepEqual(
      reports.map((r) => [r.reason, r.reporter_id]),
      [['unsafe_note', null]],
    );
    // A moderator counts as trusted; their unsafe note joins the same open case.
    const moderator = await keeper();
    assert.equal((await leave(moderator, listingId, note('Confirmed', 'unsafe'))).status, 201);
    assert.equal((await casesAbout('resource', listingId)).length, 1);
    // A safe note made unsafe later flags another listing.
    const other = (await createListing(rt)).serviceId;
    const made = await leave(trusted, other, note('Fine', 'safe'));
    assert.equal((await casesAbout('resource', other)).length, 0);
    assert.equal(
      (
        await trusted.api.api('PATCH', `/api/v1/resources/${other}/notes/${made.json().note.id}`, {
          rating: 'unsafe',
        })
      ).status,
      200,
    );
    assert.equal((await casesAbout('resource', other)).length, 1);
    // The queue names the listing and the reason, never who rated it.
    const queue = (await moderator.api.get('/api/v1/moderation/queue')).json().cases as {
      targetId: string;
      reasons: { reason: string }[];
      excerpt: string | null;
      href: string | null;
      actions: string[];
    }[];
    const item = queue.find((c) => c.targetId === listingId)!;
    assert.deepEqual(
      item.reasons.map((r) => r.reason),
      ['unsafe_note'],
    );
    assert.equal(item.excerpt, 'Legal clinic');
    assert.equal(item.href, `/resources/${listingId}`);
    assert.deepEqual(item.actions, ['dismiss']);
    const html = await (await browserMember(rt, 'qmod', { role: 'moderator' })).web.get('/moderation');
    assert.ok(html.body.includes(en('moderation.reason.unsafe_note')));
    assert.ok(html.body.includes(en('moderation.queue.targetResource')));
  });
});

describe('reports on notes and listings go through the moderation queue', () => {
  test('a reported note is hidden, shown again and deleted from the queue, each with its log row', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const author = await member(rt, 'author', { trust: 'member' });
    const reporter = await member(rt, 'reporter');
    const moderator = await keeper();
    const written = await leave(author, listingId, note('Ask for the nurse called Sami at home', 'safe'));
    const noteId = written.json().note.id as string;
    const reported = await reporter.api.api('POST', '/api/v1/reports', {
      targetType: 'resource_note',
      targetId: noteId,
      reason: 'outing',
    });
    assert.equal(reported.status, 204);
    // Group moderators have nothing to do with the directory: the case is the instance's.
    const cases = await casesAbout('resource_note', noteId);
    assert.equal(cases.length, 1);
    assert.equal(cases[0]!.group_id, null);
    const queue = (await moderator.api.get('/api/v1/moderation/queue')).json().cases as {
      id: string;
      targetId: string;
      excerpt: string | null;
      href: string | null;
      hidden: boolean | null;
      actions: string[];
      priority: number;
    }[];
    const item = queue.find((c) => c.targetId === noteId)!;
    assert.equal(item.priority, 0);
    assert.equal(item.excerpt, 'Ask for the nurse called Sami at home');
    assert.equal(item.href, `/resources/${listingId}/notes#note-${noteId}`);
    assert.equal(item.hidden, false);
    assert.deepEqual(item.actions, ['hide', 'delete', 'approve', 'warn', 'mute', 'suspend', 'ban', 'dismiss']);
    // The author never sees reports about their own note.
    assert.equal((await author.api.get('/api/v1/moderation/queue')).status, 404);
    const hid = await moderator.api.api('POST', '/api/v1/moderation/actions', {
      action: 'hide',
      targetType: 'resource_note',
      targetId: noteId,
      reason: 'Names a person',
      reportId: item.id,
    });
    assert.equal(hid.status, 204);
    // Hidden: nobody but the keepers sees it, the summary no longer counts it.
    const readerView = (await notesOf(reporter, listingId)).json();
    assert.equal(readerView.notes.length, 0);
    assert.equal(readerView.summary.total, 0);
    const authorView = (await notesOf(author, listingId)).json();
    assert.equal(authorView.notes.length, 0);
    assert.equal(authorView.ownNoteId, noteId);
    const keeperView = (await notesOf(moderator, listingId)).json();
    assert.equal(keeperView.notes[0].hidden, true);
    // A hidden note cannot be reported again, nor edited by its author.
    assert.equal(
      (
        await reporter.api.api('POST', '/api/v1/reports', {
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'spam',
        })
      ).status,
      404,
    );
    assert.equal(
      (await author.api.api('PATCH', `/api/v1/resources/${listingId}/notes/${noteId}`, { rating: 'mixed' })).status,
      409,
    );
    const log = await rt.ctx.db
      .selectFrom('moderation_log')
      .selectAll()
      .where('target_id', '=', noteId)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      log.map((r) => [r.action, r.target_type, r.target_user_id, r.actor_id, r.reason, r.case_id]),
      [['resource_note.hide', 'resource_note', author.user.id, moderator.user.id, 'Names a person', item.id]],
    );
    assert.equal((await casesAbout('resource_note', noteId))[0]!.status, 'resolved');
    // Shown again, then deleted: each its own row.
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'approve',
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'Edited by us',
        })
      ).status,
      204,
    );
    assert.equal((await notesOf(reporter, listingId)).json().notes.length, 1);
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'delete',
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'Outing',
        })
      ).status,
      204,
    );
    const after = await rt.ctx.db
      .selectFrom('moderation_log')
      .select('action')
      .where('target_id', '=', noteId)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      after.map((r) => r.action),
      ['resource_note.hide', 'resource_note.approve', 'resource_note.delete'],
    );
    assert.equal(
      await rt.ctx.db.selectFrom('resource_notes').select('id').where('id', '=', noteId).executeTakeFirst(),
      undefined,
    );
  });

  test('an anonymous note is moderated without its author ever being named', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const author = await member(rt, 'anonauthor');
    const reporter = await member(rt, 'anonrep');
    const moderator = await keeper();
    const noteId = (await leave(author, listingId, note('Spam spam', 'safe', true))).json().note.id as string;
    assert.equal(
      (
        await reporter.api.api('POST', '/api/v1/reports', {
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'spam',
        })
      ).status,
      204,
    );
    const item = (
      (await moderator.api.get('/api/v1/moderation/queue')).json().cases as {
        targetId: string;
        actions: string[];
      }[]
    ).find((c) => c.targetId === noteId)!;
    // Nobody to warn or ban: the author is unknown.
    assert.deepEqual(item.actions, ['hide', 'delete', 'approve', 'dismiss']);
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'warn',
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'x',
        })
      ).status,
      422,
    );
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'hide',
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'Spam',
        })
      ).status,
      204,
    );
    const log = await rt.ctx.db.selectFrom('moderation_log').selectAll().where('target_id', '=', noteId).execute();
    assert.equal(log.length, 1);
    assert.equal(log[0]!.target_user_id, null);
    assert.ok(!JSON.stringify(log).includes(author.user.id));
    // The anonymous author may still delete their hidden note.
    assert.equal((await author.api.api('DELETE', `/api/v1/resources/${listingId}/notes/${noteId}`)).status, 204);
  });

  test('members report listings they can read; only the instance’s moderators act', async () => {
    const { owner, group, inGroup } = await groupWithMember();
    const listingId = (await createListing(rt, { service: { visibility: 'group', group_id: group.id } })).serviceId;
    const outsider = await member(rt, 'outsider');
    const report = (who: Person, targetType: string, targetId: string) =>
      who.api.api('POST', '/api/v1/reports', { targetType, targetId, reason: 'other', note: 'The clinic moved' });
    assert.equal((await report(outsider, 'resource', listingId)).status, 404);
    assert.equal((await report(inGroup, 'resource', listingId)).status, 204);
    assert.equal((await report(inGroup, 'resource', 'missing')).status, 404);
    const cases = await casesAbout('resource', listingId);
    assert.equal(cases.length, 1);
    assert.equal(cases[0]!.group_id, null);
    // The group's owner moderates the group, not the directory: the case is not theirs.
    const ownerQueue = await owner.api.get('/api/v1/moderation/queue');
    assert.ok(
      ownerQueue.status === 404 ||
        !(ownerQueue.json().cases as { targetId: string }[]).some((c) => c.targetId === listingId),
    );
    assert.equal(
      (
        await owner.api.api('POST', '/api/v1/moderation/actions', {
          action: 'dismiss',
          targetType: 'resource',
          targetId: listingId,
          reason: 'Fine',
        })
      ).status,
      403,
    );
    const moderator = await keeper();
    const item = (
      (await moderator.api.get('/api/v1/moderation/queue')).json().cases as {
        id: string;
        targetId: string;
        notes: string[];
        excerpt: string | null;
      }[]
    ).find((c) => c.targetId === listingId)!;
    assert.deepEqual(item.notes, ['The clinic moved']);
    assert.equal(item.excerpt, 'Legal clinic');
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'hide',
          targetType: 'resource',
          targetId: listingId,
          reason: 'x',
        })
      ).status,
      422,
    );
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'dismiss',
          targetType: 'resource',
          targetId: listingId,
          reason: 'Checked by phone',
          reportId: item.id,
        })
      ).status,
      204,
    );
    const log = await rt.ctx.db.selectFrom('moderation_log').selectAll().where('target_id', '=', listingId).execute();
    assert.deepEqual(
      log.map((r) => [r.action, r.target_type]),
      [['case.dismiss', 'resource']],
    );
    // The report page leads back to the listing, and a note's address to its listing's notes.
    const { web } = await browserMember(rt, 'back');
    const publicListing = (await createListing(rt)).serviceId;
    const form = await web.get(`/reports/new?targetType=resource&targetId=${publicListing}`);
    assert.equal(form.status, 200);
    assert.ok(form.body.includes(en('moderation.report.titleResource')));
    assert.ok(form.body.includes(`href="/resources/${publicListing}"`));
  });
});

describe('appeals and addresses', () => {
  test('a hidden note is appealed by its author and shown again when another keeper overturns it', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const author = await member(rt, 'appealer', { trust: 'member' });
    const first = await keeper('keepone');
    const second = await keeper('keeptwo');
    const noteId = (await leave(author, listingId, note('Good place'))).json().note.id as string;
    assert.equal(
      (
        await first.api.api('POST', '/api/v1/moderation/actions', {
          action: 'hide',
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'Looked like spam',
        })
      ).status,
      204,
    );
    const logId = (
      await rt.ctx.db
        .selectFrom('moderation_log')
        .select('id')
        .where('target_id', '=', noteId)
        .executeTakeFirstOrThrow()
    ).id;
    const appealed = await author.api.api('POST', '/api/v1/appeals', { logId, body: 'It is a real experience' });
    assert.equal(appealed.status, 201);
    const decided = await second.api.api('POST', `/api/v1/appeals/${appealed.json().appeal.id}/decision`, {
      decision: 'overturned',
      reason: 'Not spam',
    });
    assert.equal(decided.status, 200);
    assert.equal(decided.json().reversed, true);
    const reader = await member(rt, 'appealreader');
    assert.equal((await notesOf(reader, listingId)).json().notes[0].id, noteId);
  });

  test("a note's address leads to its listing's notes, for those who may read them", async () => {
    const listingId = (await createListing(rt, { service: { visibility: 'members' } })).serviceId;
    const noteId = (await leave(await member(rt, 'addr'), listingId, note())).json().note.id as string;
    const { web } = await browserMember(rt, 'addrreader');
    const found = await web.get(`/resource-notes/${noteId}`);
    assert.equal(found.status, 303);
    assert.equal(found.headers.location, `/resources/${listingId}/notes#note-${noteId}`);
    assert.equal((await web.get('/resource-notes/missing')).status, 404);
    const sent = await web.get(`/reports/sent?targetType=resource_note&targetId=${noteId}`);
    assert.ok(sent.body.includes(`href="/resource-notes/${noteId}"`));
  });

  test('new accounts leave as many notes a day as replies, counted with them', async () => {
    const newcomer = await member(rt, 'newday', { trust: 'new' });
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 11; i++) {
      const listingId = (await createListing(rt)).serviceId;
      const response = await leave(newcomer, listingId, note(`Note ${i}`));
      statuses.push(response.status);
      if (response.status === 429) last = response.json().error.message;
    }
    assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
    assert.equal(last, en('limit.newcomerReply'));
  });
});

describe('blocks and mutes', () => {
  test('a block withholds named notes both ways; a mute hides them from the muter; anonymous ones stay', async () => {
    const listingId = (await createListing(rt)).serviceId;
    const blocker = await member(rt, 'blocker');
    const blocked = await member(rt, 'blocked');
    const muter = await member(rt, 'muter');
    const moderator = await keeper();
    const byBlocker = (await leave(blocker, listingId, note('By the blocker'))).json().note.id as string;
    const byBlocked = (await leave(blocked, listingId, note('By the blocked', 'mixed'))).json().note.id as string;
    const anonymousId = (await leave(await member(rt, 'anon'), listingId, note('Anonymous', 'safe', true))).json().note
      .id as string;
    assert.equal((await blocker.api.api('POST', '/api/v1/blocks', { userId: blocked.user.id })).status, 201);
    assert.equal((await muter.api.api('POST', '/api/v1/mutes', { userId: blocker.user.id })).status, 201);
    const seen = async (who: Person) => {
      const notes = (await notesOf(who, listingId)).json().notes as { id: string; withheld: boolean; body: string }[];
      return Object.fromEntries(notes.map((n) => [n.id, n.withheld ? 'withheld' : n.body]));
    };
    assert.deepEqual(await seen(blocker), {
      [byBlocker]: 'By the blocker',
      [byBlocked]: 'withheld',
      [anonymousId]: 'Anonymous',
    });
    assert.deepEqual(await seen(blocked), {
      [byBlocker]: 'withheld',
      [byBlocked]: 'By the blocked',
      [anonymousId]: 'Anonymous',
    });
    assert.deepEqual(await seen(muter), {
      [byBlocker]: 'withheld',
      [byBlocked]: 'By the blocked',
      [anonymousId]: 'Anonymous',
    });
    // The directory's keepers see what they keep.
    assert.equal((await seen(moderator))[byBlocked], 'By the blocked');
    // A withheld note's author is not named on the page either.
    const page = await (await browserMember(rt, 'pageblock')).web.get(`/resources/${listingId}/notes`);
    assert.equal(page.status, 200);
    const blockerWeb = new TestClient(rt.app);
    blockerWeb.bearer = blocker.api.bearer;
    const html = await blockerWeb.get(`/resources/${listingId}/notes`);
    assert.ok(!html.body.includes(blocked.user.username));
    assert.ok(html.body.includes(en('resources.notes.withheld')));
  });
});

describe('watched words', () => {
  test('a blocked word refuses the note; a held one waits hidden with a case', async () => {
    const moderator = await keeper();
    for (const [phrase, action] of [
      ['forbiddenword', 'block'],
      ['holdword', 'hold'],
    ])
      assert.equal((await moderator.api.api('POST', '/api/v1/watched-words', { phrase, action })).status, 201);
    const listingId = (await createListing(rt)).serviceId;
    const writer = await member(rt, 'watched');
    const refused = await leave(writer, listingId, note('this has forbiddenword in it'));
    assert.equal(refused.status, 422);
    assert.equal(refused.json().error.fields[0].field, 'body');
    const held = await leave(writer, listingId, note('this has holdword in it'));
    assert.equal(held.status, 201);
    assert.equal(held.json().note.hidden, true);
    const noteId = held.json().note.id as string;
    const reader = await member(rt, 'watchreader');
    assert.equal((await notesOf(reader, listingId)).json().notes.length, 0);
    const cases = await casesAbout('resource_note', noteId);
    assert.equal(cases.length, 1);
    assert.equal(
      (
        await moderator.api.api('POST', '/api/v1/moderation/actions', {
          action: 'approve',
          targetType: 'resource_note',
          targetId: noteId,
          reason: 'Harmless here',
        })
      ).status,
      204,
    );
    assert.equal((await notesOf(reader, listingId)).json().notes.length, 1);
  });
});
