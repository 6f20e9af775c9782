import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import type { TrustLevel } from '../../../db/schema.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import { recordModeration } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { isInstanceModerator } from '../../../security/policy.js';
import { newId } from '../../../security/tokens.js';
import { setPostHidden } from '../../discussions/public.js';
import { groupAccessOf, liftGroupBan, viewerOf, type Viewer } from '../../groups/public.js';
import { setNoteHidden } from '../../resources/public.js';
import { canAppeal, canDecideAppeal, canReviewAppeal, canSeeTargetName } from '../log-policy.js';
import { appealLimits } from '../log-schemas.js';
import { actionLabelKey } from './log.js';
import { cleanLine, cleanText } from './text.js';

/**
 * Appeals (ADR 0049): the member a row of the log was about asks, once, that it be reconsidered; a
 * moderator of the same scope other than the one who acted upholds or overturns it. Overturning
 * undoes what can be undone, in the transaction that records the decision in the log.
 */

export async function createAppeal(
  ctx: ServiceContext,
  actor: Member,
  input: { logId: string; body: string },
): Promise<{ id: string }> {
  const row = await ctx.db
    .selectFrom('moderation_log')
    .select(['id', 'action', 'actor_id', 'target_user_id'])
    .where('id', '=', input.logId)
    .executeTakeFirst();
  // Someone else's row is as missing as one that does not exist.
  if (!row || row.target_user_id !== actor.id) throw notFound();
  if (!canAppeal(actor, { action: row.action, actorId: row.actor_id, targetUserId: row.target_user_id }))
    throw new AppError('forbidden', 'moderation.appeal.notAppealable');
  const body = cleanText(input.body);
  if (body.length === 0 || body.length > appealLimits.bodyMax)
    throw invalid([{ field: 'body', message: 'moderation.appeal.bodyLength', values: { max: appealLimits.bodyMax } }]);
  const id = newId();
  const inserted = await ctx.db
    .insertInto('appeals')
    .values({ id, log_id: row.id, user_id: actor.id, body, created_at: ctx.now })
    .onConflict((oc) => oc.column('log_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new AppError('conflict', 'moderation.appeal.already');
  return { id };
}

export interface AppealEntry {
  id: string;
  logId: string;
  action: string;
  labelKey: string;
  groupId: string | null;
  groupName: string | null;
  /** The reason the moderator gave for the action. */
  actionReason: string | null;
  /** The appellant, named only when the row was about their account (never an anonymous post's author). */
  appellantName: string | null;
  body: string;
  createdAt: number;
  actedAt: number;
  /** False when the reader acted on the row themself (or is the appellant): someone else decides. */
  mayDecide: boolean;
}

export interface AppealPage {
  appeals: AppealEntry[];
  next: string | null;
}

const pageSize = 50;

/** Open appeals the reader may review, oldest first: a group's moderators see their group's, the instance's see all. */
export async function listAppeals(
  ctx: ServiceContext,
  actor: Member,
  input: { after?: string | undefined } = {},
): Promise<AppealPage> {
  let query = ctx.db
    .selectFrom('appeals as p')
    .innerJoin('moderation_log as l', 'l.id', 'p.log_id')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select([
      'p.id',
      'p.log_id',
      'p.user_id',
      'p.body',
      'p.created_at',
      'l.action',
      'l.group_id',
      'l.reason',
      'l.actor_id',
      'l.target_type',
      'l.created_at as acted_at',
      'u.username',
    ])
    .where('p.status', '=', 'open');
  if (!isInstanceModerator(actor)) {
    const moderated = await moderatedGroupIds(ctx, actor);
    if (moderated.length === 0) return { appeals: [], next: null };
    query = query.where('l.group_id', 'in', moderated);
  }
  const key = decodeCursor(input.after);
  if (key) query = query.where(afterKeyset({ at: 'p.created_at', id: 'p.id' }, key, { at: 'asc', id: 'asc' }));
  const rows = await query
    .orderBy('p.created_at', 'asc')
    .orderBy('p.id', 'asc')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const access = await groupAccessOf(
    ctx.db,
    actor,
    page.flatMap((r) => (r.group_id ? [r.group_id] : [])),
    ctx.keys.anonymity,
  );
  const last = page.at(-1);
  return {
    appeals: page.map((r) => {
      const viewer = r.group_id ? (access.get(r.group_id)?.viewer ?? null) : null;
      return {
        id: r.id,
        logId: r.log_id,
        action: r.action,
        labelKey: actionLabelKey(r.action),
        groupId: r.group_id,
        groupName: r.group_id ? (access.get(r.group_id)?.group.name ?? null) : null,
        actionReason: r.reason,
        appellantName: r.target_type === 'user' && canSeeTargetName(actor, viewer) ? r.username : null,
        body: r.body,
        createdAt: r.created_at,
        actedAt: r.acted_at,
        mayDecide: canDecideAppeal(actor, viewer, { actorId: r.actor_id, appellantId: r.user_id }),
      };
    }),
    next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** Groups whose moderation the member takes part in (owner or moderator), checked by the policy. */
async function moderatedGroupIds(ctx: ServiceContext, actor: Member): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', actor.id)
    .where('role', 'in', ['owner', 'moderator'])
    .execute();
  const access = await groupAccessOf(
    ctx.db,
    actor,
    rows.map((r) => r.group_id),
    ctx.keys.anonymity,
  );
  return [...access.values()].filter((a) => canReviewAppeal(actor, a.viewer)).map((a) => a.group.id);
}

export interface AppealDecision {
  decision: 'upheld' | 'overturned';
  /** Overturned: whether what was done could be undone (a deleted post cannot be restored). */
  reversed: boolean;
}

export async function decideAppeal(
  ctx: ServiceContext,
  actor: Member,
  appealId: string,
  input: { decision: 'upheld' | 'overturned'; reason: string },
): Promise<AppealDecision> {
  const appeal = await ctx.db
    .selectFrom('appeals as p')
    .innerJoin('moderation_log as l', 'l.id', 'p.log_id')
    .select([
      'p.id',
      'p.user_id',
      'p.status',
      'l.id as log_id',
      'l.action',
      'l.group_id',
      'l.actor_id',
      'l.target_type',
      'l.target_id',
      'l.detail',
    ])
    .where('p.id', '=', appealId)
    .executeTakeFirst();
  if (!appeal) throw notFound();
  const viewer: Viewer | null = appeal.group_id
    ? await viewerOf(ctx.db, actor, appeal.group_id, ctx.keys.anonymity)
    : null;
  if (!canReviewAppeal(actor, viewer)) throw notFound();
  if (!canDecideAppeal(actor, viewer, { actorId: appeal.actor_id, appellantId: appeal.user_id }))
    throw new AppError('forbidden', 'moderation.appeal.sameModerator');
  const reason = cleanLine(input.reason);
  if (reason.length === 0 || reason.length > appealLimits.reasonMax)
    throw invalid([
      { field: 'reason', message: 'moderation.decision.reasonLength', values: { max: appealLimits.reasonMax } },
    ]);
  return inTransaction(ctx.db, async (trx) => {
    // Two moderators deciding at once: the first wins, the second is told it was decided.
    const updated = await trx
      .updateTable('appeals')
      .set({ status: input.decision, decided_by: actor.id, decision_reason: reason, decided_at: ctx.now })
      .where('id', '=', appeal.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('conflict', 'moderation.appeal.decided');
    const reversed =
      input.decision === 'overturned'
        ? await reverse({ ...ctx, db: trx }, actor, appeal, appeal.user_id, reason)
        : false;
    await recordModeration(trx, {
      actorId: actor.id,
      action: `appeal.${input.decision}`,
      groupId: appeal.group_id,
      targetType: 'appeal',
      targetId: appeal.id,
      targetUserId: appeal.user_id,
      reason,
      detail: { logId: appeal.log_id, reversed },
      now: ctx.now,
    });
    return { decision: input.decision, reversed };
  });
}

/**
 * Undoes what an overturned action did, where it can be undone: a hidden post or note is shown again, a mute
 * or a suspension (or an instance ban) is lifted, a group ban is lifted, a lowered trust level goes
 * back to what the row says it was. A deleted post's words are gone (ADR 0014): it cannot be
 * restored, and the decision says so. Anything else is left to the moderator who overturned it.
 */
async function reverse(
  ctx: ServiceContext,
  actor: Member,
  row: { action: string; group_id: string | null; target_id: string | null; detail: string | null },
  userId: string,
  /** The decision's reason, also on the row of the undoing: a member reading the log sees why. */
  reason: string,
): Promise<boolean> {
  switch (row.action) {
    case 'post.hide': {
      if (!row.target_id) return false;
      const post = await ctx.db
        .selectFrom('posts')
        .select(['hidden', 'deleted'])
        .where('id', '=', row.target_id)
        .executeTakeFirst();
      if (!post || post.deleted === 1) return false;
      if (post.hidden === 1) await setPostHidden(ctx, actor, row.target_id, false, { reason });
      return true;
    }
    case 'resource_note.hide': {
      // A note on a listing (ADR 0059) shown again, if it is still there.
      if (!row.target_id) return false;
      const note = await ctx.db
        .selectFrom('resource_notes')
        .select('hidden')
        .where('id', '=', row.target_id)
        .executeTakeFirst();
      if (!note) return false;
      if (note.hidden === 1) await setNoteHidden(ctx, actor, row.target_id, false, { reason });
      return true;
    }
    case 'user.mute':
      await ctx.db.updateTable('users').set({ muted_until: null }).where('id', '=', userId).execute();
      return true;
    case 'user.suspend':
    case 'user.ban':
      await ctx.db.updateTable('users').set({ suspended_until: null }).where('id', '=', userId).execute();
      return true;
    case 'group.ban':
      if (!row.group_id) return false;
      await liftGroupBan(ctx.db, row.group_id, userId);
      return true;
    case 'trust.withdraw': {
      // The level it was lowered from, when the row kept it (`detail.from`); otherwise a moderator
      // sets the level by hand.
      const from = previousLevel(row.detail);
      if (!from) return false;
      await ctx.db.updateTable('users').set({ trust_level: from }).where('id', '=', userId).execute();
      return true;
    }
    default:
      return false;
  }
}

const trustLevels: readonly TrustLevel[] = ['new', 'member', 'trusted'];

function previousLevel(detail: string | null): TrustLevel | null {
  try {
    const from: unknown = detail ? JSON.parse(detail).from : null;
    return trustLevels.find((level) => level === from) ?? null;
  } catch {
    return null;
  }
}
