/**
 * The contract every capability implements: one module, one entry (`src/features/<name>/index.ts`,
 * default export), declaring everything the capability brings. The app, the catalogue loader,
 * account deletion, the event dispatcher and the job runner loop over the modules; nothing else
 * keeps a list of features.
 *
 * DRAFT: the fields below are the agreed shape; the helpers building each part refine their own
 * field's type (events: src/events, jobs: src/jobs, notifications: the notifications feature).
 */
import type { AppContext, ServiceContext } from '../app-context.js';
import type { App } from '../http/app.js';

/** Erases what the module keeps about a member whose account is deleted. Runs inside the deletion's transaction. */
export type AccountEraser = (ctx: ServiceContext, userId: string) => Promise<void>;

export interface FeatureModule {
  /** The folder name; stable, used in logs and delivery bookkeeping. */
  name: string;
  /** Pages and API routes. */
  routes?: (app: App, ctx: AppContext) => Promise<void>;
  /** Tables (and columns) holding a user id that this module erases itself; see the erasure coverage test. */
  erases?: { table: string; column: string }[];
  eraseAccount?: AccountEraser;
}
