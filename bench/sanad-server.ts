// Sanad as deployed by default (SQLite in a fresh data folder, or DATABASE_URL), with one member,
// a session, and a generated community of BENCH_POSTS posts in BENCH_GROUPS groups.
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/bootstrap.js';
import { buildApp } from '../src/http/app.js';
import { serviceContext } from '../src/app-context.js';
import { createAccount } from '../src/features/auth/service.js';
import { createSession } from '../src/security/sessions.js';
import { generateCommunity } from './community.js';
import { policies } from '../src/security/policy.js';
import { contentLimits } from '../src/http/content-limits.js';
import type { LimitName } from '../src/security/rate-limit.js';
import { snippetBounds } from '../src/search/service.js';
import { createPost, createThread } from '../src/features/discussions/service.js';
import { newId } from '../src/security/tokens.js';

const config = loadConfig();
const rareWord = 'زنجبيل';
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
const started = Date.now();
const community = await generateCommunity(runtime.ctx.db, runtime.ctx.engine, {
  groups: Number(process.env.BENCH_GROUPS ?? 1000),
  posts: Number(process.env.BENCH_POSTS ?? 100_000),
  index: process.env.BENCH_INDEX !== '0',
  memberId: account.user.id,
});

// The per-account content limits (ADR 0023) would stop one member's thousands of requests a
// second: the benchmark measures the work behind them, so it switches those limits off.
const contentLimitNames = new Set<LimitName>([...Object.values(contentLimits).flat(), 'mentionHour']);
const consume = runtime.ctx.limits.consume.bind(runtime.ctx.limits);
runtime.ctx.limits.consume = async (name, key, points) =>
  contentLimitNames.has(name) ? undefined : consume(name, key, points);

// Search as a denial of service: BENCH_LONG_POSTS posts of 20,000 characters of words that never
// repeat, whose only match for the query is their last word. BENCH_SNIPPETS=unbounded lifts the
// snippet bounds, to measure what a search cost before them side by side.
const longPosts = Number(process.env.BENCH_LONG_POSTS ?? 0);
if (process.env.BENCH_SNIPPETS === 'unbounded') Object.assign(snippetBounds, { window: Infinity, perQuery: Infinity });
const member = { kind: 'user' as const, id: account.user.id, username: account.user.username, role: 'member' as const };
if (longPosts > 0) {
  let thread = '';
  for (let i = 0; i < longPosts; i++) {
    let body = '';
    for (let w = 0; body.length < 19_980; w++) body += `w${i}x${w.toString(36)} `;
    body += rareWord;
    if (i === 0)
      thread = (
        await createThread(serviceContext(runtime.ctx), member, community.groupId, { title: 'Long posts', body })
      ).threadId;
    else await createPost(serviceContext(runtime.ctx), member, thread, { body });
  }
}

// Pages slowing down as notifications pile up: a second member with 20,000 of them, unread.
const notified = await createAccount(serviceContext(runtime.ctx), {
  username: 'bench_notified',
  passphrase: 'a quiet river under old olive trees',
  role: 'member',
});
const notifiedSession = await createSession(serviceContext(runtime.ctx), notified.user.id, 'Benchmark');
for (let i = 0; i < 20_000; i += 1000) {
  const rows = Array.from({ length: 1000 }, (_, j) => ({
    id: newId(),
    user_id: notified.user.id,
    kind: 'join_approved',
    subject_id: community.groupId,
    context: JSON.stringify({ groupId: community.groupId }),
    created_at: Date.now() - (i + j) * 1000,
    read: 0,
  }));
  await runtime.ctx.db.insertInto('notifications').values(rows).execute();
}

// A live instance has planner statistics (autovacuum on PostgreSQL); give the generated one the same.
await sql`analyze`.execute(runtime.ctx.db);
const seedSeconds = (Date.now() - started) / 1000;
const app = await buildApp(runtime.ctx);
// The pipeline's floor: the thread page's exact bytes, rendered once, answered through all of
// Sanad's hooks (locale, rate limit, session, headers) with no query and no rendering of its own.
let threadPage = '';
for (const [url, policy] of [
  ['/bench/floor/visitor', policies.anyone],
  ['/bench/floor/member', policies.signedIn],
] as const) {
  app.get(url, { config: { policy } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(threadPage),
  );
}
const cookie = `sanad_session=${session.token}`;
threadPage = (await app.inject({ url: `/threads/${community.threadId}`, headers: { cookie } })).body;
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(
  JSON.stringify({
    url: address,
    cookie,
    notifiedCookie: `sanad_session=${notifiedSession.token}`,
    rareWord,
    threadPageBytes: Buffer.byteLength(threadPage),
    engine: runtime.ctx.engine,
    ...community,
    seedSeconds,
  }),
);
