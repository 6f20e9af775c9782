import type { ServiceContext } from '../../../app-context.js';
import type { ChatLimits } from './model.js';

export const chatLimitsKey = 'chat_limits';

/** The instance's chat limits (`settings` row `chat_limits`, JSON); none by default. */
export async function getChatLimits(ctx: Pick<ServiceContext, 'db'>): Promise<ChatLimits> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', chatLimitsKey).executeTakeFirst();
  if (!row) return { maxTimerSeconds: null, retentionDays: null };
  try {
    const parsed = JSON.parse(row.value) as Partial<ChatLimits>;
    const positive = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null);
    return { maxTimerSeconds: positive(parsed.maxTimerSeconds), retentionDays: positive(parsed.retentionDays) };
  } catch {
    return { maxTimerSeconds: null, retentionDays: null };
  }
}
