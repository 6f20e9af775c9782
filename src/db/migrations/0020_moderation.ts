// Trust and moderation (issue 11, ADR 0047). Accounts gain a trust level and the moderation states
// a moderator may put them in (muted, suspended, frozen as a suspected infiltrator). Reports merge
// into one open case per reported thing: the moderation queue. Every moderation action is a row of
// the append-only moderation log, and an appeal answers one row of it, once.
//
// The log keeps ids, action names and the reason a moderator gave; never a member's words. Rows are
// never deleted and their facts never change: triggers on both engines refuse it. Only the accounts
// it names may be forgotten (account deletion) and the reason cleared (the thread it spoke of was
// deleted, ADR 0014). Ids compare by code point (collate "C" on PostgreSQL, as migration 0010 set).
// Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = sqlite ? sql`text` : sql`text collate "C"`;

  // Accounts made before trust levels existed keep what they could do: they start as members.
  await db.schema
    .alterTable('users')
    .addColumn('trust_level', 'text', (c) => c.notNull().defaultTo('new'))
    .execute();
  await db.updateTable('users').set({ trust_level: 'member' }).execute();
  await db.schema.alterTable('users').addColumn('muted_until', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('suspended_until', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('frozen_at', 'bigint').execute();

  await db.schema
    .createTable('moderation_cases')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', key, (c) => c.notNull())
    // Whose queue it is in: the group's moderators and the instance's; null for the instance's alone.
    .addColumn('group_id', key, (c) => c.references('groups.id').onDelete('cascade'))
    // 0 sorts first (outing, self-harm).
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  // One open case per reported thing: a second report merges into it.
  await db.schema
    .createIndex('moderation_cases_open_target')
    .on('moderation_cases')
    .columns(['target_type', 'target_id'])
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('moderation_cases_queue')
    .on('moderation_cases')
    .columns(['status', 'priority', 'opened_at', 'id'])
    .execute();
  await db.schema
    .createIndex('moderation_cases_group')
    .on('moderation_cases')
    .columns(['group_id', 'status'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('case_id', key, (c) => c.notNull().references('moderation_cases.id').onDelete('cascade'))
    // Null: raised by Sanad itself (a watched word), not by a member.
    .addColumn('reporter_id', key, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // A member reports one thing once; a second report from them changes nothing.
  await db.schema
    .createIndex('reports_case_reporter')
    .on('reports')
    .columns(['case_id', 'reporter_id'])
    .unique()
    .where(sql.ref('reporter_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('reports_reporter').on('reports').column('reporter_id').execute();

  await db.schema
    .createTable('moderation_log')
    .addColumn('id', key, (c) => c.primaryKey())
    // The group whose members may read this row; null for the instance's own log.
    .addColumn('group_id', key)
    // Erased (set null) with the account, by the moderation module: the row stays.
    .addColumn('actor_id', key)
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', key)
    // The member the action was about, who is told and may appeal; erased with the account.
    .addColumn('target_user_id', key)
    .addColumn('reason', 'text')
    // A small JSON object of ids and numbers (hours, a trust level); never words.
    .addColumn('detail', 'text')
    .addColumn('case_id', key)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('moderation_log_group')
    .on('moderation_log')
    .columns(['group_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('moderation_log_time').on('moderation_log').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('moderation_log_target_user').on('moderation_log').column('target_user_id').execute();
  await db.schema.createIndex('moderation_log_actor').on('moderation_log').column('actor_id').execute();
  await db.schema
    .createIndex('moderation_log_target')
    .on('moderation_log')
    .columns(['target_type', 'target_id'])
    .execute();

  if (sqlite) {
    await sql`create trigger moderation_log_no_delete before delete on moderation_log
      begin select raise(abort, 'moderation_log is append-only'); end`.execute(db);
    await sql`create trigger moderation_log_no_rewrite before update on moderation_log
      when new.id is not old.id or new.group_id is not old.group_id or new.action is not old.action
        or new.target_type is not old.target_type or new.target_id is not old.target_id
        or new.detail is not old.detail or new.case_id is not old.case_id or new.created_at is not old.created_at
        or (new.actor_id is not old.actor_id and new.actor_id is not null)
        or (new.target_user_id is not old.target_user_id and new.target_user_id is not null)
        or (new.reason is not old.reason and new.reason is not null)
      begin select raise(abort, 'moderation_log is append-only'); end`.execute(db);
  } else {
    await sql`create function moderation_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then raise exception 'moderation_log is append-only'; end if;
        if new.id is distinct from old.id or new.group_id is distinct from old.group_id
          or new.action is distinct from old.action or new.target_type is distinct from old.target_type
          or new.target_id is distinct from old.target_id or new.detail is distinct from old.detail
          or new.case_id is distinct from old.case_id or new.created_at is distinct from old.created_at
          or (new.actor_id is distinct from old.actor_id and new.actor_id is not null)
          or (new.target_user_id is distinct from old.target_user_id and new.target_user_id is not null)
          or (new.reason is distinct from old.reason and new.reason is not null) then
          raise exception 'moderation_log is append-only';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger moderation_log_append_only before update or delete on moderation_log
      for each row execute function moderation_log_append_only()`.execute(db);
  }

  await db.schema
    .createTable('appeals')
    .addColumn('id', key, (c) => c.primaryKey())
    // One appeal per action: the unique log row it answers.
    .addColumn('log_id', key, (c) => c.notNull().unique())
    .addColumn('user_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    // Erased with the account by the moderation module.
    .addColumn('decided_by', key)
    .addColumn('decision_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('appeals_status').on('appeals').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('appeals_user').on('appeals').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.dropTable('appeals').execute();
  await db.schema.dropTable('moderation_log').execute();
  if (!sqlite) await sql`drop function moderation_log_append_only()`.execute(db);
  await db.schema.dropTable('reports').execute();
  await db.schema.dropTable('moderation_cases').execute();
  for (const column of ['frozen_at', 'suspended_until', 'muted_until', 'trust_level']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
