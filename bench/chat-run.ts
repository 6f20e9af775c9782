// Chat in real time (issue 13): idle connections, fan-out latency and a sustained load, against
// Sanad servers in child processes on loopback (bench/chat-server.ts), with WebSocket clients (the
// `ws` package) in this process speaking docs/REALTIME.md, authenticated by bearer tokens.
//   npm run bench:chat        (BENCH_SECONDS=60 for the sustained load; BENCH_CONNECTIONS=10000)
// With DATABASE_URL=postgres://… it also measures fan-out across two instances on PostgreSQL, once
// through Redis (REDIS_URL, default redis://127.0.0.1:6379; BENCH_REDIS=0 skips it) and once
// through LISTEN/NOTIFY. Not part of `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { children, measure, start } from './harness.js';

const connectionCount = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const fanOutMembers = Number(process.env.BENCH_FANOUT ?? 1000);
const repeats = Number(process.env.BENCH_REPEATS ?? 20);
const sustainedSeconds = Number(process.env.BENCH_SECONDS ?? 60);
const rate = Number(process.env.BENCH_RATE ?? 200);
const rooms = 100;
const receivers = Number(process.env.BENCH_RECEIVERS ?? 10);
const pageSeconds = Number(process.env.BENCH_PAGE_SECONDS ?? 10);
const pgUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** Client sockets come from 127.0.0.2 … 127.0.0.(1 + sources): each source has its own ephemeral ports. */
const sources = 20;

const dataDirs: string[] = [];
const newDataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-chat-'));
  dataDirs.push(dir);
  return dir;
};

type Setup = {
  url: string;
  engine: string;
  cookie: string;
  threadId: string;
  bigRoomId: string;
  roomIds: string[];
  tokens: string[];
  pgSchema?: string;
  seedSeconds: number;
};

const quiet = { LOG_LEVEL: 'silent', SANAD_REQUESTS_PER_MINUTE: '100000000' };

async function startServer(env: NodeJS.ProcessEnv): Promise<Setup> {
  return (await start('chat-server.ts', { ...quiet, ...env }, 300_000, ['--expose-gc'])) as unknown as Setup;
}

function stopLast(count = 1) {
  for (let i = 0; i < count; i++) children.pop()?.kill('SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// Clients

interface Client {
  ws: WebSocket;
  /** Called with each `message` frame's raw text and the moment it arrived. */
  onMessage: ((text: string, at: number) => void) | null;
  waiting: Map<string, { resolve: () => void; reject: (error: Error) => void }>;
}

function connect(base: string, token: string, index: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/live`, {
      headers: { authorization: `Bearer ${token}` },
      localAddress: `127.0.0.${2 + (index % sources)}`,
      perMessageDeflate: false,
    });
    const client: Client = { ws, onMessage: null, waiting: new Map() };
    ws.on('message', (data) => {
      const at = performance.now();
      const text = data.toString();
      if (text.startsWith('{"type":"message"')) return client.onMessage?.(text, at);
      const frame = JSON.parse(text) as { type: string; chatId?: string; code?: string };
      const waiter = frame.chatId ? client.waiting.get(frame.chatId) : undefined;
      if (!waiter) return;
      client.waiting.delete(frame.chatId!);
      if (frame.type === 'subscribed') waiter.resolve();
      else waiter.reject(new Error(`subscribe answered ${text}`));
    });
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
    ws.on('close', (code) => {
      for (const waiter of client.waiting.values()) waiter.reject(new Error(`closed with ${code}`));
    });
  });
}

function subscribe(client: Client, chatId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waiting.set(chatId, { resolve, reject });
    client.ws.send(JSON.stringify({ type: 'subscribe', chatId }));
  });
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

async function closeAll(clients: Client[]) {
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.ws.readyState === WebSocket.CLOSED) return resolve();
          client.ws.once('close', () => resolve());
          client.ws.close();
        }),
    ),
  );
}

async function post(base: string, token: string, chatId: string, body: string) {
  const response = await fetch(`${base}/api/v1/rooms/${chatId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body }),
  });
  if (response.status !== 201) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
  const json = (await response.json()) as { message?: { id: string }; id?: string };
  return json.message?.id ?? json.id!;
}

