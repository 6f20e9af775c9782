import type { ServiceContext } from '../../app-context.js';
import { checkpointAfterErasure, inTransaction, type DbOrTx } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { decodeCursor, encodeCursor } from '../../db/keyset.js';
import type { PostsTable, ThreadsTable } from '../../db/schema.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../http/errors.js';
import type { Actor, Member } from '../../security/actor.js';
import { withoutBidiControls } from '../../security/bidi.js';
import {
  anonymousBanKey,
  authorRef,
  authorRefMatcher,
  openAuthor,
  pseudonymCount,
  pseudonymSeed,
  sealAuthor,
} from '../../security/anonymity.js';
import { forgetRenderedMarkdown } from '../../security/sanitize-html.js';
import { newId } from '../../security/tokens.js';
import { normaliseUsername } from '../../security/username.js';
import { indexDocument, removeDocument } from '../../search/service.js';
import { notify } from '../notifications/service.js';
import {
  canDeletePost,
  canEditPost,
  canModerate,
  canPost,
  canPostAnonymously,
  canReact,
  canReadContent,
  type Viewer,
} from '../groups/policy.js';
import { findGroup, groupsBannedAnonymously, viewerOf, type Group } from '../groups/queries.js';
import { banUser } from '../groups/service.js';
import { forgetGroupFor } from '../notifications/service.js';

export const warningKinds = [
  'violence',
  'self_harm',
  'family_rejection',
  'sexual_content',
  'dysphoria',
  'religion',
  'other',
] as const;
export type WarningKind = (typeof warningKinds)[number];
export const reactionKinds = ['support', 'hug', 'strength', 'thanks'] as const;
export type ReactionKind = (typeof reactionKinds)[number];

export const postLimits = { titleMin: 3, titleMax: 150, bodyMax: 20_000, warningTextMax: 100, mentions: 10 } as const;
export const pageSize = 20;

export const isWarningKind = (value: unknown): value is WarningKind =>
  (warningKinds as readonly unknown[]).includes(value);
export const isReactionKind = (value: unknown): value is ReactionKind =>
  (reactionKinds as readonly unknown[]).includes(value);

export interface PostInput {
  body?: string | undefined;
  warning?: string | null | undefined;
  warningText?: string | null | undefined;
  anonymous?: boolean | undefined;
  quotePostId?: string | null | undefined;
}

export type AuthorView =
  | { kind: 'member'; username: string }
  | { kind: 'anonymous'; pseudonym: number }
  | { kind: 'deleted' };

export interface PostView {
  id: string;
  threadId: string;
  author: AuthorView;
  /** Empty when the post is deleted, or hidden by moderators from this reader. */
  body: string;
  warning: WarningKind | null;
  warningText: string | null;
  quote: { postId: string; author: AuthorView; excerpt: string; unavailable: boolean } | null;
  hidden: boolean;
  deleted: boolean;
  createdAt: number;
  editedAt: number | null;
  reactions: Record<ReactionKind, number>;
  myReactions: ReactionKind[];
  mine: boolean;
  /** The thread's opening post, whose author may also edit the title. */
  opening: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canModerate: boolean;
}

export interface ThreadSummary {
  id: string;
  groupId: string;
  title: string;
  author: AuthorView;
  warning: WarningKind | null;
  replyCount: number;
  createdAt: number;
  lastActivityAt: number;
}

export interface ThreadPage {
  thread: ThreadSummary;
  group: Group;
  viewer: Viewer;
  posts: PostView[];
  /** Cursor of the next page of posts, if there is one. */
  next: string | null;
  watching: boolean;
  canPost: boolean;
  canReact: boolean;
  anonymousAllowed: boolean;
}

const clean = (text: string | null | undefined) => (text ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();

interface CleanPost {
  body: string;
  warning: WarningKind | null;
  warningText: string | null;
}

function validatePost(input: PostInput, errors: FieldError[]): CleanPost {
  const body = clean(input.body);
  if (!body) errors.push({ field: 'body', message: 'discussions.form.bodyRequired' });
  else if (body.length > postLimits.bodyMax)
    errors.push({ field: 'body', message: 'discussions.form.bodyLength', values: { max: postLimits.bodyMax } });
  const warning = input.warning ? input.warning : null;
  if (warning !== null && !isWarningKind(warning))
    errors.push({ field: 'warning', message: 'discussions.form.warningUnknown' });
  const warningText = clean(input.warningText) || null;
  if (warningText && warningText.length > postLimits.warningTextMax) {
    errors.push({
      field: 'warningText',
      message: 'discussions.form.warningTextLength',
      values: { max: postLimits.warningTextMax },
    });
  }
  // Free text alone is a warning of kind "other".
  return { body, warning: warning === null && warningText ? 'other' : (warning as WarningKind | null), warningText };
}

function validateTitle(title: string | undefined, errors: FieldError[]): string {
  const clean = withoutBidiControls(title ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length < postLimits.titleMin || clean.length > postLimits.titleMax) {
    errors.push({
      field: 'title',
      message: 'discussions.form.titleLength',
      values: { min: postLimits.titleMin, max: postLimits.titleMax },
    });
  }
  return clean;
}

// Loading with rights -----------------------------------------------------------------------------

type ThreadRow = ThreadsTable;

async function loadReadableGroup(
  ctx: ServiceContext,
  actor: Actor,
  groupId: string,
): Promise<{ group: Group; viewer: Viewer }> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canReadContent(viewer, group)) throw notFound();
  return { group, viewer };
}

