import type { FeatureModule } from '../../platform/module.js';
import { inviteJobs } from './jobs.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { invitesRoutes } from './routes.js';
import { forgetInviter } from './service.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    invites: typeof en;
  }
}

export default {
  name: 'invites',
  routes: invitesRoutes,
  messages: { ar, en },
  // An invite stays usable by whoever holds its code; who made it is forgotten, and those the
  // member brought in become roots of the invite tree.
  erases: [
    { table: 'invites', column: 'created_by' },
    { table: 'users', column: 'invited_by' },
  ],
  eraseAccount: forgetInviter,
  jobs: inviteJobs,
} satisfies FeatureModule;
