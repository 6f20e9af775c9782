import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { newId } from '../security/tokens.js';
import { testPgUrl } from '../../test/support/runtime.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

// Kysely's migrator lists the tables of every schema; PostgreSQL fails that listing when another
// schema of the database is dropped meanwhile. Test files do exactly that in parallel, so a start
// migrating beside them must not fail for a schema that is not its own.
const freshSchema = () =>
  `t_${newId()
    .replace(/[^a-zA-Z0-9]/g, '')
    .toLowerCase()
    .slice(0, 16)}`;

// A PostgreSQL behaviour, so it always runs on PostgreSQL (like the setup race), whatever the stage.
test('migrating on PostgreSQL while other schemas of the database are dropped', async () => {
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  let churning = true;
  // Another party makes and drops schemas holding a table, again and again.
  const churn = (async () => {
    while (churning) {
      const other = freshSchema();
      await admin.query(`create schema ${other}; create table ${other}.x (id serial primary key, v text)`);
      await admin.query(`drop schema ${other} cascade`);
      // Many drops a second, as test files finishing in parallel make, not one after another without end.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const ours: string[] = [];
  try {
    for (let round = 0; round < 15; round++) {
      const schema = freshSchema();
      ours.push(schema);
      await admin.query(`create schema ${schema}`);
      const database = openDatabase({ databaseUrl: testPgUrl(), pgSchema: schema });
      try {
        const applied = await migrateToLatest(database.db, schema);
        assert.ok(applied.length > 10, 'every migration ran');
      } finally {
        await database.close();
      }
    }
  } finally {
    churning = false;
    await churn;
    for (const schema of ours) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
});
