// The shared search index. Text is analysed in the application (src/search/analyzer.ts) and
// stored as terms; each engine indexes those terms with its own full-text machinery.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('search_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    // Who may read it: a scope the searcher must hold (a group id, or 'public').
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_documents_ref').on('search_documents').columns(['kind', 'ref_id']).execute();
  await db.schema.createIndex('search_documents_scope').on('search_documents').column('scope').execute();
  if (sqlite) {
    // Our own tokens only: no folding by SQLite, so both engines see identical terms.
    await sql`create virtual table search_fts using fts5(doc_id unindexed, terms, tokenize = 'unicode61 remove_diacritics 0')`.execute(
      db,
    );
  } else {
    await sql`alter table search_documents add column terms_vector tsvector generated always as (to_tsvector('simple', terms)) stored`.execute(
      db,
    );
    await sql`create index search_documents_terms on search_documents using gin (terms_vector)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('search_documents').execute();
}
