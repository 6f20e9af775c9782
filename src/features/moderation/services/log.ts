import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import { notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { canReadContent, canSeeGroup, findGroup, groupAccessOf, viewerOf, type Viewer } from '../../groups/public.js';
import { canReadGroupLog, canReadInstanceLog, canSeeModeratorName, canSeeTargetName } from '../log-policy.js';

/** One row of the log as a reader may see it: never the reporter, never an anonymous author. */
export interface LogEntry {
  id: string;
  action: string;
  /** The catalogue key naming the action; a generic label for actions this version does not know. */
  labelKey: string;
  groupId: string | null;
  /** Null when the reader may not see the group's name (or it is gone). */
  groupName: string | null;
  targetType: string;
  /** Where the thing acted on can be read by this reader; null when they may not, or it is gone. */
  targetHref: string | null;
  reason: string | null;
  createdAt: number;
  /**
   * Who acted, for those who may see names: a username, or null when the reader may not know
   * (members), or when no account is recorded (Sanad itself acted, or the account was deleted).
   * `acted` says which.
   */
  actorName: string | null;
  acted: 'named' | 'withheld' | 'none';
  /** The account acted on, for moderators, only when the row is about an account itself. */
  targetName: string | null;
}

export interface LogPage {
  entries: LogEntry[];
  next: string | null;
}

const pageSize = 50;

/** The actions the catalogues name; any other shows as "Another moderation action". */
export const knownActions = [
  'post.hide',
  'post.unhide',
  'post.delete',
  'thread.delete',
  'thread.lock',
  'thread.unlock',
  'thread.pin',
  'thread.unpin',
  'user.warn',
  'user.mute',
  'user.unmute',
  'user.suspend',
  'user.unsuspend',
  'user.ban',
  'user.freeze',
  'user.unfreeze',
  'group.ban',
  'group.ban.anonymous',
  'group.unban',
  'group.remove',
  'trust.grant',
  'trust.withdraw',
  'case.dismiss',
  'appeal.upheld',
  'appeal.overturned',
  'reveal.request',
  'reveal.approve',
  'reveal.decline',
  'reveal.show',
  'post.approve',
  'thread.hide',
  'thread.unhide',
  'thread.approve',
  'group.request.approve',
  'group.request.decline',
  'slow_mode.set',
  'watched_word.set',
  'watched_word.remove',
  'vouch.give',
  'vouch.withdraw',
  'application.approve',
  'application.decline',
  'invites.freeze_branch',
  'invites.unfreeze_branch',
  'resource.verify',
  'resource.unverify',
  'resource.correction_accept',
  'resource.correction_decline',
  'resource.create',
  'resource.edit',
  'resource.delete',
  'resource.approve',
  'resource.decline',
  'resource.publish',
  'resource.extend',
  'resource.remove',
  'resource.import',
  'resource.term_add',
  'resource_note.hide',
  'resource_note.unhide',
  'resource_note.approve',
  'resource_note.delete',
  'message.unsend',
] as const;

export function actionLabelKey(action: string): string {
  return (knownActions as readonly string[]).includes(action)
    ? `moderation.action.${action.replaceAll('.', '_')}`
    : 'moderation.action.other';
}

/**
 * A page of the moderation log, newest first. With `groupId`: that group's log, for those who may
 * read it (anyone else: 404). Without: everything for instance moderators and administrators; for a
 * member, the logs of the groups they belong to and may read.
 */
export async function listLog(
  ctx: ServiceContext,
  actor: Member,
  input: { groupId?: string | undefined; after?: string | undefined },
): Promise<LogPage> {
  let query = ctx.db
    .selectFrom('moderation_log as l')
    .leftJoin('users as a', 'a.id', 'l.actor_id')
    .leftJoin('users as t', 't.id', 'l.target_user_id')
    .select([
      'l.id',
      'l.group_id',
      'l.actor_id',
      'l.action',
      'l.target_type',
      'l.target_id',
      'l.reason',
      'l.created_at',
      'a.username as actor_name',
      't.username as target_name',
    ]);
  if (input.groupId !== undefined) {
    const group = await findGroup(ctx.db, input.groupId);
    if (!group) throw notFound();
    const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
    if (!canReadGroupLog(viewer, group)) throw notFound();
    query = query.where('l.group_id', '=', group.id);
  } else if (!canReadInstanceLog(actor)) {
    const memberships = await ctx.db
      .selectFrom('group_members')
      .select('group_id')
      .where('user_id', '=', actor.id)
      .execute();
    const access = await groupAccessOf(
      ctx.db,
      actor,
      memberships.map((m) => m.group_id),
      ctx.keys.anonymity,
    );
    const readable = [...access.values()].filter((a) => canReadGroupLog(a.viewer, a.group)).map((a) => a.group.id);
    if (readable.length === 0) return { entries: [], next: null };
    query = query.where('l.group_id', 'in', readable);
  }
  const key = decodeCursor(input.after);
  if (key) query = query.where(afterKeyset({ at: 'l.created_at', id: 'l.id' }, key, { at: 'desc', id: 'desc' }));
  const rows = await query
    .orderBy('l.created_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const next = rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null;
  return { entries: await present(ctx, actor, page), next };
}

interface Row {
  id: string;
  group_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  reason: string | null;
  created_at: number;
  actor_name: string | null;
  target_name: string | null;
}

/** The reader's rights per group, the links they may follow, and the names they may see: a few queries a page. */
async function present(ctx: ServiceContext, actor: Member, rows: Row[]): Promise<LogEntry[]> {
  const groupIds = [...new Set(rows.flatMap((r) => (r.group_id ? [r.group_id] : [])))];
  const access = await groupAccessOf(ctx.db, actor, groupIds, ctx.keys.anonymity);
  const moderators = groupIds.length
    ? await ctx.db
        .selectFrom('group_members')
        .select(['group_id', 'user_id'])
        .where('group_id', 'in', groupIds)
        .where('role', 'in', ['owner', 'moderator'])
        .execute()
    : [];
  const moderates = new Set(moderators.map((m) => `${m.group_id}:${m.user_id}`));
  const targets = await targetsOf(ctx, rows);
  const targetAccess = await groupAccessOf(
    ctx.db,
    actor,
    [...targets.values()].map((t) => t.groupId),
    ctx.keys.anonymity,
  );
  return rows.map((r) => {
    const where = r.group_id ? access.get(r.group_id) : undefined;
    const viewer: Viewer | null = where?.viewer ?? null;
    const named =
      r.actor_id !== null &&
      canSeeModeratorName(actor, viewer, { actorModeratesGroup: moderates.has(`${r.group_id}:${r.actor_id}`) });
    const target = r.target_id ? targets.get(`${r.target_type}:${r.target_id}`) : undefined;
    const readable = target ? targetAccess.get(target.groupId) : undefined;
    return {
      id: r.id,
      action: r.action,
      labelKey: actionLabelKey(r.action),
      groupId: r.group_id,
      groupName: where && canSeeGroup(where.viewer, where.group) ? where.group.name : null,
      targetType: r.target_type,
      targetHref:
        target && readable && canReadContent(readable.viewer, readable.group) && target.visible ? target.href : null,
      reason: r.reason,
      createdAt: r.created_at,
      actorName: named ? r.actor_name : null,
      acted: r.actor_id === null ? 'none' : named ? 'named' : 'withheld',
      targetName: r.target_type === 'user' && canSeeTargetName(actor, viewer) ? r.target_name : null,
    };
  });
}

/** Posts and threads the rows point at, with the group that decides who may follow the link. */
async function targetsOf(
  ctx: ServiceContext,
  rows: Row[],
): Promise<Map<string, { groupId: string; href: string; visible: boolean }>> {
  const out = new Map<string, { groupId: string; href: string; visible: boolean }>();
  const postIds = rows.filter((r) => r.target_type === 'post' && r.target_id).map((r) => r.target_id!);
  const threadIds = rows.filter((r) => r.target_type === 'thread' && r.target_id).map((r) => r.target_id!);
  if (postIds.length) {
    const posts = await ctx.db
      .selectFrom('posts')
      .select(['id', 'group_id', 'deleted'])
      .where('id', 'in', [...new Set(postIds)])
      .execute();
    for (const p of posts)
      out.set(`post:${p.id}`, { groupId: p.group_id, href: `/posts/${p.id}`, visible: p.deleted === 0 });
  }
  if (threadIds.length) {
    const threads = await ctx.db
      .selectFrom('threads')
      .select(['id', 'group_id'])
      .where('id', 'in', [...new Set(threadIds)])
      .execute();
    for (const t of threads)
      out.set(`thread:${t.id}`, { groupId: t.group_id, href: `/threads/${t.id}`, visible: true });
  }
  return out;
}
