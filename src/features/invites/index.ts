import type { FeatureModule } from '../../platform/module.js';
import { inviteJobs } from './jobs.js';
import { invitesRoutes } from './routes.js';
import { forgetInviter } from './service.js';

export * from './public.js';

export default {
  name: 'invites',
  routes: invitesRoutes,
  // An invite stays usable by whoever holds its code; who made it is forgotten.
  erases: [{ table: 'invites', column: 'created_by' }],
  eraseAccount: forgetInviter,
  jobs: inviteJobs,
} satisfies FeatureModule;
