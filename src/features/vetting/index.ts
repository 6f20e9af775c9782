import type { FeatureModule } from '../../platform/module.js';
import { systemActor } from '../../security/actor.js';
import { expireDeclined, forgetDecider } from './applications.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { vettingRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    vetting: typeof en;
  }
}

/** Approval mode's applications and frozen accounts (ADR 0051). */
export default {
  name: 'vetting',
  routes: vettingRoutes,
  messages: { ar, en },
  erases: [{ table: 'applications', column: 'decided_by' }],
  eraseAccount: forgetDecider,
  jobs: [
    {
      name: 'vetting.expireDeclined',
      everyMs: 60 * 60_000,
      run: async (ctx) => void (await expireDeclined(ctx, systemActor)),
    },
  ],
} satisfies FeatureModule;
