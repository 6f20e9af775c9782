import { SignedInNotice } from '../../views/signed-in.js';
import { useView } from '../../views/context.js';
import { ErrorSummary, Field, Notice, PageHeading, PostForm, TextArea } from '../../views/components.js';
import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import type { RegistrationMode } from '../../config.js';
import { passphraseLength } from '../../security/passphrase.js';
import { usernameLength } from '../../security/username.js';

export interface FormState {
  values?: Record<string, string | undefined>;
  errors?: FieldError[];
  /** A problem with the form as a whole, such as wrong credentials. */
  general?: MessageKey | undefined;
}

/** The new-passphrase field with the ASVS nudge towards 15 or more characters. */
export function NewPassphraseField(props: {
  name?: string;
  label?: string;
  errors?: FieldError[] | undefined;
  form?: string;
}) {
  const { t } = useView();
  return (
    <div
      data-passphrase-hint
      data-recommended={passphraseLength.recommended}
      data-length-label={t('auth.passphrase.lengthSoFar')}
      data-strong-text={t('auth.passphrase.strong')}
    >
      <Field
        name={props.name ?? 'passphrase'}
        form={props.form}
        type="password"
        label={props.label ?? t('auth.passphrase.label')}
        hint={t('auth.passphrase.hint', { min: passphraseLength.min, recommended: passphraseLength.recommended })}
        autocomplete="new-password"
        required
        minLength={passphraseLength.min}
        maxLength={passphraseLength.max}
        spellcheck={false}
        autocapitalize="none"
        errors={props.errors}
      />
    </div>
  );
}

export function UsernameField(props: {
  value?: string | undefined;
  errors?: FieldError[] | undefined;
  isNew: boolean;
}) {
  const { t } = useView();
  return (
    <Field
      name="username"
      label={t('auth.username.label')}
      hint={props.isNew ? t('auth.username.hint', { min: usernameLength.min, max: usernameLength.max }) : undefined}
      value={props.value}
      autocomplete="username"
      required
      maxLength={props.isNew ? usernameLength.max : 100}
      spellcheck={false}
      autocapitalize="none"
      errors={props.errors}
    />
  );
}

export function RegisterPage(props: FormState & { mode: RegistrationMode; questions?: string[]; answerMax?: number }) {
  const { t, actor } = useView();
  const errors = props.errors ?? [];
  if (actor.kind === 'user') {
    return (
      <>
        <PageHeading>{t('auth.register.title')}</PageHeading>
        <SignedInNotice>
          <p>{t('auth.register.signedIn')}</p>
        </SignedInNotice>
      </>
    );
  }
  if (props.mode === 'closed') {
    return (
      <>
        <PageHeading>{t('auth.register.title')}</PageHeading>
        <Notice kind="info">{t('auth.register.closed')}</Notice>
      </>
    );
  }
  return (
    <>
      <PageHeading lead={t('auth.register.lead')}>{t('auth.register.title')}</PageHeading>
      <ErrorSummary errors={errors} general={props.general} />
      <section class="panel">
        <PostForm action="/register">
          <UsernameField value={props.values?.username} errors={errors} isNew />
          <NewPassphraseField errors={errors} />
          {props.mode === 'approval' && (
            <>
              <p>{t('auth.application.lead')}</p>
              {(props.questions ?? []).map((question, i) => (
                <TextArea
                  key={i}
                  name={`answer${i + 1}`}
                  label={question}
                  value={props.values?.[`answer${i + 1}`]}
                  rows={3}
                  maxLength={props.answerMax}
                  required
                  errors={errors}
                />
              ))}
            </>
          )}
          {(props.mode === 'invite' || props.mode === 'approval') && (
            <Field
              name="invite"
              label={props.mode === 'approval' ? t('auth.application.inviteLabel') : t('auth.invite.label')}
              hint={props.mode === 'approval' ? t('auth.application.inviteHint') : t('auth.invite.hint')}
              value={props.values?.invite}
              autocomplete="off"
              required={props.mode === 'invite'}
              maxLength={100}
              spellcheck={false}
              autocapitalize="none"
              errors={errors}
            />
          )}
          <p class="hint">{t('auth.register.privacy')}</p>
          <button type="submit" class="button">
            {t('auth.register.submit')}
          </button>
        </PostForm>
      </section>
      <p>
        {t('auth.register.haveAccount')} <a href="/login">{t('nav.signIn')}</a>
      </p>
    </>
  );
}

