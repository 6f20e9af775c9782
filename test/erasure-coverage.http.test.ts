import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Db, Engine } from '../src/db/database.js';
import type { FeatureModule } from '../src/platform/module.js';
import { loadModules } from '../src/platform/modules.js';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';

/**
 * A member's right to leave without trace (ADR 0031): every column that holds a user's id either
 * goes with the user by `ON DELETE CASCADE`, or is declared in some module's `erases`, which
 * account deletion runs. The schema is read from the database itself, on each engine.
 */

interface Column {
  table: string;
  column: string;
  /** The delete rule of a foreign key from this column to users, if there is one. */
  onDeleteOfUser: 'cascade' | 'set null' | 'other' | null;
}

/**
 * Names that say a column holds a person: `user_id`, `author_id`, `sender_id`, `created_by`, … and
 * the sealed or keyed forms of one (`author_box`, `author_ref`).
 */
const personColumn =
  /(^|_)(user|author|actor|member|reactor|sender|recipient|owner|creator|requester|reporter)(_id|_box|_ref)?$|_by$/;

async function columnsOf(db: Db, engine: Engine): Promise<Column[]> {
  const columns: Column[] = [];
  if (engine === 'sqlite') {
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name } of tables.rows) {
      const keys = await sql<{ table: string; from: string; on_delete: string }>`
        select "table", "from", on_delete from pragma_foreign_key_list(${name})`.execute(db);
      const info = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db);
      for (const column of info.rows) {
        const key = keys.rows.find((k) => k.from === column.name && k.table === 'users');
        columns.push({ table: name, column: column.name, onDeleteOfUser: key ? ruleOf(key.on_delete) : null });
      }
    }
  } else {
    const info = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema()`.execute(db);
    const keys = await sql<{ table_name: string; column_name: string; rule: string }>`
      select source.relname as table_name, a.attname as column_name, c.confdeltype as rule
      from pg_constraint c
      join pg_class source on source.oid = c.conrelid
      join pg_namespace n on n.oid = source.relnamespace
      join pg_class target on target.oid = c.confrelid
      cross join lateral unnest(c.conkey) as k(attnum)
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
      where c.contype = 'f' and n.nspname = current_schema() and target.relname = 'users'`.execute(db);
    for (const row of info.rows) {
      const key = keys.rows.find((k) => k.table_name === row.table_name && k.column_name === row.column_name);
      const rule = key ? ({ c: 'CASCADE', n: 'SET NULL' } as Record<string, string>)[key.rule] : undefined;
      columns.push({
        table: row.table_name,
        column: row.column_name,
        onDeleteOfUser: key ? ruleOf(rule ?? 'other') : null,
      });
    }
  }
  return columns;
}

function ruleOf(rule: string): Column['onDeleteOfUser'] {
  const normal = rule.toLowerCase();
  return normal === 'cascade' ? 'cascade' : normal === 'set null' ? 'set null' : 'other';
}

/** The columns holding a user's id that nothing erases, and `erases` entries naming no column. */
export async function erasureProblems(db: Db, engine: Engine, modules: readonly FeatureModule[]): Promise<string[]> {
  const columns = await columnsOf(db, engine);
  const declared = new Map<string, FeatureModule>();
  for (const module of modules)
    for (const { table, column } of module.erases ?? []) declared.set(`${table}.${column}`, module);
  const problems: string[] = [];
  for (const { table, column, onDeleteOfUser } of columns) {
    if (table === 'users') continue;
    if (onDeleteOfUser === null && !personColumn.test(column)) continue;
    if (onDeleteOfUser === 'cascade' || declared.has(`${table}.${column}`)) continue;
    problems.push(`${table}.${column} holds a user's id: cascade it from users, or erase it in a module (erases)`);
  }
  const existing = new Set(columns.map(({ table, column }) => `${table}.${column}`));
  for (const [name, module] of declared) {
    if (!existing.has(name)) problems.push(`${module.name} declares it erases ${name}, which does not exist`);
    else if (!module.eraseAccount && module.name !== 'account') {
      problems.push(`${module.name} declares it erases ${name} but has no eraseAccount`);
    }
  }
  return problems.sort();
}

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

test('every column holding a user id is cascaded or erased by a module', async () => {
  assert.deepEqual(await erasureProblems(rt.ctx.db, rt.ctx.engine, await loadModules()), []);
});

test('a table a new capability adds, with a user id and no eraser, is reported', async () => {
  const { db, engine } = rt.ctx;
  await sql`create table probe_messages (id text primary key, sender_id text not null, body text not null)`.execute(db);
  await sql`create table probe_reads (
    message_id text not null, reader text not null references users(id) on delete set null)`.execute(db);
  await sql`create table probe_mutes (user_id text not null references users(id) on delete cascade)`.execute(db);
  try {
    const modules = await loadModules();
    assert.deepEqual(await erasureProblems(db, engine, modules), [
      "probe_messages.sender_id holds a user's id: cascade it from users, or erase it in a module (erases)",
      "probe_reads.reader holds a user's id: cascade it from users, or erase it in a module (erases)",
    ]);
    // Declared by a module that erases it, it passes; declared where no such column is, it is reported.
    const chat: FeatureModule = {
      name: 'chat',
      erases: [
        { table: 'probe_messages', column: 'sender_id' },
        { table: 'probe_reads', column: 'reader' },
        { table: 'probe_gone', column: 'user_id' },
      ],
      eraseAccount: async () => {},
    };
    assert.deepEqual(await erasureProblems(db, engine, [...modules, chat]), [
      'chat declares it erases probe_gone.user_id, which does not exist',
    ]);
  } finally {
    for (const table of ['probe_mutes', 'probe_reads', 'probe_messages'])
      await sql`drop table ${sql.table(table)}`.execute(db);
  }
});
