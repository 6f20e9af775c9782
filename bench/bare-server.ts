// The yardstick: a bare Fastify server answering one static 10 KB HTML page, and, when given
// BENCH_PAGE_FILE, that file's bytes at /thread-page; given BENCH_PAGES_DIR, each file of that
// folder at /pages/<file name>. With BENCH_COMPRESS=1 it compresses as Sanad does (src/http/app.ts:
// the same plugin and settings), for clients that ask as browsers do.
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import fastifyCompress from '@fastify/compress';

const paragraph =
  '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.</p>\n';
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head><body>${paragraph.repeat(Math.ceil(10_240 / paragraph.length))}</body></html>`;

const app = Fastify({ logger: false });
if (process.env.BENCH_COMPRESS === '1')
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
if (process.env.BENCH_PAGE_FILE) {
  const threadPage = fs.readFileSync(process.env.BENCH_PAGE_FILE);
  app.get('/thread-page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(threadPage));
}
const pagesDir = process.env.BENCH_PAGES_DIR;
if (pagesDir) {
  for (const name of fs.readdirSync(pagesDir)) {
    const bytes = fs.readFileSync(path.join(pagesDir, name));
    const type = name.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
    app.get(`/pages/${name}`, async (_request, reply) => reply.type(type).send(bytes));
  }
}
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url: address, bytes: Buffer.byteLength(page) }));
