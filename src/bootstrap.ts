import path from 'node:path';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { RateLimits } from './security/rate-limit.js';
import { deriveKey, loadSecretKey } from './security/secret-key.js';

export interface Runtime {
  ctx: AppContext;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export function sqliteFileFor(config: Config): string {
  return path.join(config.dataDir, 'sanad.db');
}

/** Opens the database, runs pending migrations and derives the keys: shared by server, CLI and tests. */
export async function startRuntime(
  config: Config,
  options: { pgSchema?: string; migrate?: boolean; now?: () => number } = {},
): Promise<Runtime> {
  const secret = loadSecretKey(config.dataDir, config.secretKey);
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: sqliteFileFor(config),
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  if (options.migrate !== false) await migrateToLatest(database.db, database.pgSchema);
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
    },
    limits,
    now: options.now ?? Date.now,
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
