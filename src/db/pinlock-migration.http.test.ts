// Migration 0016 (ADR 0039) on both engines: it goes down and up again, and threads that existed
// before it are neither pinned nor locked, their audit rows without a reason or a target.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, member } from '../../test/support/community.js';
import { migrateTo, migrateToLatest } from './migrate.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

test('threads from before 0016 come out open and unpinned; its columns go down and come back', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { name: 'Older circle' });
  const pg =
    rt.ctx.engine === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(rt.ctx.db)).rows[0]!.s
      : undefined;
  await migrateTo(rt.ctx.db, '0014_address_form', pg);
  // The app's own queries read the new columns: write the old shape directly.
  const id = 'old-thread';
  await rt.ctx.db
    .insertInto('threads')
    .values({
      id,
      group_id: group.id,
      title: 'From before',
      opening_post_id: null,
      reply_count: 0,
      created_at: 1,
      last_activity_at: 1,
    } as never)
    .execute();
  await rt.ctx.db
    .insertInto('audit_log')
    .values({
      id: 'old-audit',
      actor_id: owner.user.id,
      action: 'post.hide',
      subject: group.id,
      created_at: 1,
    } as never)
    .execute();
  await migrateToLatest(rt.ctx.db, pg);
  const thread = await rt.ctx.db
    .selectFrom('threads')
    .select(['pinned_at', 'locked_at', 'lock_reason'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(thread, { pinned_at: null, locked_at: null, lock_reason: null });
  const audit = await rt.ctx.db
    .selectFrom('audit_log')
    .select(['target_id', 'reason'])
    .where('id', '=', 'old-audit')
    .executeTakeFirstOrThrow();
  assert.deepEqual(audit, { target_id: null, reason: null });
  // And the app works on the migrated database: the owner pins the old thread.
  const pinned = await owner.api.api('POST', `/api/v1/threads/${id}/pin`, { pinned: true, reason: 'Still useful' });
  assert.equal(pinned.status, 204);
});
