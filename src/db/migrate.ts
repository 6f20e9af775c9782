import { Migrator, sql, SqliteAdapter, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_search.js';
import * as m0003 from './migrations/0003_groups.js';
import * as m0004 from './migrations/0004_anonymity.js';
import * as m0005 from './migrations/0005_notification_indexes.js';
import * as m0006 from './migrations/0006_search_secure_delete.js';
import * as m0007 from './migrations/0007_strip_bidi_controls.js';
import * as m0010 from './migrations/0010_binary_text_keys.js';
import * as m0011 from './migrations/0011_outbox_and_jobs.js';
import * as m0012 from './migrations/0012_notifications_of_any_kind.js';
import * as m0014 from './migrations/0014_address_form.js';
import * as m0015 from './migrations/0015_read_positions.js';
import * as m0016 from './migrations/0016_pinlock.js';
import * as m0017 from './migrations/0017_drafts.js';
import * as m0018 from './migrations/0018_kept_submissions.js';
import * as m0019 from './migrations/0019_anonymous_subscriptions.js';
import * as m0020 from './migrations/0020_moderation.js';
import * as m0022 from './migrations/0022_reveal_requests.js';
import * as m0023 from './migrations/0023_trust.js';
import * as m0024 from './migrations/0024_invite_tree_and_applications.js';
import * as m0025 from './migrations/0025_member_tools.js';
import * as m0026 from './migrations/0026_resource_directory.js';
import * as m0030 from './migrations/0030_resource_finding.js';
import * as m0031 from './migrations/0031_chat.js';
import * as m0033 from './migrations/0033_chat_declines.js';

/** Listed by hand so the build needs no file-system scanning and the order is explicit. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_search': m0002,
  '0003_groups': m0003,
  '0004_anonymity': m0004,
  '0005_notification_indexes': m0005,
  '0006_search_secure_delete': m0006,
  '0007_strip_bidi_controls': m0007,
  '0010_binary_text_keys': m0010,
  '0011_outbox_and_jobs': m0011,
  '0012_notifications_of_any_kind': m0012,
  '0014_address_form': m0014,
  '0015_read_positions': m0015,
  '0016_pinlock': m0016,
  '0017_drafts': m0017,
  '0018_kept_submissions': m0018,
  '0019_anonymous_subscriptions': m0019,
  '0020_moderation': m0020,
  '0022_reveal_requests': m0022,
  '0023_trust': m0023,
  '0024_invite_tree_and_applications': m0024,
  '0025_member_tools': m0025,
  '0026_resource_directory': m0026,
  '0030_resource_finding': m0030,
  '0031_chat': m0031,
  '0033_chat_declines': m0033,
};

const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/**
 * `schema` names the PostgreSQL schema the tables live in, when it is not the default one:
 * Kysely otherwise finds its bookkeeping tables in any schema of the database.
 *
 * On PostgreSQL Kysely takes an advisory lock, so instances may start together. On SQLite it takes
 * none (it assumes one process), so the whole run is one write transaction: a second process that
 * starts at the same moment waits for it (busy_timeout), then finds nothing left to do.
 */
/** Migrates up or down to the named migration: for tests of a migration's treatment of existing rows. */
export async function migrateTo(db: Db, target: string, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateTo(target);
  if (error) throw error;
}

/**
 * Kysely's migrator looks for its tables by listing the tables of every schema, and PostgreSQL
 * fails that listing ("schema … does not exist", 3F000) when another schema of the same database
 * is dropped while it runs: another application's, or another test file's. Nothing of ours was
 * touched, so the run is tried again.
 */
function isOtherSchemaDropped(error: unknown, schema: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && !(schema && message.includes(`"${schema}"`));
}

export async function migrateToLatest(db: Db, schema?: string): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(db, schema);
    } catch (error) {
      if (attempt >= 5 || !isOtherSchemaDropped(error, schema)) throw error;
    }
  }
}

async function migrateOnce(db: Db, schema?: string): Promise<string[]> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) await sql`begin immediate`.execute(db);
  try {
    const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    if (sqlite) await sql`commit`.execute(db);
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } catch (error) {
    if (sqlite) await sql`rollback`.execute(db);
    throw error;
  }
}
