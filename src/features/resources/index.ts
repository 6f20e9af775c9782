import type { AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import type { FeatureModule } from '../../platform/module.js';
import { resourceJobs } from './background.js';
import { eraseResourcesOf } from './erase.js';
import { findRoutes } from './find-routes.js';
import { hsdsRoutes } from './hsds/routes.js';
import { jobPostingRoutes } from './jobs-routes.js';
import findAr from './messages/find.ar.json' with { type: 'json' };
import findEn from './messages/find.en.json' with { type: 'json' };
import hsdsAr from './messages/hsds.ar.json' with { type: 'json' };
import hsdsEn from './messages/hsds.en.json' with { type: 'json' };
import jobsAr from './messages/jobs.ar.json' with { type: 'json' };
import jobsEn from './messages/jobs.en.json' with { type: 'json' };
import listingsAr from './messages/listings.ar.json' with { type: 'json' };
import listingsEn from './messages/listings.en.json' with { type: 'json' };
import notesAr from './messages/notes.ar.json' with { type: 'json' };
import notesEn from './messages/notes.en.json' with { type: 'json' };
import vettingAr from './messages/vetting.ar.json' with { type: 'json' };
import vettingEn from './messages/vetting.en.json' with { type: 'json' };
import { notesRoutes } from './notes-routes.js';
import { listingRoutes } from './routes.js';
import { vettingRoutes } from './vetting-routes.js';

export * from './public.js';

// The directory is large, so its strings are kept by part (listings, finding, vetting, notes, HSDS, jobs).
const en = { ...listingsEn, ...findEn, ...vettingEn, ...notesEn, ...hsdsEn, ...jobsEn };
const ar = { ...listingsAr, ...findAr, ...vettingAr, ...notesAr, ...hsdsAr, ...jobsAr };

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    resources: typeof en;
  }
}

/**
 * The resource directory (ADR 0053): listings aligned with HSDS 3.0, the trust signals members
 * need (verification that expires, members' notes, corrections), search with filters, job
 * postings, crisis lines by chosen country, and HSDS import, export and read-only API.
 */
export default {
  name: 'resources',
  async routes(app: App, ctx: AppContext) {
    await listingRoutes(app, ctx);
    await findRoutes(app, ctx);
    await vettingRoutes(app, ctx);
    await notesRoutes(app, ctx);
    await jobPostingRoutes(app, ctx);
    await hsdsRoutes(app, ctx);
  },
  messages: { ar, en },
  jobs: resourceJobs,
  erases: [
    // Anonymous notes and corrections: recognised by recomputing their keyed hash, and deleted.
    { table: 'resource_notes', column: 'author_ref' },
    { table: 'resource_notes', column: 'author_box' },
    { table: 'resource_corrections', column: 'author_ref' },
    { table: 'resource_corrections', column: 'author_box' },
    { table: 'resource_services', column: 'submitted_by' },
    { table: 'resource_services', column: 'verified_by' },
    { table: 'resource_corrections', column: 'decided_by' },
    // HSDS's `updated_by` names who changed a record in the directory it came from, as that
    // directory wrote it; Sanad never writes an account there, so there is nothing of a member to erase.
    { table: 'resource_metadata', column: 'updated_by' },
  ],
  eraseAccount: eraseResourcesOf,
  // Members and visitors alike: public listings are outreach, read without an account.
  navigation: [
    { href: '/resources', labelKey: 'resources.find.nav', audience: 'members', order: 35 },
    { href: '/resources', labelKey: 'resources.find.nav', audience: 'visitors', order: 5 },
  ],
} satisfies FeatureModule;
