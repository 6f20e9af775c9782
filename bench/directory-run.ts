// Directory search benchmark (issue 12): finding help over BENCH_LISTINGS (50,000) listings with
// filters, each Sanad target measured beside a bare Fastify server sending that target's exact
// bytes, both compressing as browsers ask (Accept-Encoding: gzip, deflate, br), in one run.
//   npx tsx bench/directory-run.ts       (BENCH_SECONDS=5 by default; DATABASE_URL=postgres://… for PostgreSQL)
// Not part of `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { children, connections, measure, start } from './harness.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const listings = Number(process.env.BENCH_LISTINGS ?? 50_000);
const browser = { 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'ar' };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-directory-'));
const pagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-pages-'));

try {
  const sanad = await start(
    'directory-server.ts',
    {
      SANAD_DATA: dataDir,
      LOG_LEVEL: 'silent',
      SANAD_REQUESTS_PER_MINUTE: '100000000',
      BENCH_LISTINGS: String(listings),
    },
    // Writing the directory takes a while: a minute plus a second per 500 listings.
    60_000 + listings * 2,
  );
  const member = { ...browser, cookie: sanad.cookie! };
  const q = (text: string) => encodeURIComponent(text);
  const targets = [
    { name: 'the directory, no filter, a visitor', path: '/resources', headers: browser },
    { name: 'words: محامي (Arabic, stemmed), a member', path: `/resources?q=${q('محامي')}`, headers: member },
    {
      name: 'country, category and language spoken',
      path: '/resources?country=LB&category=legal-aid&language=ar',
      headers: member,
    },
    { name: 'open now in Egypt, free', path: '/resources?country=EG&open=on&cost=free', headers: member },
    {
      name: 'words, city and remote',
      path: `/resources?q=${q('clinic')}&country=EG&city=${q('القاهرة')}&remote=on`,
      headers: member,
    },
    {
      name: 'the API: words and cost (JSON)',
      path: `/api/v1/resources?q=${q('مساعدة قانونية')}&cost=free`,
      headers: member,
    },
  ];
  // The bare server answers each target's exact bytes, as Sanad sent them to this reader.
  const sizes: number[] = [];
  for (const [i, target] of targets.entries()) {
    const response = await fetch(`${sanad.url}${target.path}`, {
      headers: { cookie: target.headers === member ? sanad.cookie! : '', 'accept-language': 'ar' },
    });
    if (!response.ok) throw new Error(`${target.path}: ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    sizes.push(body.length);
    fs.writeFileSync(path.join(pagesDir, `${i}${target.path.startsWith('/api/') ? '.json' : '.html'}`), body);
  }
  const bare = await start('bare-server.ts', { BENCH_PAGES_DIR: pagesDir, BENCH_COMPRESS: '1' });
  const base = await (async () => {
    await measure(`${bare.url}/`, browser, 2);
    return measure(`${bare.url}/`, browser, seconds);
  })();
  const rows: string[] = [];
  for (const [i, target] of targets.entries()) {
    const file = `${i}${target.path.startsWith('/api/') ? '.json' : '.html'}`;
    await measure(`${bare.url}/pages/${file}`, browser, 1);
    const floor = await measure(`${bare.url}/pages/${file}`, browser, seconds);
    await measure(`${sanad.url}${target.path}`, target.headers, 2);
    const r = await measure(`${sanad.url}${target.path}`, target.headers, seconds);
    rows.push(
      `| ${target.name} | ${(sizes[i]! / 1024).toFixed(1)} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${Math.round(floor.rps)} | ${(r.rps / floor.rps).toFixed(2)} | ${(r.rps / base.rps).toFixed(3)} |`,
    );
  }
  console.log(
    `\n${os.cpus().length} cores, Node ${process.version}, ${sanad.engine}, ${listings} listings (written in ${sanad.seedSeconds} s), ${connections} connections, ${seconds} s per target, compressed as browsers ask; bare 10 KB page: ${Math.round(base.rps)} req/s\n`,
  );
  console.log(
    '| target | KB (uncompressed) | Sanad req/s | p50 ms | p99 ms | bare Fastify, same bytes, req/s | ratio to same bytes | ratio to bare 10 KB |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
} finally {
  for (const child of children) child.kill('SIGTERM');
  // The PostgreSQL server drops its schema on SIGTERM: give it a moment before the folders go.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(pagesDir, { recursive: true, force: true });
}
