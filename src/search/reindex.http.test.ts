import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startRuntime } from '../../src/bootstrap.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { analyserVersion } from './analyzer.js';
import {
  analyserVersionKey,
  indexDocument,
  reindexIfAnalyserChanged,
  search,
  type SearchContext,
  wasTitleIndexed,
} from './service.js';

let rt: TestRuntime;
let ctx: SearchContext;

before(async () => {
  rt = await createTestRuntime();
  ctx = { db: rt.ctx.db, engine: rt.ctx.engine };
});
after(async () => rt.close());

const hitIds = async (query: string) =>
  (await search(ctx, { query, scopes: ['public'], limit: 100 })).map((h) => h.refId).sort();

/** Puts a document back as the first analyser wrote it (محامي kept its ي), under that version. */
async function asVersionOne(id: string, terms: string) {
  await ctx.db.updateTable('search_documents').set({ terms }).where('id', '=', id).execute();
  if (ctx.engine === 'sqlite') {
    await ctx.db.deleteFrom('search_fts').where('doc_id', '=', id).execute();
    await ctx.db.insertInto('search_fts').values({ doc_id: id, terms }).execute();
  }
  await ctx.db.deleteFrom('settings').where('key', '=', analyserVersionKey).execute();
}

test('a database starts with the analyser version its index was built with', async () => {
  const row = await ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', analyserVersionKey)
    .executeTakeFirst();
  assert.equal(row?.value, String(analyserVersion));
  assert.equal(await reindexIfAnalyserChanged(ctx), 0);
});

test('documents indexed by an earlier analyser are re-analysed at start, titles indexed as before', async () => {
  const base = { scope: 'public', createdAt: Date.now() };
  await indexDocument(ctx, { ...base, kind: 'thread', refId: 'r1', title: 'المحامي', body: 'القاضي' });
  await indexDocument(ctx, {
    ...base,
    kind: 'post',
    refId: 'r2',
    title: 'عنوان خاص',
    body: 'القاضي والمحامي',
    titleIndexed: false,
  });
  await asVersionOne('thread:r1', 'المحامي محامي القاضي قاضي');
  await asVersionOne('post:r2', 'القاضي قاضي والمحامي محامي');
  assert.deepEqual(await hitIds('محام'), [], 'the old terms do not hold the new stem');

  // As the server does on start: the same database, opened again.
  const again = await startRuntime(rt.config, rt.database.pgSchema ? { pgSchema: rt.database.pgSchema } : {});
  await again.close();

  assert.deepEqual(await hitIds('محام'), ['r1', 'r2']);
  assert.deepEqual(await hitIds('قاض'), ['r1', 'r2']);
  assert.deepEqual(await hitIds('عنوان'), [], 'a reply is still not found by its thread’s title');
  if (ctx.engine === 'sqlite') {
    const rows = await ctx.db.selectFrom('search_fts').select('doc_id').where('doc_id', '=', 'post:r2').execute();
    assert.equal(rows.length, 1);
  }
  assert.equal(await reindexIfAnalyserChanged(ctx), 0, 'once is enough');
});

test('reading stored terms: title and body, or the body alone', () => {
  assert.equal(wasTitleIndexed('المحامي محامي القاضي قاضي', 'المحامي', 'القاضي'), true);
  assert.equal(wasTitleIndexed('القاضي قاضي', 'المحامي', 'القاضي'), false);
  // A body that begins with the title's words, and a stem that is the next word's surface form.
  assert.equal(wasTitleIndexed('بيت بيت', 'بيت', 'بيت'), true);
  assert.equal(wasTitleIndexed('بيت', 'بيت', 'بيت'), false);
  assert.equal(wasTitleIndexed('للمثليين مثلي مثلي', 'للمثليين', 'مثلي'), true);
  assert.equal(wasTitleIndexed('للمثليين مثلي مثلي', 'عنوان', 'للمثليين مثلي'), false);
});
