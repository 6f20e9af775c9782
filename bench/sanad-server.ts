// Sanad as deployed by default (SQLite in a fresh data folder, or DATABASE_URL), with one member,
// a session, and a generated community of BENCH_POSTS posts in BENCH_GROUPS groups.
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/bootstrap.js';
import { buildApp } from '../src/http/app.js';
import { serviceContext } from '../src/app-context.js';
import { createAccount } from '../src/features/auth/service.js';
import { createSession } from '../src/features/sessions/service.js';
import { generateCommunity } from './community.js';
import { policies } from '../src/security/policy.js';

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
const account = await createAccount(serviceContext(runtime.ctx), { username: 'bench_member', passphrase: 'a quiet river under old olive trees', role: 'member' });
const session = await createSession(serviceContext(runtime.ctx), account.user.id, 'Benchmark');
const started = Date.now();
const community = await generateCommunity(runtime.ctx.db, runtime.ctx.engine, {
  groups: Number(process.env.BENCH_GROUPS ?? 1000),
  posts: Number(process.env.BENCH_POSTS ?? 100_000),
  index: process.env.BENCH_INDEX !== '0',
  memberId: account.user.id,
});
// A live instance has planner statistics (autovacuum on PostgreSQL); give the generated one the same.
await sql`analyze`.execute(runtime.ctx.db);
const seedSeconds = (Date.now() - started) / 1000;
const app = await buildApp(runtime.ctx);
// The pipeline's floor: the thread page's exact bytes, rendered once, answered through all of
// Sanad's hooks (locale, rate limit, session, headers) with no query and no rendering of its own.
let threadPage = '';
for (const [url, policy] of [['/bench/floor/visitor', policies.anyone], ['/bench/floor/member', policies.signedIn]] as const) {
  app.get(url, { config: { policy } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(threadPage));
}
const cookie = `sanad_session=${session.token}`;
threadPage = (await app.inject({ url: `/threads/${community.threadId}`, headers: { cookie } })).body;
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url: address, cookie, threadPageBytes: Buffer.byteLength(threadPage), engine: runtime.ctx.engine, ...community, seedSeconds }));
