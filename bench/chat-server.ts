// Sanad for the chat benchmark (bench/chat-run.ts): one instance as deployed (SQLite in a fresh data
// folder, or DATABASE_URL), with BENCH_MEMBERS members, each with a session of their own, in one
// private group holding a large room (fan-out) and BENCH_ROOMS rooms (idle connections, sustained
// load), plus a small generated community for the thread page. With BENCH_PG_SCHEMA it is a second
// instance on the first one's PostgreSQL schema and data folder (the same key), and creates nothing.
// It answers GET /bench/memory (process.memoryUsage(), after a full collection with ?gc=1; start it
// with --expose-gc).
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
import { normaliseUsername } from '../src/security/username.js';
import { hashToken, newId, newToken } from '../src/security/tokens.js';

const config = loadConfig();
const joining = process.env.BENCH_PG_SCHEMA;
// On PostgreSQL the first instance makes a schema of its own and drops it when stopped.
const pgSchema = joining ?? (config.databaseUrl ? `bench_chat_${Date.now()}_${process.pid}` : undefined);
if (pgSchema && !joining) {
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  await client.query(`create schema ${pgSchema}`);
  await client.end();
}
const runtime = await startRuntime(config, {
  ...(pgSchema ? { pgSchema } : {}),
  ...(joining ? { migrate: false } : {}),
});

// Every member posts as fast as the benchmark asks, which the per-account content limits
// (ADR 0023: chat's ten in ten seconds, three hundred an hour) would stop: the benchmark measures
// the work behind the messages, so it switches those limits off, over HTTP and over the socket.
const contentLimitNames = new Set<LimitName>([...Object.values(contentLimits).flat(), 'mentionHour']);
const consume = runtime.ctx.limits.consume.bind(runtime.ctx.limits);
const attempt = runtime.ctx.limits.attempt.bind(runtime.ctx.limits);
runtime.ctx.limits.consume = async (name, key, points) =>
  contentLimitNames.has(name) ? undefined : consume(name, key, points);
runtime.ctx.limits.attempt = async (name, key, points) =>
  contentLimitNames.has(name) ? 0 : attempt(name, key, points);

let setup: Record<string, unknown> = {};
if (!joining) {
  const started = Date.now();
  const ctx = serviceContext(runtime.ctx);
  const db = runtime.ctx.db;
  const account = await createAccount(ctx, {
    username: 'bench_member',
    passphrase: 'a quiet river under old olive trees',
    role: 'member',
  });
  const session = await createSession(ctx, account.user.id, 'Benchmark');
  const community = await generateCommunity(db, runtime.ctx.engine, {
    groups: Number(process.env.BENCH_GROUPS ?? 100),
    posts: Number(process.env.BENCH_POSTS ?? 10_000),
    index: false,
    memberId: account.user.id,
  });

  // The chat's members: rows written in batches (a passphrase hash per member would take minutes
  // and is not what is measured), each with one session as signing in makes it.
  const members = Number(process.env.BENCH_MEMBERS ?? 10_000);
  const now = Date.now();
  const groupId = newId();
  await db
    .insertInto('groups')
    .values({
      id: groupId,
      name: 'دردشة',
      description: 'A private group whose members chat',
      languages: 'ar en',
      country: null,
      city: null,
      visibility: 'private',
      members_list_open: 0,
      anonymous_posting: 0,
      room_timer_seconds: null,
      questions: '[]',
      created_at: now,
      last_activity_at: now,
    })
    .execute();
  const tokens: string[] = [];
  for (let start = 0; start < members; start += 500) {
    const users = [];
    const sessions = [];
    const memberships = [];
    for (let i = start; i < Math.min(members, start + 500); i++) {
      const name = normaliseUsername(`chat_${i}`);
      const id = newId();
      const token = newToken();
      tokens.push(token);
      users.push({
        id,
        username: name.display,
        username_key: name.key,
        username_skeleton: name.skeleton,
        passphrase_hash: 'x',
        role: 'member' as const,
        created_at: now,
      });
      sessions.push({
        id: newId(),
        token_hash: hashToken(token),
        user_id: id,
        device: 'Benchmark',
        created_at: now,
        last_seen_at: now,
        expires_at: now + 14 * 86_400_000,
      });
      memberships.push({ group_id: groupId, user_id: id, role: i === 0 ? 'owner' : 'member', joined_at: now } as const);
    }
    await db.insertInto('users').values(users).execute();
    await db.insertInto('sessions').values(sessions).execute();
    await db.insertInto('group_members').values(memberships).execute();
  }
  const room = async (name: string) => {
    const id = newId();
    await db
      .insertInto('chats')
      .values({
        id,
        kind: 'room',
        group_id: groupId,
        name,
        timer_seconds: null,
        last_seq: 0,
        purged_seq: 0,
        archived_at: null,
        created_at: now,
        last_message_at: null,
      })
      .execute();
    return id;
  };
  const bigRoomId = await room('كل الأعضاء');
  const roomIds: string[] = [];
  for (let i = 0; i < Number(process.env.BENCH_ROOMS ?? 100); i++) roomIds.push(await room(`غرفة ${i}`));
  await sql`analyze`.execute(db);
  setup = {
    cookie: `sanad_session=${session.token}`,
    threadId: community.threadId,
    groupId,
    bigRoomId,
    roomIds,
    tokens,
    pgSchema,
    seedSeconds: (Date.now() - started) / 1000,
  };
}

const app = await buildApp(runtime.ctx);
app.get('/bench/memory', { config: { policy: policies.anyone } }, async (request) => {
  if ((request.query as { gc?: string }).gc === '1') {
    // Twice: what the first frees (weak references, finalisers) the second sweeps.
    global.gc?.();
    global.gc?.();
  }
  return { ...process.memoryUsage(), gcExposed: typeof global.gc === 'function' };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });

let stopping = false;
process.once('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 10_000);
  force.unref();
  await app.close().catch(() => {});
  await runtime.close().catch(() => {});
  if (pgSchema && !joining) {
    const dropper = new pg.Client({ connectionString: config.databaseUrl });
    await dropper.connect();
    await dropper.query(`drop schema ${pgSchema} cascade`);
    await dropper.end();
  }
  process.exit(0);
});

console.log(JSON.stringify({ url: address, engine: runtime.ctx.engine, pid: process.pid, ...setup }));
