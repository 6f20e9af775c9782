import { useView } from './context.js';
import { TextArea } from './components.js';
import type { MessageKey } from '../i18n/index.js';

/** Words people typed, by field, with their labels; other fields (choices) are not shown. */
const shown: Record<string, MessageKey> = { title: 'limit.field.title', body: 'limit.field.body' };

/** The words of a kept submission, to read and copy; nothing here is sent anywhere. */
export function KeptWords(props: { fields: [name: string, value: string][] }) {
  const { t } = useView();
  return (
    <>
      {props.fields
        .filter(([name]) => shown[name])
        .map(([name, value]) => (
          <TextArea
            key={name}
            name={name}
            form="kept"
            label={t(shown[name]!)}
            value={value}
            rows={name === 'body' ? 8 : 2}
            readOnly
          />
        ))}
    </>
  );
}

/**
 * The 401 answer to a form sent after its session had ended (ADR 0041): it says whether the words
 * were kept, leads to sign-in (and from there back to the form), and shows the words to copy.
 */
export function SignedOutPage(props: {
  /** Whether the form was one that keeps words (a reply, a thread, an edit), and whether they were kept. */
  words: 'kept' | 'notKept' | 'none';
  signInHref: string;
  fields: [string, string][];
}) {
  const { t } = useView();
  const kept = props.words === 'kept';
  if (props.words === 'none') {
    return (
      <section class="panel">
        <h1>{t('error.unauthenticated')}</h1>
        <p>
          <a class="button" href={props.signInHref}>
            {t('nav.signIn')}
          </a>
        </p>
        <p class="muted">{t('error.statusLine', { status: 401 })}</p>
      </section>
    );
  }
  return (
    <section class="panel">
      <h1>{t('kept.title')}</h1>
      <p class="lead">{kept ? t('kept.kept') : t('kept.notKept')}</p>
      <p>
        <a class="button" href={props.signInHref}>
          {kept ? t('kept.signIn') : t('nav.signIn')}
        </a>
      </p>
      {kept && <p class="hint">{t('kept.sharedDevice')}</p>}
      {props.fields.length > 0 && (
        <details class="kept-words" open={!kept}>
          <summary>{t('kept.show')}</summary>
          <KeptWords fields={props.fields} />
        </details>
      )}
      <p class="muted">{t('error.statusLine', { status: 401 })}</p>
    </section>
  );
}
