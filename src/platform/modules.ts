import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppContext } from '../app-context.js';
import type { App } from '../http/app.js';
import type { FeatureModule, NavigationLink } from './module.js';

/**
 * Finds the feature modules: every folder under `src/features/` (or `dist/features/` once built)
 * is one, and its `index.ts` default-exports its `FeatureModule`. Nothing keeps a list of them;
 * adding a capability is adding a folder. Modules come in the order of their folder names, so
 * routes, catalogues, erasers and jobs run in the same order on every start.
 *
 * This is the one place outside `src/features/` that reaches into it, and only by dynamic import
 * at run time: shared layers never import a feature (ADR 0031). Call it from functions, never at
 * a module's top level: a feature's entry imports the shared layers, so awaiting it while they
 * are still being evaluated would wait forever.
 */
export const featuresDir = fileURLToPath(new URL('../features/', import.meta.url));

let loaded: Promise<readonly FeatureModule[]> | undefined;

export function loadModules(): Promise<readonly FeatureModule[]> {
  loaded ??= discover();
  return loaded;
}

export function featureNames(dir = featuresDir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function discover(): Promise<readonly FeatureModule[]> {
  const modules: FeatureModule[] = [];
  for (const name of featureNames()) {
    // `index.js` is the compiled entry in dist/, and names `index.ts` under tsx.
    const entry = pathToFileURL(path.join(featuresDir, name, 'index.js')).href;
    const module = ((await import(entry)) as { default?: FeatureModule }).default;
    if (!module || module.name !== name) {
      throw new Error(`src/features/${name}/index.ts must default-export the FeatureModule named "${name}"`);
    }
    modules.push(module);
  }
  checkModules(modules);
  return Object.freeze(modules);
}

/** What no two modules may both claim. */
export function checkModules(modules: readonly FeatureModule[]): void {
  const claimed = new Map<string, string>();
  const claim = (what: string, by: string) => {
    const other = claimed.get(what);
    if (other) throw new Error(`${what} is claimed by both the ${other} and the ${by} module`);
    claimed.set(what, by);
  };
  for (const module of modules) {
    for (const { kind } of module.search?.kinds ?? []) claim(`The search kind "${kind}"`, module.name);
    for (const { kind } of module.notificationKinds ?? []) claim(`The notification kind "${kind}"`, module.name);
    for (const { name } of module.computedNotices ?? []) claim(`The computed notices "${name}"`, module.name);
    for (const { name } of module.jobs ?? []) claim(`The job "${name}"`, module.name);
    // A module may link one page for several audiences (members and visitors); no two modules may link it.
    for (const href of new Set((module.navigation ?? []).map((link) => link.href)))
      claim(`The navigation link to ${href}`, module.name);
  }
}

/** The links the modules declare for the site's navigation, in their order. */
export function navigationOf(modules: readonly FeatureModule[]): NavigationLink[] {
  return modules.flatMap((module) => module.navigation ?? []).sort((a, b) => a.order - b.order);
}

/** Each module registers its own pages and API routes. */
export async function registerFeatures(app: App, ctx: AppContext): Promise<void> {
  for (const module of await loadModules()) await module.routes?.(app, ctx);
}
