import type { EventSubscriber } from '../../events/types.js';
import type { ComputedNotices, NotificationKindDefinition } from '../../platform/notification-kinds.js';
import { notify } from '../notifications/public.js';
import { listRequests, recentPartnersOf } from './services/conversations.js';

/**
 * A moderator froze an account as a suspected infiltrator or taken over (ADR 0051). Whoever it
 * talked with privately in the last 30 days is told, neutrally, to take care: the notice names
 * nobody and no conversation, so it tells no one more than they knew, and the frozen account
 * (which is never told) cannot learn of it from its partners' pages (ADR 0063).
 */
export const conversationSubscribers: EventSubscriber[] = [
  {
    name: 'notify-partners-of-frozen-account',
    events: ['account.frozen'],
    async handle(ctx, event) {
      if (event.type !== 'account.frozen') return;
      const { userId } = event.payload;
      // Unfrozen again before this ran: nothing to warn of.
      const user = await ctx.db.selectFrom('users').select('frozen_at').where('id', '=', userId).executeTakeFirst();
      if (!user || user.frozen_at === null) return;
      await notify(ctx.db, {
        userIds: await recentPartnersOf(ctx.db, userId, event.occurredAt),
        kind: 'chat_safety_notice',
        subjectId: null,
        context: {},
        now: event.occurredAt,
      });
    },
  },
];

/** The notification kinds the conversations part emits (its words: `chat.conversations.notice.*`). */
export const conversationNotificationKinds: NotificationKindDefinition[] = [
  {
    // About nobody in particular; always shown, as it is the member's defence.
    kind: 'chat_safety_notice',
    labelKey: 'chat.conversations.notice.label',
    alwaysOn: true,
    render: async (_ctx, _reader, items) =>
      new Map(
        items.map((n) => [n.id, { message: { key: 'chat.conversations.notice.safety', values: {} }, href: '/safety' }]),
      ),
  },
];

/**
 * Requests waiting for the member: counted when they load a page, stored for nobody (ADR 0043), so
 * no notification row says that someone wrote to them.
 */
export const conversationComputedNotices: ComputedNotices[] = [
  {
    name: 'conversation-requests',
    count: async (ctx, reader) => (await listRequests(ctx, reader)).length,
    href: '/conversations#requests',
    labelKey: 'chat.conversations.requests.link',
  },
];
