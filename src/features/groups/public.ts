// What other features may use of groups: the rules, loading a group and the viewer's relation to it, bans.
export {
  abilitiesFor,
  canDeletePost,
  canEditPost,
  canHidePost,
  canLockThread,
  canPinThread,
  canModerate,
  canModerateAsGroupModerator,
  canPost,
  canPostAnonymously,
  canReachModeration,
  canReact,
  canReply,
  canReadContent,
  canRemoveMember,
  canSeeGroup,
  canWatch,
  type GroupAbilities,
  type GroupFacts,
  type Viewer,
} from './policy.js';
export {
  findGroup,
  type Group,
  groupAccessOf,
  groupsBannedAnonymously,
  readableGroupIds,
  viewerOf,
} from './queries.js';
export { banFromGroup, banUser, loadGroup } from './service.js';
// Appeals (moderation) lift a group ban that a moderator overturned.
export { liftGroupBan } from './services/bans.js';
