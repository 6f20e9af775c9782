import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import type { ModerationTargetType } from '../../../db/schema.js';
import { invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { openCase, reportReasons, type ReportReason } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { loadTarget, type Target } from './target.js';
import { cleanNote, moderationLimits } from './validate.js';

export interface ReportInput {
  targetType: ModerationTargetType;
  targetId: string;
  reason: string;
  note?: string | null | undefined;
}

const isReason = (value: unknown): value is ReportReason => (reportReasons as readonly unknown[]).includes(value);

/**
 * What a member may report: something they can read now. A post or thread gone (deleted) or hidden
 * from them is answered as missing, like every denied read.
 */
export async function reportableTarget(
  ctx: ServiceContext,
  actor: Member,
  targetType: ModerationTargetType,
  targetId: string,
): Promise<Target> {
  const target = await loadTarget(ctx, actor, targetType, targetId);
  if (!target?.readable) throw notFound();
  if (target.post && (target.post.deleted || target.post.hidden)) throw notFound();
  if (target.note?.hidden) throw notFound();
  return target;
}

/**
 * Files a member's report into the one open case about its target (ADR 0047, 0048). The case sits
 * in the queue of the group the target lies in (posts, threads); a report about an account, a
 * whole group, or the directory's listings and notes goes to the instance's moderators alone. Nothing of who reported ever reaches the
 * reported member, nor the queue: moderators see reasons, counts and notes.
 */
export async function fileReport(ctx: ServiceContext, actor: Member, input: ReportInput): Promise<void> {
  const errors: FieldError[] = [];
  const note = cleanNote(input.note);
  if (!isReason(input.reason)) errors.push({ field: 'reason', message: 'moderation.report.reasonRequired' });
  else if (input.reason === 'other' && !note) errors.push({ field: 'note', message: 'moderation.report.noteRequired' });
  if (note.length > moderationLimits.noteMax)
    errors.push({ field: 'note', message: 'moderation.report.noteLength', values: { max: moderationLimits.noteMax } });
  const target = await reportableTarget(ctx, actor, input.targetType, input.targetId);
  if (errors.length) throw invalid(errors);
  const groupId = target.targetType === 'post' || target.targetType === 'thread' ? (target.group?.id ?? null) : null;
  await inTransaction(ctx.db, (trx) =>
    openCase(trx, {
      targetType: input.targetType,
      targetId: input.targetId,
      groupId,
      reason: input.reason as ReportReason,
      reporterId: actor.id,
      note: note || null,
      now: ctx.now,
    }),
  );
}
