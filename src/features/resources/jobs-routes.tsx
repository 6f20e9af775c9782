import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

/** Job postings: a kind of listing with an expiry. */
export async function jobPostingRoutes(_app: App, _ctx: AppContext): Promise<void> {}
