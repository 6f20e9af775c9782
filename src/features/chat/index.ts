import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import type { FeatureModule } from '../../platform/module.js';
import { eraseChatOf } from './services/erase.js';
import { chatJobs } from './jobs.js';
import { timerRoutes } from './timer-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import {
  conversationComputedNotices,
  conversationNotificationKinds,
  conversationSubscribers,
} from './conversation-notices.js';
import { messageRoutes } from './message-routes.js';
import { chatNotificationKinds } from './notification-kinds.js';
import { chatSearch } from './search.js';
import { chatSubscribers } from './subscribers.js';
import { chatRoutes } from './chat-routes.js';
import { roomRoutes } from './room-routes.js';
import { liveRoutes } from './live-routes.js';
import { liveSubscribers } from './live-subscribers.js';
import conversationsAr from './messages/conversations.ar.json' with { type: 'json' };
import conversationsEn from './messages/conversations.en.json' with { type: 'json' };
import liveAr from './messages/live.ar.json' with { type: 'json' };
import liveEn from './messages/live.en.json' with { type: 'json' };
import messagesAr from './messages/messages.ar.json' with { type: 'json' };
import messagesEn from './messages/messages.en.json' with { type: 'json' };
import roomsAr from './messages/rooms.ar.json' with { type: 'json' };
import roomsEn from './messages/rooms.en.json' with { type: 'json' };
import timersAr from './messages/timers.ar.json' with { type: 'json' };
import timersEn from './messages/timers.en.json' with { type: 'json' };

export * from './public.js';

// Chat's strings are kept by part: messages, rooms, conversations, timers and the live connection.
const en = { ...messagesEn, ...roomsEn, ...conversationsEn, ...timersEn, ...liveEn };
const ar = { ...messagesAr, ...roomsAr, ...conversationsAr, ...timersAr, ...liveAr };

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    chat: typeof en;
  }
}

/**
 * Chat (ADR 0060): rooms in groups and instance-wide, private conversations with requests, messages
 * that disappear on a timer and are purged for real, delivered live over WebSocket to every
 * instance, and usable as plain pages without JavaScript.
 */
export default {
  name: 'chat',
  async routes(app: App, ctx: AppContext) {
    await messageRoutes(app, ctx);
    await timerRoutes(app, ctx);
    await conversationRoutes(app, ctx);
    await roomRoutes(app, ctx);
    await chatRoutes(app, ctx);
    await liveRoutes(app, ctx);
  },
  messages: { ar, en },
  // Anonymous messages: recognised by recomputing their keyed hash, and deleted.
  erases: [{ table: 'chat_messages', column: 'author_ref' }],
  eraseAccount: eraseChatOf,
  jobs: chatJobs,
  // Messages are found in the chats the member may read now (ADR 0065).
  search: chatSearch,
  subscribers: [...chatSubscribers, ...conversationSubscribers, ...liveSubscribers],
  notificationKinds: [...chatNotificationKinds, ...conversationNotificationKinds],
  computedNotices: [...conversationComputedNotices],
  navigation: [{ href: '/rooms', labelKey: 'chat.rooms.nav', audience: 'members', order: 25 }],
} satisfies FeatureModule;
