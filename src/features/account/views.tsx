import { useView } from '../../views/context.js';
import { ErrorSummary, Field, fieldId, Notice, PageHeading, PostForm } from '../../views/components.js';
import { addressForms, type AddressForm } from '../../i18n/address.js';
import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { NewPassphraseField } from '../auth/public.js';
import type { Profile } from './service.js';
import { trustOf } from '../trust/public.js';

export type AccountForm = 'address' | 'passphrase' | 'recovery' | 'anonymous' | 'delete';

export interface AccountPageProps {
  profile: Profile;
  /** The form that failed, with its errors; the others render clean. */
  failed?: { form: AccountForm; errors: FieldError[]; general?: MessageKey | undefined } | undefined;
  notice?: MessageKey | undefined;
  /** They may make invites of their own (ADR 0051): the page links to them. */
  canInvite?: boolean;
}

/** How the interface addresses the member (ADR 0037): a plain form of radio buttons, working without JavaScript. */
function AddressFormChoice(props: { chosen: AddressForm; errors: FieldError[] }) {
  const { t } = useView();
  const error = props.errors.find((e) => e.field === 'address');
  const base = fieldId('address', 'address');
  return (
    <section class="panel" aria-labelledby="address-form">
      <h2 id="address-form">{t('account.address.title')}</h2>
      <p>{t('account.address.lead')}</p>
      <PostForm action="/account/address">
        <fieldset class={error ? 'field-error' : undefined}>
          <legend>{t('account.address.legend')}</legend>
          {error && (
            <p class="error-message" id={`${base}-error`}>
              {t(error.message, error.values)}
            </p>
          )}
          {addressForms.map((form, i) => {
            const id = i === 0 ? base : `${base}-${form}`;
            return (
              <div class="radio" key={form}>
                <input
                  type="radio"
                  id={id}
                  name="address"
                  value={form}
                  checked={props.chosen === form}
                  aria-describedby={error ? `${base}-error` : undefined}
                />
                <label for={id}>{t(`account.address.${form}`)}</label>
              </div>
            );
          })}
        </fieldset>
        <button type="submit" class="button">
          {t('account.address.submit')}
        </button>
      </PostForm>
    </section>
  );
}

function CurrentPassphrase(props: { errors: FieldError[]; form: AccountForm }) {
  const { t } = useView();
  return (
    <Field
      name="current"
      form={props.form}
      type="password"
      label={t('account.current.label')}
      autocomplete="current-password"
      required
      maxLength={1000}
      errors={props.errors}
    />
  );
}

export function AccountPage(props: AccountPageProps) {
  const { t, formatDate, actor } = useView();
  const { profile, failed } = props;
  // Read fresh with the session (ADR 0047); moderators count as trusted. What comes next is on /account/trust.
  const trust = trustOf(actor);
  const errorsOf = (form: AccountForm) => (failed?.form === form ? failed.errors : []);
  return (
    <>
      <PageHeading>{t('account.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {failed && <ErrorSummary errors={failed.errors} general={failed.general} form={failed.form} />}
      <section class="panel" aria-labelledby="account-summary">
        <h2 id="account-summary">{t('account.summary.title')}</h2>
        <dl class="summary-list">
          <dt>{t('auth.username.label')}</dt>
          <dd dir="auto">{profile.username}</dd>
          <dt>{t('account.summary.role')}</dt>
          <dd>{t(`account.role.${profile.role}`)}</dd>
          <dt>{t('account.summary.trust')}</dt>
          <dd>
            <a href="/account/trust">{t(`trust.level.${trust}`)}</a>
          </dd>
          <dt>{t('account.summary.since')}</dt>
          <dd>{formatDate(profile.createdAt)}</dd>
          <dt>{t('account.summary.codes')}</dt>
          <dd>{t('account.summary.codesLeft', { count: profile.recoveryCodesLeft })}</dd>
        </dl>
        <p>
          <a href="/account/sessions">{t('account.sessionsLink')}</a>
        </p>
        {props.canInvite && (
          <p>
            <a href="/invites">{t('invites.mine.title')}</a>
          </p>
        )}
        <p>
          <a href="/account/blocks">{t('safetyTools.nav')}</a>
        </p>
        <p>
          <a href="/account/posts">{t('account.postsLink')}</a>
        </p>
        <p>
          <a href="/account/trust">{t('account.trustLink')}</a>
        </p>
        <p>
          <a href="/account/warnings">{t('account.warningsLink')}</a>
        </p>
      </section>

      <AddressFormChoice chosen={profile.address} errors={errorsOf('address')} />

      <section class="panel" aria-labelledby="change-passphrase">
        <h2 id="change-passphrase">{t('account.passphrase.title')}</h2>
        <PostForm action="/account/passphrase">
          <CurrentPassphrase form="passphrase" errors={errorsOf('passphrase')} />
          <NewPassphraseField form="passphrase" label={t('account.passphrase.new')} errors={errorsOf('passphrase')} />
          <div class="checkbox">
            <input type="checkbox" id="field-passphrase-endOtherSessions" name="endOtherSessions" value="on" checked />
            <label for="field-passphrase-endOtherSessions">{t('account.passphrase.endOthers')}</label>
          </div>
          <button type="submit" class="button">
            {t('account.passphrase.submit')}
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="recovery-codes">
        <h2 id="recovery-codes">{t('account.recovery.title')}</h2>
        <p>{t('account.recovery.body')}</p>
        <PostForm action="/account/recovery-codes">
          <CurrentPassphrase form="recovery" errors={errorsOf('recovery')} />
          <button type="submit" class="button button-secondary">
            {t('account.recovery.submit')}
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="anonymous-posts">
        <h2 id="anonymous-posts">{t('account.anonymous.title')}</h2>
        <p>{t('account.anonymous.body')}</p>
        <PostForm action="/account/anonymous-posts/erase">
          <CurrentPassphrase form="anonymous" errors={errorsOf('anonymous')} />
          <div class={errorsOf('anonymous').some((e) => e.field === 'confirm') ? 'checkbox field-error' : 'checkbox'}>
            <input type="checkbox" id="field-anonymous-confirm" name="confirm" value="on" required />
            <label for="field-anonymous-confirm">{t('account.anonymous.confirm')}</label>
          </div>
          <button type="submit" class="button button-danger">
            {t('account.anonymous.submit')}
          </button>
        </PostForm>
      </section>

      <section class="panel panel-danger" aria-labelledby="delete-account">
        <h2 id="delete-account">{t('account.delete.title')}</h2>
        <p>{t('account.delete.body')}</p>
        <p>{t('account.delete.anonymity')}</p>
        <PostForm action="/account/delete">
          <CurrentPassphrase form="delete" errors={errorsOf('delete')} />
          <div class={errorsOf('delete').some((e) => e.field === 'confirm') ? 'checkbox field-error' : 'checkbox'}>
            <input type="checkbox" id="field-delete-confirm" name="confirm" value="on" required />
            <label for="field-delete-confirm">{t('account.delete.confirm')}</label>
          </div>
          <button type="submit" class="button button-danger">
            {t('account.delete.submit')}
          </button>
        </PostForm>
      </section>
    </>
  );
}

export function AccountDeletedPage() {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('account.deleted.title')}</PageHeading>
      <section class="panel">
        <p>{t('account.deleted.body')}</p>
        <p>
          <a href="/">{t('error.backHome')}</a>
        </p>
      </section>
    </>
  );
}
