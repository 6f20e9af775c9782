import type { ServiceContext } from '../../../../app-context.js';
import type { DbOrTx } from '../../../../db/database.js';
import type { Member } from '../../../../security/actor.js';
import { authorRef, pseudonymCount, pseudonymSeed, sealAuthor } from '../../../../security/anonymity.js';
import { indexDocument, removeDocument } from '../../../../search/service.js';
import type { CleanPost } from './validate.js';

interface AuthorFields {
  author_id: string | null;
  anonymous: number;
  author_ref: string | null;
  author_box: string | null;
  pseudonym: number | null;
}

async function authorFields(
  ctx: ServiceContext,
  db: DbOrTx,
  actor: Member,
  threadId: string,
  anonymous: boolean,
): Promise<AuthorFields> {
  if (!anonymous) return { author_id: actor.id, anonymous: 0, author_ref: null, author_box: null, pseudonym: null };
  const ref = authorRef(ctx.keys.anonymity, threadId, actor.id);
  const taken = await db
    .selectFrom('posts')
    .select(['author_ref', 'pseudonym'])
    .where('thread_id', '=', threadId)
    .where('anonymous', '=', 1)
    .execute();
  const own = taken.find((p) => p.author_ref === ref);
  let pseudonym = own?.pseudonym ?? pseudonymSeed(ref);
  if (!own) {
    const used = new Set(taken.map((p) => p.pseudonym));
    while (used.has(pseudonym)) pseudonym = (pseudonym + 1) % pseudonymCount;
  }
  return {
    author_id: null,
    anonymous: 1,
    author_ref: ref,
    author_box: sealAuthor(ctx.keys.anonymity, actor.id),
    pseudonym,
  };
}

/** A new post, opening or reply, written in the caller's transaction. */
export async function insertPost(
  ctx: ServiceContext,
  actor: Member,
  at: {
    id: string;
    threadId: string;
    groupId: string;
    anonymous: boolean;
    quotePostId: string | null;
    /** Held for a moderator's approval by a watched word (ADR 0052): saved hidden. */
    held?: boolean;
  },
  post: CleanPost,
): Promise<void> {
  const author = await authorFields(ctx, ctx.db, actor, at.threadId, at.anonymous);
  await ctx.db
    .insertInto('posts')
    .values({
      id: at.id,
      thread_id: at.threadId,
      group_id: at.groupId,
      ...author,
      body: post.body,
      warning: post.warning,
      warning_text: post.warningText,
      quote_post_id: at.quotePostId,
      hidden: at.held ? 1 : 0,
      deleted: 0,
      created_at: ctx.now,
      edited_at: null,
    })
    .execute();
}

const scopeOf = (groupId: string) => `group:${groupId}`;

export async function indexPost(
  ctx: ServiceContext,
  post: { id: string; threadId: string; groupId: string; body: string; createdAt: number },
  thread: { id: string; title: string; openingPostId: string | null },
) {
  if (post.id === thread.openingPostId) {
    await indexDocument(ctx, {
      kind: 'thread',
      refId: thread.id,
      scope: scopeOf(post.groupId),
      title: thread.title,
      body: post.body,
      createdAt: post.createdAt,
    });
  } else {
    await indexDocument(ctx, {
      kind: 'post',
      refId: post.id,
      scope: scopeOf(post.groupId),
      title: thread.title,
      body: post.body,
      titleIndexed: false,
      createdAt: post.createdAt,
    });
  }
}

export async function unindexPost(
  ctx: ServiceContext,
  postId: string,
  thread: { id: string; opening_post_id: string | null },
) {
  if (postId === thread.opening_post_id) await removeDocument(ctx, 'thread', thread.id);
  else await removeDocument(ctx, 'post', postId);
}

/**
 * Who is left out of a post's mentions: the author of a named post; nobody for an anonymous one, so
 * an author who names themself gets the row everyone named gets, never shown to them (ADR 0018).
 */
export const mentionerOf = (actor: Member, anonymous: boolean) => (anonymous ? null : actor.id);
