import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createSecretKey, type FoundKey, keyFingerprint, secretKeyFile } from './secret-key.js';

/** The settings row that holds the key's fingerprint (never the key). */
export const fingerprintSetting = 'secret_key_fingerprint';

/** A key that does not belong to this database, or none where one must exist: the start stops with this message. */
export class SecretKeyError extends Error {}

async function settingsTableExists(db: Kysely<Database>, engine: 'sqlite' | 'postgres'): Promise<boolean> {
  if (engine === 'sqlite') {
    const rows = await sql`select 1 from sqlite_master where type = 'table' and name = 'settings'`.execute(db);
    return rows.rows.length > 0;
  }
  const rows = await sql<{ name: string | null }>`select to_regclass('settings')::text as name`.execute(db);
  return rows.rows[0]?.name != null;
}

async function storedFingerprint(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', fingerprintSetting).executeTakeFirst();
  return row?.value;
}

const lostKeyAdvice =
  'Anonymous posts stay tied to their authors, and deleting an account removes them, only with the key ' +
  'the database was made with. See "Backup and restore" in the README.';

/**
 * Settles the instance key against the database (ADR 0034): the database keeps a keyed
 * fingerprint of its key, written by the first start. A start with another key, or with none
 * where the database already has accounts, is refused instead of making a new key in silence.
 * A new key is made only for a database nobody has used yet, and only where `create` allows it
 * (the CLI on PostgreSQL never makes one: it would not be the servers' key). A start that does not
 * migrate (the CLI's `migrate` and `backup`) changes nothing: it compares, and leaves recording to the next one.
 */
export async function settleSecretKey(
  db: Kysely<Database>,
  engine: 'sqlite' | 'postgres',
  found: FoundKey | undefined,
  options: { dataDir: string; create: boolean; record: boolean },
): Promise<FoundKey> {
  const hasSettings = await settingsTableExists(db, engine);
  const stored = hasSettings ? await storedFingerprint(db) : undefined;
  let key = found;
  if (!key) {
    const inUse =
      stored !== undefined ||
      (hasSettings && (await db.selectFrom('users').select('id').limit(1).execute()).length > 0);
    if (inUse) {
      throw new SecretKeyError(
        `This database was made with a secret key that is missing here: neither SANAD_SECRET_KEY nor ` +
          `${secretKeyFile(options.dataDir)} holds it. Restore the key with the database (a backup made by ` +
          `"npm run sanad -- backup" holds both), or set SANAD_SECRET_KEY to the key the other instances use. ` +
          lostKeyAdvice,
      );
    }
    if (!options.create) {
      throw new SecretKeyError(
        `No secret key found: SANAD_SECRET_KEY is not set and ${secretKeyFile(options.dataDir)} does not exist. ` +
          'The command line uses the same key as the server: set SANAD_SECRET_KEY, or SANAD_DATA to the data ' +
          'folder the server uses, as the server has them.',
      );
    }
    key = createSecretKey(options.dataDir);
  }
  const fingerprint = keyFingerprint(key.key);
  let expected = stored;
  if (expected === undefined && hasSettings && options.record) {
    // Several instances may start together: the first fingerprint written wins, and the others compare with it.
    await db
      .insertInto('settings')
      .values({ key: fingerprintSetting, value: fingerprint })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    expected = await storedFingerprint(db);
  }
  if (expected !== undefined && expected !== fingerprint) {
    throw new SecretKeyError(
      `The secret key from ${key.source} is not the key this database was made with. Use the key that belongs ` +
        'to this database (the secret.key saved with its backup, or the SANAD_SECRET_KEY the other instances ' +
        `use); Sanad does not start with another one. ${lostKeyAdvice}`,
    );
  }
  return key;
}
