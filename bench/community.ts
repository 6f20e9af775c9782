// Generates a community for benchmarks: groups, members, threads of 20 posts, Arabic and English
// text, and (optionally) the search index, written in batches straight through Kysely so it works
// on both engines.
import type { Db, Engine } from '../src/db/database.js';
import type { Insertable } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { normaliseUsername } from '../src/security/username.js';
import { newId } from '../src/security/tokens.js';
import { termsOf } from '../src/search/service.js';

const arabic =
  'أهلا بكم في المجموعة أريد أن أشارك تجربتي مع عائلتي بعد أن تحدثت عن نفسي كان الأمر صعبا لكن الأصدقاء ساعدوني كثيرا نحن هنا معا ندعم بعضنا ونتعلم من قصصنا الشبكة مكان آمن للحديث عن الهوية والعمل والصحة والقانون'.split(
    ' ',
  );
const english =
  'thanks for sharing this I went through something similar with my family last year the support group helped a lot and a kind doctor in the city listened without judgment we are here for each other take your time'.split(
    ' ',
  );

function sentence(random: () => number, words: string[], length: number): string {
  return Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(' ');
}

/** A small deterministic generator, so every run measures the same instance. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface Community {
  memberId: string;
  groupId: string;
  threadId: string;
}

export async function generateCommunity(
  db: Db,
  engine: Engine,
  options: { groups: number; posts: number; index: boolean; memberId: string },
): Promise<Community> {
  const random = seeded(42);
  const now = Date.now();
  const authors: string[] = [];
  const users = [];
  for (let i = 0; i < 200; i++) {
    const name = normaliseUsername(`author_${i}`);
    const id = newId();
    authors.push(id);
    users.push({
      id,
      username: name.display,
      username_key: name.key,
      username_skeleton: name.skeleton,
      passphrase_hash: 'x',
      role: 'member' as const,
      created_at: now,
    });
  }
  await db.insertInto('users').values(users).execute();

  const postsPerThread = 20;
  const threadsPerGroup = Math.max(1, Math.round(options.posts / options.groups / postsPerThread));
  let first: Community | null = null;
  const batch = {
    posts: [] as Insertable<Database['posts']>[],
    docs: [] as Insertable<Database['search_documents']>[],
    fts: [] as Insertable<Database['search_fts']>[],
  };
  const flush = async () => {
    for (let i = 0; i < batch.posts.length; i += 500)
      await db
        .insertInto('posts')
        .values(batch.posts.slice(i, i + 500))
        .execute();
    for (let i = 0; i < batch.docs.length; i += 500)
      await db
        .insertInto('search_documents')
        .values(batch.docs.slice(i, i + 500))
        .execute();
    for (let i = 0; i < batch.fts.length; i += 500)
      await db
        .insertInto('search_fts')
        .values(batch.fts.slice(i, i + 500))
        .execute();
    batch.posts = [];
    batch.docs = [];
    batch.fts = [];
  };
  for (let g = 0; g < options.groups; g++) {
    const groupId = newId();
    const arabicGroup = g % 2 === 0;
    await db
      .insertInto('groups')
      .values({
        id: groupId,
        name: `${arabicGroup ? 'مجموعة' : 'Group'} ${g}`,
        description: sentence(random, arabicGroup ? arabic : english, 20),
        languages: arabicGroup ? 'ar' : 'en',
        country: null,
        city: null,
        visibility: 'public',
        members_list_open: 0,
        anonymous_posting: 1,
        questions: '[]',
        created_at: now,
        last_activity_at: now + g,
      })
      .execute();
    await db
      .insertInto('group_members')
      .values({ group_id: groupId, user_id: options.memberId, role: 'member', joined_at: now })
      .execute();
    const threads = [];
    for (let t = 0; t < threadsPerGroup; t++) {
      const threadId = newId();
      const postIds = Array.from({ length: postsPerThread }, () => newId());
      const title = sentence(random, arabicGroup ? arabic : english, 6);
      threads.push({
        id: threadId,
        group_id: groupId,
        title,
        opening_post_id: postIds[0]!,
        reply_count: postsPerThread - 1,
        created_at: now + t,
        last_activity_at: now + t * 1000 + postsPerThread,
      });
      postIds.forEach((id, p) => {
        const body = sentence(
          random,
          random() < 0.7 === arabicGroup ? arabic : english,
          25 + Math.floor(random() * 40),
        );
        const anonymous = random() < 0.05;
        batch.posts.push({
          id,
          thread_id: threadId,
          group_id: groupId,
          author_id: anonymous ? null : authors[Math.floor(random() * authors.length)],
          anonymous: anonymous ? 1 : 0,
          author_ref: anonymous ? `ref${p}` : null,
          author_box: null,
          pseudonym: anonymous ? p : null,
          body,
          warning: random() < 0.05 ? 'family_rejection' : null,
          warning_text: null,
          quote_post_id: null,
          hidden: 0,
          deleted: 0,
          created_at: now + t * 1000 + p,
          edited_at: null,
        });
        if (options.index) {
          const kind = p === 0 ? 'thread' : 'post';
          const refId = p === 0 ? threadId : id;
          const terms = termsOf(p === 0 ? `${title}\n${body}` : body);
          batch.docs.push({
            id: `${kind}:${refId}`,
            kind,
            ref_id: refId,
            scope: `group:${groupId}`,
            title,
            body,
            terms,
            created_at: now,
          });
          if (engine === 'sqlite') batch.fts.push({ doc_id: `${kind}:${refId}`, terms });
        }
      });
      first ??= { memberId: options.memberId, groupId, threadId };
    }
    await db.insertInto('threads').values(threads).execute();
    if (batch.posts.length >= 5000) await flush();
  }
  await flush();
  return first!;
}