async function loadThread(
  ctx: ServiceContext,
  actor: Actor,
  threadId: string,
): Promise<{ thread: ThreadRow; group: Group; viewer: Viewer }> {
  const thread = await ctx.db
    .selectFrom('threads')
    .select(['id', 'group_id', 'title', 'opening_post_id', 'reply_count', 'created_at', 'last_activity_at'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!thread) throw notFound();
  return { thread, ...(await loadReadableGroup(ctx, actor, thread.group_id)) };
}

type PostRow = Pick<
  PostsTable,
  | 'id'
  | 'thread_id'
  | 'group_id'
  | 'author_id'
  | 'anonymous'
  | 'author_ref'
  | 'author_box'
  | 'pseudonym'
  | 'body'
  | 'warning'
  | 'warning_text'
  | 'quote_post_id'
  | 'hidden'
  | 'deleted'
  | 'created_at'
  | 'edited_at'
>;
const postColumns = [
  'posts.id',
  'posts.thread_id',
  'posts.group_id',
  'posts.author_id',
  'posts.anonymous',
  'posts.author_ref',
  'posts.author_box',
  'posts.pseudonym',
  'posts.body',
  'posts.warning',
  'posts.warning_text',
  'posts.quote_post_id',
  'posts.hidden',
  'posts.deleted',
  'posts.created_at',
  'posts.edited_at',
] as const;

async function loadPost(ctx: ServiceContext, actor: Actor, postId: string) {
  const post = await ctx.db.selectFrom('posts').select(postColumns).where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound();
  const { thread, group, viewer } = await loadThread(ctx, actor, post.thread_id);
  return { post, thread, group, viewer };
}

/**
 * A post to delete. Authors reach their own post even where they can no longer read (after leaving
 * a private group, or a ban), and learn nothing else of its thread or group; anyone else reaches
 * it only by reading. A denied read looks like a missing post.
 */
async function loadPostToDelete(ctx: ServiceContext, actor: Member, postId: string) {
  const post = await ctx.db.selectFrom('posts').select(postColumns).where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound();
  const authorId = authorIdFor(ctx, actor, post);
  if (authorId !== actor.id) return { ...(await loadPost(ctx, actor, postId)), authorId, readable: true };
  const [thread, group, viewer] = await Promise.all([
    ctx.db
      .selectFrom('threads')
      .select(['id', 'group_id', 'title', 'opening_post_id', 'reply_count', 'created_at', 'last_activity_at'])
      .where('id', '=', post.thread_id)
      .executeTakeFirstOrThrow(),
    findGroup(ctx.db, post.group_id),
    viewerOf(ctx.db, actor, post.group_id, ctx.keys.anonymity),
  ]);
  return { post, thread, viewer, authorId, readable: group !== null && canReadContent(viewer, group) };
}

/** The author as the policies see them: for anonymous posts, the actor themselves when the keyed hash matches, else nobody. */
function authorIdFor(
  ctx: ServiceContext,
  actor: Actor,
  post: Pick<PostRow, 'author_id' | 'anonymous' | 'author_ref' | 'thread_id'>,
): string | null {
  if (!post.anonymous) return post.author_id;
  if (actor.kind !== 'user' || !post.author_ref) return null;
  return post.author_ref === authorRef(ctx.keys.anonymity, post.thread_id, actor.id) ? actor.id : null;
}

// Writing -----------------------------------------------------------------------------------------

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

const scopeOf = (groupId: string) => `group:${groupId}`;

async function indexPost(
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

async function unindexPost(
  ctx: ServiceContext,
  postId: string,
  thread: { id: string; opening_post_id: string | null },
) {
  if (postId === thread.opening_post_id) await removeDocument(ctx, 'thread', thread.id);
  else await removeDocument(ctx, 'post', postId);
}

const mentionPattern = /(?<![\p{L}\p{N}_@])@([\p{L}\p{N}_]{3,30})/gu;

/** The distinct usernames a post names with @name, as keys: at most `postLimits.mentions`, the rest are not notified. */
export function mentionedNames(body: string): string[] {
  return [...new Set([...body.matchAll(mentionPattern)].map((m) => normaliseUsername(m[1]!).key))].slice(
    0,
    postLimits.mentions,
  );
}

/**
 * People named with @name who can read the thread now; nobody learns anything about the others.
 * A ban through an anonymous post is left out of this check, as the member list leaves it out: a
 * member banned so gets the row every member named gets (never shown to them), so the stored rows
 * do not single them out (ADR 0018).
 */
async function mentionedReaders(
  db: DbOrTx,
  key: Buffer,
  body: string,
  group: Group,
  except: string | null,
): Promise<string[]> {
  const keys = mentionedNames(body);
  if (keys.length === 0) return [];
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where('username_key', 'in', keys)
    .execute();
  const readers: string[] = [];
  for (const user of users) {
    if (user.id === except) continue;
    const viewer = await viewerOf(
      db,
      { kind: 'user', id: user.id, username: user.username, role: user.role },
      group.id,
      key,
    );
    if (canReadContent({ ...viewer, anonymousBan: false }, group)) readers.push(user.id);
  }
  return readers;
}

async function checkQuote(
  db: DbOrTx,
  threadId: string,
  quotePostId: string | null | undefined,
  errors: FieldError[],
): Promise<string | null> {
  if (!quotePostId) return null;
  const quoted = await db
    .selectFrom('posts')
    .select(['id'])
    .where('id', '=', quotePostId)
    .where('thread_id', '=', threadId)
    .where('hidden', '=', 0)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!quoted) errors.push({ field: 'quotePostId', message: 'discussions.form.quoteUnavailable' });
  return quoted?.id ?? null;
}

function checkAnonymous(input: PostInput, viewer: Viewer, group: Group, errors: FieldError[]): void {
  if (!input.anonymous || canPostAnonymously(viewer, group)) return;
  errors.push({
    field: 'anonymous',
    message: group.anonymousPosting ? 'discussions.form.anonymousBanned' : 'discussions.form.anonymousOff',
  });
}

/**
 * Who is told about a new post among those watching. The author of a named post is left out; the
 * author of an anonymous one is not, so the stored rows leave no gap shaped like them (ADR 0018).
 * Their own row is never shown to them (notifications/service.ts).
 */
const watchersToTell = (watchers: { user_id: string }[], actor: Member, anonymous: boolean) =>
  watchers.map((w) => w.user_id).filter((id) => anonymous || id !== actor.id);

/**
 * Who is left out of a post's mentions: the author of a named post; nobody for an anonymous one, so
 * an author who names themself gets the row everyone named gets, never shown to them (ADR 0018).
 */
const mentionerOf = (actor: Member, anonymous: boolean) => (anonymous ? null : actor.id);

export async function createThread(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: PostInput & { title?: string | undefined },
): Promise<{ threadId: string; postId: string }> {
  const { group, viewer } = await loadReadableGroup(ctx, actor, groupId);
  if (!canPost(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const title = validateTitle(input.title, errors);
  const post = validatePost(input, errors);
  checkAnonymous(input, viewer, group, errors);
  if (errors.length) throw invalid(errors);
  const threadId = newId();
  const postId = newId();
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .insertInto('threads')
      .values({
        id: threadId,
        group_id: groupId,
        title,
        opening_post_id: postId,
        reply_count: 0,
        created_at: ctx.now,
        last_activity_at: ctx.now,
      })
      .execute();
    const author = await authorFields(ctx, trx, actor, threadId, input.anonymous === true);
    await trx
      .insertInto('posts')
      .values({
        id: postId,
        thread_id: threadId,
        group_id: groupId,
        ...author,
        body: post.body,
        warning: post.warning,
        warning_text: post.warningText,
        quote_post_id: null,
        hidden: 0,
        deleted: 0,
        created_at: ctx.now,
        edited_at: null,
      })
      .execute();
    await trx.updateTable('groups').set({ last_activity_at: ctx.now }).where('id', '=', groupId).execute();
    await indexPost(
      tctx,
      { id: postId, threadId, groupId, body: post.body, createdAt: ctx.now },
      { id: threadId, title, openingPostId: postId },
    );
    // Watching is a row tying a person to a thread, so anonymous threads are not watched automatically.
    if (!input.anonymous)
      await trx.insertInto('thread_watches').values({ user_id: actor.id, thread_id: threadId }).execute();
    const groupWatchers = await trx
      .selectFrom('group_watches')
      .select('user_id')
      .where('group_id', '=', groupId)
      .execute();
    await notify(trx, {
      userIds: watchersToTell(groupWatchers, actor, input.anonymous === true),
      kind: 'thread',
      groupId,
      threadId,
      postId,
      now: ctx.now,
    });
    const mentioned = await mentionedReaders(
      trx,
      ctx.keys.anonymity,
      post.body,
      group,
      mentionerOf(actor, input.anonymous === true),
    );
    await notify(trx, { userIds: mentioned, kind: 'mention', groupId, threadId, postId, now: ctx.now });
  });
  return { threadId, postId };
}

export async function createPost(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: PostInput,
): Promise<{ postId: string }> {
  const { thread, group, viewer } = await loadThread(ctx, actor, threadId);
  if (!canPost(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const post = validatePost(input, errors);
  checkAnonymous(input, viewer, group, errors);
  const quotePostId = await checkQuote(ctx.db, threadId, input.quotePostId, errors);
  if (errors.length) throw invalid(errors);
  const postId = newId();
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    const author = await authorFields(ctx, trx, actor, threadId, input.anonymous === true);
    await trx
      .insertInto('posts')
      .values({
        id: postId,
        thread_id: threadId,
        group_id: group.id,
        ...author,
        body: post.body,
        warning: post.warning,
        warning_text: post.warningText,
        quote_post_id: quotePostId,
        hidden: 0,
        deleted: 0,
        created_at: ctx.now,
        edited_at: null,
      })
      .execute();
    await trx
      .updateTable('threads')
      .set((eb) => ({ reply_count: eb('reply_count', '+', 1), last_activity_at: ctx.now }))
      .where('id', '=', threadId)
      .execute();
    await trx.updateTable('groups').set({ last_activity_at: ctx.now }).where('id', '=', group.id).execute();
    await indexPost(
      tctx,
      { id: postId, threadId, groupId: group.id, body: post.body, createdAt: ctx.now },
      { id: threadId, title: thread.title, openingPostId: thread.opening_post_id },
    );
    if (!input.anonymous) {
      await trx
        .insertInto('thread_watches')
        .values({ user_id: actor.id, thread_id: threadId })
        .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doNothing())
        .execute();
    }
    const mentioned = await mentionedReaders(
      trx,
      ctx.keys.anonymity,
      post.body,
      group,
      mentionerOf(actor, input.anonymous === true),
    );
    const watchers = await trx
      .selectFrom('thread_watches')
      .select('user_id')
      .where('thread_id', '=', threadId)
      .execute();
    const told = watchersToTell(watchers, actor, input.anonymous === true).filter((id) => !mentioned.includes(id));
    await notify(trx, { userIds: told, kind: 'reply', groupId: group.id, threadId, postId, now: ctx.now });
    await notify(trx, { userIds: mentioned, kind: 'mention', groupId: group.id, threadId, postId, now: ctx.now });
  });
  return { postId };
}

