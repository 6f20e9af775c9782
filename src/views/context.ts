import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import type { Locale } from '../i18n/locales.js';
import type { Actor } from '../security/actor.js';
import type { NavigationLink } from '../platform/module.js';

/** What every view may know about the request it renders for. Built by the HTTP layer. */
export interface ViewContext {
  t: Translate;
  locale: Locale;
  dir: 'rtl' | 'ltr';
  actor: Actor;
  /** Path and query of the current page, for "come back here" links. */
  currentPath: string;
  csrfToken: () => string;
  asset: (name: string) => string;
  formatNumber: (value: number) => string;
  formatDate: (epochMs: number) => string;
  /** Day and time (UTC, zone named), where the hour matters. */
  formatDateTime: (epochMs: number) => string;
  /** The navigation the modules declare, in order. */
  navigation: readonly NavigationLink[];
  /** Counts shown in the page's chrome, by name; signed-in pages have `unreadNotifications`. */
  counts: Readonly<Record<string, number>>;
}

export const viewContext = createContext<ViewContext | null>(null);

export function useView(): ViewContext {
  const view = useContext(viewContext);
  if (!view) throw new Error('useView() outside a rendered page');
  return view;
}
