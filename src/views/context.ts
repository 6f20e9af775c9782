import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import type { Locale } from '../i18n/locales.js';
import type { Actor } from '../security/actor.js';

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
  /** Signed-in pages only: how many notifications wait unread. */
  unreadNotifications?: number;
}

export const viewContext = createContext<ViewContext | null>(null);

export function useView(): ViewContext {
  const view = useContext(viewContext);
  if (!view) throw new Error('useView() outside a rendered page');
  return view;
}
