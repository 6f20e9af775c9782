import type { ServiceContext } from '../../../app-context.js';
import { forbidden } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { loadReadableGroup, loadThread } from './internal/load.js';
import { canWatch } from '../../groups/public.js';

export async function setThreadWatch(ctx: ServiceContext, actor: Member, threadId: string, on: boolean): Promise<void> {
  const { viewer } = await loadThread(ctx, actor, threadId);
  if (!canWatch(viewer) && on) throw forbidden();
  if (on)
    await ctx.db
      .insertInto('thread_watches')
      .values({ user_id: actor.id, thread_id: threadId })
      .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doNothing())
      .execute();
  else
    await ctx.db
      .deleteFrom('thread_watches')
      .where('user_id', '=', actor.id)
      .where('thread_id', '=', threadId)
      .execute();
}

export async function setGroupWatch(ctx: ServiceContext, actor: Member, groupId: string, on: boolean): Promise<void> {
  const { viewer } = await loadReadableGroup(ctx, actor, groupId);
  if (!canWatch(viewer) && on) throw forbidden();
  if (on)
    await ctx.db
      .insertInto('group_watches')
      .values({ user_id: actor.id, group_id: groupId })
      .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
      .execute();
  else
    await ctx.db.deleteFrom('group_watches').where('user_id', '=', actor.id).where('group_id', '=', groupId).execute();
}
