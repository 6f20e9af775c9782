import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

/** Finding help: the directory's search with filters, and crisis lines by chosen country. */
export async function findRoutes(_app: App, _ctx: AppContext): Promise<void> {}