export async function editPost(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  input: PostInput & { title?: string | undefined },
): Promise<void> {
  const { post, thread, viewer } = await loadPost(ctx, actor, postId);
  if (post.deleted || !canEditPost(viewer, { authorId: authorIdFor(ctx, actor, post) })) throw forbidden();
  const errors: FieldError[] = [];
  const clean = validatePost(
    {
      body: input.body ?? post.body,
      warning: input.warning === undefined ? post.warning : input.warning,
      warningText: input.warningText === undefined ? post.warning_text : input.warningText,
    },
    errors,
  );
  const isOpening = post.id === thread.opening_post_id;
  const title = isOpening && input.title !== undefined ? validateTitle(input.title, errors) : thread.title;
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .updateTable('posts')
      .set({ body: clean.body, warning: clean.warning, warning_text: clean.warningText, edited_at: ctx.now })
      .where('id', '=', postId)
      .execute();
    if (title !== thread.title) {
      await trx.updateTable('threads').set({ title }).where('id', '=', thread.id).execute();
      await trx
        .updateTable('search_documents')
        .set({ title })
        .where('kind', '=', 'post')
        .where('ref_id', 'in', (eb) => eb.selectFrom('posts').select('id').where('thread_id', '=', thread.id))
        .execute();
    }
    if (!post.hidden)
      await indexPost(
        tctx,
        { id: postId, threadId: thread.id, groupId: post.group_id, body: clean.body, createdAt: post.created_at },
        { id: thread.id, title, openingPostId: thread.opening_post_id },
      );
  });
  // After the commit, so no reader can put the old words back while the edit is under way.
  if (clean.body !== post.body) forgetRenderedMarkdown(post.body);
}

