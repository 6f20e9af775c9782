import { RealtimeSignal } from './realtime/signal.js';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { DatabaseUnreachableError, openDatabase, waitForDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { loadCatalogs } from './i18n/catalogs.js';
import { reindexIfAnalyserChanged } from './search/service.js';
import { RateLimits } from './security/rate-limit.js';
import { SecretKeyError, settleSecretKey } from './security/key-check.js';
import { deriveKey, readSecretKey } from './security/secret-key.js';

export interface Runtime {
  ctx: AppContext;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export function sqliteFileFor(config: Config): string {
  return path.join(config.dataDir, 'sanad.db');
}

/** A reason not to start that the operator can act on; printed as it is, without a stack trace. */
export class StartupError extends Error {}

/** The data folder holds the SQLite database and the generated key: find out at once if it cannot be written. */
function assertWritable(dir: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(probe, 'wx', 0o600));
    fs.unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new StartupError(
      `The data folder ${dir} cannot be written (${code}). Sanad keeps its database and key there: ` +
        'make it writable for the user that runs Sanad, or point SANAD_DATA to a folder that is.',
    );
  }
}

/** Loads the feature modules' catalogs, opens the database, runs pending migrations and derives the keys: shared by server, CLI and tests. */
export async function startRuntime(
  config: Config,
  options: {
    pgSchema?: string;
    migrate?: boolean;
    now?: () => number;
    onDatabaseRetry?: (reason: string) => void;
    /** Whether a database nobody has used yet may get a newly made key (the CLI on PostgreSQL passes false). */
    createKey?: boolean;
  } = {},
): Promise<Runtime> {
  // The feature modules' strings, before anything can be said in any language.
  await loadCatalogs();
  if (!config.databaseUrl || (!config.secretKey && options.createKey !== false)) assertWritable(config.dataDir);
  const found = readSecretKey(config.dataDir, config.secretKey);
  let secret: Buffer;
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: sqliteFileFor(config),
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  try {
    if (database.engine === 'postgres') {
      await waitForDatabase(database.db, config.databaseStartTimeoutSeconds * 1000, options.onDatabaseRetry);
    }
    if (options.migrate !== false) {
      await migrateToLatest(database.db, database.pgSchema);
      // Documents indexed by an earlier analyser are re-analysed, so they match today's queries (ADR 0033).
      await reindexIfAnalyserChanged({ db: database.db, engine: database.engine });
    }
    // The database keeps a fingerprint of its key: another key, or a lost one, stops the start (ADR 0034).
    const settled = await settleSecretKey(database.db, database.engine, found, {
      dataDir: config.dataDir,
      create: options.createKey !== false,
      record: options.migrate !== false,
    });
    secret = settled.key;
  } catch (error) {
    await database.close().catch(() => {});
    if (error instanceof SecretKeyError) throw new StartupError(error.message);
    if (error instanceof DatabaseUnreachableError) {
      throw new StartupError(
        `${error.message} Check DATABASE_URL, or allow longer with SANAD_DB_START_TIMEOUT_SECONDS.`,
      );
    }
    throw error;
  }
  const limits = RateLimits.create(secret, config.redisUrl, config.requestsPerMinute);
  // Starting without Redis is allowed (limits fall back to memory); waiting a moment avoids doing so needlessly.
  if (config.redisUrl) await limits.connected();
  const ctx: AppContext = {
    config,
    db: database.db,
    engine: database.engine,
    keys: {
      csrf: deriveKey(secret, 'csrf'),
      device: deriveKey(secret, 'device'),
      anonymity: deriveKey(secret, 'anonymity'),
      setup: deriveKey(secret, 'setup'),
    },
    limits,
    now: options.now ?? Date.now,
    storageFailedAt: database.storageFailedAt,
    signals: new RealtimeSignal(),
  };
  return {
    ctx,
    database,
    async close() {
      await limits.close();
      await database.close();
    },
  };
}
