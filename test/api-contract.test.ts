// The API as a contract (ADR 0029): the document a real app serves is valid OpenAPI 3.1, types
// generated from it by a standard generator compile a small client, and that client runs the
// journey register → group → thread → reply → search against the running app.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { translator } from '../src/i18n/index.js';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';

const contractDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'contract');
const generatedDir = path.join(contractDir, 'generated');

let rt: TestRuntime;
let baseUrl: string;
let document: Record<string, any>;

before(async () => {
  rt = await createTestRuntime();
  baseUrl = await rt.app.listen({ host: '127.0.0.1', port: 0 });
  const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
  assert.equal(response.status, 200);
  document = (await response.json()) as Record<string, any>;
});
after(() => rt.close());

type Operation = { method: string; path: string; op: Record<string, any> };
const operations = (): Operation[] =>
  Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path: p, op })),
  );
const label = (o: Operation) => `${o.method.toUpperCase()} ${o.path}`;

test('the document is valid OpenAPI 3.1', async () => {
  assert.equal(document.openapi, '3.1.0');
  const result = await new Validator().validate(structuredClone(document));
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
});

test('every request body lists its required fields, and a new group needs what the service needs', () => {
  for (const o of operations()) {
    const schema = o.op.requestBody?.content?.['application/json']?.schema;
    if (schema?.type !== 'object' || !schema.properties) continue;
    assert.ok(Array.isArray(schema.required), `${label(o)} lists its required fields`);
    for (const name of schema.required) assert.ok(name in schema.properties, `${label(o)}: ${name} is a property`);
  }
  const newGroup = document.paths['/api/v1/groups'].post.requestBody.content['application/json'].schema;
  assert.deepEqual([...newGroup.required].sort(), ['description', 'name', 'visibility']);
});

test('every API route answers its success and its errors in the shared Error component', () => {
  assert.ok(document.components.schemas.Error, 'the error shape is one shared component');
  for (const o of operations().filter((x) => x.path.startsWith('/api/v1/'))) {
    const statuses = Object.keys(o.op.responses ?? {});
    assert.ok(
      statuses.some((s) => s.startsWith('2')),
      `${label(o)} documents its success`,
    );
    const errors = statuses.filter((s) => Number(s) >= 400);
    assert.ok(errors.includes('400') && errors.includes('429'), `${label(o)} documents 400 and 429`);
    for (const status of errors)
      assert.deepEqual(
        o.op.responses[status].content['application/json'].schema,
        { $ref: '#/components/schemas/Error' },
        `${label(o)} ${status}`,
      );
    if (o.op.requestBody) assert.ok(errors.includes('422'), `${label(o)} takes a body, so it documents 422`);
  }
});

test('types generated from the document compile a client that runs register → group → thread → reply → search', async () => {
  fs.mkdirSync(generatedDir, { recursive: true });
  const types = astToString(await openapiTS(structuredClone(document) as never));
  fs.writeFileSync(path.join(generatedDir, 'openapi.d.ts'), types);

  const program = ts.createProgram([path.join(contractDir, 'flow.ts')], {
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    types: [],
    noEmit: true,
  });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(problems, [], 'the client compiles against the generated types');

  const flow = (await import(
    pathToFileURL(path.join(contractDir, 'flow.ts')).href
    // Typed loosely here: the client is compiled above against types generated at test time.
  )) as { registerToSearch(baseUrl: string, word: string, vouchedFor: (id: string) => Promise<void>): Promise<any> };
  const word = `quokka${Math.random().toString(36).slice(2, 8)}`;
  const trusted = async (id: string) =>
    void (await rt.ctx.db.updateTable('users').set({ trust_level: 'trusted' }).where('id', '=', id).execute());
  const run = await flow.registerToSearch(baseUrl, word, trusted);

  assert.equal(run.registered.user.username, `contract_${word}`);
  assert.deepEqual(run.group.languages, ['en'], "a new group speaks its creator's language");
  assert.equal(run.group.membership, 'owner');
  assert.equal(run.started.thread.groupId, run.group.id);
  assert.equal(run.started.thread.title, `About ${word}`);
  assert.equal(run.started.post.threadId, run.started.thread.id);
  assert.equal(run.started.post.body, `The first post mentions ${word}.`);
  assert.equal(run.drafted.draft?.body, `Half a reply about ${word}`, 'a draft saved through the typed client');
  assert.equal(run.draftAfter.draft, null, 'and gone once the reply was posted');
  assert.equal(run.replied.post.threadId, run.started.thread.id);
  assert.equal(run.replied.post.mine, true);
  assert.deepEqual(
    run.page.posts.map((p: { id: string }) => p.id),
    [run.started.post.id, run.replied.post.id],
  );
  assert.deepEqual(run.locked, { pinned: true, locked: true, lockReason: 'Answered' });
  assert.equal(run.page.canReply, true, 'the owner may still reply in a locked thread');
  assert.equal(run.page.firstUnread, null, 'the caller’s own posts are never new to them');
  assert.deepEqual(run.unread, { count: 0, opened: true, firstPostId: null, page: null });
  const hit = run.found.results.find((r: any) => r.id === run.replied.post.id);
  assert.equal(hit?.kind, 'post', 'search finds the reply');
  assert.ok(hit!.snippet.some((part: any) => part.match && part.text.toLowerCase().includes(word)));

  const t = translator('en');
  const mention = (answer: any) => answer.preferences.find((p: any) => p.kind === 'mention');
  assert.equal(mention(run.quieter).delivery, 'off', 'a choice made through the typed client');
  assert.equal(mention(run.preferences).delivery, 'off', 'and read back');
  assert.equal(run.refused?.status, 422, 'a title beyond the limit is refused');
  assert.deepEqual(run.refused?.answer, {
    error: {
      code: 'validation_failed',
      message: t('error.validation'),
      fields: [{ field: 'title', message: t('validation.tooLong', { max: 150 }) }],
    },
  });
});
