import type { FeatureModule } from '../../platform/module.js';
import { sessionJobs } from './jobs.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { sessionsRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    sessions: typeof en;
  }
}

export default {
  name: 'sessions',
  routes: sessionsRoutes,
  messages: { ar, en },
  jobs: sessionJobs,
} satisfies FeatureModule;
