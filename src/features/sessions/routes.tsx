import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

export async function sessionsRoutes(_app: App, _ctx: AppContext): Promise<void> {}
