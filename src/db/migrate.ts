import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_search.js';
import * as m0003 from './migrations/0003_groups.js';
import * as m0005 from './migrations/0005_notification_indexes.js';

/** Listed by hand so the build needs no file-system scanning and the order is explicit. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_search': m0002,
  '0003_groups': m0003,
  '0005_notification_indexes': m0005,
};

const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/**
 * `schema` names the PostgreSQL schema the tables live in, when it is not the default one:
 * Kysely otherwise finds its bookkeeping tables in any schema of the database.
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
