import type { ServiceContext } from '../../app-context.js';
import { recordAudit } from '../../db/audit.js';
import { forbidden, notFound } from '../../http/errors.js';
import type { Member } from '../../security/actor.js';
import { hashHumanCode, newHumanCode } from '../../security/tokens.js';
import { canIssueResetCode } from './policy.js';

export const resetCodeLifetime = 72 * 60 * 60 * 1000;

/**
 * A one-time code an administrator (or the operator, with no actor) hands to a member who lost
 * their passphrase and recovery codes. Replaces any earlier one; stored hashed.
 */
export async function issueResetCode(ctx: ServiceContext, actor: Member | null, userId: string): Promise<{ code: string; expiresAt: number }> {
  if (actor && !canIssueResetCode(actor)) throw forbidden();
  const user = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound();
  const code = newHumanCode();
  const expiresAt = ctx.now + resetCodeLifetime;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('reset_codes').where('user_id', '=', userId).execute();
    await trx.insertInto('reset_codes').values({ user_id: userId, code_hash: hashHumanCode(code), expires_at: expiresAt }).execute();
    await recordAudit(trx, { actorId: actor?.id ?? null, action: 'user.resetCode', subject: userId, now: ctx.now });
  });
  return { code, expiresAt };
}
