import type { GroupRole, Role } from '../../db/schema.js';
import type { Actor } from '../../security/actor.js';
import { isInstanceModerator, outranks } from '../../security/policy.js';

/**
 * Who may act from the moderation queue (ADR 0048): pure functions of the facts, tested as a matrix
 * (policy.test.ts). The services load the facts, and answer a refusal about something the actor
 * cannot see as a missing record (404), anything else as 403.
 */

export const moderationActions = [
  'hide',
  'delete',
  'approve',
  'warn',
  'mute',
  'suspend',
  'ban_group',
  'ban',
  'dismiss',
] as const;
export type ModerationAction = (typeof moderationActions)[number];

/** What only the instance's moderators and administrators do: they reach beyond one group. */
const instanceActions: readonly ModerationAction[] = ['mute', 'suspend', 'ban'];

/** `resource` is a listing of the directory, `resource_note` a member's note on one (ADR 0059). */
export type ActTargetType = 'post' | 'thread' | 'user' | 'group' | 'resource' | 'resource_note';

/** The directory's listings and notes are the instance's, never a group's (ADR 0053, 0059). */
const inDirectory = (type: ActTargetType) => type === 'resource' || type === 'resource_note';

/** The actor acted on: the member an action affects, as the outrank rule sees them. */
export interface AffectedMember {
  userId: string;
  /** Their role in the target's group, if they take part in it. */
  groupRole: GroupRole | null;
  instanceRole: Role;
}

export interface ActFacts {
  actor: Actor;
  action: ModerationAction;
  targetType: ActTargetType;
  /**
   * The actor's role in the group the target lies in (for an account, the group of the case
   * reported in), when they take part in it (not banned); null outside it or without a group.
   */
  actorGroupRole: GroupRole | null;
  /** The target lies in a group (a post, a thread; an account reported in a group's case). */
  inGroup: boolean;
  /**
   * The member the action affects: a named post's or thread's author, the account itself. Null
   * for an anonymous post (its author stays unknown, ADR 0018), and for a group.
   */
  affected: AffectedMember | null;
}

const moderatesTheGroup = (f: ActFacts) =>
  f.inGroup && (f.actorGroupRole === 'owner' || f.actorGroupRole === 'moderator');

/**
 * Whether the actor may take this action on this target. Group moderators act within their group,
 * on its posts, threads and the members met there, and never mute, suspend or ban from the instance;
 * instance moderators and administrators act everywhere. Deleting stays with the group's own
 * moderators (ADR 0032: instance moderators hide, they do not erase a group's words). Nobody acts on
 * themself or on someone standing as high as they do or higher (`outranks`), except to dismiss a
 * case, which changes nothing for anyone. The directory's listings and notes (ADR 0059) are the
 * instance's moderators' alone, who also delete notes there.
 */
export function canAct(f: ActFacts): boolean {
  if (f.actor.kind !== 'user') return false;
  const staff = isInstanceModerator(f.actor);
  const groupModerator = moderatesTheGroup(f);
  if (instanceActions.includes(f.action) && !staff) return false;
  // The directory's notes are nobody's group: its keepers (the instance's moderators) delete them.
  if (f.action === 'delete' && !groupModerator && !(staff && f.targetType === 'resource_note')) return false;
  if (!staff && !groupModerator) return false;
  // A report about a whole group is the instance's to answer, never the group's own moderators'.
  if ((f.targetType === 'group' || inDirectory(f.targetType)) && !staff) return false;
  if (f.action === 'dismiss' || f.affected === null) return true;
  if (f.affected.userId === f.actor.id) return false;
  const standing = { instanceRole: f.actor.role, groupRole: f.actorGroupRole };
  return outranks(standing, { instanceRole: f.affected.instanceRole, groupRole: f.affected.groupRole });
}

/** Which actions fit which target; anything else is refused as invalid input (422), after authorization. */
export function actionFits(
  action: ModerationAction,
  targetType: ActTargetType,
  hasMember: boolean,
  inGroup: boolean,
): boolean {
  switch (action) {
    case 'hide':
    case 'delete':
    case 'approve':
      return targetType === 'post' || targetType === 'thread' || targetType === 'resource_note';
    case 'warn':
    case 'mute':
    case 'suspend':
    case 'ban':
      return hasMember;
    case 'ban_group':
      return inGroup && (targetType === 'post' || hasMember);
    case 'dismiss':
      return true;
  }
}

/**
 * Whether the actor sees anything in the moderation queue, and the navigation links to it: instance
 * moderators always; a member when they moderate at least one group.
 */
export function canUseQueue(actor: Actor, moderatesSomeGroup: boolean): boolean {
  return actor.kind === 'user' && (isInstanceModerator(actor) || moderatesSomeGroup);
}

/** Whether the whole instance's queue is the actor's, or only their groups' cases. */
export function seesEveryCase(actor: Actor): boolean {
  return isInstanceModerator(actor);
}
