import type { ServiceContext } from '../../app-context.js';
import { inTransaction } from '../../db/database.js';
import type { Role, TrustLevel } from '../../db/schema.js';
import { recordEvent } from '../../events/outbox.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { openCase, recordModeration, resolveCase } from '../../platform/moderation.js';
import type { Member } from '../../security/actor.js';
import { withoutBidiControls } from '../../security/bidi.js';
import { canFreezeAccount, canReviewAccount } from './policy.js';

// Suspected infiltrators and taken-over accounts (ADR 0051). A frozen account keeps reading, so
// nothing changes for whoever holds it until they try to write; every write is refused in one
// place (src/http/frozen.ts). Others no longer see it where the account is shown by name. Its case
// goes to the moderation queue. It is not told: `targetUserId` is null, so no notice is sent that
// would warn an infiltrator, and the log's target id keeps who it was.

export const freezeLimits = { reasonMax: 500 } as const;

export interface AccountReview {
  id: string;
  username: string;
  role: Role;
  joinedAt: number;
  trust: TrustLevel;
  frozen: boolean;
  invitesFrozen: boolean;
  invitedBy: { id: string; username: string } | null;
  canFreeze: boolean;
}

export async function reviewAccount(ctx: ServiceContext, actor: Member, userId: string): Promise<AccountReview> {
  if (!canReviewAccount(actor)) throw notFound();
  const row = await ctx.db
    .selectFrom('users')
    .leftJoin('users as inviter', 'inviter.id', 'users.invited_by')
    .select([
      'users.id',
      'users.username',
      'users.role',
      'users.created_at',
      'users.trust_level',
      'users.frozen_at',
      'users.invites_frozen_at',
      'inviter.id as inviterId',
      'inviter.username as inviterName',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    joinedAt: row.created_at,
    trust: row.trust_level,
    frozen: row.frozen_at !== null,
    invitesFrozen: row.invites_frozen_at !== null,
    invitedBy: row.inviterId && row.inviterName ? { id: row.inviterId, username: row.inviterName } : null,
    canFreeze: canFreezeAccount(actor, { id: row.id, role: row.role }),
  };
}

function cleanReason(reason: string | undefined): string {
  const clean = withoutBidiControls(reason ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) throw invalid([{ field: 'reason', message: 'vetting.reasonRequired' }]);
  if (clean.length > freezeLimits.reasonMax)
    throw invalid([{ field: 'reason', message: 'vetting.reasonTooLong', values: { max: freezeLimits.reasonMax } }]);
  return clean;
}

/** Freezes or unfreezes an account, logged with its reason in the same transaction. */
export async function setAccountFrozen(
  ctx: ServiceContext,
  actor: Member,
  input: { userId: string; frozen: boolean; reason?: string | undefined },
): Promise<void> {
  if (!canReviewAccount(actor)) throw notFound();
  const reason = cleanReason(input.reason);
  await inTransaction(ctx.db, async (trx) => {
    const target = await trx
      .selectFrom('users')
      .select(['id', 'role', 'frozen_at'])
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!target) throw notFound();
    if (!canFreezeAccount(actor, target)) throw new AppError('forbidden', 'error.forbidden');
    if ((target.frozen_at !== null) === input.frozen) return;
    await trx
      .updateTable('users')
      .set({ frozen_at: input.frozen ? ctx.now : null })
      .where('id', '=', target.id)
      .execute();
    let caseId: string | null;
    if (input.frozen) {
      caseId = (
        await openCase(trx, {
          targetType: 'user',
          targetId: target.id,
          groupId: null,
          reason: 'frozen',
          reporterId: null,
          now: ctx.now,
        })
      ).caseId;
      // Chat (issue 13) will tell the partners of the account's recent private conversations.
      await recordEvent(trx, 'account.frozen', { userId: target.id }, ctx.now);
    } else {
      caseId = await resolveCase(trx, { targetType: 'user', targetId: target.id }, ctx.now);
    }
    await recordModeration(trx, {
      actorId: actor.id,
      action: input.frozen ? 'user.freeze' : 'user.unfreeze',
      targetType: 'user',
      targetId: target.id,
      targetUserId: null,
      reason,
      caseId,
      now: ctx.now,
    });
  });
}
