import { formatDate } from '../../i18n/index.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { countriesFor, countryName, languageName } from '../../i18n/regions.js';
import type { FieldError } from '../../platform/errors.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  Field,
  ListRow,
  Notice,
  PageHeading,
  Pager,
  PostForm,
  SelectField,
  TextArea,
} from '../../views/components.js';
import { useView } from '../../views/context.js';
import { dayMs, jobLimits, listingVisibilities } from './jobs-schemas.js';
import type { CrisisLine } from './services/crisis.js';
import { isExpiredJob } from './policy.js';
import { dayOf, isApplyUrl, type JobRow, latestExpiry } from './services/jobs.js';
import { localised } from './translations.js';

export type JobsNotice = 'submitted' | 'published' | 'removed';
export const jobsNoticeOf = (v: unknown): JobsNotice | undefined =>
  v === 'submitted' || v === 'published' || v === 'removed' ? v : undefined;

/** Where a posting is: its city and country, and whether it can be done from anywhere. */
function placeOf(t: ReturnType<typeof useView>['t'], locale: Locale, job: Pick<JobRow, 'country' | 'city' | 'remote'>) {
  const parts = [job.city, job.country ? countryName(locale, job.country) : null].filter(Boolean) as string[];
  if (job.remote === 1) parts.push(t('resources.jobs.remote'));
  return parts.join(t('resources.jobs.placeSeparator'));
}

