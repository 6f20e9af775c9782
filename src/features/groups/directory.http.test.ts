import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { serviceContext } from '../../app-context.js';
import { newId } from '../../security/tokens.js';
import { normaliseUsername } from '../../security/username.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createTestRuntime, testEngine, testPgUrl, type TestRuntime } from '../../../test/support/runtime.js';
import { createUser } from '../../../test/support/seed.js';
import { listUsers } from '../admin/users-service.js';

/**
 * The same answers on both engines. On PostgreSQL these tests run in a database whose locale sorts
 * as people do (ICU, en-US: "alpha" before "Beta", punctuation first), as many deployments' do;
 * SQLite compares by code point. Keys must compare by code point on both (ADR 0026).
 */
let rt: TestRuntime;
let restoreUrl: (() => Promise<void>) | undefined;

before(async () => {
  if (testEngine() === 'postgres') {
    const base = testPgUrl();
    const previous = process.env.SANAD_TEST_PG_URL;
    const name = `sanad_collation_${newId()
      .replace(/[^a-zA-Z0-9]/g, '')
      .toLowerCase()
      .slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(
      `create database ${name} template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`,
    );
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    process.env.SANAD_TEST_PG_URL = url.toString();
    restoreUrl = async () => {
      if (previous === undefined) delete process.env.SANAD_TEST_PG_URL;
      else process.env.SANAD_TEST_PG_URL = previous;
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database ${name} with (force)`);
      await client.end();
    };
  }
  rt = await createTestRuntime();
});
after(async () => {
  await rt.close();
  await restoreUrl?.();
});

/** Code-point order, which SQLite's BINARY comparison gives. */
const byCodePoint = (a: string, b: string) => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

async function insertGroup(id: string, languages: string, country: string) {
  await rt.ctx.db
    .insertInto('groups')
    .values({
      id,
      name: `Group ${id}`,
      description: 'A group for comparing text.',
      languages,
      country,
      city: null,
      visibility: 'public',
      members_list_open: 0,
      anonymous_posting: 0,
      questions: '[]',
      created_at: 1_700_000_000_000,
      last_activity_at: 1_700_000_000_000,
    })
    .execute();
}

describe('text compares the same on both engines', () => {
  test('groups of the same day page by id in code-point order, across pages', async () => {
    const { api } = await member(rt);
    const stems = ['alpha', 'Beta', 'zulu', 'Zeta', '_under', '-dash', 'Mike', 'mike', '9nine', 'Omega', 'omega'];
    const ids = stems.flatMap((s) => [`${s}`, `${s}X`, `${s}-2`]).slice(0, 30);
    for (const id of ids) await insertGroup(id, 'en', 'IS');
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = `/api/v1/groups?country=IS${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page = (await api.get(query)).json() as { groups: { id: string }[]; next: string | null };
      seen.push(...page.groups.map((g) => g.id));
      after = page.next;
    } while (after);
    assert.deepEqual(seen, [...ids].sort(byCodePoint));
  });

  test('the language filter ignores case on both engines, and matches whole codes only', async () => {
    const { api } = await member(rt);
    await insertGroup('lang-ar', 'ar', 'IC');
    await insertGroup('lang-en-ar', 'en ar', 'IC');
    await insertGroup('lang-fr', 'fr', 'IC');
    await insertGroup('lang-zgh', 'zgh', 'IC');
    const ids = async (language: string) =>
      (
        (await api.get(`/api/v1/groups?country=IC&language=${encodeURIComponent(language)}`)).json() as {
          groups: { id: string }[];
        }
      ).groups
        .map((g) => g.id)
        .sort(byCodePoint);
    for (const language of ['ar', 'AR', 'Ar', ' ar ']) assert.deepEqual(await ids(language), ['lang-ar', 'lang-en-ar']);
    assert.deepEqual(await ids('FR'), ['lang-fr']);
    assert.deepEqual(await ids('gh'), [], 'part of a code is no code');
    assert.deepEqual(await ids('%'), [], 'no wildcards');
    assert.deepEqual(await ids('_r'), []);
  });

  test('a prefix range over non-Latin keys finds the same names in the same order', async () => {
    const admin = await createUser(rt, { username: 'range_admin', role: 'admin' });
    const names = ['سا_ب', 'سا1ب', 'سارة', 'سالم', 'ساﻻ', 'سا😀', 'سا𐌰', 'سب', 'Sam'];
    for (const username of names) await createUser(rt, { username });
    const actor = { kind: 'user' as const, id: admin.id, username: admin.username, role: admin.role };
    const listing = await listUsers(serviceContext(rt.ctx), actor, { q: 'سا' });
    const expected = names
      .map((n) => normaliseUsername(n).key)
      .filter((k) => k.startsWith(normaliseUsername('سا').key))
      .sort(byCodePoint);
    assert.ok(expected.length >= 5);
    assert.deepEqual(
      listing.users.map((u) => normaliseUsername(u.username).key),
      expected,
    );
  });
});

describe('every key column compares by code point', () => {
  test('ids and keys: "C" collation on PostgreSQL, no other collation than BINARY on SQLite', async () => {
    if (testEngine() === 'postgres') {
      const { rows } = await sql<{ column: string }>`
        select c.table_name || '.' || c.column_name as column
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.data_type = 'text'
          and (c.column_name in ('id', 'key') or c.column_name like '%\\_id' or c.column_name like '%\\_key')
          and c.collation_name is distinct from 'C'`.execute(rt.ctx.db);
      assert.deepEqual(
        rows.map((r) => r.column),
        [],
        'declare new id and key columns with collate "C" on PostgreSQL (ADR 0026)',
      );
      const { rows: keys } = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
        where table_schema = current_schema() and collation_name = 'C'`.execute(rt.ctx.db);
      assert.ok(keys[0]!.n >= 20, 'the key columns were found');
    } else {
      const { rows } = await sql<{ name: string }>`
        select name from sqlite_master where sql like '%collate%' and sql not like '%collate binary%'`.execute(
        rt.ctx.db,
      );
      assert.deepEqual(rows, []);
    }
  });
});

describe('the directory tells each caller their own relation to a group', () => {
  test('owner, moderator, member, waiting and stranger each see the truth about themselves, or nothing', async () => {
    const owner = await member(rt);
    const joiner = await member(rt);
    const applicant = await member(rt);
    const stranger = await member(rt);
    const open = await createGroupAs(owner.api, { visibility: 'public', country: 'GL' });
    const closed = await createGroupAs(owner.api, { visibility: 'private', country: 'GL', questions: [] });
    assert.equal((await joiner.api.api('POST', `/api/v1/groups/${open.id}/join`, {})).status < 300, true);
    assert.equal((await applicant.api.api('POST', `/api/v1/groups/${closed.id}/join`, {})).status < 300, true);
    const relation = async (api: typeof owner.api) => {
      const groups = (await api.get('/api/v1/groups?country=GL')).json().groups as {
        id: string;
        membership: string | null;
        pendingRequest: boolean;
      }[];
      return Object.fromEntries(
        groups.map((g) => [g.id === open.id ? 'open' : 'closed', [g.membership, g.pendingRequest]]),
      );
    };
    assert.deepEqual(await relation(owner.api), { open: ['owner', false], closed: ['owner', false] });
    assert.deepEqual(await relation(joiner.api), { open: ['member', false], closed: [null, false] });
    assert.deepEqual(await relation(applicant.api), { open: [null, false], closed: [null, true] });
    assert.deepEqual(await relation(stranger.api), { open: [null, false], closed: [null, false] });
  });
});
