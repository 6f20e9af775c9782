import type { ServiceContext } from '../../../app-context.js';
import type { GroupRole, ModerationTargetType } from '../../../db/schema.js';
import type { Actor } from '../../../security/actor.js';
import {
  canModerate,
  canReachModeration,
  canReadContent,
  canSeeGroup,
  findGroup,
  type Group,
  viewerOf,
  type Viewer,
} from '../../groups/public.js';
import { openAuthor } from '../../../security/anonymity.js';
import { findReadableListing, loadNoteToModerate } from '../../resources/public.js';
import type { ActTargetType, AffectedMember } from '../policy.js';

/**
 * A reported or moderated thing, with what the actor may know of it: whether it exists for them
 * (`visible`), whether they may read its words (`readable`), and the member an action would affect.
 * `message` does not exist yet (ADR 0048): it is never found. A `resource` is a listing of the
 * directory and a `resource_note` a member's note on one (ADR 0059): neither lies in a group.
 */
export interface Target {
  targetType: ActTargetType;
  targetId: string;
  /** The group it lies in (for an account: the group of the case it was reported in), if any. */
  group: Group | null;
  viewer: Viewer | null;
  visible: boolean;
  readable: boolean;
  /** The actor's role in that group while they take part in it: what the outrank rule weighs. */
  actorGroupRole: GroupRole | null;
  affected: AffectedMember | null;
  /** For posts and threads: the post acted on (a thread's opening post). */
  post: { id: string; threadId: string; body: string; hidden: boolean; deleted: boolean; anonymous: boolean } | null;
  /** A member's note on a listing: the note acted on, and the listing it is on. */
  note: { id: string; serviceId: string; body: string; hidden: boolean; anonymous: boolean } | null;
  /** A thread's title or a listing's name, for the queue. */
  title: string | null;
  /**
   * The actor wrote it (by name or anonymously) or is the account itself: reports about it are not
   * theirs to read or close, or they would learn who reported them (issue 11).
   */
  aboutActor: boolean;
}

/** Where someone takes part in a group: a ban (by name, or through an anonymous post) ends it. */
function roleTakingPart(viewer: Viewer): GroupRole | null {
  if (viewer.banned || (viewer.anonymousBan === true && viewer.membership !== 'owner')) return null;
  return viewer.membership;
}

async function affectedMember(
  ctx: ServiceContext,
  userId: string | null,
  groupId: string | null,
): Promise<AffectedMember | null> {
  if (!userId) return null;
  const user = await ctx.db.selectFrom('users').select(['id', 'role']).where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const membership = groupId
    ? await ctx.db
        .selectFrom('group_members')
        .select('role')
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    : undefined;
  return { userId, groupRole: membership?.role ?? null, instanceRole: user.role };
}

async function inGroup(ctx: ServiceContext, actor: Actor, groupId: string | null) {
  const group = groupId ? await findGroup(ctx.db, groupId) : null;
  const viewer = group ? await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity) : null;
  return { group, viewer };
}

/**
 * Loads a target for a report, the queue or an action. `caseGroupId` is the group of the case it
 * was reported in, which is where an account was met. Null when it does not exist.
 */
