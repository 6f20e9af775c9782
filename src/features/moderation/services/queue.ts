import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';
import type { ModerationTargetType } from '../../../db/schema.js';
import { notFound } from '../../../platform/errors.js';
import type { CaseReason } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { excerpt } from '../../discussions/public.js';
import { groupsBannedAnonymously } from '../../groups/public.js';
import { actionFits, canAct, canUseQueue, moderationActions, seesEveryCase, type ModerationAction } from '../policy.js';
import { loadTarget, type Target } from './target.js';

/** The queue shows this many cases at most, the most urgent first: enough to work through at a sitting. */
export const queueSize = 100;

export interface QueueItem {
  id: string;
  targetType: ModerationTargetType;
  targetId: string;
  groupId: string | null;
  /** The group's name, where the caller may see the group. */
  groupName: string | null;
  priority: number;
  reasons: { reason: CaseReason; count: number }[];
  reportCount: number;
  /** What reporters wrote, oldest first, never who wrote it. */
  notes: string[];
  openedAt: number;
  /** A few words of the post or note (a thread: its title; a listing: its name), only where the caller may read it. */
  excerpt: string | null;
  /** Where the caller may read the post or thread; null where they may not. */
  threadId: string | null;
  /** Where the caller reads what was reported (a post, a thread, a listing, a note); null where they may not. */
  href: string | null;
  /** Hidden (or held for approval) from its readers; null where it is not a post, thread or note. */
  hidden: boolean | null;
  /** What the caller may do about it, from the policies. */
  actions: ModerationAction[];
}

/** Where the caller reads a case's target, if they may. */
function hrefOf(target: Target | null, threadId: string | null): string | null {
  if (!target?.readable) return null;
  if (target.targetType === 'post' && threadId) return `/posts/${encodeURIComponent(target.targetId)}`;
  if (target.targetType === 'thread' && threadId) return `/threads/${encodeURIComponent(threadId)}`;
  if (target.targetType === 'resource') return `/resources/${encodeURIComponent(target.targetId)}`;
  if (target.note)
    return `/resources/${encodeURIComponent(target.note.serviceId)}/notes#note-${encodeURIComponent(target.note.id)}`;
  return null;
}

/**
 * The groups whose cases a member sees: those they moderate and still take part in (not banned by
 * name, nor through an anonymous post unless they own it).
 */
export async function moderatedGroupIds(ctx: ServiceContext, db: DbOrTx, actor: Member): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members as m')
    .leftJoin('group_bans as b', (join) =>
      join.onRef('b.group_id', '=', 'm.group_id').onRef('b.user_id', '=', 'm.user_id'),
    )
    .select(['m.group_id', 'm.role'])
    .where('m.user_id', '=', actor.id)
    .where('m.role', 'in', ['owner', 'moderator'])
    .where('b.user_id', 'is', null)
    .execute();
  const bannedAnonymously = await groupsBannedAnonymously(
    db,
    ctx.keys.anonymity,
    actor.id,
    rows.map((r) => r.group_id),
  );
  return rows.filter((r) => r.role === 'owner' || !bannedAnonymously.has(r.group_id)).map((r) => r.group_id);
}

/** Whether the member sees a moderation queue at all (the navigation asks on every page). */
export async function usesQueue(ctx: ServiceContext, actor: Member): Promise<boolean> {
  if (canUseQueue(actor, false)) return true;
  return canUseQueue(actor, (await moderatedGroupIds(ctx, ctx.db, actor)).length > 0);
}

/**
 * The open cases the caller moderates, most urgent first, then oldest first: the instance's
 * moderators see every case, a group's moderators their groups' cases. Anyone else has no queue (404).
 */
export async function listQueue(ctx: ServiceContext, actor: Member): Promise<QueueItem[]> {
  const everyCase = seesEveryCase(actor);
  const groupIds = everyCase ? [] : await moderatedGroupIds(ctx, ctx.db, actor);
  if (!canUseQueue(actor, groupIds.length > 0)) throw notFound();
  let query = ctx.db
    .selectFrom('moderation_cases')
    .select(['id', 'target_type', 'target_id', 'group_id', 'priority', 'opened_at'])
    .where('status', '=', 'open');
  if (!everyCase) query = query.where('group_id', 'in', groupIds);
  const cases = await query.orderBy('priority').orderBy('opened_at').orderBy('id').limit(queueSize).execute();
  if (cases.length === 0) return [];
  const caseIds = cases.map((c) => c.id);
  const [counts, notes] = await Promise.all([
    ctx.db
      .selectFrom('reports')
      .select(['case_id', 'reason', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('case_id', 'in', caseIds)
      .groupBy(['case_id', 'reason'])
      .orderBy('case_id')
      .orderBy('reason')
      .execute(),
    ctx.db
      .selectFrom('reports')
      .select(['case_id', 'note'])
      .where('case_id', 'in', caseIds)
      .where('note', 'is not', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const items: QueueItem[] = [];
  for (const c of cases) {
    const target = await loadTarget(ctx, actor, c.target_type, c.target_id, c.group_id);
    // Reports about the caller's own words or account go to the other moderators.
    if (target?.aboutActor) continue;
    const reasons = counts
      .filter((r) => r.case_id === c.id)
      .map((r) => ({ reason: r.reason as CaseReason, count: Number(r.count) }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    const readable = target?.readable === true && target.post !== null && !target.post.deleted;
    const threadId = readable ? (target.post?.threadId ?? null) : null;
    const actions = target
      ? moderationActions.filter(
          (action) =>
            canAct({
              actor,
              action,
              targetType: target.targetType,
              actorGroupRole: target.actorGroupRole,
              inGroup: target.group !== null,
              affected: target.affected,
            }) && actionFits(action, target.targetType, target.affected !== null, target.group !== null),
        )
      : // Gone since it was reported: the case can only be closed.
        (['dismiss'] as ModerationAction[]);
    items.push({
      id: c.id,
      targetType: c.target_type,
      targetId: c.target_id,
      groupId: c.group_id,
      groupName: target?.group && target.viewer && target.readable ? target.group.name : null,
      priority: c.priority,
      reasons,
      reportCount: reasons.reduce((sum, r) => sum + r.count, 0),
      notes: notes.filter((n) => n.case_id === c.id && n.note).map((n) => n.note as string),
      openedAt: c.opened_at,
      excerpt: readable
        ? (target.title ?? excerpt(target.post?.body ?? ''))
        : target?.readable && target.note
          ? excerpt(target.note.body)
          : target?.readable && target.targetType === 'resource'
            ? target.title
            : null,
      threadId,
      href: hrefOf(target, threadId),
      hidden: target?.post ? target.post.hidden : target?.note ? target.note.hidden : null,
      actions,
    });
  }
  return items;
}
