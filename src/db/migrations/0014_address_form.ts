// How the interface addresses each member (ADR 0037): 'neutral' (plural or neutral forms, the
// default and the form every visitor sees), 'feminine' or 'masculine'. A plain word, not an id, so
// no collation. It lives on the user row and goes with it. Migrations never import application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('address_form', 'text', (c) =>
      c.notNull().defaultTo('neutral').check(sql`address_form in ('neutral', 'feminine', 'masculine')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('address_form').execute();
}
