import type { AppContext } from '../app-context.js';
import type { App } from '../http/app.js';
import { homeRoutes } from './home/routes.js';
import { authRoutes } from './auth/routes.js';
import { sessionsRoutes } from './sessions/routes.js';
import { accountRoutes } from './account/routes.js';
import { adminRoutes } from './admin/routes.js';
import { invitesRoutes } from './invites/routes.js';
import { groupsRoutes } from './groups/routes.js';
import { discussionsRoutes } from './discussions/routes.js';
import { notificationsRoutes } from './notifications/routes.js';
import { searchRoutes } from './search/routes.js';

/** Each feature registers its own pages and API routes. */
export async function registerFeatures(app: App, ctx: AppContext): Promise<void> {
  for (const routes of [
    homeRoutes,
    authRoutes,
    sessionsRoutes,
    accountRoutes,
    adminRoutes,
    invitesRoutes,
    groupsRoutes,
    discussionsRoutes,
    notificationsRoutes,
    searchRoutes,
  ]) {
    await routes(app, ctx);
  }
}
