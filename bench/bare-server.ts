// The yardstick: a bare Fastify server answering one static 10 KB HTML page, and, when given
// BENCH_PAGE_FILE, that file's bytes at /thread-page.
import fs from 'node:fs';
import Fastify from 'fastify';

const paragraph =
  '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.</p>\n';
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head><body>${paragraph.repeat(Math.ceil(10_240 / paragraph.length))}</body></html>`;

const app = Fastify({ logger: false });
app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
if (process.env.BENCH_PAGE_FILE) {
  const threadPage = fs.readFileSync(process.env.BENCH_PAGE_FILE);
  app.get('/thread-page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(threadPage));
}
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url: address, bytes: Buffer.byteLength(page) }));
