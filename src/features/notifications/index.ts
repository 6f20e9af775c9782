import type { FeatureModule } from '../../platform/module.js';
import { notificationJobs } from './jobs.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { notificationsRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    notifications: typeof en;
  }
}

export default {
  name: 'notifications',
  routes: notificationsRoutes,
  messages: { ar, en },
  jobs: notificationJobs,
  navigation: [
    {
      href: '/notifications',
      labelKey: 'nav.notifications',
      audience: 'members',
      order: 40,
      count: 'unreadNotifications',
    },
  ],
} satisfies FeatureModule;
