// Finding help in the resource directory (issue 12, ADR 0055). A city as members type it
// ("Beyrouth", "بيروت", "الإسكندرية"/"الاسكندرية") is matched on its form normalised by the search
// analyser, kept beside the city as written (`city_key`, written with `search_text`), so both
// engines compare the same text with `=`. Indexes for what a search of 50,000 listings reads: the
// result order (published listings by name in code-point order, then id, walked a page at a time),
// a listing's terms and languages by value, services by place, and the time zones "open now" reads.
// Migrations never import application code.
import { type Kysely, SqliteAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // A key compared with `=`: by code point on both engines, as every key column is (ADR 0026).
  await db.schema
    .alterTable('resource_services')
    .addColumn('city_key', sqlite ? sql`text` : sql`text collate "C"`)
    .execute();
  // PostgreSQL orders names by the database's locale unless told otherwise; search orders them by
  // code point on both engines, and the index must hold that order to be walked.
  if (sqlite)
    await db.schema
      .createIndex('resource_services_order')
      .on('resource_services')
      .columns(['review_state', 'name', 'id'])
      .execute();
  else
    await sql`create index resource_services_order on resource_services (review_state, name collate "C", id)`.execute(
      db,
    );
  await db.schema
    .createIndex('resource_services_place')
    .on('resource_services')
    .columns(['country', 'city_key'])
    .execute();
  await db.schema.createIndex('resource_services_tz').on('resource_services').column('tz').execute();
  await db.schema.createIndex('resource_schedules_tz').on('resource_schedules').column('tz').execute();
  await db.schema
    .createIndex('resource_attributes_term')
    .on('resource_attributes')
    .columns(['taxonomy_term_id', 'link_entity', 'link_id'])
    .execute();
  await db.schema
    .createIndex('resource_languages_code')
    .on('resource_languages')
    .columns(['code', 'service_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'resource_services_order',
    'resource_languages_code',
    'resource_attributes_term',
    'resource_schedules_tz',
    'resource_services_tz',
    'resource_services_place',
  ])
    await db.schema.dropIndex(index).execute();
  await db.schema.alterTable('resource_services').dropColumn('city_key').execute();
}
