// An expired chat message leaves no copy on disk once the purge has run (ADRs 0021, 0062): its
// words are in the main file or the write-ahead log before, and in no database file after.
// `secure_delete` and the write-ahead log are SQLite's: this file runs on SQLite whatever the test engine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseFilesHolding, distinctive } from '../../../test/support/sqlite-file.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createConversationRow } from '../../../test/support/chat.js';
import { member } from '../../../test/support/community.js';
import { asMember } from '../../../test/support/seed.js';
import { serviceContext } from '../../app-context.js';
import { indexDocument } from '../../search/service.js';
import chatModule from './index.js';
import { postMessage } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({ databaseUrl: undefined });
  assert.equal(rt.ctx.engine, 'sqlite');
});
after(async () => rt.close());

const filesHolding = (word: string) => databaseFilesHolding(rt.config.dataDir, word);

test('an expired message, purged, leaves no copy of its words in the database file or its write-ahead log', async () => {
  const a = await member(rt, 'a');
  const b = await member(rt, 'b');
  const conversation = await createConversationRow(rt, [{ userId: a.user.id }, { userId: b.user.id }], {
    timerSeconds: 3_600,
  });
  const word = distinctive('juniperlantern');
  const body = `Meet by the ${word} at nine`;
  const { messageId } = await postMessage(serviceContext(rt.ctx), asMember(a.user), conversation, { body });
  // Indexed as the messages part indexes messages, so the search index is proven clean too.
  await indexDocument(
    { db: rt.ctx.db, engine: rt.ctx.engine },
    { kind: 'chat_message', refId: messageId, scope: `chat:${conversation}`, title: '', body, createdAt: rt.ctx.now() },
  );
  assert.ok(filesHolding(word).length > 0, 'the word is on disk before the purge');

  rt.advance(3_600_000 + 1);
  assert.ok(filesHolding(word).length > 0, 'expiry alone filters reads; the bytes are still there');
  await chatModule.jobs.find((job) => job.name === 'chat.purge')!.run(serviceContext(rt.ctx), {});
  assert.deepEqual(filesHolding(word), []);
});