export function LoginPage(props: FormState & { next: string; kept?: boolean }) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading>{t('auth.login.title')}</PageHeading>
      {props.kept && <Notice kind="info">{t('auth.login.kept')}</Notice>}
      <ErrorSummary errors={errors} general={props.general} />
      <section class="panel">
        <PostForm action="/login">
          <input type="hidden" name="next" value={props.next} />
          <UsernameField value={props.values?.username} errors={errors} isNew={false} />
          <Field
            name="passphrase"
            type="password"
            label={t('auth.passphrase.label')}
            autocomplete="current-password"
            required
            maxLength={1000}
            spellcheck={false}
            autocapitalize="none"
            errors={errors}
          />
          <button type="submit" class="button">
            {t('auth.login.submit')}
          </button>
        </PostForm>
      </section>
      <ul class="link-list">
        <li>
          <a href="/recover">{t('auth.login.forgot')}</a>
        </li>
        <li>
          <a href="/register">{t('nav.register')}</a>
        </li>
      </ul>
    </>
  );
}

export function RecoverPage(props: FormState) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('auth.recover.lead')}>{t('auth.recover.title')}</PageHeading>
      <ErrorSummary errors={errors} general={props.general} />
      <section class="panel">
        <PostForm action="/recover">
          <UsernameField value={props.values?.username} errors={errors} isNew={false} />
          <Field
            name="code"
            label={t('auth.recover.codeLabel')}
            hint={t('auth.recover.codeHint')}
            value={props.values?.code}
            autocomplete="one-time-code"
            required
            maxLength={100}
            spellcheck={false}
            autocapitalize="none"
            errors={errors}
          />
          <NewPassphraseField label={t('auth.recover.newPassphrase')} errors={errors} />
          <button type="submit" class="button">
            {t('auth.recover.submit')}
          </button>
        </PostForm>
      </section>
    </>
  );
}

/** Recovery codes, shown once: after registering, setting up, or asking for new ones. */
export function RecoveryCodesPage(props: { codes: string[]; title: string; continueHref: string; pending?: boolean }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('auth.codes.lead')}>{props.title}</PageHeading>
      {props.pending && <Notice kind="info">{t('auth.application.sent')}</Notice>}
      <section class="panel">
        <Notice kind="warning">{t('auth.codes.warning')}</Notice>
        <ol class="recovery-codes" dir="ltr">
          {props.codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <p>{t('auth.codes.howToKeep')}</p>
        <p class="actions">
          <a class="button" href={props.continueHref}>
            {t('auth.codes.continue')}
          </a>
        </p>
      </section>
    </>
  );
}

export function RecoveredPage(props: { codesLeft: number }) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('auth.recovered.title')}</PageHeading>
      <section class="panel">
        <Notice kind="success">{t('auth.recovered.body')}</Notice>
        <p>{t('auth.recovered.codesLeft', { count: props.codesLeft })}</p>
        <p class="actions">
          <a class="button" href="/account">
            {t('auth.recovered.toAccount')}
          </a>
        </p>
      </section>
    </>
  );
}

/** What an applicant sees at sign-in instead of being signed in (ADR 0051). */
export function ApplicationStatusPage(props: { status: 'pending' | 'declined'; message?: string | null }) {
  const { t } = useView();
  if (props.status === 'pending') {
    return (
      <>
        <PageHeading>{t('auth.application.waitingTitle')}</PageHeading>
        <Notice kind="info">{t('auth.application.waiting')}</Notice>
      </>
    );
  }
  return (
    <>
      <PageHeading>{t('auth.application.declinedTitle')}</PageHeading>
      <Notice kind="info">{t('auth.application.declined')}</Notice>
      {props.message && (
        <section class="panel" aria-labelledby="decision-message">
          <h2 id="decision-message">{t('auth.application.messageFromModerators')}</h2>
          <p dir="auto">{props.message}</p>
        </section>
      )}
    </>
  );
}
