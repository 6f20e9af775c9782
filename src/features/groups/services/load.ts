import type { ServiceContext } from '../../../app-context.js';
import { notFound } from '../../../http/errors.js';
import type { Actor } from '../../../security/actor.js';
import { canSeeGroup } from '../policy.js';
import { findGroup, viewerOf } from '../queries.js';
import type { GroupWithViewer } from './model.js';

/** A group as the actor may see it; a group they may not see does not exist for them. */
export async function loadGroup(ctx: ServiceContext, actor: Actor, groupId: string): Promise<GroupWithViewer> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canSeeGroup(viewer, group)) throw notFound();
  // Someone who left after a ban through their anonymous post is as banned as anyone banned by name.
  return { group, viewer, banned: viewer.banned || (viewer.membership === null && viewer.anonymousBan === true) };
}
