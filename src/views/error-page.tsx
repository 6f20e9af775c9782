import { useView } from './context.js';
import { CsrfField, TextArea } from './components.js';
import type { MessageKey } from '../i18n/index.js';

/** What a refused form sent, to offer it again: the words people typed, shown; everything else, carried. */
export interface KeptForm {
  action: string;
  fields: [name: string, value: string][];
  /** What the page says instead of the error's own message: why it was not sent, and that nothing is lost. */
  note?: MessageKey;
}

const shownFields: Record<string, MessageKey> = {
  title: 'limit.field.title',
  body: 'limit.field.body',
  name: 'limit.field.name',
  description: 'limit.field.description',
};

/** A page that is not there (or not for this reader) still leaves somewhere to go. */
function WayForward() {
  const { t, actor, currentPath } = useView();
  const links: [href: string, label: MessageKey][] =
    actor.kind === 'user'
      ? [
          ['/', 'error.backHome'],
          ['/groups/mine', 'error.yourGroups'],
          ['/groups', 'error.browseGroups'],
          ['/search', 'error.search'],
        ]
      : [
          ['/', 'error.backHome'],
          [`/login?next=${encodeURIComponent(currentPath)}`, 'error.signIn'],
        ];
  return (
    <>
      <p>{t('error.notFoundHelp')}</p>
      <h2>{t('error.wayForward')}</h2>
      <ul class="link-list">
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href}>{t(label)}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorPage(props: { status: number; message: string; kept?: KeptForm | undefined }) {
  const { t } = useView();
  return (
    <section class="panel">
      {/* With words to send again, the heading says only that they were not sent; the reason reads as a paragraph. */}
      {props.kept ? (
        <>
          <h1>{t('limit.notSent')}</h1>
          <p class="lead">{props.kept.note ? t(props.kept.note) : props.message}</p>
        </>
      ) : (
        <h1>{props.message}</h1>
      )}
      <p class="muted">{t('error.statusLine', { status: props.status })}</p>
      {props.kept && (
        <form method="post" action={props.kept.action} class="kept-form">
          {!props.kept.note && props.kept.fields.some(([name]) => shownFields[name]) && <p>{t('limit.kept')}</p>}
          <CsrfField />
          {props.kept.fields.map(([name, value], i) =>
            shownFields[name] ? (
              <TextArea
                key={i}
                name={name}
                label={t(shownFields[name])}
                value={value}
                rows={name === 'body' || name === 'description' ? 8 : 2}
              />
            ) : (
              <input key={i} type="hidden" name={name} value={value} />
            ),
          )}
          <button type="submit" class="button">
            {t('limit.resend')}
          </button>
        </form>
      )}
      {props.status === 404 ? (
        <WayForward />
      ) : (
        <p>
          <a href="/">{t('error.backHome')}</a>
        </p>
      )}
    </section>
  );
}
