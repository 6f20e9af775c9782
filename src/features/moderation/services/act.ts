import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import type { ModerationTargetType } from '../../../db/schema.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { recordModeration, settleCases } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { sessionsRevoked } from '../../../security/sessions.js';
import { banPostAuthor, deletePost, setPostHidden } from '../../discussions/public.js';
import { banFromGroup } from '../../groups/public.js';
import { deleteNoteAsModerator, setNoteHidden } from '../../resources/public.js';
import { actionFits, canAct, moderationActions, seesEveryCase, type ModerationAction } from '../policy.js';
import { moderatedGroupIds } from './queue.js';
import { loadTarget, type Target } from './target.js';
import { cleanLine, moderationLimits } from './validate.js';

export interface ActInput {
  action: string;
  targetType: ModerationTargetType;
  targetId: string;
  reason?: string | undefined;
  /** The case acted on, or one of its reports. */
  reportId?: string | undefined;
  /** How long a mute or a suspension lasts. */
  hours?: number | undefined;
}

/** An instance ban: suspended with no end (ADR 0048). */
export const bannedUntil = Number.MAX_SAFE_INTEGER;
const hourMs = 3_600_000;

const isAction = (value: unknown): value is ModerationAction =>
  (moderationActions as readonly unknown[]).includes(value);

interface OpenCase {
  id: string;
  groupId: string | null;
  targetType: ModerationTargetType;
  targetId: string;
}

/**
 * The case a moderator names, by its id or one of its reports'. A case in a group the actor does
 * not moderate does not exist for them; a closed one refuses (409): someone acted on it already.
 */
async function caseNamed(ctx: ServiceContext, actor: Member, reportId: string): Promise<OpenCase> {
  const direct = await ctx.db
    .selectFrom('moderation_cases')
    .select(['id', 'group_id', 'status', 'target_type', 'target_id'])
    .where('id', '=', reportId)
    .executeTakeFirst();
  const row =
    direct ??
    (await ctx.db
      .selectFrom('reports as r')
      .innerJoin('moderation_cases as c', 'c.id', 'r.case_id')
      .select(['c.id', 'c.group_id', 'c.status', 'c.target_type', 'c.target_id'])
      .where('r.id', '=', reportId)
      .executeTakeFirst());
  if (!row) throw notFound();
  if (!seesEveryCase(actor)) {
    const mine = await moderatedGroupIds(ctx, ctx.db, actor);
    if (row.group_id === null || !mine.includes(row.group_id)) throw notFound();
  }
  // A case about the actor's own words or account is the other moderators' (its reports would name
  // who reported them): it does not exist for them.
  if ((await loadTarget(ctx, actor, row.target_type, row.target_id, row.group_id))?.aboutActor) throw notFound();
  if (row.status !== 'open') throw new AppError('conflict', 'moderation.act.closed');
  return { id: row.id, groupId: row.group_id, targetType: row.target_type, targetId: row.target_id };
}

/**
 * The group an account is weighed in when a case is named: only where the account is the case's
 * own target or the named author of the post or thread it is about. Any other account named with a
 * group's case would otherwise let that group's moderators warn or ban anyone on the instance.
 */
async function caseGroupFor(
  ctx: ServiceContext,
  named: OpenCase | null,
  input: Pick<ActInput, 'targetType' | 'targetId'>,
): Promise<string | null> {
  if (!named?.groupId) return null;
  if (input.targetType !== 'user') return named.groupId;
  if (named.targetType === 'user') return named.targetId === input.targetId ? named.groupId : null;
  const post =
    named.targetType === 'post'
      ? await ctx.db
          .selectFrom('posts')
          .select(['author_id', 'anonymous'])
          .where('id', '=', named.targetId)
          .executeTakeFirst()
      : named.targetType === 'thread'
        ? await ctx.db
            .selectFrom('threads as t')
            .innerJoin('posts as p', 'p.id', 't.opening_post_id')
            .select(['p.author_id', 'p.anonymous'])
            .where('t.id', '=', named.targetId)
            .executeTakeFirst()
        : undefined;
  return post && post.anonymous === 0 && post.author_id === input.targetId ? named.groupId : null;
}

function validate(input: ActInput, errors: FieldError[]): { action: ModerationAction; reason: string; hours: number } {
  const reason = cleanLine(input.reason);
  if (!isAction(input.action)) errors.push({ field: 'action', message: 'moderation.act.actionRequired' });
  if (!reason) errors.push({ field: 'reason', message: 'moderation.act.reasonRequired' });
  else if (reason.length > moderationLimits.reasonMax)
    errors.push({
      field: 'reason',
      message: 'moderation.act.reasonLength',
      values: { max: moderationLimits.reasonMax },
    });
  const timed = input.action === 'mute' || input.action === 'suspend';
  const hours = input.hours ?? 0;
  if (timed && (!Number.isInteger(hours) || hours < 1 || hours > moderationLimits.hoursMax))
    errors.push({ field: 'hours', message: 'moderation.act.hours', values: { max: moderationLimits.hoursMax } });
  return { action: input.action as ModerationAction, reason, hours };
}

/**
 * One moderation action from the queue or the API (ADR 0048). Content actions go through the
 * discussions, groups and resources services, which write the log's row and close the case in their own
 * transaction; actions on accounts are done here, the same way. Refusals: something the actor
 * cannot see is missing (404), something they see but may not act on is forbidden (403), an action
 * that does not fit its target is invalid (422).
 */
