import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FastifyReply } from 'fastify';
import { AppError, invalid, notFound } from '../platform/errors.js';
import { formRoute, type FormProblem } from './forms.js';

/** Just enough of a reply to see what formRoute does with it. */
function replyRecorder() {
  const seen: { redirect?: [string, number]; headers: Record<string, string> } = { headers: {} };
  const reply = {
    redirect(url: string, status: number) {
      seen.redirect = [url, status];
      return reply;
    },
    header(name: string, value: string) {
      seen.headers[name] = value;
      return reply;
    },
  } as unknown as FastifyReply;
  return { reply, seen };
}

test('formRoute: a success redirects with 303 (POST/redirect/GET), or answers the page done sends', async () => {
  const { reply, seen } = replyRecorder();
  assert.equal(
    await formRoute(reply, { run: async () => 'g1', done: (id) => `/groups/${id}`, again: () => reply }),
    reply,
  );
  assert.deepEqual(seen.redirect, ['/groups/g1', 303]);
  const page = replyRecorder();
  await formRoute(page.reply, { run: async () => 1, done: () => page.reply, again: () => page.reply });
  assert.equal(page.seen.redirect, undefined);
});

test('formRoute: a refusal shows the form again with the problems and status; other errors go on', async () => {
  const { reply, seen } = replyRecorder();
  let problem: FormProblem | undefined;
  const refuse = (error: unknown) =>
    formRoute(reply, {
      run: async () => {
        throw error;
      },
      done: () => '/never',
      again: (p) => {
        problem = p;
        return reply;
      },
    });
  await refuse(invalid([{ field: 'name', message: 'groups.form.nameLength', values: { min: 3, max: 80 } }]));
  assert.deepEqual(problem, {
    status: 422,
    errors: [{ field: 'name', message: 'groups.form.nameLength', values: { min: 3, max: 80 } }],
    general: undefined,
  });
  await refuse(new AppError('rate_limited', 'error.rateLimited', [], 30));
  assert.deepEqual(problem, { status: 429, errors: [], general: 'error.rateLimited' });
  assert.equal(seen.headers['Retry-After'], '30');
  await assert.rejects(refuse(notFound()), (e) => e instanceof AppError && e.code === 'not_found');
  await assert.rejects(refuse(new Error('database gone')), /database gone/);
  assert.equal(seen.redirect, undefined);
});

test('every HTML form route goes through formRoute: no route catches a refusal by hand', () => {
  const features = path.resolve(import.meta.dirname, '..', 'features');
  for (const name of fs.readdirSync(features)) {
    const dir = path.join(features, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => /^routes.*\.tsx?$/.test(f))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      // ok() rather than doesNotMatch(): a failure names the file without printing all of it.
      const line = source.split('\n').findIndex((l) => /\bformProblem\(|catch \(error\)/.test(l));
      assert.ok(line === -1, `${name}/${file}:${line + 1} catches a refusal by hand; use formRoute`);
    }
  }
});