/** The server's memory; with `gc`, after two full collections a second apart (the heap settles). */
async function memory(base: string, gc: boolean) {
  const read = async () =>
    (await (await fetch(`${base}/bench/memory${gc ? '?gc=1' : ''}`)).json()) as NodeJS.MemoryUsage & {
      gcExposed: boolean;
    };
  if (!gc) return read();
  await read();
  await sleep(1000);
  const usage = await read();
  if (!usage.gcExposed) throw new Error('the server was started without --expose-gc');
  return usage;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The machine's load average over the last minute: other work on it shows here. */
const load = () => os.loadavg()[0]!.toFixed(1);

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function fdLimit(): number {
  const line = fs
    .readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return line ? Number(line.split(/\s+/)[3]) : Number.POSITIVE_INFINITY;
}

// ---------------------------------------------------------------------------------------------
// 1. Idle connections

async function idleConnections(server: Setup) {
  const page = `${server.url}/threads/${server.threadId}`;
  const headers = { cookie: server.cookie };
  // A fresh server's thread page speeds up over its first half minute of load (JIT, caches): warm it
  // that long, or the first column measures warming rather than the connections.
  await measure(page, headers, 30);
  const loadBefore = load();
  const before = await measure(page, headers, pageSeconds);
  const mem0 = await memory(server.url, true);
  const opened = performance.now();
  const clients = await pool(
    Array.from({ length: connectionCount }, (_, i) => i),
    200,
    async (i) => {
      const client = await connect(server.url, server.tokens[i]!, i);
      await subscribe(client, server.roomIds[i % server.roomIds.length]!);
      return client;
    },
  );
  const openSeconds = (performance.now() - opened) / 1000;
  await sleep(2000);
  const mem1 = await memory(server.url, true);
  await measure(page, headers, 2);
  const loadDuring = load();
  const during = await measure(page, headers, pageSeconds);
  const open = clients.filter((c) => c.ws.readyState === WebSocket.OPEN).length;
  await closeAll(clients);
  await sleep(2000);
  const mem2 = await memory(server.url, true);
  await measure(page, headers, 2);
  const loadAfter = load();
  const after = await measure(page, headers, pageSeconds);

  console.log(
    `\n## Idle connections: ${connectionCount} members, each with one connection and one session of their own, each following one of ${server.roomIds.length} rooms (${connectionCount / server.roomIds.length} a room); opened and subscribed in ${openSeconds.toFixed(1)} s, 200 at a time; ${open} still open when measured\n`,
  );
  console.log(
    '| server memory (after a full collection) | before | with the connections open | per connection | after closing them |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const key of ['rss', 'heapUsed', 'external'] as const)
    console.log(
      `| ${key} | ${mb(mem0[key])} MB | ${mb(mem1[key])} MB | ${kb((mem1[key] - mem0[key]) / connectionCount)} KB | ${mb(mem2[key])} MB |`,
    );
  console.log(
    `\nThread page (GET /threads/:id, 20 posts, ${pageSeconds} s, 10 autocannon connections, 2 s warm-up each)\n`,
  );
  console.log('| connections open | req/s | p50 ms | p99 ms | ratio | load average at start |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(`| none (before) | ${Math.round(before.rps)} | ${before.p50} | ${before.p99} | 1.00 | ${loadBefore} |`);
  console.log(
    `| ${connectionCount}, idle | ${Math.round(during.rps)} | ${during.p50} | ${during.p99} | ${(during.rps / before.rps).toFixed(2)} | ${loadDuring} |`,
  );
  console.log(
    `| none (after closing them) | ${Math.round(after.rps)} | ${after.p50} | ${after.p99} | ${(after.rps / before.rps).toFixed(2)} | ${loadAfter} |`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Fan-out

interface FanOutTarget {
  label: string;
  /** Where each receiver connects (by its index), and where the poster posts. */
  urlFor: (index: number) => string;
  posterUrl: string;
  server: Setup;
  /** Labels for groups of receivers, by index (e.g. which instance). */
  sideOf?: (index: number) => string;
}

async function fanOut(target: FanOutTarget) {
  const { server } = target;
  const poster = server.tokens[fanOutMembers]!;
  const clients = await pool(
    Array.from({ length: fanOutMembers }, (_, i) => i),
    100,
    async (i) => {
      const client = await connect(target.urlFor(i), server.tokens[i]!, i);
      await subscribe(client, server.bigRoomId);
      return client;
    },
  );
  const loadAtStart = load();
  const postTimes: number[] = [];
  const latencies: number[] = [];
  const bySide = new Map<string, number[]>();
  let missing = 0;
  for (let r = -2; r < repeats; r++) {
    // Two unmeasured rounds first: the first message of a room warms caches like any other first.
    const marker = `fanout-${r}-${Math.random().toString(36).slice(2)}`;
    const arrived: number[] = new Array(fanOutMembers).fill(0);
    let count = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    clients.forEach((client, i) => {
      client.onMessage = (text, at) => {
        if (!text.includes(marker) || arrived[i]) return;
        arrived[i] = at;
        if (++count === fanOutMembers) done();
      };
    });
    const sent = performance.now();
    const posted = post(target.posterUrl, poster, server.bigRoomId, `رسالة للجميع ${marker}`).then(() => {
      postTimes.push(performance.now() - sent);
    });
    await Promise.race([all, sleep(10_000)]);
    await posted;
    if (r < 0) continue;
    arrived.forEach((at, i) => {
      if (!at) {
        missing++;
        return;
      }
      latencies.push(at - sent);
      const side = target.sideOf?.(i);
      if (side) {
        const list = bySide.get(side) ?? [];
        list.push(at - sent);
        bySide.set(side, list);
      }
    });
    await sleep(200);
  }
  await closeAll(clients);
  postTimes.sort((a, b) => a - b);
  const line = (label: string, values: number[]) => {
    values.sort((a, b) => a - b);
    return `| ${label} | ${values.length} | ${percentile(values, 50).toFixed(1)} | ${percentile(values, 99).toFixed(1)} | ${values[values.length - 1]!.toFixed(1)} | ${percentile(postTimes, 50).toFixed(1)} | ${loadAtStart} |`;
  };
  const rows = [line(target.label, latencies)];
  for (const [side, values] of bySide) rows.push(line(`… of which ${side}`, values));
  return { rows, missing, postP50: percentile(postTimes, 50) };
}

// ---------------------------------------------------------------------------------------------
// 3. Sustained load

async function sustained(server: Setup) {
  // Receivers: members fanOutMembers+1 …; posters: one member a room, after them.
  const receiverTokens = server.tokens.slice(fanOutMembers + 1, fanOutMembers + 1 + receivers);
  const posterTokens = server.tokens.slice(fanOutMembers + 1 + receivers, fanOutMembers + 1 + receivers + rooms);
  const roomIds = server.roomIds.slice(0, rooms);
  const clients = await pool(receiverTokens, receivers, async (token, i) => {
    const client = await connect(server.url, token, i);
    for (const chatId of roomIds) await subscribe(client, chatId);
    return client;
  });
  /** Per message id, how many times each receiver got it. */
  const received = new Map<string, Uint8Array>();
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let outOfOrder = 0;
  /** Delivery latencies by the 5 s window their message was sent in. */
  const byWindow: number[][] = [];
  let began = 0;
  const lastSeq = clients.map(() => new Map<string, number>());
  clients.forEach((client, i) => {
    client.onMessage = (text, at) => {
      const frame = JSON.parse(text) as { chatId: string; message: { id: string; seq: number; body: string } };
      const { id, seq, body } = frame.message;
      let counts = received.get(id);
      if (!counts) {
        counts = new Uint8Array(receivers);
        received.set(id, counts);
      }
      counts[i]! += 1;
      const previous = lastSeq[i]!.get(frame.chatId) ?? 0;
      if (seq <= previous) outOfOrder++;
      lastSeq[i]!.set(frame.chatId, seq);
      const stamp = Number(/#t(\d+(?:\.\d+)?)$/.exec(body)?.[1]);
      if (Number.isFinite(stamp)) {
        latencies.push(at - stamp);
        const window = Math.floor((stamp - began) / 5000);
        const list = byWindow[window] ?? [];
        list.push(at - stamp);
        byWindow[window] = list;
      }
    };
  });

  const memStart = await memory(server.url, true);
  const loadAtStart = load();
  const samples: { t: number; rss: number; heapUsed: number }[] = [];
  const posted: string[] = [];
  let failures = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let sent = 0;
  const total = rate * sustainedSeconds;
  began = performance.now();
  const sampler = setInterval(() => {
    void memory(server.url, false).then((m) =>
      samples.push({ t: Math.round((performance.now() - began) / 1000), rss: m.rss, heapUsed: m.heapUsed }),
    );
  }, 5000);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate));
      while (sent < due) {
        const k = sent++;
        const room = k % rooms;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const at = performance.now();
        post(server.url, posterTokens[room]!, roomIds[room]!, `رسالة ${k} في الغرفة ${room} #t${at.toFixed(3)}`)
          .then(
            (id) => {
              posted.push(id);
              sentAt.set(id, at);
            },
            () => failures++,
          )
          .finally(() => inFlight--);
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const sendSeconds = (performance.now() - began) / 1000;
  while (inFlight > 0) await sleep(10);
  const postedSeconds = (performance.now() - began) / 1000;
  // Let delivery finish: every posted message at every receiver, or 30 s.
  const waitUntil = performance.now() + 30_000;
  const complete = () => posted.every((id) => received.get(id)?.every((n) => n >= 1));
  while (!complete() && performance.now() < waitUntil) await sleep(100);
  clearInterval(sampler);
  const deliveredSeconds = (performance.now() - began) / 1000;
  const memEnd = await memory(server.url, true);
  let lost = 0;
  let duplicates = 0;
  for (const id of posted) {
    const counts = received.get(id);
    for (let i = 0; i < receivers; i++) {
      const n = counts?.[i] ?? 0;
      if (n === 0) lost++;
      if (n > 1) duplicates += n - 1;
    }
  }
  const strangers = [...received.keys()].filter((id) => !sentAt.has(id)).length;
  await closeAll(clients);
  latencies.sort((a, b) => a - b);

  console.log(
    `\n## Sustained: ${rate} messages a second across ${rooms} rooms for ${sustainedSeconds} s (one poster a room, over HTTP), ${receivers} receivers each following all ${rooms} rooms\n`,
  );
  console.log('| measure | value |');
  console.log('| --- | ---: |');
  console.log(`| messages asked | ${total} |`);
  console.log(`| messages accepted (201) | ${posted.length} |`);
  console.log(`| POSTs failed | ${failures} |`);
  console.log(
    `| posting took | ${postedSeconds.toFixed(1)} s (sending ${sendSeconds.toFixed(1)} s; at most ${maxInFlight} in flight) |`,
  );
  console.log(`| all delivered after | ${deliveredSeconds.toFixed(1)} s |`);
  console.log(`| deliveries expected (accepted × receivers) | ${posted.length * receivers} |`);
  console.log(`| lost | ${lost} |`);
  console.log(`| duplicates | ${duplicates} |`);
  console.log(`| out of order (a seq not above the last in its chat) | ${outOfOrder} |`);
  console.log(`| frames for messages nobody posted | ${strangers} |`);
  console.log(
    `| delivery latency p50 / p99 / max | ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} / ${latencies[latencies.length - 1]?.toFixed(1)} ms |`,
  );
  console.log(`| load average at start / end | ${loadAtStart} / ${load()} |`);
  console.log(
    '\nServer memory every 5 s (no forced collection; before and after: after a full collection), and the delivery latency of the messages sent in the 5 s before each sample\n',
  );
  console.log('| s | rss MB | heapUsed MB | latency p50 ms | p99 ms |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  console.log(`| before | ${mb(memStart.rss)} | ${mb(memStart.heapUsed)} | | |`);
  for (const s of samples.sort((a, b) => a.t - b.t)) {
    const window = (byWindow[Math.round(s.t / 5) - 1] ?? []).sort((a, b) => a - b);
    console.log(
      `| ${s.t} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${percentile(window, 50).toFixed(1)} | ${percentile(window, 99).toFixed(1)} |`,
    );
  }
  console.log(`| after | ${mb(memEnd.rss)} | ${mb(memEnd.heapUsed)} | | |`);
}

// ---------------------------------------------------------------------------------------------

try {
  const limit = fdLimit();
  if (limit < connectionCount + 1000) {
    console.error(
      `Open-file limit ${limit} is below ${connectionCount + 1000}: raise it (ulimit -n ${connectionCount + 2000}) or lower BENCH_CONNECTIONS.`,
    );
    process.exit(2);
  }
  const phases = new Set((process.env.BENCH_PHASES ?? 'connections,fanout,sustained,instances').split(','));
  const members = Math.max(connectionCount, fanOutMembers + 1 + receivers + rooms);
  const sqlite = await startServer({
    SANAD_DATA: newDataDir(),
    DATABASE_URL: '',
    REDIS_URL: '',
    BENCH_MEMBERS: String(members),
  });
  console.log(
    `# ${os.cpus().length} cores, Node ${process.version}, ${sqlite.engine}: ${members} members with a session each, generated in ${sqlite.seedSeconds} s`,
  );
  if (phases.has('connections')) await idleConnections(sqlite);
  const fanOutRows: string[] = [];
  const notes: string[] = [];
  if (phases.has('fanout')) {
    const result = await fanOut({
      label: `one instance, ${sqlite.engine}`,
      urlFor: () => sqlite.url,
      posterUrl: sqlite.url,
      server: sqlite,
    });
    fanOutRows.push(...result.rows);
    notes.push(
      `one instance: ${result.missing} deliveries missing, the POST answered in ${result.postP50.toFixed(1)} ms (p50)`,
    );
  }
  if (phases.has('sustained')) await sustained(sqlite);
  stopLast();
  if (phases.has('instances') && pgUrl) {
    const buses = [
      ...(process.env.BENCH_REDIS === '0' ? [] : [{ name: 'Redis', env: { REDIS_URL: redisUrl } }]),
      { name: 'LISTEN/NOTIFY', env: { REDIS_URL: '' } },
    ];
    for (const bus of buses) {
      const dataDir = newDataDir();
      const channel = `bench_${process.pid}_${bus.name === 'Redis' ? 'r' : 'n'}`;
      const env = { ...bus.env, DATABASE_URL: pgUrl, SANAD_DATA: dataDir, SANAD_REALTIME_CHANNEL: channel };
      const a = await startServer({
        ...env,
        BENCH_MEMBERS: String(fanOutMembers + 1),
        BENCH_POSTS: '20',
        BENCH_GROUPS: '1',
        BENCH_ROOMS: '1',
      });
      const b = await startServer({ ...env, BENCH_PG_SCHEMA: a.pgSchema });
      const half = fanOutMembers / 2;
      const result = await fanOut({
        label: `two instances, PostgreSQL, via ${bus.name} (poster on A)`,
        urlFor: (i) => (i < half ? a.url : b.url),
        posterUrl: a.url,
        server: a,
        sideOf: (i) => (i < half ? `${half} clients on A` : `${fanOutMembers - half} clients on B`),
      });
      fanOutRows.push(...result.rows);
      notes.push(`${bus.name}: ${result.missing} missing, the POST answered in ${result.postP50.toFixed(1)} ms (p50)`);
      // B first: A drops the schema.
      children.pop()?.kill('SIGTERM');
      await sleep(1000);
      stopLast();
      await sleep(2000);
    }
  } else if (phases.has('instances')) notes.push('two instances: skipped (no DATABASE_URL)');
  if (fanOutRows.length) {
    console.log(
      `\n## Fan-out: one message to a room of ${fanOutMembers} connected members, ${repeats} times (after 2 unmeasured): time from sending the POST to each client's receipt of its \`message\` frame\n`,
    );
    console.log(
      '| where | deliveries | p50 ms | p99 ms | max ms | the POST answered, p50 ms | load average at start |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(fanOutRows.join('\n'));
  }
  if (notes.length) console.log(`\n${notes.join('; ')}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await sleep(1500);
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