export async function act(ctx: ServiceContext, actor: Member, input: ActInput): Promise<void> {
  const errors: FieldError[] = [];
  const { action, reason, hours } = validate(input, errors);
  const named = input.reportId ? await caseNamed(ctx, actor, input.reportId) : null;
  const target = await loadTarget(ctx, actor, input.targetType, input.targetId, await caseGroupFor(ctx, named, input));
  // What was reported may be gone since: its case can still be dismissed.
  if (!target && named && action === 'dismiss' && !errors.length) return dismiss(ctx, actor, named, null, reason);
  if (!target?.visible) throw notFound();
  // Nobody closes the reports about themself.
  if (target.aboutActor && action === 'dismiss') throw notFound();
  if (errors.length) throw invalid(errors);
  const facts = {
    actor,
    action,
    targetType: target.targetType,
    actorGroupRole: target.actorGroupRole,
    inGroup: target.group !== null,
    affected: target.affected,
  };
  if (!canAct(facts)) throw forbidden();
  if (!actionFits(action, target.targetType, target.affected !== null, target.group !== null))
    throw invalid([{ field: 'action', message: 'moderation.act.doesNotFit' }]);
  const note = { reason, caseId: named?.id ?? null };
  const asThread = target.targetType === 'thread';
  // A note on a listing (ADR 0059): hidden, shown again or deleted through the directory.
  if (target.note && (action === 'hide' || action === 'approve'))
    return setNoteHidden(ctx, actor, target.note.id, action === 'hide', { ...note, approve: action === 'approve' });
  if (target.note && action === 'delete') return deleteNoteAsModerator(ctx, actor, target.note.id, note);
  switch (action) {
    case 'hide':
    case 'approve':
      if (!target.post || target.post.deleted) throw new AppError('conflict', 'moderation.act.gone');
      return setPostHidden(ctx, actor, target.post.id, action === 'hide', {
        ...note,
        asThread,
        approve: action === 'approve',
      });
    case 'delete':
      if (!target.post || target.post.deleted) throw new AppError('conflict', 'moderation.act.gone');
      await deletePost(ctx, actor, target.post.id, { ...note, asThread });
      return;
    case 'ban_group':
      if (target.post) return banPostAuthor(ctx, actor, target.post.id, note);
      return banFromGroup(ctx, actor, target.group?.id ?? '', target.targetId, note);
    case 'dismiss':
      return dismiss(ctx, actor, named, target, reason);
    default:
      return actOnAccount(ctx, actor, action, target, { reason, hours, caseId: note.caseId });
  }
}

/** Warning, muting, suspending or banning an account from the instance, logged in the same transaction. */
async function actOnAccount(
  ctx: ServiceContext,
  actor: Member,
  action: 'warn' | 'mute' | 'suspend' | 'ban',
  target: Target,
  note: { reason: string; hours: number; caseId: string | null },
): Promise<void> {
  const userId = target.affected?.userId;
  if (!userId) throw invalid([{ field: 'action', message: 'moderation.act.doesNotFit' }]);
  const until = action === 'ban' ? bannedUntil : ctx.now + note.hours * hourMs;
  await inTransaction(ctx.db, async (trx) => {
    if (action === 'mute')
      await trx.updateTable('users').set({ muted_until: until }).where('id', '=', userId).execute();
    if (action === 'suspend' || action === 'ban')
      await trx.updateTable('users').set({ suspended_until: until }).where('id', '=', userId).execute();
    if (action === 'ban') {
      // A ban ends every session now; a suspension leaves them, to sign back in when it is over.
      const ended = await trx.deleteFrom('sessions').where('user_id', '=', userId).returning('id').execute();
      await sessionsRevoked(trx, userId, ended, 'revoked', ctx.now);
    }
    const caseId = await settleCases(trx, { targetType: target.targetType, targetId: target.targetId }, note, ctx.now);
    // Two moderators answering one case at once: the first acts, the second is told (and undone).
    if (note.caseId && !caseId) throw new AppError('conflict', 'moderation.act.closed');
    await recordModeration(trx, {
      actorId: actor.id,
      action: `user.${action}`,
      // A warning given in a group is that group's; muting, suspending and banning are the instance's.
      groupId: action === 'warn' ? (target.group?.id ?? null) : null,
      targetType: 'user',
      targetId: userId,
      targetUserId: userId,
      reason: note.reason,
      detail: {
        ...(action === 'mute' || action === 'suspend' ? { hours: note.hours } : {}),
        ...(target.targetType === 'post' || target.targetType === 'thread'
          ? { [`${target.targetType}Id`]: target.targetId }
          : {}),
      },
      caseId,
      now: ctx.now,
    });
  });
}

/** Closing a case without acting on its target: the log keeps who decided and why, in the case's group. */
async function dismiss(
  ctx: ServiceContext,
  actor: Member,
  named: OpenCase | null,
  target: Target | null,
  reason: string,
): Promise<void> {
  const open =
    named ??
    (target
      ? await ctx.db
          .selectFrom('moderation_cases')
          .select(['id', 'group_id as groupId', 'target_type as targetType', 'target_id as targetId'])
          .where('target_type', '=', target.targetType)
          .where('target_id', '=', target.targetId)
          .where('status', '=', 'open')
          .executeTakeFirst()
      : undefined);
  if (!open) throw new AppError('conflict', 'moderation.act.noCase');
  await inTransaction(ctx.db, async (trx) => {
    const caseId = await settleCases(trx, null, { caseId: open.id }, ctx.now);
    // Someone else closed it a moment ago.
    if (!caseId) throw new AppError('conflict', 'moderation.act.closed');
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'case.dismiss',
      groupId: open.groupId,
      targetType: open.targetType,
      targetId: open.targetId,
      reason,
      caseId: open.id,
      now: ctx.now,
    });
  });
}