export async function loadTarget(
  ctx: ServiceContext,
  actor: Actor,
  targetType: ModerationTargetType,
  targetId: string,
  caseGroupId: string | null = null,
): Promise<Target | null> {
  if (targetType === 'post' || targetType === 'thread') {
    const row =
      targetType === 'post'
        ? await ctx.db
            .selectFrom('posts')
            .select([
              'id',
              'thread_id',
              'group_id',
              'author_id',
              'author_box',
              'anonymous',
              'body',
              'hidden',
              'deleted',
            ])
            .where('id', '=', targetId)
            .executeTakeFirst()
        : await ctx.db
            .selectFrom('threads as t')
            .innerJoin('posts as p', 'p.id', 't.opening_post_id')
            .select([
              'p.id',
              'p.thread_id',
              'p.group_id',
              'p.author_id',
              'p.author_box',
              'p.anonymous',
              'p.body',
              'p.hidden',
              'p.deleted',
            ])
            .where('t.id', '=', targetId)
            .executeTakeFirst();
    if (!row) return null;
    const { group, viewer } = await inGroup(ctx, actor, row.group_id);
    if (!group || !viewer) return null;
    const readable = canReadContent(viewer, group);
    const title =
      targetType === 'thread'
        ? ((await ctx.db.selectFrom('threads').select('title').where('id', '=', targetId).executeTakeFirst())?.title ??
          null)
        : null;
    return {
      targetType,
      targetId,
      group,
      viewer,
      readable,
      // As moderation reaches posts (ADR 0032): instance moderators by id where they may not read.
      visible: readable || (canReachModeration(viewer, group) && canModerate(viewer)),
      actorGroupRole: roleTakingPart(viewer),
      // An anonymous post's author is never looked up here (ADR 0018): they stay unknown.
      affected: row.anonymous ? null : await affectedMember(ctx, row.author_id, row.group_id),
      post: {
        id: row.id,
        threadId: row.thread_id,
        body: row.body,
        hidden: row.hidden === 1,
        deleted: row.deleted === 1,
        anonymous: row.anonymous === 1,
      },
      note: null,
      title,
      // Opened only to compare with the actor, never returned: nobody else learns who wrote it.
      aboutActor:
        actor.kind === 'user' &&
        (row.anonymous
          ? row.author_box !== null && openAuthor(ctx.keys.anonymity, row.author_box) === actor.id
          : row.author_id === actor.id),
    };
  }
  if (targetType === 'user') {
    const affected = await affectedMember(ctx, targetId, caseGroupId);
    if (!affected) return null;
    const { group, viewer } = await inGroup(ctx, actor, caseGroupId);
    return {
      targetType,
      targetId,
      group,
      viewer,
      // Accounts are known by name to every member; nothing of their words comes with them.
      visible: actor.kind === 'user',
      readable: actor.kind === 'user',
      actorGroupRole: viewer ? roleTakingPart(viewer) : null,
      affected,
      post: null,
      note: null,
      title: null,
      aboutActor: actor.kind === 'user' && actor.id === targetId,
    };
  }
  if (targetType === 'group') {
    const { group, viewer } = await inGroup(ctx, actor, targetId);
    if (!group || !viewer) return null;
    return {
      targetType,
      targetId,
      group,
      viewer,
      visible: canReachModeration(viewer, group),
      readable: canSeeGroup(viewer, group),
      actorGroupRole: roleTakingPart(viewer),
      affected: null,
      post: null,
      note: null,
      title: null,
      aboutActor: false,
    };
  }
  if (targetType === 'resource') {
    // A listing exists for whoever may read it (the directory's keepers read them all); a denied
    // read is a missing one. Nobody is affected: a suggestion's author is not looked up (ADR 0059).
    const listing = await findReadableListing(ctx, actor, targetId);
    if (!listing) return null;
    return {
      targetType,
      targetId,
      group: null,
      viewer: null,
      visible: true,
      readable: true,
      actorGroupRole: null,
      affected: null,
      post: null,
      note: null,
      title: listing.row.name,
      aboutActor: false,
    };
  }
  if (targetType === 'resource_note') {
    const note = await loadNoteToModerate(ctx, actor, targetId);
    if (!note) return null;
    return {
      targetType,
      targetId,
      group: null,
      viewer: null,
      visible: note.readable,
      readable: note.readable,
      actorGroupRole: null,
      // An anonymous note's author is never looked up (ADR 0018): `authorId` is null for it.
      affected: await affectedMember(ctx, note.authorId, null),
      post: null,
      note: {
        id: note.id,
        serviceId: note.serviceId,
        body: note.body,
        hidden: note.hidden,
        anonymous: note.anonymous,
      },
      title: null,
      aboutActor: note.byReader,
    };
  }
  return null;
}
