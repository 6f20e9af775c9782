import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseFilesHolding, distinctive } from '../../test/support/sqlite-file.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../test/support/community.js';

// The write-ahead log is SQLite's: this file runs on SQLite whatever the test engine.
let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({ databaseUrl: undefined });
  assert.equal(rt.ctx.engine, 'sqlite');
});
after(async () => rt.close());

const filesHolding = (word: string) => databaseFilesHolding(rt.config.dataDir, word);

test('a deleted post leaves no copy of its words in any database file, the write-ahead log included', async () => {
  const { api } = await member(rt);
  const group = await createGroupAs(api);
  const { threadId } = await threadIn(api, group.id);
  const word = distinctive('quokkaharbour');
  const reply = await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Meet me by the ${word} tonight` });
  assert.equal(reply.status, 201, reply.body);
  assert.ok(filesHolding(word).length > 0, 'the word is on disk before the deletion (the search below can find it)');

  assert.equal((await api.api('DELETE', `/api/v1/posts/${reply.json().post.id}`)).status, 204);
  assert.deepEqual(filesHolding(word), []);
});

test("a deleted account's words, named and anonymous, leave no copy in any database file", async () => {
  const { api: other } = await member(rt);
  const group = await createGroupAs(other, { anonymousPosting: true });
  const { threadId } = await threadIn(other, group.id);
  const { user, api } = await member(rt);
  const joined = await api.api('POST', `/api/v1/groups/${group.id}/join`, {});
  assert.ok(joined.status < 300, joined.body);
  const named = distinctive('lanternorchard');
  const hidden = distinctive('velvetcompass');
  const opening = await api.api('POST', `/api/v1/groups/${group.id}/threads`, {
    title: 'Evening plans',
    body: `My own ${named} thread`,
  });
  assert.equal(opening.status, 201, opening.body);
  const anonymous = await api.api('POST', `/api/v1/threads/${threadId}/posts`, {
    body: `Quietly, ${hidden}`,
    anonymous: true,
  });
  assert.equal(anonymous.status, 201, anonymous.body);
  assert.ok(filesHolding(named).length > 0 && filesHolding(hidden).length > 0, 'both words are on disk first');

  assert.equal((await api.api('DELETE', '/api/v1/me', { current: user.passphrase })).status, 204);
  assert.deepEqual(filesHolding(named), []);
  assert.deepEqual(filesHolding(hidden), []);
});

test('anonymous posts erased apart from the account leave no copy in any database file', async () => {
  const { api: other } = await member(rt);
  const group = await createGroupAs(other, { anonymousPosting: true });
  const { threadId } = await threadIn(other, group.id);
  const { user, api } = await member(rt);
  assert.ok((await api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status < 300);
  const hidden = distinctive('amberlighthouse');
  const anonymous = await api.api('POST', `/api/v1/threads/${threadId}/posts`, {
    body: `Softly, ${hidden}`,
    anonymous: true,
  });
  assert.equal(anonymous.status, 201, anonymous.body);
  assert.ok(filesHolding(hidden).length > 0, 'the word is on disk first');

  const erased = await api.api('DELETE', '/api/v1/me/anonymous-posts', { current: user.passphrase });
  assert.equal(erased.status, 200, erased.body);
  assert.deepEqual(filesHolding(hidden), []);
});
