import type { FeatureModule } from '../../platform/module.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { homeRoutes } from './routes.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    home: typeof en;
  }
}

export default {
  name: 'home',
  routes: homeRoutes,
  messages: { ar, en },
  navigation: [{ href: '/', labelKey: 'nav.home', audience: 'members', order: 10 }],
} satisfies FeatureModule;
