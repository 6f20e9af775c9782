import type { FeatureModule } from '../../platform/module.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { authRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    auth: typeof en;
  }
}

export default {
  name: 'auth',
  routes: authRoutes,
  messages: { ar, en },
} satisfies FeatureModule;