/**
 * Deleting removes the words from the database and the search index, not just from view. An
 * opening post with replies leaves an empty marker so the replies keep their thread; without
 * replies the whole thread goes.
 */
export async function deletePost(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
): Promise<{ threadDeleted: boolean; threadId: string; groupId: string; readable: boolean }> {
  const { post, thread, viewer, authorId, readable } = await loadPostToDelete(ctx, actor, postId);
  if (post.deleted || !canDeletePost(viewer, { authorId })) throw forbidden();
  const byModerator = authorId !== actor.id;
  let threadDeleted = false;
  await inTransaction(ctx.db, async (trx) => {
    threadDeleted = await erasePost({ ...ctx, db: trx }, post, thread);
    if (byModerator)
      await recordAudit(trx, { actorId: actor.id, action: 'post.delete', subject: post.group_id, now: ctx.now });
  });
  forgetRenderedMarkdown(post.body);
  await checkpointAfterErasure(ctx);
  return { threadDeleted, threadId: thread.id, groupId: post.group_id, readable };
}

/** Before the confirmation page: whether the actor may delete this post, and may still read its thread. */
export async function postToDelete(ctx: ServiceContext, actor: Member, postId: string): Promise<{ readable: boolean }> {
  const { post, viewer, authorId, readable } = await loadPostToDelete(ctx, actor, postId);
  if (post.deleted || !canDeletePost(viewer, { authorId })) throw notFound();
  return { readable };
}

export interface OwnPost {
  id: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
  /** Whether the author may still open its thread; they may always delete it. */
  readable: boolean;
}

/**
 * The member's own signed posts, newest first, so they can find and delete them after leaving a
 * group. Anonymous posts are not listed: whoever gets into the account would learn which they are.
 */
