import type { ComponentChildren } from 'preact';
import { useView } from './context.js';
import { locales, type Locale } from '../i18n/locales.js';
import { isolate } from '../security/bidi.js';
import { policies } from '../security/policy.js';
import type { MessageKey } from '../i18n/catalogs.js';

const languageNames: Record<Locale, string> = { ar: 'العربية', en: 'English' };

/**
 * The browser tab's title. While notifications wait unread, it says only how many: not the page,
 * the group or the platform (ADR 0030), so a tab glimpsed over a shoulder, a tab list or a history
 * entry names nothing. Otherwise the page's title, then the platform's name. The title is often
 * what a member wrote (a thread's title, a group's name): it is isolated, so a title in the other
 * script, or ending in punctuation, never swaps places with the platform's name (ADR 0035).
 */
function tabTitle(v: ReturnType<typeof useView>, title: string): string {
  const unread = v.counts.unreadNotifications ?? 0;
  if (unread > 99) return v.t('nav.unreadTitleCapped', { max: v.formatNumber(99) });
  if (unread > 0) return v.t('nav.unreadTitle', { count: unread });
  return `${isolate(title)} · ${v.t('app.name')}`;
}

export function Layout(props: { title: string; children: ComponentChildren }) {
  const v = useView();
  const { t } = v;
  const signedIn = v.actor.kind === 'user';
  const administers = policies.admin(v.actor);
  return (
    <html lang={v.locale} dir={v.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{tabTitle(v, props.title)}</title>
        <link rel="stylesheet" href={v.asset('app.css')} />
        <link rel="icon" href={v.asset('icon.svg')} type="image/svg+xml" />
        <script src={v.asset('app.js')} defer />
      </head>
      <body>
        <div class="exit-bar">
          <a class="quick-exit" href="/exit" rel="nofollow noreferrer" data-loading={t('quickExit.loading')}>
            {t('quickExit.button')}
            <span class="visually-hidden">{t('quickExit.shortcutHint')}</span>
          </a>
          <a class="exit-help" href="/quick-exit">
            {t('quickExit.whatIsThis')}
          </a>
        </div>
        <a class="skip-link" href="#main">
          {t('nav.skipToContent')}
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            {t('app.name')}
          </a>
          <nav class="site-nav" aria-label={t('nav.label')}>
            <ul>
              {v.navigation
                .filter(
                  (link) =>
                    (link.audience === 'visitors' ? !signedIn : link.audience === 'members' ? signedIn : administers) &&
                    (!link.when || (v.counts[link.when] ?? 0) > 0),
                )
                .map((link) => {
                  const count = link.count ? (v.counts[link.count] ?? 0) : 0;
                  return (
                    <li key={link.href}>
                      <a href={link.href}>
                        {t(link.labelKey as MessageKey)}
                        {count > 0 && (
                          <span class="count-badge">
                            {/* Counted up to a hundred: beyond that the exact number helps nobody. */}
                            {count > 99 ? `${v.formatNumber(99)}+` : v.formatNumber(count)}
                            <span class="visually-hidden"> {t('nav.unread')}</span>
                          </span>
                        )}
                      </a>
                    </li>
                  );
                })}
              {signedIn && (
                <li>
                  <form method="post" action="/logout" class="inline-form">
                    <input type="hidden" name="_csrf" value={v.csrfToken()} />
                    <button type="submit" class="link-button">
                      {t('nav.signOut')}
                    </button>
                  </form>
                </li>
              )}
            </ul>
          </nav>
          <ul class="language-switch" aria-label={t('nav.language')}>
            {locales
              .filter((locale) => locale !== v.locale)
              .map((locale) => (
                <li key={locale}>
                  <a href={`/lang/${locale}?next=${encodeURIComponent(v.currentPath)}`} lang={locale} hreflang={locale}>
                    {languageNames[locale]}
                  </a>
                </li>
              ))}
          </ul>
        </header>
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <ul>
            <li>
              <a href="/quick-exit">{t('footer.quickExit')}</a>
            </li>
            <li>
              <a href="/safety">{t('footer.safety')}</a>
            </li>
            <li>
              {/* Crisis lines by the country the member chooses there: two clicks from any page. */}
              <a href="/resources/crisis">{t('resources.crisis.footerLink')}</a>
            </li>
            <li>
              <a href="/api/v1/openapi.json">{t('footer.api')}</a>
            </li>
          </ul>
        </footer>
      </body>
    </html>
  );
}
