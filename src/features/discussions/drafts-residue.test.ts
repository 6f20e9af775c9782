// Unpublished words leave no copy on disk once a draft is discarded or expires (ADRs 0021, 0040).
// The write-ahead log is SQLite's: this file runs on SQLite whatever the test engine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseFilesHolding, distinctive } from '../../../test/support/sqlite-file.js';
import { serviceContext } from '../../app-context.js';
import { createSession } from '../../security/sessions.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { expireDrafts } from './services/drafts.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({ databaseUrl: undefined });
  assert.equal(rt.ctx.engine, 'sqlite');
});
after(async () => rt.close());

const filesHolding = (word: string) => databaseFilesHolding(rt.config.dataDir, word);

test('a discarded draft, saved again and again as the member typed, leaves no copy in any database file', async () => {
  const { api } = await member(rt);
  const group = await createGroupAs(api);
  const { threadId } = await threadIn(api, group.id);
  const word = distinctive('saffronbridge');
  const url = `/api/v1/threads/${threadId}/draft`;
  for (const ending of ['', ' at', ' at dusk']) {
    assert.equal((await api.api('PUT', url, { body: `Meet by the ${word}${ending}` })).status, 200);
  }
  assert.ok(filesHolding(word).length > 0, 'the word is on disk first');
  assert.equal((await api.api('DELETE', url)).status, 204);
  assert.deepEqual(filesHolding(word), []);
});

test('an expired draft leaves no copy in any database file', async () => {
  const { user, api } = await member(rt);
  const group = await createGroupAs(api);
  const word = distinctive('cobaltorchard');
  const put = await api.api('PUT', `/api/v1/groups/${group.id}/threads/draft`, { title: word, body: '' });
  assert.equal(put.status, 200, put.body);
  assert.ok(filesHolding(word).length > 0, 'the word is on disk first');
  rt.advance(31 * 86_400_000);
  assert.equal(await expireDrafts(serviceContext(rt.ctx)), 1);
  assert.deepEqual(filesHolding(word), []);
  // Signed in again after the clock moved, the member finds nothing.
  api.bearer = (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token;
  assert.deepEqual((await api.api('GET', `/api/v1/groups/${group.id}/threads/draft`)).json(), { draft: null });
});
