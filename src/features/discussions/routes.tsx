import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { takeKeptFor, type KeepSpec } from '../../http/kept.js';
import { notFound } from '../../platform/errors.js';
import { Cursor, FreeForm, Id, NoContent, one, responses, type FreeFormBody } from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import { policies } from '../../security/policy.js';
import { canPost, canPostAnonymously, loadGroup } from '../groups/public.js';
import { listAnonymousReplies, markAnonymousRepliesSeen, stopAnonymousReplies } from './services/anonymous-replies.js';
import { banPostAuthor } from './services/ban-author.js';
import { createThread } from './services/create-thread.js';
import { deletePost, postToDelete } from './services/delete-post.js';
import { discardDraft, getDraft, saveDraft, type Draft, type DraftPlace } from './services/drafts.js';
import { previewPost } from './services/preview.js';
import { editPost } from './services/edit-post.js';
import { setPostHidden } from './services/hide-post.js';
import { setThreadLocked, setThreadPinned } from './services/pin-lock.js';
import { homeActivity } from './services/home-activity.js';
import { listThreads } from './services/list-threads.js';
import {
  excerpt,
  reactionKinds,
  warningKinds,
  type PostInput,
  type PostView,
  type ActivityItem,
  type ThreadListItem,
  type ThreadSummary,
} from './services/model.js';
import { listOwnPosts } from './services/own-posts.js';
import { setReaction } from './services/reactions.js';
import { getThread, locatePost, postAddress, type PageRequest } from './services/read-thread.js';
import { createPost } from './services/reply.js';
import { openThreadPage } from './services/unread.js';
import { setWarningPreferences, warningPreferences } from './services/warning-preferences.js';
import { setGroupWatch, setThreadWatch } from './services/watch.js';
import {
  AnonymousRepliesPage,
  ConfirmPage,
  EditPostPage,
  KeptElsewherePage,
  NewThreadPage,
  OwnPostsPage,
  ThreadPageView,
  WarningPreferencesPage,
  type ComposerState,
  type ModerationState,
} from './views.js';
import {
  LockInputSchema,
  PinInputSchema,
  PostEditSchema,
  PostInputSchema,
  ReplyDraftInputSchema,
  ThreadDraftInputSchema,
  ThreadInputSchema,
  warningKinds as draftWarningKinds,
} from './schemas.js';

const tags = ['discussions'];
/** What `?done=` on a thread's address may announce, after an action that redirects there. */
const threadNotices: readonly string[] = ['deleted', 'pinned', 'unpinned', 'locked', 'unlocked'];
const signedIn = { policy: policies.signedIn };
const IdParams = Type.Object({ id: Id });
/** A page of a thread, from 1: query strings are text, and the API does not coerce types. */
const PageNumber = Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: 'A page number, from 1' });

/**
 * What a composer keeps when its session has ended before it was sent (ADR 0041): its post, its
 * preview and its draft buttons alike, all kept for the composer's own form.
 */
const composerFields = ['title', 'body', 'warning', 'warningText', 'anonymous', 'quotePostId'] as const;
const keepReply: KeepSpec = {
  fields: composerFields,
  action: (p) => `/threads/${p.id}/posts`,
  resume: (p) => `/threads/${p.id}#reply`,
};
const keepThread: KeepSpec = {
  fields: composerFields,
  action: (p) => `/groups/${p.id}/threads`,
  resume: (p) => `/groups/${p.id}/threads/new`,
};
const keepEdit: KeepSpec = {
  fields: composerFields,
  action: (p) => `/posts/${p.id}/edit`,
  resume: (p) => `/posts/${p.id}/edit`,
};
const keptNotice: MessageKey = 'discussions.kept.restored';
const editOptions = { config: { ...signedIn, keep: keepEdit }, schema: { params: IdParams, body: FreeForm } };

function composerInput(body: FreeFormBody): PostInput & { title?: string | undefined } {
  return {
    title: one(body, 'title'),
    body: one(body, 'body'),
    warning: one(body, 'warning') || null,
    warningText: one(body, 'warningText') || null,
    anonymous: one(body, 'anonymous') === 'on',
    notifyReplies: one(body, 'notifyReplies') === 'on',
    quotePostId: one(body, 'quotePostId') || null,
  };
}

function composerValues(body: FreeFormBody): ComposerState['values'] {
  const input = composerInput(body);
  return {
    title: input.title ?? '',
    body: input.body ?? '',
    warning: input.warning ?? '',
    warningText: input.warningText ?? '',
    anonymous: input.anonymous ?? false,
    notifyReplies: input.notifyReplies ?? false,
    ...(input.quotePostId ? { quotePostId: input.quotePostId } : {}),
  };
}

/** The composer filled from the member's stored draft, or empty. */
function composerFromDraft(draft: Draft | null): ComposerState {
  if (!draft) return { values: {}, errors: [] };
  return {
    values: {
      title: draft.title ?? '',
      body: draft.body,
      warning: draft.warning ?? '',
      warningText: draft.warningText ?? '',
      ...(draft.quotePostId ? { quotePostId: draft.quotePostId } : {}),
    },
    errors: [],
    draftSavedAt: draft.updatedAt,
  };
}

const draftNotices = { 'draft-saved': 'saved', 'draft-discarded': 'discarded' } as const;
const draftNoticeOf = (done: string | undefined) =>
  done && done in draftNotices ? draftNotices[done as keyof typeof draftNotices] : undefined;

/** The page of the thread a composer form came from (its hidden `page` field), else the last. */
const pageFrom = (body: FreeFormBody): number | 'last' => {
  const page = one(body, 'page') ?? '';
  return /^[1-9][0-9]{0,5}$/.test(page) ? Number(page) : 'last';
};

