import type { FeatureModule } from '../../platform/module.js';
import { groupJobs } from './jobs.js';
import { groupsNotificationKinds } from './notification-kinds.js';
import { groupsSubscribers } from './subscribers.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { groupsRoutes } from './routes.js';
import { leaveAllGroups } from './service.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    groups: typeof en;
  }
}

export default {
  name: 'groups',
  routes: groupsRoutes,
  messages: { ar, en },
  // The directory of listed groups, which every member may search.
  search: {
    kinds: [
      {
        kind: 'group',
        labelKey: 'search.kind.group',
        filterLabelKey: 'search.type.group',
        href: (id) => `/groups/${id}`,
      },
    ],
    scopes: async () => ['directory'],
  },
  // Ownership is handed on before the memberships go (the rest of groups' rows go by foreign key).
  erases: [{ table: 'group_members', column: 'user_id' }],
  eraseAccount: leaveAllGroups,
  notificationKinds: groupsNotificationKinds,
  subscribers: groupsSubscribers,
  jobs: groupJobs,
  navigation: [{ href: '/groups/mine', labelKey: 'nav.groups', audience: 'members', order: 20 }],
} satisfies FeatureModule;
