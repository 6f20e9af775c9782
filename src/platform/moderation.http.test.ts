import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inTransaction } from '../db/database.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createUser, type SeededUser } from '../../test/support/seed.js';
import { openCase, recordModeration, resolveCase } from './moderation.js';

let rt: TestRuntime;
let reporters: SeededUser[];
let moderator: SeededUser;
let reported: SeededUser;

before(async () => {
  rt = await createTestRuntime();
  reporters = [];
  for (let i = 0; i < 3; i++) reporters.push(await createUser(rt, { username: `mc_reporter${i}` }));
  moderator = await createUser(rt, { username: 'mc_moderator', role: 'moderator' });
  reported = await createUser(rt, { username: 'mc_reported' });
});
after(async () => rt.close());

const reportsOf = (caseId: string) =>
  rt.ctx.db.selectFrom('reports').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

test('reports on one thing merge into its one open case, whose priority rises to the most urgent reason', async () => {
  const target = { targetType: 'user' as const, targetId: reported.id, groupId: null };
  const first = await openCase(rt.ctx.db, { ...target, reason: 'spam', reporterId: reporters[0]!.id, now: 1000 });
  assert.equal(first.merged, false);
  const second = await openCase(rt.ctx.db, { ...target, reason: 'outing', reporterId: reporters[1]!.id, now: 2000 });
  assert.deepEqual(second, { caseId: first.caseId, merged: true });
  // The same member reporting again changes nothing.
  await openCase(rt.ctx.db, { ...target, reason: 'hate', reporterId: reporters[1]!.id, now: 3000 });
  // Sanad's own flags carry no reporter and may repeat.
  await openCase(rt.ctx.db, { ...target, reason: 'watched_word', reporterId: null, now: 4000 });
  await openCase(rt.ctx.db, { ...target, reason: 'watched_word', reporterId: null, now: 5000 });
  const reports = await reportsOf(first.caseId);
  assert.deepEqual(
    reports.map((r) => r.reason),
    ['spam', 'outing', 'watched_word', 'watched_word'],
  );
  const row = await rt.ctx.db
    .selectFrom('moderation_cases')
    .selectAll()
    .where('id', '=', first.caseId)
    .executeTakeFirstOrThrow();
  assert.equal(row.priority, 0, 'an outing report sorts the case first');
  assert.equal(row.status, 'open');

  assert.equal(await resolveCase(rt.ctx.db, target, 6000), first.caseId);
  assert.equal(await resolveCase(rt.ctx.db, target, 7000), null, 'nothing left open');
  const reopened = await openCase(rt.ctx.db, { ...target, reason: 'spam', reporterId: reporters[0]!.id, now: 8000 });
  assert.notEqual(reopened.caseId, first.caseId, 'a report after the decision opens a new case');
  assert.equal(reopened.merged, false);
});

test('concurrent first reports on one thing meet in one case', async () => {
  const target = { targetType: 'group' as const, targetId: 'g-concurrent', groupId: null };
  const results = await Promise.all(
    reporters.map((r, i) =>
      inTransaction(rt.ctx.db, (trx) =>
        openCase(trx, { ...target, reason: 'hate', reporterId: r.id, now: 10_000 + i }),
      ),
    ),
  );
  const caseIds = new Set(results.map((r) => r.caseId));
  assert.equal(caseIds.size, 1);
  assert.equal(results.filter((r) => !r.merged).length, 1, 'exactly one opened it');
  assert.equal((await reportsOf([...caseIds][0]!)).length, reporters.length);
});

test('the moderation log is append-only: rows cannot be deleted or rewritten, only the accounts named forgotten', async () => {
  // Read inside the transaction: once committed, the event is delivered and gone from the outbox.
  const { id, events } = await inTransaction(rt.ctx.db, async (trx) => {
    const logId = await recordModeration(trx, {
      actorId: moderator.id,
      action: 'user.warn',
      targetType: 'user',
      targetId: reported.id,
      targetUserId: reported.id,
      reason: 'Be kind',
      detail: { hours: 4 },
      now: 20_000,
    });
    const logged = await trx
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'moderation.logged')
      .execute();
    return { id: logId, events: logged };
  });
  assert.ok(
    events.some((e) => JSON.parse(e.payload).logId === id),
    'a row about a member records moderation.logged so they are told',
  );

  await assert.rejects(rt.ctx.db.deleteFrom('moderation_log').where('id', '=', id).execute(), /append-only/);
  await assert.rejects(
    rt.ctx.db.updateTable('moderation_log').set({ action: 'user.ban' }).where('id', '=', id).execute(),
    /append-only/,
  );
  await assert.rejects(
    rt.ctx.db.updateTable('moderation_log').set({ reason: 'something else' }).where('id', '=', id).execute(),
    /append-only/,
  );
  await assert.rejects(
    rt.ctx.db.updateTable('moderation_log').set({ actor_id: reporters[0]!.id }).where('id', '=', id).execute(),
    /append-only/,
  );
  await rt.ctx.db
    .updateTable('moderation_log')
    .set({ actor_id: null, target_user_id: null, reason: null })
    .where('id', '=', id)
    .execute();
  const row = await rt.ctx.db.selectFrom('moderation_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(
    { action: row.action, actor: row.actor_id, target: row.target_user_id, detail: row.detail },
    { action: 'user.warn', actor: null, target: null, detail: '{"hours":4}' },
  );
});
