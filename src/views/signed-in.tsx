import type { ComponentChildren } from 'preact';
import { useView } from './context.js';
import type { MessageKey } from '../i18n/index.js';

const marker = '\u0000name\u0000';

/** A sentence holding a username, with the name isolated so its direction never reorders the sentence. */
export function WithName(props: { message: MessageKey; name: string }) {
  const { t } = useView();
  const [before, after] = t(props.message, { name: marker }).split(marker);
  return (
    <>
      {before}
      <bdi>{props.name}</bdi>
      {after}
    </>
  );
}

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
        <WithName message="signedIn.as" name={v.actor.username} />
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
