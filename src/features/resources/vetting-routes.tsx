import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

/** Trust signals: verification, members' notes and corrections. */
export async function vettingRoutes(_app: App, _ctx: AppContext): Promise<void> {}
