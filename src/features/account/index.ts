import type { FeatureModule } from '../../platform/module.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { accountRoutes } from './routes.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    account: typeof en;
  }
}

export default {
  name: 'account',
  routes: accountRoutes,
  messages: { ar, en },
  // Deletion itself (service.ts) takes the member out of the audit log, after every module's eraser ran.
  erases: [
    { table: 'audit_log', column: 'actor_id' },
    { table: 'audit_log', column: 'subject' },
  ],
  navigation: [{ href: '/account', labelKey: 'nav.account', audience: 'members', order: 50 }],
} satisfies FeatureModule;
