// What other features may use of invite codes; the rest is internal.
export { canMakeInvites } from './policy.js';
export {
  consumeInvite,
  createInvite,
  inviteLimits,
  type InviteSummary,
  isInviteUsable,
  listInvites,
  redeemInvite,
  registerInviteUrl,
  revokeInvite,
  usableInviteId,
} from './service.js';
