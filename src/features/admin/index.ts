import type { FeatureModule } from '../../platform/module.js';
import { adminJobs } from './jobs.js';
import { adminNotificationKinds } from './notification-kinds.js';
import { adminSubscribers } from './subscribers.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { adminRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    admin: typeof en;
  }
}

export default {
  name: 'admin',
  routes: adminRoutes,
  messages: { ar, en },
  notificationKinds: adminNotificationKinds,
  subscribers: adminSubscribers,
  jobs: adminJobs,
  navigation: [{ href: '/admin', labelKey: 'nav.admin', audience: 'administrators', order: 60 }],
} satisfies FeatureModule;
