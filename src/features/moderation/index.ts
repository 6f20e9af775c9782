import type { FeatureModule } from '../../platform/module.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { moderationRoutes } from './routes.js';
import { eraseModerationRecordsOf } from './service.js';
import { moderationLogRoutes } from './log-routes.js';
import { moderationNotificationKinds } from './services/notices.js';
import { moderationSubscribers } from './subscribers.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    moderation: typeof en;
  }
}

/**
 * Reports, the moderation queue, moderation actions, the moderation log and appeals (ADR 0047).
 * The log's and the queue's writes are shared by every feature that moderates, from
 * `src/platform/moderation.ts`.
 */
export default {
  name: 'moderation',
  routes: async (app, ctx) => {
    await moderationRoutes(app, ctx);
    await moderationLogRoutes(app, ctx);
  },
  messages: { ar, en },
  // Shown to those who moderate a group or the instance (`moderates`, set by the routes' page values).
  navigation: [{ href: '/moderation', labelKey: 'moderation.nav', audience: 'members', order: 45, when: 'moderates' }],
  // The log and decided appeals keep what was done; the accounts named in them are forgotten.
  erases: [
    { table: 'moderation_log', column: 'actor_id' },
    { table: 'moderation_log', column: 'target_user_id' },
    { table: 'appeals', column: 'decided_by' },
    { table: 'reveal_requests', column: 'decided_by' },
  ],
  eraseAccount: eraseModerationRecordsOf,
  notificationKinds: moderationNotificationKinds,
  subscribers: moderationSubscribers,
} satisfies FeatureModule;