export async function listOwnPosts(
  ctx: ServiceContext,
  actor: Member,
  input: { after?: string | undefined } = {},
): Promise<{ posts: OwnPost[]; next: string | null }> {
  let query = ctx.db
    .selectFrom('posts')
    .select(['id', 'group_id', 'body', 'created_at', 'edited_at'])
    .where('author_id', '=', actor.id)
    .where('deleted', '=', 0);
  const cursor = decodeCursor(input.after);
  if (cursor) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', cursor.at), eb.and([eb('created_at', '=', cursor.at), eb('id', '<', cursor.id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const readable = new Set<string>();
  for (const groupId of new Set(page.map((r) => r.group_id))) {
    const group = await findGroup(ctx.db, groupId);
    if (group && canReadContent(await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity), group))
      readable.add(groupId);
  }
  return {
    posts: page.map((r) => ({
      id: r.id,
      body: r.body,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      readable: readable.has(r.group_id),
    })),
    next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

async function erasePost(
  ctx: ServiceContext,
  post: Pick<PostRow, 'id' | 'thread_id'>,
  thread: Pick<ThreadRow, 'id' | 'opening_post_id' | 'reply_count'>,
): Promise<boolean> {
  const db = ctx.db;
  await unindexPost(ctx, post.id, thread);
  if (post.id !== thread.opening_post_id) {
    await db.deleteFrom('posts').where('id', '=', post.id).execute();
    await db
      .updateTable('threads')
      .set((eb) => ({ reply_count: eb('reply_count', '-', 1) }))
      .where('id', '=', thread.id)
      .execute();
    return false;
  }
  const replies = await db
    .selectFrom('posts')
    .select('id')
    .where('thread_id', '=', thread.id)
    .where('id', '!=', post.id)
    .execute();
  if (replies.length === 0) {
    await db.deleteFrom('threads').where('id', '=', thread.id).execute();
    return true;
  }
  await db.deleteFrom('reactions').where('post_id', '=', post.id).execute();
  await db
    .updateTable('posts')
    .set({
      body: '',
      warning: null,
      warning_text: null,
      author_id: null,
      anonymous: 0,
      author_ref: null,
      author_box: null,
      pseudonym: null,
      deleted: 1,
      hidden: 0,
      edited_at: null,
    })
    .where('id', '=', post.id)
    .execute();
  return false;
}

/** Everything a deleted account wrote, anonymous posts included. */
export async function erasePostsOf(ctx: ServiceContext, userId: string): Promise<void> {
  const named = await ctx.db
    .selectFrom('posts')
    .select(['id', 'thread_id', 'body'])
    .where('author_id', '=', userId)
    .where('deleted', '=', 0)
    .execute();
  await erasePosts(ctx, [...named, ...(await anonymousPostsOf(ctx, userId))]);
}

/**
 * Only the member's anonymous posts, so they can go before (and apart from) the account and its
 * named posts (ADR 0018). Returns how many were erased.
 */
export async function eraseAnonymousPostsOf(ctx: ServiceContext, userId: string): Promise<number> {
  const theirs = await anonymousPostsOf(ctx, userId);
  await erasePosts(ctx, theirs);
  return theirs.length;
}

/**
 * The member's anonymous posts, recognised by the per-thread keyed hash (ADR 0012): only their own
 * posts' words are read, never every anonymous post's.
 */
async function anonymousPostsOf(ctx: ServiceContext, userId: string) {
  const anonymous = await ctx.db
    .selectFrom('posts')
    .select(['id', 'thread_id', 'author_ref'])
    .where('anonymous', '=', 1)
    .execute();
  const isOwn = authorRefMatcher(ctx.keys.anonymity, userId);
  const ids = anonymous.filter((p) => isOwn(p.thread_id, p.author_ref)).map((p) => p.id);
  if (ids.length === 0) return [];
  return ctx.db.selectFrom('posts').select(['id', 'thread_id', 'body']).where('id', 'in', ids).execute();
}

async function erasePosts(
  ctx: ServiceContext,
  theirs: { id: string; thread_id: string; body: string }[],
): Promise<void> {
  // Replies first, so an opening post whose replies are all theirs takes its thread with it.
  const threads = new Map<string, ThreadRow>();
  const ordered: { id: string; thread_id: string; opening: boolean }[] = [];
  for (const post of theirs) {
    let thread = threads.get(post.thread_id);
    if (!thread) {
      thread = await ctx.db.selectFrom('threads').selectAll().where('id', '=', post.thread_id).executeTakeFirst();
      if (!thread) continue;
      threads.set(thread.id, thread);
    }
    ordered.push({ ...post, opening: post.id === thread.opening_post_id });
  }
  ordered.sort((a, b) => Number(a.opening) - Number(b.opening));
  for (const post of ordered) {
    const thread = threads.get(post.thread_id)!;
    const exists = await ctx.db.selectFrom('threads').select('id').where('id', '=', thread.id).executeTakeFirst();
    if (exists) await erasePost(ctx, post, thread);
  }
  for (const post of theirs) forgetRenderedMarkdown(post.body);
}

export async function setPostHidden(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  hidden: boolean,
): Promise<void> {
  const { post, thread, viewer } = await loadPost(ctx, actor, postId);
  if (!canModerate(viewer) || post.deleted) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .updateTable('posts')
      .set({ hidden: hidden ? 1 : 0 })
      .where('id', '=', postId)
      .execute();
    if (hidden) await unindexPost(tctx, postId, thread);
    else
      await indexPost(
        tctx,
        { id: postId, threadId: thread.id, groupId: post.group_id, body: post.body, createdAt: post.created_at },
        { id: thread.id, title: thread.title, openingPostId: thread.opening_post_id },
      );
    await recordAudit(trx, {
      actorId: actor.id,
      action: hidden ? 'post.hide' : 'post.unhide',
      subject: post.group_id,
      now: ctx.now,
    });
  });
}

/**
 * Bans whoever wrote a post from its group. For an anonymous post (ADR 0018) the answer and the
 * audit row are the same whoever wrote it (owner, moderator, member, the moderator themself), and
 * nobody leaves the member list: the server records a keyed hash of group and author, and from then
 * on the author cannot post, react, moderate or read a closed group's content. An owner cannot be
 * banned from their own group: for them the ban ends anonymous posting there, which is all anyone
 * else could observe of it.
 */
export async function banPostAuthor(ctx: ServiceContext, actor: Member, postId: string): Promise<void> {
  const { post, viewer } = await loadPost(ctx, actor, postId);
  if (!canModerate(viewer) || post.deleted) throw forbidden();
  if (post.anonymous) {
    const authorId = post.author_box ? openAuthor(ctx.keys.anonymity, post.author_box) : null;
    await inTransaction(ctx.db, async (trx) => {
      if (authorId) {
        await trx
          .insertInto('anonymous_bans')
          .values({
            id: newId(),
            group_id: post.group_id,
            author_key: anonymousBanKey(ctx.keys.anonymity, post.group_id, authorId),
            created_at: ctx.now,
          })
          .onConflict((oc) => oc.columns(['group_id', 'author_key']).doNothing())
          .execute();
      }
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'group.ban.anonymous',
        subject: post.group_id,
        now: ctx.now,
      });
    });
    return;
  }
  const authorId = post.author_id;
  if (!authorId) throw notFound();
  const role = (
    await ctx.db
      .selectFrom('group_members')
      .select('role')
      .where('group_id', '=', post.group_id)
      .where('user_id', '=', authorId)
      .executeTakeFirst()
  )?.role;
  const refusal =
    authorId === actor.id
      ? new AppError('conflict', 'groups.members.notYourself')
      : role === 'owner' || (role === 'moderator' && viewer.membership !== 'owner')
        ? new AppError('forbidden', 'discussions.ban.notAllowed')
        : null;
  if (refusal) {
    // Refused attempts are kept too, so the log shows every try.
    await recordAudit(ctx.db, { actorId: actor.id, action: 'group.ban.refused', subject: post.group_id, now: ctx.now });
    throw refusal;
  }
  await inTransaction(ctx.db, async (trx) => {
    await banUser(trx, post.group_id, authorId, ctx.now);
    await forgetGroupFor(trx, authorId, post.group_id);
    await recordAudit(trx, { actorId: actor.id, action: 'group.ban', subject: post.group_id, now: ctx.now });
  });
}

