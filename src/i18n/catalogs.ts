// Every visible string lives in these catalogs: a shared one here, and one per feature module.
import commonAr from './messages/ar.json' with { type: 'json' };
import commonEn from './messages/en.json' with { type: 'json' };
import { loadModules } from '../platform/modules.js';
import type { Catalogue } from '../platform/module.js';
import type { Locale } from './locales.js';

/**
 * The English catalogue of every feature module, by module name: each module's entry adds its
 * own (`declare module '../../i18n/catalogs.js' { interface FeatureCatalogues { … } }`), so the
 * key type needs no list of features and a key no catalogue holds does not compile (ADR 0031).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by each feature module's entry
export interface FeatureCatalogues {}

type KeysOf<T> = { [Name in keyof T]: keyof T[Name] & string }[keyof T];

/** English is the reference for the key type; a test checks Arabic has exactly the same keys. */
export type MessageKey = keyof typeof commonEn | KeysOf<FeatureCatalogues>;

export const catalogs: Record<Locale, Partial<Record<MessageKey, string>>> = {
  ar: { ...commonAr },
  en: { ...commonEn },
};

/** The shared catalogue and each module's, by name, as their files hold them. */
export async function catalogFiles(): Promise<Record<string, { ar: Catalogue; en: Catalogue }>> {
  const files: Record<string, { ar: Catalogue; en: Catalogue }> = { common: { ar: commonAr, en: commonEn } };
  for (const module of await loadModules()) if (module.messages) files[module.name] = module.messages;
  return files;
}

let loading: Promise<void> | undefined;

/**
 * Puts every module's strings in the catalogs, once; `startRuntime` does it before anything is
 * said, so the server, the CLI and the tests all have them. A key defined twice stops the start.
 */
export function loadCatalogs(): Promise<void> {
  loading ??= (async () => {
    const owner = new Map<string, string>();
    for (const [name, files] of Object.entries(await catalogFiles())) {
      for (const key of Object.keys(files.en)) {
        if (owner.has(key)) throw new Error(`The message ${key} is defined by both ${owner.get(key)} and ${name}`);
        owner.set(key, name);
      }
      Object.assign(catalogs.ar, files.ar);
      Object.assign(catalogs.en, files.en);
    }
  })();
  return loading;
}