// What leaves the server about a draft: its author's own words, to its author only (ADR 0040).
const DraftSchema = Type.Object({
  title: Type.Union([Type.String(), Type.Null()], { description: 'New threads only' }),
  body: Type.String({ description: 'Markdown, possibly unfinished' }),
  warning: Type.Union([Type.Enum(draftWarningKinds), Type.Null()]),
  warningText: Type.Union([Type.String(), Type.Null()]),
  quotePostId: Type.Union([Type.String(), Type.Null()], { description: 'Replies only' }),
  updatedAt: Type.Integer(),
  expiresAt: Type.Integer({ description: 'When it is deleted unless it changes before' }),
});
const presentDraft = (d: Draft | null): Static<typeof DraftSchema> | null =>
  d && {
    title: d.title,
    body: d.body,
    warning: d.warning,
    warningText: d.warningText,
    quotePostId: d.quotePostId,
    updatedAt: d.updatedAt,
    expiresAt: d.expiresAt,
  };

// API shapes: what leaves the server about threads and posts. No author ids, ever; anonymous
// authors are a pseudonym number only.
const AuthorSchema = Type.Union([
  Type.Object({ kind: Type.Literal('member'), username: Type.String() }),
  Type.Object({ kind: Type.Literal('anonymous'), pseudonym: Type.Integer() }),
  Type.Object({ kind: Type.Literal('deleted') }),
  Type.Object(
    { kind: Type.Literal('notShown') },
    { description: 'Withheld from the caller by a block or a mute (ADR 0052): nothing of the post is shown' },
  ),
]);
const WarningSchema = Type.Union([Type.Enum(warningKinds), Type.Null()]);
const ThreadSchema = Type.Object({
  id: Type.String(),
  groupId: Type.String(),
  title: Type.String(),
  author: AuthorSchema,
  warning: WarningSchema,
  replyCount: Type.Integer(),
  createdAt: Type.Integer(),
  lastActivityAt: Type.Integer(),
  pinned: Type.Boolean({ description: "Pinned to the top of its group's list by its moderators" }),
  locked: Type.Boolean({ description: 'Locked by its moderators: readable, taking no new replies' }),
  lockReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why it was locked, as its moderators wrote it; null when open',
  }),
});
/** The caller's own: never part of an answer about anyone else (ADR 0038). */
const UnreadSchema = Type.Object(
  {
    count: Type.Integer({
      minimum: 0,
      description:
        'Posts new to the caller: after their place in the thread, or, in a thread never opened, written since they ' +
        'joined the group. Hidden and deleted posts and the caller’s own never count.',
    }),
    opened: Type.Boolean({ description: 'Whether the caller has opened the thread' }),
    firstPostId: Type.Union([Type.String(), Type.Null()], { description: 'The first new post, if any' }),
    page: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'The page that holds it' }),
  },
  { description: "What is new to the caller in this thread; a page of the thread moves the caller's place" },
);
const ListedThreadSchema = Type.Object({ ...ThreadSchema.properties, unread: UnreadSchema });
const ActivitySchema = Type.Object({ ...ListedThreadSchema.properties, groupName: Type.String() });
const Counts = Type.Object(
  Object.fromEntries(reactionKinds.map((k) => [k, Type.Integer()])) as Record<
    (typeof reactionKinds)[number],
    ReturnType<typeof Type.Integer>
  >,
);
const PostSchema = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  author: AuthorSchema,
  body: Type.String({ description: 'Markdown source; empty when deleted or hidden from the caller' }),
  warning: WarningSchema,
  warningText: Type.Union([Type.String(), Type.Null()]),
  quote: Type.Union([
    Type.Object({ postId: Type.String(), author: AuthorSchema, excerpt: Type.String(), unavailable: Type.Boolean() }),
    Type.Null(),
  ]),
  hidden: Type.Boolean(),
  deleted: Type.Boolean(),
  withheld: Type.Boolean({
    description: 'Not shown to the caller (a block or a mute, ADR 0052): kept in its place, empty',
  }),
  held: Type.Boolean({ description: "The caller's own post, waiting for a moderator's approval (a watched word)" }),
  createdAt: Type.Integer(),
  editedAt: Type.Union([Type.Integer(), Type.Null()]),
  reactions: Counts,
  myReactions: Type.Array(Type.String()),
  mine: Type.Boolean(),
  canEdit: Type.Boolean(),
  canDelete: Type.Boolean(),
  canModerate: Type.Boolean(),
});
const PagesSchema = Type.Object(
  {
    number: Type.Integer({
      minimum: 1,
      description: 'This page, from 1 (with `after`, the page that holds its first post)',
    }),
    count: Type.Integer({ minimum: 1, description: 'How many pages the thread has' }),
    size: Type.Integer({ minimum: 1, description: 'Posts per page' }),
    posts: Type.Integer({ minimum: 0, description: 'Posts in the thread, hidden and deleted markers included' }),
  },
  { description: "Where this page is among the thread's pages" },
);
const presentThread = (t: ThreadSummary): Static<typeof ThreadSchema> => ({
  id: t.id,
  groupId: t.groupId,
  title: t.title,
  author: t.author,
  warning: t.warning,
  replyCount: t.replyCount,
  createdAt: t.createdAt,
  lastActivityAt: t.lastActivityAt,
  pinned: t.pinned,
  locked: t.locked,
  lockReason: t.lockReason,
});
const presentListedThread = (t: ThreadListItem): Static<typeof ListedThreadSchema> => ({
  ...presentThread(t),
  unread: { count: t.unread.count, opened: t.unread.opened, firstPostId: t.unread.firstPostId, page: t.unread.page },
});
const presentActivity = (t: ActivityItem): Static<typeof ActivitySchema> => ({
  ...presentListedThread(t),
  groupName: t.groupName,
});
const presentPost = (p: PostView): Static<typeof PostSchema> => ({
  id: p.id,
  threadId: p.threadId,
  author: p.author,
  body: p.body,
  warning: p.warning,
  warningText: p.warningText,
  quote: p.quote,
  hidden: p.hidden,
  deleted: p.deleted,
  withheld: p.withheld,
  held: p.held,
  createdAt: p.createdAt,
  editedAt: p.editedAt,
  reactions: p.reactions,
  myReactions: p.myReactions,
  mine: p.mine,
  canEdit: p.canEdit,
  canDelete: p.canDelete,
  canModerate: p.canModerate,
});

