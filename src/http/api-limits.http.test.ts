// ADR 0029: the limits the OpenAPI document states are the limits the services enforce, and a
// schema violation is answered in exactly the shape, status and language of a service's refusal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, groupDefaults, member, threadIn } from '../../test/support/community.js';
import { translator } from '../i18n/index.js';

let rt: TestRuntime;
let document: Record<string, any>;
before(async () => {
  rt = await createTestRuntime();
  document = (await rt.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
});
after(async () => rt.close());

const bodySchema = (path: string, method = 'post') =>
  document.paths[path][method].requestBody.content['application/json'].schema as {
    properties: Record<string, { maxLength?: number; maxItems?: number; items?: { maxLength?: number } }>;
  };
/** A string of exactly n characters that stays n characters after trimming and normalising. */
const text = (n: number) => 'abcdefghij'.repeat(Math.ceil(n / 10)).slice(0, n);

describe('what the document allows, the service accepts', () => {
  test('a thread and a reply at every stated length limit', async () => {
    const owner = await member(rt, 'lim');
    const group = await createGroupAs(owner.api);
    const thread = bodySchema('/api/v1/groups/{id}/threads').properties;
    const full = await owner.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
      title: text(thread.title!.maxLength!),
      body: text(thread.body!.maxLength!),
      warning: 'other',
      warningText: text((thread.warningText as { anyOf: { maxLength?: number }[] }).anyOf[0]!.maxLength!),
    });
    assert.equal(full.status, 201, full.body);
    const { threadId } = await threadIn(owner.api, group.id);
    const reply = bodySchema('/api/v1/threads/{id}/posts').properties;
    const replied = await owner.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: text(reply.body!.maxLength!),
    });
    assert.equal(replied.status, 201, replied.body);
  });

  test('a group at every stated length and count limit', async () => {
    const owner = await member(rt, 'glim');
    const group = bodySchema('/api/v1/groups').properties;
    const tags = (name: string) =>
      Array.from({ length: group[name]!.maxItems! }, (_, i) => `${i}${text(group[name]!.items!.maxLength! - 1)}`);
    const created = await owner.api.api('POST', '/api/v1/groups', {
      ...groupDefaults,
      name: text(group.name!.maxLength!),
      description: text(group.description!.maxLength!),
      city: text((group.city as { anyOf: { maxLength?: number }[] }).anyOf[0]!.maxLength!),
      interests: tags('interests'),
      issues: tags('issues'),
      identities: tags('identities'),
      questions: tags('questions'),
      visibility: 'private',
    });
    assert.equal(created.status, 201, created.body);
  });
});

describe('a schema violation answers as a service refusal does', () => {
  for (const locale of ['en', 'ar'] as const) {
    test(`${locale}: 422, validation_failed, the field and a localised message`, async () => {
      const owner = await member(rt, 'shape');
      owner.api.acceptLanguage = locale;
      const group = await createGroupAs(owner.api);
      const t = translator(locale);
      const url = `/api/v1/groups/${group.id}/threads`;
      // Refused by the schema: one character beyond the limit.
      const bySchema = await owner.api.api('POST', url, { title: text(151), body: 'x' });
      // Refused by the service: long enough as sent, too short once its spaces are trimmed.
      const byService = await owner.api.api('POST', url, { title: '    ab    ', body: 'x' });
      for (const response of [bySchema, byService]) {
        assert.equal(response.status, 422, response.body);
        assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
        const { error } = response.json();
        assert.deepEqual(Object.keys(error), ['code', 'message', 'fields']);
        assert.equal(error.code, 'validation_failed');
        assert.equal(error.message, t('error.validation'));
        assert.deepEqual(
          error.fields.map((f: { field: string }) => f.field),
          ['title'],
        );
      }
      assert.equal(bySchema.json().error.fields[0].message, t('validation.tooLong', { max: 150 }));
      assert.equal(byService.json().error.fields[0].message, t('discussions.form.titleLength', { min: 3, max: 150 }));
    });
  }

  test('a missing required field, an unknown field and a wrong type each name the field', async () => {
    const owner = await member(rt, 'kinds');
    const t = translator('en');
    const cases: [unknown, string, string][] = [
      [{ description: 'd', visibility: 'public' }, 'name', t('validation.required')],
      [{ ...groupDefaults, colour: 'blue' }, 'colour', t('validation.unknownField')],
      [{ ...groupDefaults, membersListOpen: 'yes' }, 'membersListOpen', t('validation.invalid')],
      [{ ...groupDefaults, questions: ['a', 'b', 'c', 'd'] }, 'questions', t('validation.tooMany', { max: 3 })],
    ];
    for (const [body, field, message] of cases) {
      const response = await owner.api.api('POST', '/api/v1/groups', body);
      assert.equal(response.status, 422, field);
      assert.deepEqual(response.json().error.fields, [{ field, message }], field);
    }
  });
});
