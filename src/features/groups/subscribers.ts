import type { EventSubscriber } from '../../events/types.js';
import { notify } from '../notifications/public.js';
import { memberIds, moderatorIds } from './queries.js';

/**
 * Tells a group's moderators of a request to join, and the person who asked of the decision, after
 * the change committed (ADR 0028). What each notification shows is decided when it is read (ADR 0030).
 */
export const groupsSubscribers: EventSubscriber[] = [
  {
    name: 'notify-moderators-of-request',
    events: ['join.requested'],
    async handle(ctx, event) {
      if (event.type !== 'join.requested') return;
      const { groupId } = event.payload;
      // The moderators now, not when the request was made: one removed since is not told.
      const userIds = await moderatorIds(ctx.db, groupId);
      await notify(ctx.db, {
        userIds,
        kind: 'join_request',
        subjectId: groupId,
        context: { groupId },
        now: event.occurredAt,
      });
    },
  },
  {
    name: 'notify-requester-of-decision',
    events: ['join.decided'],
    async handle(ctx, event) {
      if (event.type !== 'join.decided') return;
      const { groupId, userId, decision } = event.payload;
      await notify(ctx.db, {
        userIds: [userId],
        kind: decision === 'approved' ? 'join_approved' : 'join_declined',
        subjectId: groupId,
        context: { groupId },
        now: event.occurredAt,
      });
    },
  },
  {
    // Members learn that more people can now see their group (ADR 0042): who belongs stays hidden,
    // but what they wrote there may now be read by everyone with an account.
    name: 'notify-members-of-visibility-raise',
    events: ['group.visibility_raised'],
    async handle(ctx, event) {
      if (event.type !== 'group.visibility_raised') return;
      const { groupId, actorId } = event.payload;
      // The members now: one who left or was removed since is not told. The owner who chose it is not told either.
      const userIds = (await memberIds(ctx.db, groupId)).filter((id) => id !== actorId);
      await notify(ctx.db, {
        userIds,
        kind: 'group_visibility_raised',
        subjectId: groupId,
        context: { groupId },
        now: event.occurredAt,
      });
    },
  },
];
