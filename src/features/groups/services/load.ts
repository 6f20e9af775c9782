import type { ServiceContext } from '../../../app-context.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import type { Actor } from '../../../security/actor.js';
import { canModerate, canReachModeration, canSeeGroup } from '../policy.js';
import { findGroup, viewerOf, type Group } from '../queries.js';
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

/**
 * The group a moderation page (members, requests, bans) is about, for whoever may reach its
 * moderation: what the page then lists checks the rest. Staff see a hidden group's name here.
 */
export async function loadGroupForModerationPage(ctx: ServiceContext, actor: Actor, groupId: string): Promise<Group> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canReachModeration(viewer, group)) throw notFound();
  return group;
}

/**
 * A group for its moderation pages and actions. Instance moderators reach any group here by id,
 * hidden ones included, and nothing else of it (ADR 0032); anyone who may not moderate it is answered
 * as `loadGroup` would (a group they cannot see does not exist; one they can see refuses them).
 */
export async function loadGroupToModerate(
  ctx: ServiceContext,
  actor: Actor,
  groupId: string,
  denied: () => Error = forbidden,
): Promise<GroupWithViewer> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canReachModeration(viewer, group)) throw notFound();
  if (!canModerate(viewer)) throw canSeeGroup(viewer, group) ? denied() : notFound();
  return { group, viewer, banned: viewer.banned };
}