// Reactions ---------------------------------------------------------------------------------------

/** Sets a reaction (`on` true or false), or flips it (`'toggle'`, the one-button forms of the HTML page). */
export async function setReaction(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  kind: string,
  on: boolean | 'toggle',
): Promise<Record<ReactionKind, number>> {
  if (!isReactionKind(kind)) throw notFound();
  const { post, group, viewer } = await loadPost(ctx, actor, postId);
  if (!canReact(viewer, group) || post.deleted || post.hidden) throw forbidden();
  if (on === 'toggle') await flipReaction(ctx.db, postId, actor.id, kind);
  else if (on) await addReaction(ctx.db, postId, actor.id, kind);
  else
    await ctx.db
      .deleteFrom('reactions')
      .where('post_id', '=', postId)
      .where('user_id', '=', actor.id)
      .where('kind', '=', kind)
      .execute();
  return (await reactionCounts(ctx.db, [postId])).get(postId) ?? emptyCounts();
}

/** True when this call added the row (false: it was there already). */
async function addReaction(db: DbOrTx, postId: string, userId: string, kind: ReactionKind): Promise<boolean> {
  const added = await db
    .insertInto('reactions')
    .values({ post_id: postId, user_id: userId, kind })
    .onConflict((oc) => oc.columns(['post_id', 'user_id', 'kind']).doNothing())
    .returning('kind')
    .executeTakeFirst();
  return added !== undefined;
}

/**
 * Exactly one change per call, even when calls overlap: a delete that removed the row, or an
 * insert that added it. Reading first and writing after let two overlapping toggles both see
 * "off" and both insert, so an even number of clicks could end "on".
 */
async function flipReaction(db: DbOrTx, postId: string, userId: string, kind: ReactionKind): Promise<void> {
  // Each failed attempt means an overlapping call changed the row in between, so this ends quickly.
  for (let attempt = 0; attempt < 20; attempt++) {
    const removed = await db
      .deleteFrom('reactions')
      .where('post_id', '=', postId)
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .returning('kind')
      .executeTakeFirst();
    if (removed || (await addReaction(db, postId, userId, kind))) return;
  }
  throw new AppError('conflict', 'error.conflict');
}

const emptyCounts = (): Record<ReactionKind, number> => ({ support: 0, hug: 0, strength: 0, thanks: 0 });

