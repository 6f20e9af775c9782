import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

export async function accountRoutes(_app: App, _ctx: AppContext): Promise<void> {}
