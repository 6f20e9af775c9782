import type { ServiceContext } from '../../app-context.js';

/** Account deletion: the log's rows and decided appeals stay; the account is no longer named in them. */
export async function eraseModerationRecordsOf(ctx: ServiceContext, userId: string): Promise<void> {
  await ctx.db.updateTable('moderation_log').set({ actor_id: null }).where('actor_id', '=', userId).execute();
  await ctx.db
    .updateTable('moderation_log')
    .set({ target_user_id: null })
    .where('target_user_id', '=', userId)
    .execute();
  await ctx.db.updateTable('appeals').set({ decided_by: null }).where('decided_by', '=', userId).execute();
  await ctx.db.updateTable('reveal_requests').set({ decided_by: null }).where('decided_by', '=', userId).execute();
}
