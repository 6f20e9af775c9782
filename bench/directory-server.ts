// Sanad as deployed by default (SQLite in a fresh data folder, or DATABASE_URL), with one member,
// a session, and a generated resource directory of BENCH_LISTINGS listings (bench/directory.ts).
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/bootstrap.js';
import { buildApp } from '../src/http/app.js';
import { serviceContext } from '../src/app-context.js';
import { createAccount } from '../src/features/auth/service.js';
import { createSession } from '../src/security/sessions.js';
import { contentLimits } from '../src/http/content-limits.js';
import type { LimitName } from '../src/security/rate-limit.js';
import { generateDirectory } from './directory.js';

const config = loadConfig();
// On PostgreSQL each run gets its own schema, dropped when the benchmark stops it.
const pgSchema = config.databaseUrl ? `bench_${Date.now()}_${process.pid}` : undefined;
if (pgSchema) {
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  await client.query(`create schema ${pgSchema}`);
  await client.end();
  process.once('SIGTERM', async () => {
    const dropper = new pg.Client({ connectionString: config.databaseUrl });
    await dropper.connect();
    await dropper.query(`drop schema ${pgSchema} cascade`);
    await dropper.end();
    process.exit(0);
  });
}
const runtime = await startRuntime(config, pgSchema ? { pgSchema } : {});
const account = await createAccount(serviceContext(runtime.ctx), {
  username: 'bench_member',
  passphrase: 'a quiet river under old olive trees',
  role: 'member',
});
const session = await createSession(serviceContext(runtime.ctx), account.user.id, 'Benchmark');
const listings = Number(process.env.BENCH_LISTINGS ?? 50_000);
const started = Date.now();
await generateDirectory(runtime.ctx.db, listings);
// A live instance has planner statistics (autovacuum on PostgreSQL); give the generated one the same.
await sql`analyze`.execute(runtime.ctx.db);
const seedSeconds = (Date.now() - started) / 1000;

// Searching is limited per account and per address (ADR 0023); the benchmark is one member on one
// address asking thousands of times a second, and measures the work behind the limits.
const contentLimitNames = new Set<LimitName>(Object.values(contentLimits).flat());
const consume = runtime.ctx.limits.consume.bind(runtime.ctx.limits);
runtime.ctx.limits.consume = async (name, key, points) =>
  contentLimitNames.has(name) ? undefined : consume(name, key, points);

const app = await buildApp(runtime.ctx);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(
  JSON.stringify({
    url: address,
    cookie: `sanad_session=${session.token}`,
    engine: runtime.ctx.engine,
    listings,
    seedSeconds,
  }),
);
