import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

/** Listings: pages and API to read one, create, edit, suggest and approve them. */
export async function listingRoutes(_app: App, _ctx: AppContext): Promise<void> {}
