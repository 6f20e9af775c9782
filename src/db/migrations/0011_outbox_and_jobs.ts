// The transactional outbox of domain events (ADR 0028) and the jobs table (ADR 0027). Both hold
// ids and codes only: payloads are ids, errors are codes, never the words of a post or anyone's
// address. Ids and keys compare by code point (collate "C" on PostgreSQL, as migration 0010 set
// for the tables before). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = !(db.getExecutor().adapter instanceof SqliteAdapter);
  // SQLite compares text by code point already (BINARY); PostgreSQL needs the "C" collation said.
  const key = postgres ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('outbox_events')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    // 0 until a dispatcher has made the event's delivery rows, one per subscriber of its type.
    .addColumn('fanned_out', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('outbox_events_pending')
    .on('outbox_events')
    .columns(['fanned_out', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('outbox_deliveries')
    .addColumn('event_id', key, (c) => c.notNull().references('outbox_events.id').onDelete('cascade'))
    .addColumn('subscriber_key', key, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    /** A short code (`timeout`, `23505`, `Error`), never a message that could quote data. */
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('outbox_deliveries_pk', ['event_id', 'subscriber_key'])
    .execute();
  await db.schema.createIndex('outbox_deliveries_due').on('outbox_deliveries').columns(['next_attempt_at']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // The lease: who holds the job and until when. Past locked_until any worker may take it again.
    .addColumn('lease_id', key)
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    // Scheduled jobs have one row each (`schedule:<name>`); deferred jobs may name a key to be enqueued once.
    .addColumn('unique_key', key, (c) => c.unique())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.dropTable('outbox_deliveries').execute();
  await db.schema.dropTable('outbox_events').execute();
}
