/**
 * The contract every capability implements: one module, one entry (`src/features/<name>/index.ts`,
 * default export), declaring everything the capability brings. The app, the catalogue loader,
 * account deletion, the event dispatcher and the job runner loop over the modules; nothing else
 * keeps a list of features.
 */
import type { AppContext, ServiceContext } from '../app-context.js';
import type { App } from '../http/app.js';
import type { EventSubscriber } from '../events/types.js';
import type { JobDefinition } from '../jobs/types.js';
import type { ComputedNotices, NotificationKindDefinition } from './notification-kinds.js';
import type { Member } from '../security/actor.js';

/** Erases what the module keeps about a member whose account is deleted. Runs inside the deletion's transaction. */
export type AccountEraser = (ctx: ServiceContext, userId: string) => Promise<void>;

/** A message catalogue: ICU message strings by key, one per language. */
export type Catalogue = Record<string, string>;

/** One kind of document a module puts in the search index (`indexDocument` in src/search/service.ts). */
export interface SearchKind {
  kind: string;
  /** Catalogue key naming one result of this kind ("Discussion"). */
  labelKey: string;
  /** Catalogue key of the choice that searches only this kind ("Discussion titles and first posts"). */
  filterLabelKey: string;
  /** Where a result leads. */
  href(refId: string): string;
}

/** What a module lets members search, and where each member may search it now. */
export interface SearchDeclaration {
  kinds: SearchKind[];
  /**
   * The index scopes the member may read now (`directory`, `group:<id>`): asked on every search,
   * so leaving a group or a group turning private takes its documents out of the member's results.
   */
  scopes(ctx: ServiceContext, actor: Member): Promise<string[]>;
  /**
   * Of these results, the ids (`refId`) this member is not shown: written by someone in a block with
   * them or whom they muted (ADR 0052). Authors are never indexed, so the module that knows them says.
   */
  withheld?(ctx: ServiceContext, actor: Member, hits: { kind: string; refId: string }[]): Promise<Set<string>>;
}

/** A link in the site's navigation, declared by the module whose page it opens. */
export interface NavigationLink {
  href: string;
  /** A key of the shared catalogue or of the module's own. */
  labelKey: string;
  /** Who sees it: signed-in members, administrators only, or visitors who are not signed in. */
  audience: 'members' | 'administrators' | 'visitors';
  /** Its place among the links, lowest first. */
  order: number;
  /** The name of a page count (`ViewContext.counts`) shown beside it: the unread notifications. */
  count?: string;
  /** The name of a page count that must be above zero for the link to show (the moderation queue's). */
  when?: string;
}

export interface FeatureModule {
  /** The folder name; stable, used in logs and delivery bookkeeping. */
  name: string;
  /** Pages and API routes. */
  routes?: (app: App, ctx: AppContext) => Promise<void>;
  /** The module's strings (its `messages/{ar,en}.json`). */
  messages?: { ar: Catalogue; en: Catalogue };
  /** The notification kinds this module emits, each with how to render it. */
  notificationKinds?: NotificationKindDefinition[];
  /** Notices worked out when the reader asks, never stored for them (ADR 0043). */
  computedNotices?: ComputedNotices[];
  /** The search document kinds this module indexes, and who may find them. */
  search?: SearchDeclaration;
  /** Tables (and columns) holding a user id that this module erases itself; see the erasure coverage test. */
  erases?: { table: string; column: string }[];
  /** Runs, inside the account deletion's transaction, for every module that declares it. */
  eraseAccount?: AccountEraser;
  /** After-commit handlers of domain events (notifications, real-time delivery, statistics). */
  subscribers?: EventSubscriber[];
  /** Links in the site's navigation to the module's pages. */
  navigation?: NavigationLink[];
  /** Scheduled and deferred work. */
  jobs?: JobDefinition[];
}
