// Unread notifications are counted on every page: a partial index holds only unread rows, so the
// count never visits read ones. Retention deletes old rows by age: an index on created_at.
// Migrations never import application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('notifications_unread')
    .on('notifications')
    .column('user_id')
    .where(sql.ref('read'), '=', 0)
    .execute();
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_created').execute();
  await db.schema.dropIndex('notifications_unread').execute();
}
