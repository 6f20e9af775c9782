import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';
import { recentActivity } from './list-threads.js';
import type { ActivityItem } from './model.js';
import { newSinceLastVisit } from './unread.js';

/**
 * What a member's home shows (the page and `GET /api/v1/me/activity`): threads with posts new to
 * them, then the other recently active threads of their groups, each thread listed once.
 */
export async function homeActivity(
  ctx: ServiceContext,
  actor: Member,
): Promise<{ fresh: ActivityItem[]; recent: ActivityItem[] }> {
  const [fresh, recent] = await Promise.all([newSinceLastVisit(ctx, actor), recentActivity(ctx, actor)]);
  const listedAsNew = new Set(fresh.map((thread) => thread.id));
  return { fresh, recent: recent.filter((thread) => !listedAsNew.has(thread.id)) };
}
