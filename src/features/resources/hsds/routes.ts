import type { AppContext } from '../../../app-context.js';
import type { App } from '../../../http/app.js';

/** HSDS 3.0: the read-only API at /api/hsds, and moderators' import and export. */
export async function hsdsRoutes(_app: App, _ctx: AppContext): Promise<void> {}
