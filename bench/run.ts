// Load benchmark: Sanad's sign-in page and a signed-in page against a bare Fastify 10 KB page,
// measured side by side in one run, so the ratios mean something on any machine.
//   npm run bench            (BENCH_SECONDS=10 by default; DATABASE_URL=postgres://… to measure PostgreSQL)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { children, connections, measure, seconds, start as startScript } from './harness.js';

// Generating a large community takes a while: allow a minute plus a second per 5,000 posts.
const start = (script: string, env: NodeJS.ProcessEnv) =>
  startScript(script, env, 60_000 + Number(env.BENCH_POSTS ?? 0) / 5);

const growth = (process.env.BENCH_GROWTH ?? '').split(',').filter(Boolean).map(Number);

async function startSanad(posts: number, index: boolean, env: NodeJS.ProcessEnv = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-'));
  const sanad = await start('sanad-server.ts', {
    SANAD_DATA: dataDir,
    LOG_LEVEL: 'silent',
    SANAD_REQUESTS_PER_MINUTE: '100000000',
    BENCH_POSTS: String(posts),
    BENCH_INDEX: index ? '1' : '0',
    ...env,
  });
  return { ...sanad, dataDir } as Record<string, string>;
}

function table(results: { name: string; rps: number; p50: number; p99: number }[], base: number) {
  console.log('| target | req/s | p50 ms | p99 ms | ratio to bare |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results)
    console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / base).toFixed(2)} |`);
}

const dataDirs: string[] = [];

/**
 * Search as a denial of service: thirty 20,000-character posts whose only match is their last
 * word. For the snippet bounds off (as before ADR 0023's companion change) and on, side by side:
 * the search alone, the thread page alone, and the thread page while two clients search nonstop.
 */
async function searchUnderLoad() {
  console.log(
    '\nSearch over thirty 20,000-character posts whose only match is their last word (a fresh instance of 2,000 posts each)\n',
  );
  console.log(
    '| snippets | searches/s (2 clients) | search p50 ms | search p99 ms | thread page alone, req/s | while 2 clients search, req/s | p50 ms | p99 ms | ratio |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const mode of ['unbounded', 'bounded']) {
    const instance = await startSanad(2000, true, { BENCH_LONG_POSTS: '30', BENCH_SNIPPETS: mode });
    dataDirs.push(instance.dataDir!);
    const headers = { cookie: instance.cookie! };
    const searchUrl = `${instance.url}/search?q=${encodeURIComponent(instance.rareWord!)}`;
    const threadUrl = `${instance.url}/threads/${instance.threadId}`;
    await measure(searchUrl, headers, 2, 2);
    const search = await measure(searchUrl, headers, seconds, 2);
    await measure(threadUrl, headers, 2);
    const alone = await measure(threadUrl, headers);
    const [, during] = await Promise.all([measure(searchUrl, headers, seconds, 2), measure(threadUrl, headers)]);
    console.log(
      `| ${mode} | ${search.rps.toFixed(1)} | ${search.p50} | ${search.p99} | ${Math.round(alone.rps)} | ${during.rps.toFixed(1)} | ${during.p50} | ${during.p99} | ${(during.rps / alone.rps).toFixed(2)} |`,
    );
    children.pop()?.kill('SIGTERM');
  }
}

try {
  const posts = Number(process.env.BENCH_POSTS ?? 100_000);
  const sanad = await startSanad(posts, true);
  dataDirs.push(sanad.dataDir!);
  const cookie = { cookie: sanad.cookie! };
  // The bare server also answers the thread page's exact bytes: the most any server could do with them.
  const threadPageFile = path.join(sanad.dataDir!, 'thread-page.html');
  fs.writeFileSync(threadPageFile, await (await fetch(`${sanad.url}/bench/floor/visitor`)).text());
  const bare = await start('bare-server.ts', { BENCH_PAGE_FILE: threadPageFile });
  const targets = [
    { name: 'bare Fastify, static 10 KB page', url: `${bare.url}/`, headers: {} as Record<string, string> },
    { name: "bare Fastify, the thread page's bytes as a static page", url: `${bare.url}/thread-page`, headers: {} },
    { name: 'Sanad sign-in page (GET /login)', url: `${sanad.url}/login`, headers: {} },
    { name: 'Sanad signed-in page (GET /account)', url: `${sanad.url}/account`, headers: cookie },
    {
      name: 'the same, for a member with 20,000 unread notifications',
      url: `${sanad.url}/account`,
      headers: { cookie: sanad.notifiedCookie! },
    },
    {
      name: "Sanad's floor: the thread page's bytes, precomputed, for a visitor",
      url: `${sanad.url}/bench/floor/visitor`,
      headers: {},
    },
    {
      name: "Sanad's floor: the same, signed in (session checked)",
      url: `${sanad.url}/bench/floor/member`,
      headers: cookie,
    },
    {
      name: 'Sanad thread page, 20 posts (GET /threads/:id)',
      url: `${sanad.url}/threads/${sanad.threadId}`,
      headers: cookie,
    },
    {
      name: "Sanad group's thread list (GET /groups/:id)",
      url: `${sanad.url}/groups/${sanad.groupId}`,
      headers: cookie,
    },
    {
      name: 'Sanad thread as JSON (GET /api/v1/threads/:id)',
      url: `${sanad.url}/api/v1/threads/${sanad.threadId}`,
      headers: cookie,
    },
  ];
  const results = [];
  for (const target of targets) {
    await measure(target.url, target.headers, 2); // warm-up
    results.push({ ...target, ...(await measure(target.url, target.headers)) });
  }
  const base = results[0]!.rps;
  console.log(
    `\n${os.cpus().length} cores, Node ${process.version}, ${sanad.engine}, ${posts} posts in 1000 groups (generated in ${sanad.seedSeconds} s), ${connections} connections, ${seconds} s per target; the thread page is ${sanad.threadPageBytes} bytes\n`,
  );
  table(results, base);

  if (process.env.BENCH_SEARCH !== '0') await searchUnderLoad();

  if (growth.length) {
    console.log(
      '\nThread page latency as the instance grows (search index not generated: the thread page does not read it)\n',
    );
    console.log('| posts | req/s | p50 ms | p99 ms |');
    console.log('| ---: | ---: | ---: | ---: |');
    for (const size of growth) {
      const instance = await startSanad(size, false);
      dataDirs.push(instance.dataDir!);
      const url = `${instance.url}/threads/${instance.threadId}`;
      await measure(url, { cookie: instance.cookie! }, 2);
      const r = await measure(url, { cookie: instance.cookie! });
      console.log(`| ${size} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} |`);
      children.pop()?.kill('SIGTERM');
    }
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}