async function reactionCounts(db: DbOrTx, postIds: string[]): Promise<Map<string, Record<ReactionKind, number>>> {
  const counts = new Map<string, Record<ReactionKind, number>>();
  if (postIds.length === 0) return counts;
  const rows = await db
    .selectFrom('reactions')
    .select(['post_id', 'kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('post_id', 'in', postIds)
    .groupBy(['post_id', 'kind'])
    .execute();
  for (const row of rows) {
    if (!isReactionKind(row.kind)) continue;
    let entry = counts.get(row.post_id);
    if (!entry) {
      entry = emptyCounts();
      counts.set(row.post_id, entry);
    }
    entry[row.kind] = Number(row.count);
  }
  return counts;
}

// Reading -----------------------------------------------------------------------------------------

function authorView(post: Pick<PostRow, 'anonymous' | 'pseudonym' | 'deleted'>, username: string | null): AuthorView {
  if (post.deleted) return { kind: 'deleted' };
  if (post.anonymous) return { kind: 'anonymous', pseudonym: post.pseudonym ?? 0 };
  return username ? { kind: 'member', username } : { kind: 'deleted' };
}

/** A thread as lists and pages show it: its author and warning are its opening post's. */
function threadSummary(
  thread: ThreadRow,
  opening: (Pick<PostRow, 'anonymous' | 'pseudonym' | 'deleted' | 'warning'> & { username: string | null }) | undefined,
): ThreadSummary {
  return {
    id: thread.id,
    groupId: thread.group_id,
    title: thread.title,
    author: opening ? authorView(opening, opening.username) : { kind: 'deleted' },
    warning: opening && isWarningKind(opening.warning) ? opening.warning : null,
    replyCount: thread.reply_count,
    createdAt: thread.created_at,
    lastActivityAt: thread.last_activity_at,
  };
}

/** A thread with one page of its posts, oldest first. `after` is the cursor from the page before; `at` starts the page at a post. */
export async function getThread(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: { after?: string | undefined; at?: string | undefined } = {},
): Promise<ThreadPage> {
  const { thread, group, viewer } = await loadThread(ctx, actor, threadId);
  let query = ctx.db
    .selectFrom('posts')
    .leftJoin('users', 'users.id', 'posts.author_id')
    .select([...postColumns, 'users.username'])
    .where('posts.thread_id', '=', threadId);
  const cursor = decodeCursor(input.after);
  if (!cursor && input.at) {
    const start = await ctx.db
      .selectFrom('posts')
      .select(['created_at', 'id'])
      .where('id', '=', input.at)
      .where('thread_id', '=', threadId)
      .executeTakeFirst();
    if (start) {
      query = query.where((eb) =>
        eb.or([
          eb('posts.created_at', '>', start.created_at),
          eb.and([eb('posts.created_at', '=', start.created_at), eb('posts.id', '>=', start.id)]),
        ]),
      );
    }
  }
  if (cursor) {
    const c = cursor;
    query = query.where((eb) =>
      eb.or([
        eb('posts.created_at', '>', c.at),
        eb.and([eb('posts.created_at', '=', c.at), eb('posts.id', '>', c.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('posts.created_at')
    .orderBy('posts.id')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const ids = page.map((p) => p.id);
  const moderator = canModerate(viewer);
  const [counts, mine, quotes, watching] = await Promise.all([
    reactionCounts(ctx.db, ids),
    ids.length
      ? ctx.db
          .selectFrom('reactions')
          .select(['post_id', 'kind'])
          .where('post_id', 'in', ids)
          .where('user_id', '=', actor.id)
          .execute()
      : Promise.resolve([]),
    loadQuotes(
      ctx.db,
      page.map((p) => p.quote_post_id).filter((id): id is string => id !== null),
    ),
    ctx.db
      .selectFrom('thread_watches')
      .select('user_id')
      .where('user_id', '=', actor.id)
      .where('thread_id', '=', threadId)
      .executeTakeFirst(),
  ]);
  const myReactions = new Map<string, ReactionKind[]>();
  for (const r of mine)
    if (isReactionKind(r.kind)) myReactions.set(r.post_id, [...(myReactions.get(r.post_id) ?? []), r.kind]);
  const myRef = myAuthorRef(ctx, actor, threadId, page);
  const posts = page.map((row): PostView => {
    const authorId = row.anonymous
      ? row.author_ref !== null && row.author_ref === myRef
        ? actor.id
        : null
      : row.author_id;
    const isMine = authorId === actor.id;
    const concealed = row.hidden === 1 && !moderator && !isMine;
    const quote = row.quote_post_id ? (quotes.get(row.quote_post_id) ?? null) : null;
    return {
      id: row.id,
      threadId,
      author: authorView(row, row.username),
      body: row.deleted || concealed ? '' : row.body,
      warning: isWarningKind(row.warning) ? row.warning : null,
      warningText: concealed ? null : row.warning_text,
      quote: quote && !concealed ? quote : null,
      hidden: row.hidden === 1,
      deleted: row.deleted === 1,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      reactions: counts.get(row.id) ?? emptyCounts(),
      myReactions: myReactions.get(row.id) ?? [],
      mine: isMine,
      opening: row.id === thread.opening_post_id,
      canEdit: !row.deleted && canEditPost(viewer, { authorId }),
      canDelete: !row.deleted && canDeletePost(viewer, { authorId }),
      canModerate: !row.deleted && moderator,
    };
  });
  const last = page.at(-1);
  const opening = page.find((p) => p.id === thread.opening_post_id);
  return {
    thread: threadSummary(thread, opening),
    group,
    viewer,
    posts,
    next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null,
    watching: watching !== undefined,
    canPost: canPost(viewer),
    canReact: canReact(viewer, group),
    anonymousAllowed: canPostAnonymously(viewer, group),
  };
}

/** The actor's keyed hash in this thread, computed once and only when the page has anonymous posts. */
function myAuthorRef(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  rows: { anonymous: number }[],
): string | null {
  return rows.some((r) => r.anonymous) ? authorRef(ctx.keys.anonymity, threadId, actor.id) : null;
}

const quoteLength = 200;

async function loadQuotes(db: DbOrTx, ids: string[]): Promise<Map<string, NonNullable<PostView['quote']>>> {
  const quotes = new Map<string, NonNullable<PostView['quote']>>();
  if (ids.length === 0) return quotes;
  const rows = await db
    .selectFrom('posts')
    .leftJoin('users', 'users.id', 'posts.author_id')
    .select([
      'posts.id',
      'posts.body',
      'posts.anonymous',
      'posts.pseudonym',
      'posts.deleted',
      'posts.hidden',
      'users.username',
    ])
    .where('posts.id', 'in', ids)
    .execute();
  for (const row of rows) {
    const unavailable = row.deleted === 1 || row.hidden === 1;
    const text = row.body.replace(/\s+/g, ' ').trim();
    quotes.set(row.id, {
      postId: row.id,
      author: authorView(row, row.username),
      excerpt: unavailable ? '' : text.length > quoteLength ? `${text.slice(0, quoteLength)}…` : text,
      unavailable,
    });
  }
  return quotes;
}

export interface ThreadList {
  group: Group;
  viewer: Viewer;
  threads: ThreadSummary[];
  next: string | null;
  watching: boolean;
}

async function summaries(db: DbOrTx, rows: ThreadRow[]): Promise<ThreadSummary[]> {
  const openingIds = rows.map((r) => r.opening_post_id).filter((id): id is string => id !== null);
  const openings = new Map<
    string,
    { anonymous: number; pseudonym: number | null; deleted: number; warning: string | null; username: string | null }
  >();
  if (openingIds.length) {
    const posts = await db
      .selectFrom('posts')
      .leftJoin('users', 'users.id', 'posts.author_id')
      .select(['posts.id', 'posts.anonymous', 'posts.pseudonym', 'posts.deleted', 'posts.warning', 'users.username'])
      .where('posts.id', 'in', openingIds)
      .execute();
    for (const p of posts) openings.set(p.id, p);
  }
  return rows.map((row) => threadSummary(row, row.opening_post_id ? openings.get(row.opening_post_id) : undefined));
}

/** A group's threads, latest activity first. */
export async function listThreads(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { after?: string | undefined } = {},
): Promise<ThreadList> {
  const { group, viewer } = await loadReadableGroup(ctx, actor, groupId);
  let query = ctx.db
    .selectFrom('threads')
    .select(['id', 'group_id', 'title', 'opening_post_id', 'reply_count', 'created_at', 'last_activity_at'])
    .where('group_id', '=', groupId);
  const cursor = decodeCursor(input.after);
  if (cursor) {
    query = query.where((eb) =>
      eb.or([
        eb('last_activity_at', '<', cursor.at),
        eb.and([eb('last_activity_at', '=', cursor.at), eb('id', '>', cursor.id)]),
      ]),
    );
  }
  const [rows, watching] = await Promise.all([
    query
      .orderBy('last_activity_at', 'desc')
      .orderBy('id')
      .limit(pageSize + 1)
      .execute(),
    ctx.db
      .selectFrom('group_watches')
      .select('user_id')
      .where('user_id', '=', actor.id)
      .where('group_id', '=', groupId)
      .executeTakeFirst(),
  ]);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    group,
    viewer,
    threads: await summaries(ctx.db, page),
    next: rows.length > pageSize && last ? encodeCursor(last.last_activity_at, last.id) : null,
    watching: watching !== undefined,
  };
}

export interface ActivityItem extends ThreadSummary {
  groupName: string;
}

/** The most recently active threads across the member's groups, for their home page. */
export async function recentActivity(ctx: ServiceContext, actor: Member, limit = 15): Promise<ActivityItem[]> {
  const rows = await ctx.db
    .selectFrom('threads')
    .innerJoin('group_members as m', (join) =>
      join.onRef('m.group_id', '=', 'threads.group_id').on('m.user_id', '=', actor.id),
    )
    .innerJoin('groups', 'groups.id', 'threads.group_id')
    .select([
      'threads.id',
      'threads.group_id',
      'threads.title',
      'threads.opening_post_id',
      'threads.reply_count',
      'threads.created_at',
      'threads.last_activity_at',
      'groups.name as group_name',
    ])
    .orderBy('threads.last_activity_at', 'desc')
    .orderBy('threads.id')
    .limit(limit)
    .execute();
  const barred = await groupsBannedAnonymously(ctx.db, ctx.keys.anonymity, actor.id, [
    ...new Set(rows.map((r) => r.group_id)),
  ]);
  const shown = rows.filter((r) => !barred.has(r.group_id));
  const names = new Map(shown.map((r) => [r.id, r.group_name]));
  return (await summaries(ctx.db, shown)).map((s) => ({ ...s, groupName: names.get(s.id)! }));
}

/** Where a post lives, for links to it (search results, notifications). */
export async function locatePost(ctx: ServiceContext, actor: Member, postId: string): Promise<{ threadId: string }> {
  const { thread } = await loadPost(ctx, actor, postId);
  return { threadId: thread.id };
}

// Watching ----------------------------------------------------------------------------------------

export async function setThreadWatch(ctx: ServiceContext, actor: Member, threadId: string, on: boolean): Promise<void> {
  const { viewer } = await loadThread(ctx, actor, threadId);
  if (!viewer.membership && on) throw forbidden();
  if (on)
    await ctx.db
      .insertInto('thread_watches')
      .values({ user_id: actor.id, thread_id: threadId })
      .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doNothing())
      .execute();
  else
    await ctx.db
      .deleteFrom('thread_watches')
      .where('user_id', '=', actor.id)
      .where('thread_id', '=', threadId)
      .execute();
}

export async function setGroupWatch(ctx: ServiceContext, actor: Member, groupId: string, on: boolean): Promise<void> {
  const { viewer } = await loadReadableGroup(ctx, actor, groupId);
  if (!viewer.membership && on) throw forbidden();
  if (on)
    await ctx.db
      .insertInto('group_watches')
      .values({ user_id: actor.id, group_id: groupId })
      .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
      .execute();
  else
    await ctx.db.deleteFrom('group_watches').where('user_id', '=', actor.id).where('group_id', '=', groupId).execute();
}

// Content-warning preferences ---------------------------------------------------------------------

export type WarningMode = 'fold' | 'hide';
export type WarningPreferences = Record<WarningKind, WarningMode>;

export async function warningPreferences(ctx: ServiceContext, actor: Member): Promise<WarningPreferences> {
  const prefs = Object.fromEntries(warningKinds.map((k) => [k, 'fold'])) as WarningPreferences;
  const rows = await ctx.db
    .selectFrom('warning_preferences')
    .select(['warning', 'mode'])
    .where('user_id', '=', actor.id)
    .execute();
  for (const row of rows)
    if (isWarningKind(row.warning) && (row.mode === 'fold' || row.mode === 'hide')) prefs[row.warning] = row.mode;
  return prefs;
}

export async function setWarningPreferences(
  ctx: ServiceContext,
  actor: Member,
  input: Partial<Record<string, string>>,
): Promise<WarningPreferences> {
  const errors: FieldError[] = [];
  const chosen: [WarningKind, WarningMode][] = [];
  for (const [warning, mode] of Object.entries(input)) {
    if (!isWarningKind(warning) || (mode !== 'fold' && mode !== 'hide'))
      errors.push({ field: warning, message: 'discussions.warnings.invalid' });
    else chosen.push([warning, mode]);
  }
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    for (const [warning, mode] of chosen) {
      await trx
        .deleteFrom('warning_preferences')
        .where('user_id', '=', actor.id)
        .where('warning', '=', warning)
        .execute();
      // Folding is the default: only departures from it are stored.
      if (mode === 'hide')
        await trx.insertInto('warning_preferences').values({ user_id: actor.id, warning, mode }).execute();
    }
  });
  return warningPreferences(ctx, actor);
}
