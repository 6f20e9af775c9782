import type { ComponentChildren } from 'preact';
import { useView } from './context.js';
import { Sentence } from './sentence.js';

/**
 * Tells a signed-in member who opened a page meant for newcomers (registration, first-run setup)
 * where they are and where they can go from here: home, their account, or signing out first.
 */
export function SignedInNotice(props: { children?: ComponentChildren }) {
  const v = useView();
  const { t } = v;
  if (v.actor.kind !== 'user') return null;
  return (
    <section class="panel" aria-labelledby="signed-in-as">
      <h2 id="signed-in-as">
        <Sentence message="signedIn.as" names={{ name: v.actor.username }} />
      </h2>
      {props.children}
      <ul class="actions">
        <li>
          <a class="button" href="/">
            {t('nav.home')}
          </a>
        </li>
        <li>
          <a class="button button-secondary" href="/account">
            {t('nav.account')}
          </a>
        </li>
        <li>
          <form method="post" action="/logout" class="inline-form">
            <input type="hidden" name="_csrf" value={v.csrfToken()} />
            <button type="submit" class="button button-secondary">
              {t('nav.signOut')}
            </button>
          </form>
        </li>
      </ul>
    </section>
  );
}
