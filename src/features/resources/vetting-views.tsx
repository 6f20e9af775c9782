import type { MessageKey } from '../../i18n/index.js';
import { formatDate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FieldError } from '../../platform/errors.js';
import { useView } from '../../views/context.js';
import {
  Checkbox,
  ErrorSummary,
  Field,
  ListRow,
  Notice,
  PageHeading,
  Pager,
  Paragraphs,
  PostForm,
  SelectField,
  TextArea,
} from '../../views/components.js';
import { freshnessOf, verificationLapsesAt, verificationMonthsBounds } from './freshness.js';
import {
  appliedFields,
  correctionFieldNames,
  correctionFields,
  correctionLimits,
  correctionReasons,
  type CorrectionView,
} from './services/corrections.js';
import { isVerificationMethod, verificationLimits, verificationMethods } from './services/verification.js';

export interface VettingFormState {
  values: Record<string, string>;
  errors: FieldError[];
  general?: MessageKey | undefined;
}

/**
 * A listing's verification in words, never colour alone (ADR 0056): verified with the date and
 * how, a staleness warning once the mark has lapsed, or "Not verified yet". Never who verified.
 * Props are the listing row's columns as stored, the months setting, the clock and the reader's locale.
 */
export function VerificationStatus(props: {
  verifiedAt: number | string | null;
  verifiedMethod: string | null;
  months: number;
  now: number;
  locale: Locale;
  /** Keepers are also told when the mark lapses. */
  showLapse?: boolean;
}) {
  const { t } = useView();
  const verifiedAt = props.verifiedAt === null ? null : Number(props.verifiedAt);
  const freshness = freshnessOf(verifiedAt, props.months, props.now);
  if (verifiedAt === null || freshness === 'unverified')
    return (
      <section class="verification verification-none" aria-label={t('resources.vetting.status.label')}>
        <p class="verification-title">
          <strong>{t('resources.vetting.status.unverified')}</strong>
        </p>
        <p class="hint">{t('resources.vetting.status.unverifiedHint')}</p>
      </section>
    );
  const date = formatDate(props.locale, verifiedAt);
  if (freshness === 'stale')
    return (
      <section
        class="verification verification-stale notice notice-warning"
        aria-label={t('resources.vetting.status.label')}
      >
        <p class="verification-title">
          <strong>{t('resources.vetting.status.staleTitle')}</strong>
        </p>
        <p>{t('resources.vetting.status.stale', { date })}</p>
      </section>
    );
  const method = isVerificationMethod(props.verifiedMethod) ? props.verifiedMethod : null;
  return (
    <section class="verification verification-fresh" aria-label={t('resources.vetting.status.label')}>
      <p class="verification-title">
        <strong>{t('resources.vetting.status.verified')}</strong>
      </p>
      <p>
        {t('resources.vetting.status.lastVerified', { date })}
        {method && <> {t('resources.vetting.status.how', { method: t(`resources.vetting.method.${method}`) })}</>}
      </p>
      {props.showLapse && (
        <p class="hint">
          {t('resources.vetting.status.lapses', {
            date: formatDate(props.locale, verificationLapsesAt(verifiedAt, props.months)),
          })}
        </p>
      )}
    </section>
  );
}

/**
 * "Information last checked <date>": HSDS's `assured_date` (`YYYY-MM-DD`), set when a keeper
 * accepts a correction. Nothing when the listing has none or it does not parse.
 */
