import type { FeatureModule } from '../../platform/module.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { safetyToolsRoutes } from './routes.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    safety: typeof en;
  }
}

/**
 * Member tools (ADR 0052): blocks and mutes (each member's own), watched words for the instance and
 * for each group, and slow mode for a group or a thread. Blocks are read with the session and asked
 * through `isBlockedBetween` (src/security/blocks.ts); discussions call `screenPost`,
 * `recordScreening` and `checkSlowMode` from public.ts. Every row naming an account cascades.
 */
export default {
  name: 'safety',
  routes: safetyToolsRoutes,
  messages: { ar, en },
} satisfies FeatureModule;
