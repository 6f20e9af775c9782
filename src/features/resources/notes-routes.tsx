import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';

/** Members' notes on listings: experience and a safety rating, by name or anonymously. */
export async function notesRoutes(_app: App, _ctx: AppContext): Promise<void> {}