export async function discussionsRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  async function showThread(
    request: FastifyRequest,
    reply: FastifyReply,
    threadId: string,
    options: {
      page?: PageRequest['page'];
      quote?: string | undefined;
      composer?: ComposerState;
      moderation?: ModerationState;
      notice?: MessageKey;
      draftNotice?: ComposerState['draftNotice'];
      /** Text kept when a session ended: into the composer if the member may post here, else shown to copy. */
      kept?: FreeFormBody;
    } = {},
    status = 200,
  ) {
    const page = await openThreadPage(sctx(), request.member, threadId, { page: options.page });
    // Past the end (the thread has shrunk since the link was made): its last page.
    if (page.pages.number > page.pages.count)
      return reply.redirect(`/threads/${threadId}${page.pages.count > 1 ? `?page=${page.pages.count}` : ''}`, 303);
    const prefs = await warningPreferences(sctx(), request.member);
    // Kept text (ADR 0041) goes into the composer ahead of a stored draft, where the member may post.
    if (options.kept && page.canPost) {
      options.notice = keptNotice;
      options.composer = { values: composerValues(options.kept), errors: [] };
    }
    // The member's own draft comes back into the composer (ADR 0040); a quote asked for now wins.
    const composer =
      options.composer ??
      (page.canPost
        ? composerFromDraft(await getDraft(sctx(), request.member, { kind: 'reply', threadId }))
        : { values: {}, errors: [] });
    if (options.draftNotice) composer.draftNotice = options.draftNotice;
    const quoteId = options.quote ?? composer.values.quotePostId;
    let quote: PostView['quote'] = null;
    if (quoteId) {
      // The quoted post may be on another page of the thread: look it up on its own.
      const quoted = (
        page.posts.some((p) => p.id === quoteId)
          ? page
          : await getThread(sctx(), request.member, threadId, { at: quoteId })
      ).posts.find((p) => p.id === quoteId);
      if (quoted && !quoted.deleted && !quoted.hidden) {
        quote = {
          postId: quoted.id,
          author: quoted.author,
          excerpt: excerpt(quoted.body),
          unavailable: false,
        };
      }
    }
    return reply.page(
      page.thread.title,
      <ThreadPageView
        page={page}
        prefs={prefs}
        composer={composer}
        quote={quote}
        notice={options.notice}
        moderation={options.moderation}
        keptWords={
          options.kept && !page.canPost ? Object.entries(options.kept).map(([k, v]) => [k, String(v)]) : undefined
        }
      />,
      status,
    );
  }

  // Pages -----------------------------------------------------------------------------------------

  app.get(
    '/threads/:id',
    {
      config: signedIn,
      schema: {
        params: IdParams,
        querystring: Type.Object({
          page: Type.Optional(PageNumber),
          at: Type.Optional(Id),
          after: Type.Optional(Cursor),
          quote: Type.Optional(Id),
          done: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { at, after, quote, done } = request.query;
      // Back after signing in, with text kept when the session ended: the page a new reply lands on, the last.
      const kept = await takeKeptFor(ctx, request, reply, `/threads/${id}/posts`);
      if (kept) return showThread(request, reply, id, { page: 'last', kept });
      // Old addresses (a page starting at a post, or after a cursor) lead to the numbered page that holds the post.
      if (at) return reply.redirect(postAddress(await locatePost(sctx(), request.member, at), at), 303);
      if (after) {
        const { pages, posts } = await getThread(sctx(), request.member, id, { after });
        const first = posts[0];
        return reply.redirect(
          first ? postAddress({ threadId: id, page: pages.number }, first.id) : `/threads/${id}`,
          303,
        );
      }
      return showThread(request, reply, id, {
        page: Number(request.query.page ?? 1),
        quote,
        ...(done && threadNotices.includes(done) ? { notice: `discussions.notice.${done}` as MessageKey } : {}),
        draftNotice: draftNoticeOf(done),
      });
    },
  );

  /** The new-thread page, with what the member wrote so far: a stored draft, or what they just sent. */
  async function showNewThread(
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    state: ComposerState,
    status = 200,
    notice?: MessageKey,
  ) {
    const { group, viewer } = await loadGroup(sctx(), request.member, groupId);
    if (!canPost(viewer)) return reply.redirect(`/groups/${group.id}`, 303);
    return reply.page(
      request.t('discussions.threads.new'),
      <NewThreadPage
        groupId={group.id}
        groupName={group.name}
        anonymousAllowed={canPostAnonymously(viewer, group)}
        state={state}
        notice={notice}
      />,
      status,
    );
  }

  app.get(
    '/groups/:id/threads/new',
    {
      config: signedIn,
      schema: { params: IdParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    },
    async (request, reply) => {
      // Taken before the group is loaded: where the member may no longer read it, it is dropped with the 404.
      const kept = await takeKeptFor(ctx, request, reply, `/groups/${request.params.id}/threads`);
      const { group, viewer } = await loadGroup(sctx(), request.member, request.params.id);
      if (kept && !canPost(viewer)) {
        return reply.page(
          request.t('discussions.threads.new'),
          <KeptElsewherePage title={request.t('discussions.threads.new')} fields={kept} back={`/groups/${group.id}`} />,
        );
      }
      if (kept)
        return showNewThread(request, reply, group.id, { values: composerValues(kept), errors: [] }, 200, keptNotice);
      if (!canPost(viewer)) return reply.redirect(`/groups/${group.id}`, 303);
      const state = composerFromDraft(await getDraft(sctx(), request.member, { kind: 'thread', groupId: group.id }));
      state.draftNotice = draftNoticeOf(request.query.done);
      return showNewThread(request, reply, group.id, state);
    },
  );

  app.post(
    '/groups/:id/threads',
    { config: { ...signedIn, limit: 'thread', keep: keepThread }, schema: { params: IdParams, body: FreeForm } },
    (request, reply) =>
      formRoute(reply, {
        run: () => createThread(sctx(), request.member, request.params.id, composerInput(request.body)),
        done: ({ threadId }) => `/threads/${threadId}`,
        again: (problem) =>
          showNewThread(
            request,
            reply,
            request.params.id,
            { values: composerValues(request.body), errors: problem.errors, general: problem.general },
            problem.status,
          ),
      }),
  );

  app.post(
    '/threads/:id/posts',
    { config: { ...signedIn, limit: 'reply', keep: keepReply }, schema: { params: IdParams, body: FreeForm } },
    (request, reply) =>
      formRoute(reply, {
        run: () => createPost(sctx(), request.member, request.params.id, composerInput(request.body)),
        done: async ({ postId }) => postAddress(await locatePost(sctx(), request.member, postId), postId),
        again: (problem) => {
          const composer = { values: composerValues(request.body), errors: problem.errors, general: problem.general };
          // The page a new reply would land on: the last.
          return showThread(request, reply, request.params.id, { composer, page: 'last' }, problem.status);
        },
      }),
  );

  // Pinning and locking (ADR 0039): a form with a reason each, on the thread page; the member lands
  // back on the thread with a notice, or sees the form again with the problem and their words kept.
  for (const action of ['pin', 'lock'] as const) {
    const field = action === 'pin' ? 'pinned' : 'locked';
    app.post(
      `/threads/:id/${action}`,
      { config: signedIn, schema: { params: IdParams, body: FreeForm } },
      (request, reply) => {
        const id = request.params.id;
        const on = one(request.body, field) !== '0';
        const reason = one(request.body, 'reason') ?? '';
        return formRoute(reply, {
          run: () =>
            action === 'pin'
              ? setThreadPinned(sctx(), request.member, id, { pinned: on, reason })
              : setThreadLocked(sctx(), request.member, id, { locked: on, reason }),
          done: () => `/threads/${id}?done=${on ? field : `un${field}`}`,
          again: (problem) =>
            showThread(
              request,
              reply,
              id,
              { moderation: { form: action, values: { reason }, errors: problem.errors, general: problem.general } },
              problem.status,
            ),
        });
      },
    );
  }

  // Drafts and previews (ADR 0040): second submit buttons of the composers, so they work without
  // JavaScript. Saving lands back on the composer with a notice; a preview shows the post as it
  // would read, above the composer, and stores nothing.
  const places = [
    {
      base: '/threads/:id',
      keep: keepReply,
      place: (id: string): DraftPlace => ({ kind: 'reply', threadId: id }),
      back: (id: string, body: FreeFormBody, done: string) => {
        const page = pageFrom(body);
        return `/threads/${id}?${page === 'last' ? '' : `page=${page}&`}done=${done}#reply`;
      },
      again: (
        request: FastifyRequest,
        reply: FastifyReply,
        id: string,
        body: FreeFormBody,
        state: ComposerState,
        status = 200,
      ) => showThread(request, reply, id, { composer: state, page: pageFrom(body) }, status),
    },
    {
      base: '/groups/:id/threads',
      keep: keepThread,
      place: (id: string): DraftPlace => ({ kind: 'thread', groupId: id }),
      back: (id: string, _body: FreeFormBody, done: string) => `/groups/${id}/threads/new?done=${done}`,
      again: (
        request: FastifyRequest,
        reply: FastifyReply,
        id: string,
        _body: FreeFormBody,
        state: ComposerState,
        status = 200,
      ) => showNewThread(request, reply, id, state, status),
    },
  ] as const;
  for (const { base, keep, place, back, again } of places) {
    app.post(
      `${base}/draft`,
      { config: { ...signedIn, keep }, schema: { params: IdParams, body: FreeForm } },
      async (request, reply) => {
        const id = request.params.id;
        const input = composerInput(request.body);
        const values = composerValues(request.body);
        if (input.anonymous) {
          // No draft of an anonymous post, and none left from before it was one: the words stay in the form only.
          await discardDraft(sctx(), request.member, place(request.params.id));
          return again(request, reply, id, request.body, { values, errors: [], draftNotice: 'anonymous' });
        }
        return formRoute(reply, {
          run: () => saveDraft(sctx(), request.member, place(request.params.id), input),
          done: () => back(id, request.body, 'draft-saved'),
          again: async (problem) => {
            // The draft stored before is still there, and may still be discarded.
            const draftSavedAt = (await getDraft(sctx(), request.member, place(id)))?.updatedAt;
            const state = { values, errors: problem.errors, general: problem.general, draftSavedAt };
            return again(request, reply, id, request.body, state, problem.status);
          },
        });
      },
    );

    app.post(
      `${base}/draft/discard`,
      { config: signedIn, schema: { params: IdParams, body: FreeForm } },
      async (request, reply) => {
        await discardDraft(sctx(), request.member, place(request.params.id));
        return reply.redirect(back(request.params.id, request.body, 'draft-discarded'), 303);
      },
    );

    app.post(
      `${base}/preview`,
      { config: { ...signedIn, keep }, schema: { params: IdParams, body: FreeForm } },
      async (request, reply) => {
        const preview = await previewPost(
          sctx(),
          request.member,
          place(request.params.id),
          composerInput(request.body),
        );
        const draftSavedAt = (await getDraft(sctx(), request.member, place(request.params.id)))?.updatedAt;
        const state = { values: composerValues(request.body), errors: preview.errors, preview, draftSavedAt };
        return again(request, reply, request.params.id, request.body, state);
      },
    );
  }

  /** A post's own address: the page of its thread that holds it, scrolled to the post. */
  app.get('/posts/:id', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const id = request.params.id;
    return reply.redirect(postAddress(await locatePost(sctx(), request.member, id), id), 303);
  });

  /** Where an action on a post leaves the member: back on the page that holds it, at the post. */
  const backTo = async (request: FastifyRequest, postId: string) =>
    postAddress(await locatePost(sctx(), request.member, postId), postId);

  app.get('/posts/:id/edit', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const kept = await takeKeptFor(ctx, request, reply, `/posts/${request.params.id}/edit`);
    const { threadId } = await locatePost(sctx(), request.member, request.params.id);
    const page = await getThread(sctx(), request.member, threadId, { at: request.params.id });
    const post = page.posts.find((p) => p.id === request.params.id);
    if (kept && post && !post.canEdit) {
      return reply.page(
        request.t('discussions.edit.title'),
        <KeptElsewherePage title={request.t('discussions.edit.title')} fields={kept} back={`/posts/${post.id}`} />,
      );
    }
    // A form nobody else may use is a denied read: it looks exactly like a missing page.
    if (!post?.canEdit) throw notFound();
    const isOpening = post.opening;
    const current = {
      body: post.body,
      warning: post.warning ?? '',
      warningText: post.warningText ?? '',
      title: page.thread.title,
    };
    const state: ComposerState = {
      values: kept ? { ...composerValues(kept), ...(isOpening ? {} : { title: current.title }) } : current,
      errors: [],
    };
    return reply.page(
      request.t('discussions.edit.title'),
      <EditPostPage
        postId={post.id}
        threadId={threadId}
        isOpening={isOpening}
        state={state}
        notice={kept ? keptNotice : undefined}
      />,
    );
  });

  app.post('/posts/:id/edit', editOptions, (request, reply) => {
    const input = composerInput(request.body);
    return formRoute(reply, {
      run: () =>
        editPost(sctx(), request.member, request.params.id, {
          body: input.body,
          warning: input.warning,
          warningText: input.warningText,
          ...(input.title !== undefined ? { title: input.title } : {}),
        }),
      done: () => backTo(request, request.params.id),
      again: async (problem) => {
        const { threadId } = await locatePost(sctx(), request.member, request.params.id);
        const state = { values: composerValues(request.body), errors: problem.errors, general: problem.general };
        return reply.page(
          request.t('discussions.edit.title'),
          <EditPostPage
            postId={request.params.id}
            threadId={threadId}
            isOpening={input.title !== undefined}
            state={state}
          />,
          problem.status,
        );
      },
    });
  });

  app.get('/posts/:id/delete', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const { readable } = await postToDelete(sctx(), request.member, request.params.id);
    const t = request.t;
    const cancelHref = readable ? `/posts/${request.params.id}` : '/account/posts';
    return reply.page(
      t('discussions.delete.title'),
      <ConfirmPage
        title={t('discussions.delete.title')}
        body={t('discussions.delete.body')}
        action={`/posts/${request.params.id}/delete`}
        submit={t('discussions.delete.submit')}
        cancelHref={cancelHref}
        danger
      />,
    );
  });

  app.post('/posts/:id/delete', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const result = await deletePost(sctx(), request.member, request.params.id);
    // An author who can no longer read the thread goes back to their own posts, not to a page that is missing for them.
    if (!result.readable) return reply.redirect('/account/posts?done=deleted', 303);
    if (result.threadDeleted) return reply.redirect(`/groups/${result.groupId}`, 303);
    // Back on the page that held it (or the nearest one left), at the post beside it (ADR 0036).
    const landOn = result.landOn;
    return reply.redirect(
      landOn
        ? postAddress(await locatePost(sctx(), request.member, landOn), landOn, 'deleted')
        : `/threads/${result.threadId}?done=deleted`,
      303,
    );
  });

  app.get(
    '/account/posts',
    {
      config: signedIn,
      schema: {
        querystring: Type.Object({ after: Type.Optional(Cursor), done: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) => {
      const list = await listOwnPosts(sctx(), request.member, request.query);
      return reply.page(
        request.t('discussions.own.title'),
        <OwnPostsPage posts={list.posts} next={list.next} deleted={request.query.done === 'deleted'} />,
      );
    },
  );

  app.post(
    '/posts/:id/reactions',
    { config: { ...signedIn, limit: 'reaction' }, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      await setReaction(sctx(), request.member, request.params.id, one(request.body, 'toggle') ?? '', 'toggle');
      return reply.redirect(await backTo(request, request.params.id), 303);
    },
  );

  app.post(
    '/posts/:id/hide',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      await setPostHidden(sctx(), request.member, request.params.id, one(request.body, 'hidden') !== '0');
      return reply.redirect(await backTo(request, request.params.id), 303);
    },
  );

  app.get('/posts/:id/ban', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    await locatePost(sctx(), request.member, request.params.id);
    const t = request.t;
    return reply.page(
      t('discussions.ban.title'),
      <ConfirmPage
        title={t('discussions.ban.title')}
        body={t('discussions.ban.body')}
        action={`/posts/${request.params.id}/ban`}
        submit={t('discussions.ban.submit')}
        cancelHref={`/posts/${request.params.id}`}
        danger
      />,
    );
  });

  app.post('/posts/:id/ban', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    await banPostAuthor(sctx(), request.member, request.params.id);
    return reply.redirect(await backTo(request, request.params.id), 303);
  });

  // Replies where the member wrote anonymously (ADR 0043) ------------------------------------------

  app.get(
    '/anonymous-replies',
    { config: signedIn, schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }) } },
    async (request, reply) => {
      const list = await listAnonymousReplies(sctx(), request.member);
      // As the notifications page does: what the page shows counts as seen (the newest reply's time is stored).
      await markAnonymousRepliesSeen(sctx(), request.member, list);
      // The navigation's count, worked out before this page marked them seen, drops by what it showed.
      const shown = list.reduce((sum, s) => sum + s.newCount, 0);
      const before = request.pageCounts?.unreadNotifications;
      if (shown > 0 && before !== undefined)
        request.pageCounts = { ...request.pageCounts, unreadNotifications: Math.max(0, before - shown) };
      return reply.page(
        request.t('discussions.anonReplies.title'),
        <AnonymousRepliesPage list={list} stopped={request.query.done === 'stopped'} />,
      );
    },
  );

  app.post(
    '/anonymous-replies/:id/stop',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      await stopAnonymousReplies(sctx(), request.member, request.params.id);
      return reply.redirect('/anonymous-replies?done=stopped', 303);
    },
  );

  app.post(
    '/threads/:id/watch',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      await setThreadWatch(sctx(), request.member, request.params.id, one(request.body, 'on') !== '0');
      return reply.redirect(`/threads/${request.params.id}`, 303);
    },
  );

  app.post(
    '/groups/:id/watch',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      await setGroupWatch(sctx(), request.member, request.params.id, one(request.body, 'on') !== '0');
      return reply.redirect(`/groups/${request.params.id}`, 303);
    },
  );

  app.get(
    '/account/warnings',
    { config: signedIn, schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }) } },
    async (request, reply) => {
      const prefs = await warningPreferences(sctx(), request.member);
      return reply.page(
        request.t('discussions.warnings.title'),
        <WarningPreferencesPage prefs={prefs} saved={request.query.done === 'saved'} />,
      );
    },
  );

  app.post('/account/warnings', { config: signedIn, schema: { body: FreeForm } }, async (request, reply) => {
    const chosen = Object.fromEntries(
      warningKinds.flatMap((w) => (one(request.body, w) ? [[w, one(request.body, w)]] : [])),
    );
    await setWarningPreferences(sctx(), request.member, chosen);
    return reply.redirect('/account/warnings?done=saved', 303);
  });

  // API -------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/me/activity',
    {
      config: signedIn,
      schema: {
        summary:
          "What the home page shows the caller: threads new since their last visit, then the others' recent activity",
        description:
          'Only groups the caller may read now. `new` holds threads with posts the caller has not seen; `recent` the ' +
          'latest active threads of their groups that are not in `new`.',
        tags,
        response: responses(
          { 200: Type.Object({ new: Type.Array(ActivitySchema), recent: Type.Array(ActivitySchema) }) },
          401,
        ),
      },
    },
    async (request) => {
      const { fresh, recent } = await homeActivity(sctx(), request.member);
      return { new: fresh.map(presentActivity), recent: recent.map(presentActivity) };
    },
  );

  app.get(
    '/api/v1/groups/:id/threads',
    {
      config: signedIn,
      schema: {
        summary: "A group's threads: the pinned ones first, then by latest activity",
        description:
          'The first page starts with every pinned thread (`pinned`, most recently pinned first), then up to a ' +
          'page of the others; pages after it (`after`) hold unpinned threads only, so none is listed twice.',
        tags,
        params: IdParams,
        querystring: Type.Object({ after: Type.Optional(Cursor) }),
        response: responses(
          {
            200: Type.Object({
              threads: Type.Array(ListedThreadSchema),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const list = await listThreads(sctx(), request.member, request.params.id, request.query);
      return { threads: list.threads.map(presentListedThread), next: list.next };
    },
  );

  app.post(
    '/api/v1/groups/:id/threads',
    {
      config: { ...signedIn, limit: 'thread' },
      schema: {
        summary: 'Start a thread (group members)',
        tags,
        params: IdParams,
        body: ThreadInputSchema,
        response: responses({ 201: Type.Object({ thread: ThreadSchema, post: PostSchema }) }, 401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const { threadId, postId } = await createThread(sctx(), request.member, request.params.id, request.body);
      const page = await getThread(sctx(), request.member, threadId, { at: postId });
      const post = page.posts.find((p) => p.id === postId)!;
      return reply.code(201).send({ thread: presentThread(page.thread), post: presentPost(post) });
    },
  );

  app.get(
    '/api/v1/threads/:id',
    {
      config: signedIn,
      schema: {
        summary: 'A thread with one page of its posts, oldest first',
        description:
          'Numbered pages of `pages.size` posts: `page` (from 1; past the last page, no posts), or `at`, the page that ' +
          'holds a given post. Every reader is shown the same posts in the same places (hidden posts as an empty ' +
          'notice), so a post is on the same page for everyone. To walk the whole thread while others write, follow ' +
          '`next` with `after`: those pages start after the last post you had, whatever was deleted meanwhile. ' +
          "Reading a page moves the caller's place in the thread to its last post (never backwards); " +
          '`firstUnread` is the first post on this page that was new to the caller before this read.',
        tags,
        params: IdParams,
        querystring: Type.Object({
          page: Type.Optional(PageNumber),
          at: Type.Optional({ ...Id, description: 'A post: answers the page that holds it' }),
          after: Type.Optional({ ...Cursor, description: 'The `next` of the page before' }),
        }),
        response: responses(
          {
            200: Type.Object({
              thread: ThreadSchema,
              posts: Type.Array(PostSchema),
              pages: PagesSchema,
              next: Type.Union([Type.String(), Type.Null()], {
                description: 'Cursor of the posts after this page, for `after`; null on the last page',
              }),
              watching: Type.Boolean(),
              canReply: Type.Boolean({
                description:
                  'Whether the caller may reply now (a member, and where the thread is locked, one who may unlock it)',
              }),
              firstUnread: Type.Union([Type.String(), Type.Null()], {
                description: 'The first post on this page that was new to the caller, if any',
              }),
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const { page: number, at, after } = request.query;
      const page = await openThreadPage(sctx(), request.member, request.params.id, {
        page: number === undefined ? undefined : Number(number),
        at,
        after,
      });
      return {
        thread: presentThread(page.thread),
        posts: page.posts.map(presentPost),
        pages: page.pages,
        next: page.next,
        watching: page.watching,
        canReply: page.canPost,
        firstUnread: page.firstUnread,
      };
    },
  );

  app.post(
    '/api/v1/threads/:id/posts',
    {
      config: { ...signedIn, limit: 'reply' },
      schema: {
        summary: 'Reply in a thread (group members), optionally quoting an earlier post',
        description: 'A locked thread answers 409, except to those who may unlock it.',
        tags,
        params: IdParams,
        body: PostInputSchema,
        response: responses({ 201: Type.Object({ post: PostSchema }) }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const { postId } = await createPost(sctx(), request.member, request.params.id, request.body);
      const { posts } = await getThread(sctx(), request.member, request.params.id, { at: postId });
      return reply.code(201).send({ post: presentPost(posts.find((p) => p.id === postId)!) });
    },
  );

  // Watching a thread (its replies) or a group (its new threads): on with PUT, off with DELETE.
  for (const [resource, setWatch, what] of [
    ['threads', setThreadWatch, 'a thread'],
    ['groups', setGroupWatch, 'a group for new threads'],
  ] as const) {
    for (const on of [true, false]) {
      app.route({
        method: on ? 'PUT' : 'DELETE',
        url: `/api/v1/${resource}/:id/watch`,
        config: signedIn,
        schema: {
          summary: on ? `Watch ${what}` : `Stop watching ${what}`,
          tags,
          params: IdParams,
          response: on ? responses({ 204: NoContent }, 401, 403, 404) : responses({ 204: NoContent }, 401, 404),
        },
        handler: async (request, reply) => {
          await setWatch(sctx(), request.member, request.params.id, on);
          return reply.code(204).send();
        },
      });
    }
  }

  // Drafts (ADR 0040): the member's own, for a reply in a thread or a new thread in a group; what
  // the composer's script saves a moment after typing stops. Never kept for an anonymous post.
  for (const [url, place, Input, what] of [
    [
      '/api/v1/threads/:id/draft',
      (id: string): DraftPlace => ({ kind: 'reply', threadId: id }),
      ReplyDraftInputSchema,
      'a reply in a thread',
    ],
    [
      '/api/v1/groups/:id/threads/draft',
      (id: string): DraftPlace => ({ kind: 'thread', groupId: id }),
      ThreadDraftInputSchema,
      'a new thread in a group',
    ],
  ] as const) {
    app.get(
      url,
      {
        config: signedIn,
        schema: {
          summary: `Your draft of ${what}, or null`,
          description: 'Only ever your own. A group you can no longer read answers 404.',
          tags,
          params: IdParams,
          response: responses({ 200: Type.Object({ draft: Type.Union([DraftSchema, Type.Null()]) }) }, 401, 404),
        },
      },
      async (request) => ({ draft: presentDraft(await getDraft(sctx(), request.member, place(request.params.id))) }),
    );

    app.put(
      url,
      {
        config: signedIn,
        schema: {
          summary: `Save your draft of ${what}`,
          description:
            'Unfinished is fine, within the limits of a post; with nothing in it, the draft is deleted (answers null). ' +
            'Deleted when the post is published, and 30 days after its last change. There is no anonymous choice: ' +
            'no draft is kept for an anonymous post (delete it instead).',
          tags,
          params: IdParams,
          body: Input,
          response: responses(
            { 200: Type.Object({ draft: Type.Union([DraftSchema, Type.Null()]) }) },
            401,
            403,
            404,
            422,
          ),
        },
      },
      async (request) => ({
        draft: presentDraft(await saveDraft(sctx(), request.member, place(request.params.id), request.body)),
      }),
    );

    app.delete(
      url,
      {
        config: signedIn,
        schema: {
          summary: `Discard your draft of ${what}`,
          tags,
          params: IdParams,
          response: responses({ 204: NoContent }, 401),
        },
      },
      async (request, reply) => {
        await discardDraft(sctx(), request.member, place(request.params.id));
        return reply.code(204).send();
      },
    );
  }

  app.patch(
    '/api/v1/posts/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Edit your own post (and the title, for the opening post)',
        description: 'In a locked thread, 409, except for those who may unlock it.',
        tags,
        params: IdParams,
        body: PostEditSchema,
        response: responses({ 204: NoContent }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      await editPost(sctx(), request.member, request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/v1/posts/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Delete a post: yours, or any in a group you moderate. The words are removed from the database.',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await deletePost(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/anonymous-replies',
    {
      config: signedIn,
      schema: {
        summary: 'New replies in discussions where you posted anonymously and asked to hear of them',
        description:
          'Worked out on each request from the keyed hash your anonymous posts carry; nothing stored links them to your account (ADR 0043). Only groups you belong to and may read now. Listing marks nothing seen (the page `/anonymous-replies` does).',
        tags,
        response: responses(
          {
            200: Type.Object({
              threads: Type.Array(
                Type.Object({
                  threadId: Type.String(),
                  title: Type.String(),
                  group: Type.String({ description: "The group's name" }),
                  newReplies: Type.Integer({ minimum: 0, description: 'Counted up to 100' }),
                  firstNewPostId: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
          },
          401,
        ),
      },
    },
    async (request) => ({
      threads: (await listAnonymousReplies(sctx(), request.member)).map((s) => ({
        threadId: s.threadId,
        title: s.title,
        group: s.groupName,
        newReplies: s.newCount,
        firstNewPostId: s.firstNewId,
      })),
    }),
  );

  app.delete(
    '/api/v1/threads/:id/anonymous-replies',
    {
      config: signedIn,
      schema: {
        summary: 'Stop hearing of replies in a discussion where you posted anonymously',
        description: 'The same answer whether or not you had asked to hear of them.',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401),
      },
    },
    async (request, reply) => {
      await stopAnonymousReplies(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/posts/:id/hide',
    {
      config: signedIn,
      schema: {
        summary: 'Hide or show a post (group moderators)',
        tags,
        params: IdParams,
        body: Type.Object({ hidden: Type.Boolean() }, { additionalProperties: false }),
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await setPostHidden(sctx(), request.member, request.params.id, request.body.hidden);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/threads/:id/pin',
    {
      config: signedIn,
      schema: {
        summary: "Pin a thread to the top of its group's list, or unpin it (the group's moderators)",
        description:
          'Pinned threads come first on the first page of `GET /api/v1/groups/{id}/threads`, most recently pinned ' +
          'first; a group pins a few at most (409 past that). The reason is kept for the moderation log. 409 when ' +
          'the thread is already in the state asked for.',
        tags,
        params: IdParams,
        body: PinInputSchema,
        response: responses({ 204: NoContent }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      await setThreadPinned(sctx(), request.member, request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/threads/:id/lock',
    {
      config: signedIn,
      schema: {
        summary: 'Lock a thread (readable, no new replies), or unlock it (moderators)',
        description:
          "A locked thread's reason is shown to its readers (`lockReason`) and kept for the moderation log. While " +
          'it is locked, replies and edits answer 409, except from those who may unlock it; deleting a post and ' +
          'reacting still work. 409 when the thread is already in the state asked for.',
        tags,
        params: IdParams,
        body: LockInputSchema,
        response: responses({ 204: NoContent }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      await setThreadLocked(sctx(), request.member, request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/posts/:id/ban-author',
    {
      config: signedIn,
      schema: {
        summary: "Ban a post's author from the group, without learning who wrote an anonymous post (group moderators)",
        description:
          'For an anonymous post the answer is 204 whoever wrote it, and the author stays on the member list but can no longer take part (ADR 0018). ' +
          'For a named post, 403 or 409 when that author cannot be banned.',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 403, 404, 409),
      },
    },
    async (request, reply) => {
      await banPostAuthor(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  const ReactionParams = Type.Object({ id: Id, kind: Type.Enum(reactionKinds) });
  for (const [method, on] of [
    ['post', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/v1/posts/:id/reactions/:kind',
      {
        config: { ...signedIn, limit: 'reaction' },
        schema: {
          summary: on ? 'React to a post' : 'Take back a reaction',
          description: 'Only counts are ever shown, never who reacted.',
          tags,
          params: ReactionParams,
          response: responses({ 200: Type.Object({ reactions: Counts }) }, 401, 403, 404),
        },
      },
      async (request) => ({
        reactions: await setReaction(sctx(), request.member, request.params.id, request.params.kind, on),
      }),
    );
  }

  app.get(
    '/api/v1/me/posts',
    {
      config: signedIn,
      schema: {
        summary: 'Your own signed posts, newest first, in every group, also those you left or were banned from',
        description:
          'So you can find and delete them (`DELETE /api/v1/posts/{id}` works for the author in any group). Anonymous posts are not listed.',
        tags,
        querystring: Type.Object({ after: Type.Optional(Cursor) }),
        response: responses(
          {
            200: Type.Object({
              posts: Type.Array(
                Type.Object({
                  id: Type.String(),
                  body: Type.String(),
                  createdAt: Type.Integer(),
                  editedAt: Type.Union([Type.Integer(), Type.Null()]),
                  readable: Type.Boolean(),
                }),
              ),
              next: Type.Union([Type.String(), Type.Null()]),
            }),
          },
          401,
        ),
      },
    },
    async (request) => listOwnPosts(sctx(), request.member, request.query),
  );

  app.get(
    '/api/v1/me/warnings',
    {
      config: signedIn,
      schema: {
        summary: 'Your content-warning choices: fold (default) or hide',
        tags,
        response: responses({ 200: Type.Object({ warnings: Type.Record(Type.String(), Type.String()) }) }, 401),
      },
    },
    async (request) => ({ warnings: await warningPreferences(sctx(), request.member) }),
  );

  app.put(
    '/api/v1/me/warnings',
    {
      config: signedIn,
      schema: {
        summary: 'Change content-warning choices',
        tags,
        body: Type.Record(Type.String({ maxLength: 30 }), Type.Union([Type.Literal('fold'), Type.Literal('hide')]), {
          maxProperties: 20,
        }),
        response: responses({ 200: Type.Object({ warnings: Type.Record(Type.String(), Type.String()) }) }, 401, 422),
      },
    },
    async (request) => ({ warnings: await setWarningPreferences(sctx(), request.member, request.body) }),
  );
}
