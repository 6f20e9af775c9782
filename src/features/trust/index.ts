import type { FeatureModule } from '../../platform/module.js';
import { trustJobs } from './jobs.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { trustRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    trust: typeof en;
  }
}

export default {
  name: 'trust',
  routes: trustRoutes,
  messages: { ar, en },
  jobs: trustJobs,
} satisfies FeatureModule;
