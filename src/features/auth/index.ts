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
  navigation: [
    { href: '/login', labelKey: 'nav.signIn', audience: 'visitors', order: 10 },
    { href: '/register', labelKey: 'nav.register', audience: 'visitors', order: 20 },
  ],
} satisfies FeatureModule;
