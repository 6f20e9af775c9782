import type { EventSubscriber } from '../../events/types.js';
import { notify } from '../notifications/public.js';

/**
 * Tells the member a row of the moderation log was about (ADR 0049), after the action's commit. The
 * notification holds the row's id only; no group in its context, so being removed from the group
 * does not take the notice (and the way to appeal) along. A suspended member reads it when they can
 * sign in again: it waits.
 */
export const moderationSubscribers: EventSubscriber[] = [
  {
    name: 'notify-member-of-moderation',
    events: ['moderation.logged'],
    async handle(ctx, event) {
      if (event.type !== 'moderation.logged') return;
      const { logId, userId } = event.payload;
      const row = await ctx.db
        .selectFrom('moderation_log')
        .select('id')
        .where('id', '=', logId)
        .where('target_user_id', '=', userId)
        .executeTakeFirst();
      if (!row) return;
      await notify(ctx.db, { userIds: [userId], kind: 'moderation_action', subjectId: logId, now: event.occurredAt });
    },
  },
];
