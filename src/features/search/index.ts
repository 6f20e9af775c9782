import type { FeatureModule } from '../../platform/module.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { searchRoutes } from './routes.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    search: typeof en;
  }
}

export default {
  name: 'search',
  routes: searchRoutes,
  messages: { ar, en },
  navigation: [{ href: '/search', labelKey: 'nav.search', audience: 'members', order: 30 }],
} satisfies FeatureModule;
