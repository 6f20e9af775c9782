import type { EventSubscriber } from '../../events/types.js';
import { notify } from '../notifications/public.js';

/** Tells a member that a reset code was made for their account: whoever holds it can take the account over. */
export const adminSubscribers: EventSubscriber[] = [
  {
    name: 'notify-member-of-reset-code',
    events: ['reset_code.issued'],
    async handle(ctx, event) {
      if (event.type !== 'reset_code.issued') return;
      await notify(ctx.db, {
        userIds: [event.payload.userId],
        kind: 'reset_code',
        subjectId: null,
        context: {},
        now: event.occurredAt,
      });
    },
  },
];
