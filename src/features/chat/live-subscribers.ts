import type { EventSubscriber } from '../../events/types.js';

/**
 * Live connections hold the authorization they were given when they subscribed (ADR 0061); these
 * events change it, so every instance closes the connections they name (4401 for ended sessions,
 * 4001 otherwise) and the clients reconnect and are asked afresh. The event has committed already,
 * so the signal goes at once; a repeat after a crash closes nothing that is still open.
 */
export const liveSubscribers: EventSubscriber[] = [
  {
    name: 'liveRecheck',
    events: ['session.revoked', 'member.removed', 'account.frozen', 'member.blocked'],
    async handle(ctx, event) {
      switch (event.type) {
        case 'session.revoked':
          return ctx.signals.send('recheck', { userIds: [], sessionIds: event.payload.sessionIds });
        case 'member.removed':
        case 'account.frozen':
          return ctx.signals.send('recheck', { userIds: [event.payload.userId], sessionIds: [] });
        case 'member.blocked':
          return ctx.signals.send('recheck', {
            userIds: [event.payload.blockerId, event.payload.blockedId],
            sessionIds: [],
          });
        default:
          return;
      }
    },
  },
];