/** Open postings the reader may read, newest first. */
export function JobsPage(props: {
  /** The reader's own postings waiting for review. */
  pending: JobRow[];
  jobs: JobRow[];
  next: string | null;
  notice?: JobsNotice | undefined;
  canPost: boolean;
}) {
  const { t, locale, formatDate: date } = useView();
  return (
    <>
      <PageHeading lead={t('resources.jobs.lead')}>{t('resources.jobs.title')}</PageHeading>
      {props.notice && (
        <Notice kind="success">
          <p>{t(`resources.jobs.done.${props.notice}`)}</p>
        </Notice>
      )}
      {props.canPost && (
        <p>
          <a class="button" href="/resources/jobs/new">
            {t('resources.jobs.post')}
          </a>
        </p>
      )}
      {props.pending.length > 0 && (
        <section class="panel" aria-labelledby="pending-heading">
          <h2 id="pending-heading">{t('resources.jobs.pending')}</h2>
          <ul>
            {props.pending.map((job) => {
              const title = localised(job, 'name', locale);
              return (
                <li key={job.id}>
                  <a href={`/resources/${job.id}`} dir="auto" lang={title.lang ?? undefined}>
                    {title.text}
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {props.jobs.length === 0 ? (
        <p class="muted">{t('resources.jobs.none')}</p>
      ) : (
        <ul class="row-list">
          {props.jobs.map((job) => {
            const title = localised(job, 'name', locale);
            const organization = localised(
              { translations: job.organization_translations, name: job.organization_name },
              'name',
              locale,
            );
            return (
              <ListRow
                key={job.id}
                title={
                  <a href={`/resources/${job.id}`} dir="auto" lang={title.lang ?? undefined}>
                    {title.text}
                  </a>
                }
                facts={[
                  {
                    label: t('resources.jobs.organization'),
                    value: <bdi dir="auto">{organization.text ?? ''}</bdi>,
                  },
                  { label: t('resources.jobs.place'), value: <bdi dir="auto">{placeOf(t, locale, job)}</bdi> },
                  { label: t('resources.jobs.openUntil'), value: date(job.expires_at ?? 0) },
                ]}
              />
            );
          })}
        </ul>
      )}
      <Pager next={props.next} base="/resources/jobs" label={t('resources.jobs.older')} />
    </>
  );
}

export interface JobFormState {
  values: Record<string, string>;
  errors: FieldError[];
  general?: MessageKey | undefined;
}

/** The posting form: works without JavaScript; refusals come back beside each field with nothing lost. */
export function JobFormPage(props: {
  state?: JobFormState | undefined;
  organizations: { id: string; name: string }[];
  groups: { id: string; name: string }[];
  /** A keeper's posting is published at once; a member's waits for review. */
  publishesAtOnce: boolean;
  now: number;
}) {
  const { t, locale, formatDate: date } = useView();
  const values = props.state?.values ?? {};
  const errors = props.state?.errors ?? [];
  const defaultExpiry = props.now + jobLimits.defaultDays * dayMs;
  const visibilityOptions = listingVisibilities
    .filter((v) => v !== 'group' || props.groups.length > 0)
    .map((v) => ({ value: v, label: t(`resources.jobs.visibility.${v}`) }));
  return (
    <>
      <PageHeading lead={t('resources.jobs.new.lead')}>{t('resources.jobs.new.title')}</PageHeading>
      {props.state && <ErrorSummary errors={errors} general={props.state.general} />}
      <Notice>
        <p>
          {props.publishesAtOnce ? t('resources.jobs.new.publishedAtOnce') : t('resources.jobs.new.waitsForReview')}
        </p>
        <p>
          {t('resources.jobs.new.expiry', {
            date: date(defaultExpiry),
            days: jobLimits.defaultDays,
            max: jobLimits.maxDays,
            keep: jobLimits.keepExpiredDays,
          })}
        </p>
      </Notice>
      <PostForm action="/resources/jobs">
        <Field
          name="title"
          label={t('resources.jobs.field.title')}
          value={values.title}
          errors={errors}
          maxLength={jobLimits.titleMax}
          required
        />
        {props.organizations.length > 0 && (
          <SelectField
            name="organizationId"
            label={t('resources.jobs.field.organizationId')}
            value={values.organizationId ?? ''}
            errors={errors}
            options={[
              { value: '', label: t('resources.jobs.field.organizationNew') },
              ...props.organizations.map((o) => ({ value: o.id, label: o.name })),
            ]}
          />
        )}
        <Field
          name="organizationName"
          label={t('resources.jobs.field.organizationName')}
          hint={props.organizations.length > 0 ? t('resources.jobs.field.organizationNameHint') : undefined}
          value={values.organizationName}
          errors={errors}
          maxLength={jobLimits.organizationNameMax}
        />
        <TextArea
          name="description"
          label={t('resources.jobs.field.description')}
          value={values.description}
          errors={errors}
          maxLength={jobLimits.descriptionMax}
          required
        />
        <SelectField
          name="country"
          label={t('resources.jobs.field.country')}
          hint={t('resources.jobs.field.countryHint')}
          value={values.country ?? ''}
          errors={errors}
          options={[
            { value: '', label: t('resources.jobs.field.countryNone') },
            ...countriesFor(locale).map((c) => ({ value: c.code, label: c.name })),
          ]}
        />
        <Field
          name="city"
          label={t('resources.jobs.field.city')}
          value={values.city}
          errors={errors}
          maxLength={jobLimits.cityMax}
        />
        <Checkbox
          name="remote"
          value="yes"
          label={t('resources.jobs.field.remote')}
          checked={values.remote === 'yes'}
        />
        <fieldset>
          <legend>{t('resources.jobs.field.apply')}</legend>
          <p class="hint">{t('resources.jobs.field.applyHint')}</p>
          <Field
            name="applyUrl"
            label={t('resources.jobs.field.applyUrl')}
            hint={t('resources.jobs.field.applyUrlHint')}
            value={values.applyUrl}
            errors={errors}
            maxLength={jobLimits.applyUrlMax}
            autocomplete="off"
            spellcheck={false}
          />
          <Field
            name="applyContact"
            label={t('resources.jobs.field.applyContact')}
            hint={t('resources.jobs.field.applyContactHint')}
            value={values.applyContact}
            errors={errors}
            maxLength={jobLimits.applyContactMax}
          />
        </fieldset>
        <TextArea
          name="inclusionStatement"
          label={t('resources.jobs.field.inclusionStatement')}
          hint={t('resources.jobs.field.inclusionStatementHint')}
          value={values.inclusionStatement}
          errors={errors}
          rows={4}
          maxLength={jobLimits.inclusionMax}
          required
        />
        <Field
          type="date"
          dir="ltr"
          name="expiresOn"
          label={t('resources.jobs.field.expiresOn')}
          hint={t('resources.jobs.field.expiresOnHint', { max: jobLimits.maxDays })}
          value={values.expiresOn ?? dayOf(defaultExpiry)}
          min={dayOf(props.now + dayMs)}
          max={dayOf(latestExpiry(props.now))}
          errors={errors}
        />
        <SelectField
          name="visibility"
          label={t('resources.jobs.field.visibility')}
          value={values.visibility ?? 'public'}
          errors={errors}
          options={visibilityOptions}
        />
        {props.groups.length > 0 && (
          <SelectField
            name="groupId"
            label={t('resources.jobs.field.groupId')}
            hint={t('resources.jobs.field.groupIdHint')}
            value={values.groupId ?? ''}
            errors={errors}
            options={[
              { value: '', label: t('resources.jobs.field.groupNone') },
              ...props.groups.map((g) => ({ value: g.id, label: g.name })),
            ]}
          />
        )}
        <button type="submit" class="button">
          {props.publishesAtOnce ? t('resources.jobs.new.publish') : t('resources.jobs.new.submit')}
        </button>
      </PostForm>
    </>
  );
}

/** The job fields of a listing row that JobDetails shows. */
export interface JobFields {
  id: string;
  kind: string;
  apply_url: string | null;
  apply_contact: string | null;
  inclusion_statement: string | null;
  expires_at: number | null;
}

/**
 * The part of a listing's page that only job postings have: how to apply (an external link says it
 * leaves Sanad and carries no referrer), the inclusion statement, and until when it is open, or that
 * it has expired (only keepers still reach an expired posting). `canManage` links keepers to
 * extending or removing it; `now` is the request's clock.
 */
export function JobDetails(props: { job: JobFields; locale: Locale; now: number; canManage?: boolean }) {
  const { t } = useView();
  const { job, locale } = props;
  if (job.kind !== 'job') return null;
  const expired = isExpiredJob(job, props.now);
  return (
    <section class="panel job-details" aria-labelledby="job-details-heading">
      <h2 id="job-details-heading">{t('resources.jobs.details.heading')}</h2>
      {expired && (
        <Notice kind="warning">
          <p>{t('resources.jobs.details.expired')}</p>
        </Notice>
      )}
      {(job.apply_url || job.apply_contact) && (
        <>
          <h3>{t('resources.jobs.details.apply')}</h3>
          {job.apply_url && isApplyUrl(job.apply_url) && (
            <p>
              <a href={job.apply_url} rel="noopener noreferrer nofollow" dir="ltr">
                {job.apply_url}
              </a>
              <br />
              <span class="hint">{t('resources.jobs.details.leavesSanad')}</span>
            </p>
          )}
          {job.apply_url && !isApplyUrl(job.apply_url) && (
            // Written before the check or changed by hand: shown as text, never as a link.
            <p dir="ltr">{job.apply_url}</p>
          )}
          {job.apply_contact && <p dir="auto">{job.apply_contact}</p>}
        </>
      )}
      {job.inclusion_statement && (
        <>
          <h3>{t('resources.jobs.details.inclusion')}</h3>
          {job.inclusion_statement.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i} dir="auto">
              {paragraph}
            </p>
          ))}
        </>
      )}
      {job.expires_at !== null && (
        <p>
          {t(expired ? 'resources.jobs.details.expiredOn' : 'resources.jobs.details.openUntil', {
            date: formatDate(locale, job.expires_at),
          })}
        </p>
      )}
      {props.canManage && (
        <p>
          <a href={`/resources/jobs/${job.id}/manage`}>{t('resources.jobs.manage.link')}</a>
        </p>
      )}
    </section>
  );
}

/** A keeper extends a posting (up to 180 days from today) or removes it. */
export function JobManagePage(props: { job: JobRow; state?: JobFormState | undefined; now: number }) {
  const { t, locale, formatDate: date } = useView();
  const { job } = props;
  const errors = props.state?.errors ?? [];
  const title = localised(job, 'name', locale);
  const expired = isExpiredJob(job, props.now);
  return (
    <>
      <PageHeading>{t('resources.jobs.manage.title')}</PageHeading>
      <p>
        <a href={`/resources/${job.id}`} dir="auto" lang={title.lang ?? undefined}>
          {title.text}
        </a>
      </p>
      <p>
        {t(expired ? 'resources.jobs.details.expiredOn' : 'resources.jobs.details.openUntil', {
          date: date(job.expires_at ?? 0),
        })}
      </p>
      {props.state && <ErrorSummary errors={errors} general={props.state.general} />}
      <section class="panel" aria-labelledby="extend-heading">
        <h2 id="extend-heading">{t('resources.jobs.manage.extend')}</h2>
        <PostForm action={`/resources/jobs/${job.id}/extend`}>
          <Field
            type="date"
            dir="ltr"
            name="expiresOn"
            label={t('resources.jobs.field.expiresOn')}
            hint={t('resources.jobs.field.expiresOnHint', { max: jobLimits.maxDays })}
            value={props.state?.values.expiresOn ?? dayOf(props.now + jobLimits.defaultDays * dayMs)}
            min={dayOf(props.now + dayMs)}
            max={dayOf(latestExpiry(props.now))}
            errors={errors}
          />
          <button type="submit" class="button">
            {t('resources.jobs.manage.extendButton')}
          </button>
        </PostForm>
      </section>
      <section class="panel" aria-labelledby="remove-heading">
        <h2 id="remove-heading">{t('resources.jobs.manage.remove')}</h2>
        <p class="hint">{t('resources.jobs.manage.removeHint')}</p>
        <ActionButton
          action={`/resources/jobs/${job.id}/remove`}
          label={t('resources.jobs.manage.removeButton')}
          kind="danger"
        />
      </section>
    </>
  );
}

const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** MO,TU… as the reader's weekday names (1 January 2024 was a Monday), or "Every day". */
function daysOf(t: ReturnType<typeof useView>['t'], locale: Locale, byday: string | null): string {
  if (!byday) return '';
  const names = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const indexes = [
    ...new Set(
      byday
        .split(',')
        .map((code) => weekdayCodes.indexOf(code.trim().toUpperCase() as (typeof weekdayCodes)[number]))
        .filter((i) => i >= 0),
    ),
  ];
  if (indexes.length === weekdayCodes.length) return t('resources.crisis.everyDay');
  const days = indexes.map((i) => names.format(Date.UTC(2024, 0, 1 + i)));
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(days);
}

/** A number as a `tel:` link dials it: digits and a leading plus only. */
const telOf = (number: string): string => number.replace(/[^\d+]/g, '');

function CrisisLineItem(props: { line: CrisisLine }) {
  const { t, locale } = useView();
  const { line } = props;
  const name = localised(line, 'name', locale);
  const description = localised(line, 'description', locale);
  const organization = localised(
    { translations: line.organizationTranslations, name: line.organizationName },
    'name',
    locale,
  );
  const languages = line.languages.map((code) => languageName(locale, code)).sort(new Intl.Collator(locale).compare);
  return (
    <li class="crisis-line">
      <h3 dir="auto" lang={name.lang ?? undefined}>
        {name.text}
      </h3>
      {organization.text && organization.text !== name.text && (
        <p class="muted" dir="auto">
          {organization.text}
        </p>
      )}
      {line.phones.length > 0 ? (
        <ul class="crisis-phones">
          {line.phones.map((phone) => (
            <li key={phone.number}>
              {telOf(phone.number) ? (
                <a class="crisis-phone" href={`tel:${telOf(phone.number)}`} dir="ltr">
                  {phone.number}
                </a>
              ) : (
                <span dir="ltr">{phone.number}</span>
              )}
              {phone.description && (
                <span class="hint" dir="auto">
                  {' '}
                  {phone.description}
                </span>
              )}
              {phone.confidential && (
                <>
                  {' '}
                  {/* As on the listing page: a number keepers share in confidence is said to be one. */}
                  <strong class="in-confidence">{t('resources.listings.confidential')}</strong>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('resources.crisis.noPhone')}</p>
      )}
      <dl class="row-facts">
        {line.hours.length > 0 && (
          <div>
            <dt>{t('resources.crisis.hours')}</dt>
            <dd>
              {line.hours.map((h, i) => (
                <span key={i} class="crisis-hours">
                  {h.opensAt && h.closesAt
                    ? t('resources.crisis.window', {
                        days: daysOf(t, locale, h.byday),
                        opens: h.opensAt,
                        closes: h.closesAt,
                      })
                    : (h.description ?? daysOf(t, locale, h.byday))}
                </span>
              ))}
            </dd>
          </div>
        )}
        {languages.length > 0 && (
          <div>
            <dt>{t('resources.crisis.languages')}</dt>
            <dd>{new Intl.ListFormat(locale, { type: 'conjunction' }).format(languages)}</dd>
          </div>
        )}
      </dl>
      {description.text && (
        <p dir="auto" lang={description.lang ?? undefined}>
          {description.text}
        </p>
      )}
      <p>
        <a href={`/resources/${line.id}`}>{t('resources.crisis.more')}</a>
      </p>
    </li>
  );
}

function CrisisList(props: { lines: CrisisLine[]; none: string }) {
  if (props.lines.length === 0) return <p class="muted">{props.none}</p>;
  return (
    <ul class="crisis-lines">
      {props.lines.map((line) => (
        <CrisisLineItem key={line.id} line={line} />
      ))}
    </ul>
  );
}

/**
 * Crisis lines for the country the member chose on this page (never one detected), the
 * international ones, and the chooser, always there, so the page is the second click from any
 * page's footer. Works without JavaScript and without the cookie (`?country=`).
 */
export function CrisisPage(props: {
  country: string | null;
  /** The country kept in this browser's cookie, if any. */
  remembered: string | null;
  local: CrisisLine[];
  international: CrisisLine[];
  countriesWithLines: string[];
}) {
  const { t, locale } = useView();
  const name = props.country ? countryName(locale, props.country) : null;
  return (
    <>
      <PageHeading lead={t('resources.crisis.lead')}>{t('resources.crisis.title')}</PageHeading>
      <Notice kind="warning">
        <p>{t('resources.crisis.emergency')}</p>
      </Notice>
      <p>{t('resources.crisis.keptByCommunity')}</p>
      {props.country && name && (
        <section aria-labelledby="local-heading">
          <h2 id="local-heading">{t('resources.crisis.inCountry', { country: name })}</h2>
          <CrisisList lines={props.local} none={t('resources.crisis.noneInCountry', { country: name })} />
          <p>
            <a href="#choose">{t('resources.crisis.change')}</a>
          </p>
          {props.remembered === props.country ? (
            <ActionButton
              action="/resources/crisis/country/forget"
              label={t('resources.crisis.forget')}
              kind="secondary"
            />
          ) : (
            <ActionButton
              action="/resources/crisis/country"
              fields={{ country: props.country }}
              label={t('resources.crisis.remember', { country: name })}
              kind="secondary"
            />
          )}
        </section>
      )}
      <section aria-labelledby="international-heading">
        <h2 id="international-heading">{t('resources.crisis.international')}</h2>
        <CrisisList lines={props.international} none={t('resources.crisis.noneInternational')} />
      </section>
      <section class="panel" id="choose" aria-labelledby="choose-heading">
        <h2 id="choose-heading">{t('resources.crisis.choose')}</h2>
        <p class="hint">{t('resources.crisis.chooseHint')}</p>
        {props.countriesWithLines.length > 0 && (
          <ul class="country-links">
            {props.countriesWithLines.map((code) => (
              <li key={code}>
                <a
                  href={`/resources/crisis?country=${code}`}
                  aria-current={code === props.country ? 'page' : undefined}
                >
                  {countryName(locale, code)}
                </a>
              </li>
            ))}
          </ul>
        )}
        <PostForm action="/resources/crisis/country">
          <SelectField
            name="country"
            label={t('resources.crisis.country')}
            value={props.country ?? ''}
            options={[
              { value: '', label: t('resources.crisis.countryNone') },
              ...countriesFor(locale).map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
          <button type="submit" class="button">
            {t('resources.crisis.show')}
          </button>
        </PostForm>
      </section>
    </>
  );
}
