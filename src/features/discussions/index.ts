import type { FeatureModule } from '../../platform/module.js';
import { discussionsNotificationKinds } from './notification-kinds.js';
import { discussionsSubscribers } from './subscribers.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { discussionsRoutes } from './routes.js';
import { erasePostsOf } from './service.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    discussions: typeof en;
  }
}

export default {
  name: 'discussions',
  routes: discussionsRoutes,
  messages: { ar, en },
  searchKinds: ['thread', 'post'],
  // Their words go with them, anonymous ones included, and out of the search index (ADR 0014).
  erases: [
    { table: 'posts', column: 'author_id' },
    { table: 'posts', column: 'author_box' },
  ],
  eraseAccount: erasePostsOf,
  notificationKinds: discussionsNotificationKinds,
  subscribers: discussionsSubscribers,
} satisfies FeatureModule;