export function InformationChecked(props: { assuredDate: string | null; locale: Locale }) {
  const { t } = useView();
  if (!props.assuredDate || !/^\d{4}-\d{2}-\d{2}/.test(props.assuredDate)) return null;
  const at = Date.parse(`${props.assuredDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(at)) return null;
  return <p class="information-checked">{t('resources.vetting.checked', { date: formatDate(props.locale, at) })}</p>;
}

const verifyNotices = ['verified', 'withdrawn'] as const;
export type VerifyNotice = (typeof verifyNotices)[number];
export const verifyNoticeOf = (v: unknown): VerifyNotice | undefined => verifyNotices.find((n) => n === v);

/** The keepers' page: the mark as members see it, the note, the form to mark or renew, and withdrawal. */
export function VerifyPage(props: {
  serviceId: string;
  name: string | null;
  verifiedAt: number | string | null;
  verifiedMethod: string | null;
  note: string | null;
  /** HSDS's `assured_date`: when the information was last checked. */
  assuredDate: string | null;
  months: number;
  now: number;
  today: string;
  notice?: VerifyNotice | undefined;
  verify?: VettingFormState | undefined;
  withdraw?: VettingFormState | undefined;
}) {
  const { t, locale } = useView();
  const values = props.verify?.values ?? {};
  const errors = props.verify?.errors ?? [];
  const withdrawErrors = props.withdraw?.errors ?? [];
  return (
    <>
      <PageHeading lead={t('resources.vetting.verify.lead')}>
        {t('resources.vetting.verify.title')}
        {props.name && (
          <>
            {': '}
            <bdi dir="auto">{props.name}</bdi>
          </>
        )}
      </PageHeading>
      {props.notice && <Notice kind="success">{t(`resources.vetting.done.${props.notice}`)}</Notice>}
      <section class="panel" aria-labelledby="current-heading">
        <h2 id="current-heading">{t('resources.vetting.verify.current')}</h2>
        <VerificationStatus
          verifiedAt={props.verifiedAt}
          verifiedMethod={props.verifiedMethod}
          months={props.months}
          now={props.now}
          locale={locale}
          showLapse
        />
        <InformationChecked assuredDate={props.assuredDate} locale={locale} />
        {props.note && (
          <>
            <h3>{t('resources.vetting.verify.keepersNote')}</h3>
            <Paragraphs text={props.note} />
          </>
        )}
      </section>
      <section class="panel" aria-labelledby="verify-heading">
        <h2 id="verify-heading">{t('resources.vetting.verify.formHeading')}</h2>
        {props.verify && <ErrorSummary errors={errors} general={props.verify.general} />}
        <PostForm action={`/resources/${encodeURIComponent(props.serviceId)}/verify`}>
          <Field
            type="date"
            dir="ltr"
            name="date"
            label={t('resources.vetting.verify.date')}
            hint={t('resources.vetting.verify.dateHint')}
            value={values.date ?? props.today}
            min={verificationLimits.dateMin}
            max={props.today}
            errors={errors}
          />
          <SelectField
            name="method"
            label={t('resources.vetting.verify.method')}
            value={values.method ?? ''}
            errors={errors}
            options={[
              { value: '', label: t('resources.vetting.verify.methodChoose') },
              ...verificationMethods.map((m) => ({ value: m, label: t(`resources.vetting.verify.option.${m}`) })),
            ]}
          />
          <TextArea
            name="note"
            label={t('resources.vetting.verify.note')}
            hint={t('resources.vetting.verify.noteHint')}
            value={values.note}
            errors={errors}
            rows={4}
            maxLength={verificationLimits.noteMax}
          />
          <button type="submit" class="button">
            {t('resources.vetting.verify.submit')}
          </button>
        </PostForm>
      </section>
      {props.verifiedAt !== null && (
        <section class="panel" aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">{t('resources.vetting.withdraw.heading')}</h2>
          {props.withdraw && <ErrorSummary errors={withdrawErrors} general={props.withdraw.general} form="withdraw" />}
          <PostForm action={`/resources/${encodeURIComponent(props.serviceId)}/verify/withdraw`}>
            <Field
              name="reason"
              form="withdraw"
              label={t('resources.vetting.withdraw.reason')}
              hint={t('resources.vetting.withdraw.reasonHint')}
              value={props.withdraw?.values.reason}
              errors={withdrawErrors}
              maxLength={verificationLimits.reasonMax}
              required
            />
            <button type="submit" class="button button-danger">
              {t('resources.vetting.withdraw.submit')}
            </button>
          </PostForm>
        </section>
      )}
      <p>
        <a href={`/resources/${encodeURIComponent(props.serviceId)}`}>{t('resources.vetting.verify.back')}</a>
      </p>
    </>
  );
}

/** The administrators' page for the directory's setting: how many months a verification holds. */
export function DirectorySettingsPage(props: { months: number; saved: boolean; form?: VettingFormState | undefined }) {
  const { t } = useView();
  const { min, max } = verificationMonthsBounds;
  const errors = props.form?.errors ?? [];
  return (
    <>
      <PageHeading lead={t('resources.vetting.settings.lead')}>{t('resources.vetting.settings.title')}</PageHeading>
      {props.saved && <Notice kind="success">{t('resources.vetting.settings.saved')}</Notice>}
      {props.form && <ErrorSummary errors={errors} general={props.form.general} />}
      <PostForm action="/admin/resources">
        <Field
          name="months"
          type="number"
          label={t('resources.vetting.settings.months')}
          hint={t('resources.vetting.settings.monthsHint', { min, max })}
          value={props.form?.values.months ?? String(props.months)}
          errors={errors}
          min={min}
          max={max}
          inputMode="numeric"
          required
        />
        <button type="submit" class="button">
          {t('resources.vetting.settings.save')}
        </button>
      </PostForm>
    </>
  );
}

/** A member's correction: the problem, what is wrong, the fix field by field, by name or anonymously. */
export function CorrectPage(props: {
  serviceId: string;
  name: string | null;
  sent: boolean;
  form?: VettingFormState | undefined;
}) {
  const { t } = useView();
  const values = props.form?.values ?? {};
  const errors = props.form?.errors ?? [];
  return (
    <>
      <PageHeading lead={t('resources.vetting.correct.lead')}>
        {t('resources.vetting.correct.title')}
        {props.name && (
          <>
            {': '}
            <bdi dir="auto">{props.name}</bdi>
          </>
        )}
      </PageHeading>
      {props.sent && <Notice kind="success">{t('resources.vetting.correct.sent')}</Notice>}
      {props.form && <ErrorSummary errors={errors} general={props.form.general} />}
      <PostForm action={`/resources/${encodeURIComponent(props.serviceId)}/correct`}>
        <SelectField
          name="reason"
          label={t('resources.vetting.correct.reason')}
          value={values.reason ?? 'outdated'}
          errors={errors}
          options={correctionReasons.map((r) => ({ value: r, label: t(`resources.vetting.correct.reason.${r}`) }))}
        />
        <TextArea
          name="note"
          label={t('resources.vetting.correct.note')}
          hint={t('resources.vetting.correct.noteHint')}
          value={values.note}
          errors={errors}
          rows={4}
          maxLength={correctionLimits.noteMax}
        />
        <fieldset class="fieldset">
          <legend>{t('resources.vetting.correct.proposedHeading')}</legend>
          <p class="hint">{t('resources.vetting.correct.proposedHint')}</p>
          {correctionFieldNames.map((field) =>
            field === 'description' || field === 'hours' || field === 'other' ? (
              <TextArea
                key={field}
                name={field}
                label={t(`resources.vetting.correct.field.${field}`)}
                value={values[field]}
                errors={errors}
                rows={3}
                maxLength={correctionFields[field]}
              />
            ) : (
              <Field
                key={field}
                name={field}
                label={t(`resources.vetting.correct.field.${field}`)}
                value={values[field]}
                errors={errors}
                maxLength={correctionFields[field]}
                autocomplete="off"
              />
            ),
          )}
        </fieldset>
        <Checkbox
          name="anonymous"
          label={t('resources.vetting.correct.anonymous')}
          hint={t('resources.vetting.correct.anonymousHint')}
          checked={values.anonymous === 'on'}
        />
        <button type="submit" class="button">
          {t('resources.vetting.correct.submit')}
        </button>
      </PostForm>
      <p>
        <a href={`/resources/${encodeURIComponent(props.serviceId)}`}>{t('resources.vetting.verify.back')}</a>
      </p>
    </>
  );
}

const queueNotices = ['accepted', 'declined'] as const;
export type QueueNotice = (typeof queueNotices)[number];
export const queueNoticeOf = (v: unknown): QueueNotice | undefined => queueNotices.find((n) => n === v);

/** The keepers' queue of corrections, oldest first: what is wrong and the fix, never who sent it. */
export function CorrectionsQueuePage(props: {
  corrections: CorrectionView[];
  next: string | null;
  notice?: QueueNotice | undefined;
  /** The correction whose decision was refused, with its problems. */
  form?: (VettingFormState & { id: string }) | undefined;
}) {
  const { t, formatDate: date } = useView();
  return (
    <>
      <PageHeading lead={t('resources.vetting.queue.lead')}>{t('resources.vetting.queue.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(`resources.vetting.done.${props.notice}`)}</Notice>}
      {props.form && <ErrorSummary errors={props.form.errors} general={props.form.general} form={props.form.id} />}
      {props.corrections.length === 0 ? (
        <p>{t('resources.vetting.queue.empty')}</p>
      ) : (
        <ul class="row-list" aria-label={t('resources.vetting.queue.title')}>
          {props.corrections.map((c) => {
            const form = props.form?.id === c.id ? props.form : undefined;
            const proposed = correctionFieldNames.filter((f) => c.proposed[f]);
            return (
              <ListRow
                key={c.id}
                title={
                  <a href={`/resources/${encodeURIComponent(c.serviceId)}`}>
                    <bdi dir="auto">{c.serviceName ?? t('resources.vetting.queue.unnamed')}</bdi>
                  </a>
                }
                facts={[
                  {
                    label: t('resources.vetting.queue.reason'),
                    value: t(`resources.vetting.correct.reason.${c.reason}`),
                  },
                  { label: t('resources.vetting.queue.sent'), value: date(c.createdAt) },
                  ...(c.note
                    ? [{ label: t('resources.vetting.queue.note'), value: <Paragraphs text={c.note} /> }]
                    : []),
                  ...proposed.map((f) => ({
                    label: t(`resources.vetting.correct.field.${f}`),
                    value: (
                      <>
                        <Paragraphs text={c.proposed[f] ?? ''} />
                        {((f === 'address' && c.confidential.address) || (f === 'phone' && c.confidential.phone)) && (
                          <p class="hint">{t('resources.vetting.queue.confidential')}</p>
                        )}
                      </>
                    ),
                  })),
                ]}
              >
                {proposed.some((f) => !appliedFields.includes(f)) && (
                  <p class="hint">{t('resources.vetting.queue.notApplied')}</p>
                )}
                <PostForm action={`/resources/corrections/${encodeURIComponent(c.id)}/decision`} class="stack">
                  <Field
                    name="reason"
                    form={c.id}
                    label={t('resources.vetting.queue.decisionReason')}
                    value={form?.values.reason}
                    errors={form?.errors ?? []}
                    maxLength={correctionLimits.reasonMax}
                  />
                  <div class="actions">
                    <button type="submit" name="decision" value="accept" class="button button-small">
                      {t('resources.vetting.queue.accept')}
                    </button>
                    <button type="submit" name="decision" value="decline" class="button button-small button-secondary">
                      {t('resources.vetting.queue.decline')}
                    </button>
                  </div>
                </PostForm>
              </ListRow>
            );
          })}
        </ul>
      )}
      <Pager next={props.next} base="/resources/corrections" label={t('resources.vetting.queue.more')} />
    </>
  );
}

/** The link a listing page shows readers who may correct it. */
export function CorrectionLink(props: { serviceId: string }) {
  const { t } = useView();
  return (
    <p class="correction-link">
      <a href={`/resources/${encodeURIComponent(props.serviceId)}/correct`}>{t('resources.vetting.correct.link')}</a>
    </p>
  );
}

/** The link a listing page shows the directory's keepers (`abilities.verify`). */
export function VerifyLink(props: { serviceId: string }) {
  const { t } = useView();
  return (
    <p class="verify-link">
      <a href={`/resources/${encodeURIComponent(props.serviceId)}/verify`}>{t('resources.vetting.verify.link')}</a>
    </p>
  );
}
