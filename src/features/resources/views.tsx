import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { countriesFor, countryName, groupLanguages, languageName } from '../../i18n/regions.js';
import type { FieldError } from '../../platform/errors.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  Field,
  fieldId,
  ListRow,
  Notice,
  PageHeading,
  Paragraphs,
  PostForm,
  SelectField,
  TextArea,
} from '../../views/components.js';
import { useView } from '../../views/context.js';
import type { ListingDetail } from './detail.js';
import { listingLimits, type TermView, weekDays, weekStarts } from './schemas.js';
import { regionTimeZones } from './services/listings-input.js';
import type { PendingListing } from './services/listings.js';
import { localised } from './translations.js';

type Text = { text: string | null; lang: string | null };

/** A name or description someone wrote, in its own language and direction. */
function Written(props: { value: Text; as?: 'span' | 'p' | 'h1' | 'h2' }) {
  const Tag = props.as ?? 'span';
  return (
    <Tag lang={props.value.lang ?? undefined} dir="auto">
      {props.value.text ?? ''}
    </Tag>
  );
}

/** The reader's comma between a list's parts: the Arabic comma only on Arabic pages. */
const comma = (locale: Locale) => (locale === 'ar' ? '، ' : ', ');

/** Said beside whatever a signed-in reader sees only because the listing's keepers trust them with it. */
function InConfidence() {
  const { t } = useView();
  return <strong class="in-confidence">{t('resources.listings.confidential')}</strong>;
}

/** The days of the week from the listing's own first day (Saturday, Sunday or Monday). */
const sundayFirst = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
export function weekFrom(wkst: string | null | undefined): string[] {
  const start = Math.max(0, sundayFirst.indexOf((wkst ?? 'SA') as (typeof sundayFirst)[number]));
  return [...sundayFirst.slice(start), ...sundayFirst.slice(0, start)];
}

const dayNames = new Map<string, string>();
/** A day's name in the reader's language, from the runtime's CLDR data. */
export function dayName(locale: Locale, day: string): string {
  const key = `${locale}:${day}`;
  let name = dayNames.get(key);
  if (!name) {
    // 7 January 2024 was a Sunday; noon UTC is the same day everywhere the name is read.
    const date = new Date(Date.UTC(2024, 0, 7 + sundayFirst.indexOf(day as (typeof sundayFirst)[number]), 12));
    name = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
    dayNames.set(key, name);
  }
  return name;
}

/** Each day's opening windows, in the listing's week order; several a day, some past midnight. */
export function openingDays(schedules: ListingDetail['schedules']) {
  const wkst = schedules.find((s) => s.wkst)?.wkst ?? 'SA';
  return weekFrom(wkst).map((day) => ({
    day,
    windows: schedules
      .filter(
        (s) =>
          s.opensAt &&
          s.closesAt &&
          (s.byday ?? '')
            .split(',')
            .map((d) => d.trim())
            .includes(day),
      )
      .map((s) => ({ opens: s.opensAt!, closes: s.closesAt!, overnight: s.closesAt! < s.opensAt! }))
      .sort((a, b) => a.opens.localeCompare(b.opens)),
  }));
}

function OpeningHours(props: { listing: ListingDetail }) {
  const { t, locale } = useView();
  const schedules = props.listing.schedules.filter((s) => s.opensAt && s.closesAt);
  const notes = props.listing.schedules.filter((s) => s.description).map((s) => s.description!);
  if (schedules.length === 0 && notes.length === 0) return null;
  const tz = schedules.find((s) => s.tz)?.tz ?? props.listing.tz;
  return (
    <section class="listing-section" aria-labelledby="listing-hours">
      <h2 id="listing-hours">{t('resources.listings.hours.title')}</h2>
      {tz && (
        <p class="hint">
          {t('resources.listings.hours.zone')} <bdi dir="ltr">{tz}</bdi>
        </p>
      )}
      {schedules.length > 0 && (
        <dl class="summary-list opening-hours">
          {openingDays(schedules).map(({ day, windows }) => (
            <div key={day} class="opening-day">
              <dt>{dayName(locale, day)}</dt>
              <dd>
                {windows.length === 0
                  ? t('resources.listings.hours.closed')
                  : windows.map((w, i) => (
                      <span key={i} class="opening-window">
                        {i > 0 && t('resources.listings.hours.and')}
                        <bdi dir="ltr">
                          <time>{w.opens}</time>–<time>{w.closes}</time>
                        </bdi>
                        {w.overnight && ` ${t('resources.listings.hours.nextDay')}`}
                      </span>
                    ))}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {notes.map((note, i) => (
        <p key={i} dir="auto">
          {note}
        </p>
      ))}
    </section>
  );
}

export interface ListingPageProps {
  listing: ListingDetail;
  /** The name of the group a group-limited listing is shared with, when the reader may see it. */
  groupName?: string | null | undefined;
  notice?: MessageKey | undefined;
  /** Under the heading: the verification status (vetting's `VerificationStatus`). */
  status?: ComponentChildren;
  /** After the details: members' notes, job details, anything another part adds. */
  sections?: ComponentChildren;
  /** For signed-in readers: the link that reports the listing to moderators. */
  reportLink?: ComponentChildren;
}

/** One listing, for reading and for printing on one page. */
export function ListingPage(props: ListingPageProps) {
  const { t, locale } = useView();
  const l = props.listing;
  const places = l.locations.filter((p) => p.addresses.length > 0);
  return (
    <article class="listing" aria-labelledby="listing-name">
      <div class="page-heading">
        <h1 id="listing-name" lang={l.name.lang ?? undefined} dir="auto">
          {l.name.text}
        </h1>
        {l.organization?.name.text && (
          <p class="lead">
            {t('resources.listings.by')} <Written value={l.organization.name} />
          </p>
        )}
      </div>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {l.reviewState === 'pending' && <Notice kind="warning">{t('resources.listings.pendingNotice')}</Notice>}
      {l.reviewState === 'declined' && <Notice kind="warning">{t('resources.listings.declinedNotice')}</Notice>}
      {props.status}
      {l.terms.length > 0 && (
        <ul class="group-facts listing-terms" aria-label={t('resources.listings.terms')}>
          {l.terms.map((term) => (
            <li key={term.id} class="tag" lang={term.nameLang} dir="auto">
              {term.name}
            </li>
          ))}
        </ul>
      )}
      {l.description.text && (
        <div class="listing-description" lang={l.description.lang ?? undefined}>
          <Paragraphs text={l.description.text} />
        </div>
      )}

      <section class="listing-section" aria-labelledby="listing-contact">
        <h2 id="listing-contact">{t('resources.listings.contact')}</h2>
        <dl class="summary-list">
          {l.phones.length > 0 && (
            <div>
              <dt>{t('resources.listings.phones')}</dt>
              <dd>
                <ul class="plain-list">
                  {l.phones.map((p) => (
                    <li key={p.id}>
                      {/* Imported numbers were not checked by our form: one without digits dials nothing. */}
                      {/\d/.test(p.number) ? (
                        <a href={`tel:${p.number.replace(/[^\d+]/g, '')}`}>
                          <bdi dir="ltr">{p.number}</bdi>
                        </a>
                      ) : (
                        <bdi dir="ltr">{p.number}</bdi>
                      )}
                      {p.extension !== null && <bdi dir="ltr"> ({p.extension})</bdi>}
                      {p.confidential && (
                        <>
                          {' '}
                          <InConfidence />
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
          {l.email && (
            <div>
              <dt>{t('resources.listings.email')}</dt>
              <dd>
                <a href={`mailto:${l.email}`} dir="ltr">
                  {l.email}
                </a>
              </dd>
            </div>
          )}
          {l.url && (
            <div>
              <dt>{t('resources.listings.url')}</dt>
              <dd>
                {/* Imported listings were not checked by our form: only a web address becomes a link. */}
                {/^https?:\/\//i.test(l.url) ? (
                  <a href={l.url} dir="ltr" rel="noopener noreferrer nofollow">
                    {l.url}
                  </a>
                ) : (
                  <bdi dir="ltr">{l.url}</bdi>
                )}
              </dd>
            </div>
          )}
          {l.contacts.map((c) => (
            <div key={c.id} class="listing-contact-person">
              <dt>{t('resources.listings.contactPerson')}</dt>
              <dd>
                <span dir="auto">{[c.name, c.title].filter(Boolean).join(' · ')}</span>
                {c.email && (
                  <>
                    {' '}
                    <a href={`mailto:${c.email}`} dir="ltr">
                      {c.email}
                    </a>
                  </>
                )}
                {c.confidential && (
                  <>
                    {' '}
                    <InConfidence />
                  </>
                )}
              </dd>
            </div>
          ))}
          {places.map((place) =>
            place.addresses.map((a) => (
              <div key={a.id}>
                <dt>{t('resources.listings.address')}</dt>
                <dd>
                  {/* Plain text: no map service learns who looked this place up. */}
                  <address dir="auto">
                    {[a.address1, a.address2].filter(Boolean).join('، ')}
                    <br />
                    {[a.city, a.stateProvince, a.postalCode].filter(Boolean).join(' ')}
                    {a.country && (
                      <>
                        <br />
                        {countryName(locale, a.country)}
                      </>
                    )}
                  </address>
                  {a.confidential && <InConfidence />}
                </dd>
              </div>
            )),
          )}
          {/* A listing with no city, no country and nothing remote has no "Where" to say. */}
          {(l.city || l.country || l.remote) && (
            <div>
              <dt>{t('resources.listings.where')}</dt>
              <dd>
                {[l.city ? <bdi dir="auto">{l.city}</bdi> : null, l.country ? countryName(locale, l.country) : null]
                  .filter(Boolean)
                  .map((part, i) => (
                    <span key={i}>
                      {i > 0 && comma(locale)}
                      {part}
                    </span>
                  ))}
                {l.remote && <span class="tag">{t('resources.listings.remote')}</span>}
              </dd>
            </div>
          )}
        </dl>
      </section>

      <OpeningHours listing={l} />

      <section class="listing-section" aria-labelledby="listing-access">
        <h2 id="listing-access">{t('resources.listings.access')}</h2>
        <dl class="summary-list">
          <div>
            <dt>{t('resources.listings.cost')}</dt>
            <dd>
              {l.cost ? t(`resources.listings.cost.${l.cost}`) : t('resources.listings.notSaid')}
              {l.costOptions.map((c, i) => (
                <span key={i} class="cost-option" dir="auto">
                  {' · '}
                  {[c.option, c.amount !== null ? String(c.amount) : null, c.currency, c.description]
                    .filter(Boolean)
                    .join(' ')}
                </span>
              ))}
            </dd>
          </div>
          {l.languages.length > 0 && (
            <div>
              <dt>{t('resources.listings.languages')}</dt>
              <dd>{l.languages.map((code) => languageName(locale, code)).join(comma(locale))}</dd>
            </div>
          )}
          {(l.eligibility.description || l.eligibility.minimumAge !== null || l.eligibility.maximumAge !== null) && (
            <div>
              <dt>{t('resources.listings.eligibility')}</dt>
              <dd>
                {l.eligibility.description && <p dir="auto">{l.eligibility.description}</p>}
                {(l.eligibility.minimumAge !== null || l.eligibility.maximumAge !== null) && (
                  <p>
                    {l.eligibility.minimumAge !== null && l.eligibility.maximumAge !== null
                      ? t('resources.listings.ages', {
                          min: l.eligibility.minimumAge,
                          max: l.eligibility.maximumAge,
                        })
                      : l.eligibility.minimumAge !== null
                        ? t('resources.listings.agesFrom', { min: l.eligibility.minimumAge })
                        : t('resources.listings.agesUpTo', { max: l.eligibility.maximumAge ?? 0 })}
                  </p>
                )}
              </dd>
            </div>
          )}
          {l.documents.length > 0 && (
            <div>
              <dt>{t('resources.listings.documents')}</dt>
              <dd>
                <ul class="plain-list">
                  {l.documents.map((d, i) => (
                    <li key={i} dir="auto">
                      {d}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
          {l.serviceAreas.length > 0 && (
            <div>
              <dt>{t('resources.listings.serviceAreas')}</dt>
              <dd dir="auto">
                {l.serviceAreas
                  .map((a) => a.name ?? a.description)
                  .filter(Boolean)
                  .join('، ')}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('resources.listings.sharedWith')}</dt>
            <dd>
              {t(`resources.listings.visibility.${l.visibility}`)}
              {l.visibility === 'group' && props.groupName && (
                <>
                  {': '}
                  <bdi dir="auto">{props.groupName}</bdi>
                </>
              )}
            </dd>
          </div>
          {l.lastModified && (
            <div>
              <dt>{t('resources.listings.lastModified')}</dt>
              <dd>
                <time datetime={l.lastModified}>{l.lastModified.slice(0, 10)}</time>
              </dd>
            </div>
          )}
        </dl>
      </section>

      {props.sections}

      <ul class="actions listing-actions">
        {l.abilities.correct && (
          <li>
            <a href={`/resources/${l.id}/correct`}>{t('resources.listings.correct')}</a>
          </li>
        )}
        {l.abilities.verify && (
          <li>
            <a href={`/resources/${l.id}/verify`}>{t('resources.vetting.verify.link')}</a>
          </li>
        )}
        {l.abilities.edit && (
          <li>
            <a href={`/resources/${l.id}/edit`}>{t('resources.listings.edit')}</a>
          </li>
        )}
        {props.reportLink && <li>{props.reportLink}</li>}
        {l.abilities.edit && (
          <li>
            <a href={`/resources/${l.id}/delete`}>{t('resources.listings.delete')}</a>
          </li>
        )}
      </ul>
    </article>
  );
}

// The form -----------------------------------------------------------------------------------------

/** What the form shows: the member's own words kept as typed, whatever was wrong with them. */
export interface ListingFormValues {
  fields: Record<string, string>;
  terms: string[];
  languages: string[];
  phones: string[];
  /** Indexes (0, 1, 2) of the phones marked confidential. */
  phoneConfidential: string[];
}

export const hourField = (day: string, window: number, end: 'o' | 'c') => `h-${day}-${window}-${end}`;

export interface ListingFormChoices {
  groups: { id: string; name: string }[];
  organizations: { id: string; name: string | null; translations: string | null; language: string | null }[];
  terms: TermView[];
}

function GroupOfFields(props: {
  name: string;
  legend: string;
  hint?: string | undefined;
  errors: FieldError[];
  children: ComponentChildren;
}) {
  const { t } = useView();
  const error = props.errors.find((e) => e.field === props.name);
  const id = fieldId(props.name);
  return (
    <fieldset
      id={id}
      class={error ? 'field-error' : undefined}
      aria-describedby={
        [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
      }
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {t(error.message, error.values)}
        </p>
      )}
      {props.children}
    </fieldset>
  );
}

/** Creating (a keeper), suggesting (a member) or editing (a keeper) a listing: the same form. */
export function ListingFormPage(props: {
  listingId?: string | undefined;
  keeper: boolean;
  values: ListingFormValues;
  errors: FieldError[];
  general?: MessageKey | undefined;
  choices: ListingFormChoices;
}) {
  const { t, locale } = useView();
  const v = props.values.fields;
  const errors = props.errors;
  const editing = props.listingId !== undefined;
  const title = editing
    ? t('resources.listings.form.editTitle')
    : props.keeper
      ? t('resources.listings.form.newTitle')
      : t('resources.listings.form.suggestTitle');
  const countries = countriesFor(locale).map((c) => ({ value: c.code, label: c.name }));
  const language = v.language === 'ar' || v.language === 'en' ? v.language : locale;
  const other = language === 'ar' ? 'en' : 'ar';
  return (
    <>
      <PageHeading lead={props.keeper ? undefined : t('resources.listings.form.suggestLead')}>{title}</PageHeading>
      <ErrorSummary errors={errors} general={props.general} />
      <PostForm action={editing ? `/resources/${props.listingId}/edit` : '/resources'} class="listing-form">
        <GroupOfFields name="organization" legend={t('resources.listings.form.organization')} errors={[]}>
          {props.choices.organizations.length > 0 && (
            <SelectField
              name="organizationId"
              label={t('resources.listings.form.organizationPick')}
              value={v.organizationId ?? ''}
              errors={errors}
              options={[
                { value: '', label: t('resources.listings.form.organizationNew') },
                ...props.choices.organizations.map((o) => ({
                  value: o.id,
                  label: localised(o, 'name', locale).text ?? o.id,
                })),
              ]}
            />
          )}
          <Field
            name="organizationName"
            label={t('resources.listings.form.organizationName')}
            hint={
              props.choices.organizations.length > 0 ? t('resources.listings.form.organizationNameHint') : undefined
            }
            value={v.organizationName}
            errors={errors}
            maxLength={listingLimits.organizationNameMax}
          />
        </GroupOfFields>

        <GroupOfFields name="language" legend={t('resources.listings.form.language')} errors={errors}>
          {(['ar', 'en'] as const).map((code) => (
            <div class="radio" key={code}>
              <input
                type="radio"
                id={`field-language-${code}`}
                name="language"
                value={code}
                checked={language === code}
              />
              <label for={`field-language-${code}`}>{languageName(locale, code)}</label>
            </div>
          ))}
        </GroupOfFields>
        <Field
          name="name"
          label={t('resources.listings.form.name')}
          value={v.name}
          errors={errors}
          maxLength={listingLimits.nameMax}
          required
        />
        <TextArea
          name="description"
          label={t('resources.listings.form.description')}
          value={v.description}
          errors={errors}
          maxLength={listingLimits.descriptionMax}
          rows={5}
          required
        />
        <details class="panel" open={Boolean(v.translationName || v.translationDescription) || undefined}>
          <summary>{t('resources.listings.form.translation', { language: languageName(locale, other) })}</summary>
          <Field
            name="translationName"
            label={t('resources.listings.form.translationName')}
            value={v.translationName}
            errors={errors}
            maxLength={listingLimits.nameMax}
          />
          <TextArea
            name="translationDescription"
            label={t('resources.listings.form.translationDescription')}
            value={v.translationDescription}
            errors={errors}
            maxLength={listingLimits.descriptionMax}
            rows={4}
          />
        </details>

        <GroupOfFields name="terms" legend={t('resources.listings.terms')} errors={errors}>
          <div class="checkbox-grid">
            {props.choices.terms.map((term) => (
              <Checkbox
                key={term.id}
                name="terms"
                value={term.id}
                id={`field-terms-${term.id}`}
                label={term.name}
                checked={props.values.terms.includes(term.id)}
              />
            ))}
          </div>
        </GroupOfFields>

        <GroupOfFields name="visibility" legend={t('resources.listings.form.visibility')} errors={errors}>
          {(['public', 'members', 'group'] as const).map((vis) => (
            <div class="radio" key={vis}>
              <input
                type="radio"
                id={`field-visibility-${vis}`}
                name="visibility"
                value={vis}
                checked={(v.visibility || 'public') === vis}
                aria-describedby={`field-visibility-${vis}-hint`}
              />
              <div>
                <label for={`field-visibility-${vis}`}>{t(`resources.listings.visibility.${vis}`)}</label>
                <p class="hint" id={`field-visibility-${vis}-hint`}>
                  {t(`resources.listings.visibility.${vis}Hint`)}
                </p>
              </div>
            </div>
          ))}
          {props.choices.groups.length > 0 ? (
            <SelectField
              name="groupId"
              label={t('resources.listings.form.group')}
              value={v.groupId ?? ''}
              errors={errors}
              options={[
                { value: '', label: t('resources.listings.form.noGroup') },
                ...props.choices.groups.map((g) => ({ value: g.id, label: g.name })),
              ]}
            />
          ) : (
            <p class="hint" id={fieldId('groupId')}>
              {t('resources.listings.form.noGroups')}
            </p>
          )}
        </GroupOfFields>

        <div class="form-row">
          <SelectField
            name="country"
            label={t('resources.listings.form.country')}
            value={v.country ?? ''}
            errors={errors}
            options={[{ value: '', label: t('resources.listings.form.noCountry') }, ...countries]}
          />
          <Field
            name="city"
            label={t('resources.listings.form.city')}
            value={v.city}
            errors={errors}
            maxLength={listingLimits.cityMax}
          />
        </div>
        <Checkbox
          name="remote"
          label={t('resources.listings.form.remote')}
          hint={t('resources.listings.form.remoteHint')}
          checked={v.remote === 'on'}
        />
        <SelectField
          name="cost"
          label={t('resources.listings.cost')}
          value={v.cost ?? ''}
          errors={errors}
          options={[
            { value: '', label: t('resources.listings.notSaid') },
            ...(['free', 'sliding', 'paid'] as const).map((c) => ({
              value: c,
              label: t(`resources.listings.cost.${c}`),
            })),
          ]}
        />
        <GroupOfFields name="languages" legend={t('resources.listings.languages')} errors={errors}>
          <div class="checkbox-grid">
            {groupLanguages.map((code) => (
              <Checkbox
                key={code}
                name="languages"
                value={code}
                id={`field-languages-${code}`}
                label={languageName(locale, code)}
                checked={props.values.languages.includes(code)}
              />
            ))}
          </div>
        </GroupOfFields>

        <GroupOfFields
          name="phones"
          legend={t('resources.listings.phones')}
          hint={t('resources.listings.form.phonesHint')}
          errors={errors}
        >
          {[0, 1, 2].map((i) => (
            <div class="form-row" key={i}>
              <Field
                name="phones"
                form={`p${i}`}
                label={t('resources.listings.form.phone', { number: i + 1 })}
                value={props.values.phones[i]}
                maxLength={listingLimits.phoneMax}
                autocomplete="off"
              />
              <Checkbox
                name="phoneConfidential"
                value={String(i)}
                id={`field-phoneConfidential-${i}`}
                // Each box says which number it keeps: three boxes all called "Confidential" cannot be told apart when heard.
                label={t('resources.listings.form.phoneConfidential', { number: i + 1 })}
                checked={props.values.phoneConfidential.includes(String(i))}
              />
            </div>
          ))}
        </GroupOfFields>
        <div class="form-row">
          <Field
            name="url"
            label={t('resources.listings.url')}
            value={v.url}
            errors={errors}
            maxLength={listingLimits.urlMax}
            autocomplete="off"
          />
          <Field
            name="email"
            label={t('resources.listings.email')}
            value={v.email}
            errors={errors}
            maxLength={listingLimits.emailMax}
            autocomplete="off"
          />
        </div>

        <GroupOfFields
          name="address"
          legend={t('resources.listings.address')}
          hint={t('resources.listings.form.addressHint')}
          errors={[]}
        >
          <Field
            name="address1"
            label={t('resources.listings.form.address1')}
            value={v.address1}
            errors={errors}
            maxLength={listingLimits.addressMax}
            autocomplete="off"
          />
          <div class="form-row">
            <Field
              name="addressCity"
              label={t('resources.listings.form.city')}
              value={v.addressCity}
              errors={errors}
              maxLength={listingLimits.cityMax}
              autocomplete="off"
            />
            <Field
              name="postalCode"
              label={t('resources.listings.form.postalCode')}
              value={v.postalCode}
              errors={errors}
              maxLength={listingLimits.postalCodeMax}
              autocomplete="off"
            />
          </div>
          <SelectField
            name="addressCountry"
            label={t('resources.listings.form.country')}
            value={v.addressCountry ?? ''}
            errors={errors}
            options={[{ value: '', label: t('resources.listings.form.noCountry') }, ...countries]}
          />
          <Checkbox
            name="addressConfidential"
            label={t('resources.listings.form.confidential')}
            hint={t('resources.listings.form.confidentialHint')}
            checked={v.addressConfidential === 'on'}
          />
        </GroupOfFields>

        <GroupOfFields
          name="hours"
          legend={t('resources.listings.hours.title')}
          hint={t('resources.listings.form.hoursHint')}
          errors={errors}
        >
          <div class="form-row">
            <SelectField
              name="wkst"
              label={t('resources.listings.form.weekStart')}
              value={v.wkst || 'SA'}
              errors={errors}
              options={weekStarts.map((d) => ({ value: d, label: dayName(locale, d) }))}
            />
            <SelectField
              name="tz"
              label={t('resources.listings.form.tz')}
              hint={t('resources.listings.form.tzHint')}
              value={v.tz ?? ''}
              errors={errors}
              options={[
                { value: '', label: t('resources.listings.form.tzByCountry') },
                ...regionTimeZones.map((z) => ({ value: z, label: z })),
                ...(v.tz && !(regionTimeZones as readonly string[]).includes(v.tz)
                  ? [{ value: v.tz, label: v.tz }]
                  : []),
              ]}
            />
          </div>
          <div class="hours-grid">
            {weekFrom(v.wkst || 'SA').map((day) => (
              <fieldset key={day} class="hours-day">
                <legend>{dayName(locale, day)}</legend>
                {Array.from({ length: listingLimits.windowsPerDay }, (_, i) => i + 1).map((n) => (
                  <div class="hours-window" key={n}>
                    {(['o', 'c'] as const).map((end) => {
                      const name = hourField(day, n, end);
                      return (
                        <span key={end} class="hours-time">
                          <label for={fieldId(name)}>
                            {t(end === 'o' ? 'resources.listings.form.opens' : 'resources.listings.form.closes', {
                              number: n,
                            })}
                          </label>
                          <input type="time" id={fieldId(name)} name={name} value={v[name] ?? ''} dir="ltr" />
                        </span>
                      );
                    })}
                  </div>
                ))}
              </fieldset>
            ))}
          </div>
        </GroupOfFields>

        <TextArea
          name="eligibility"
          label={t('resources.listings.eligibility')}
          value={v.eligibility}
          errors={errors}
          maxLength={listingLimits.eligibilityMax}
          rows={3}
        />
        <TextArea
          name="documents"
          label={t('resources.listings.documents')}
          hint={t('resources.listings.form.documentsHint')}
          value={v.documents}
          errors={errors}
          rows={3}
        />
        {!props.keeper && <Notice>{t('resources.listings.form.waitsForReview')}</Notice>}
        <button type="submit" class="button">
          {editing
            ? t('resources.listings.form.save')
            : props.keeper
              ? t('resources.listings.form.publish')
              : t('resources.listings.form.suggest')}
        </button>
      </PostForm>
    </>
  );
}

// Review, deletion, terms --------------------------------------------------------------------------

/** The keepers' own pages, linked from each other. */
function KeeperLinks() {
  const { t, currentPath } = useView();
  const links = [
    ['/resources/new', t('resources.listings.form.newTitle')],
    ['/resources/review', t('resources.listings.review.title')],
    ['/resources/terms', t('resources.listings.termsPage.title')],
  ].filter(([href]) => !currentPath.startsWith(href!));
  return (
    <nav aria-label={t('resources.listings.keeperLinks')}>
      <ul class="actions listing-actions">
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function ReviewQueuePage(props: {
  pending: PendingListing[];
  notice?: MessageKey | undefined;
  state?: { id: string; errors: FieldError[]; reason: string } | undefined;
}) {
  const { t, formatDate, locale } = useView();
  return (
    <>
      <PageHeading lead={t('resources.listings.review.lead')}>{t('resources.listings.review.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <KeeperLinks />
      {props.pending.length === 0 ? (
        <p class="muted">{t('resources.listings.review.none')}</p>
      ) : (
        <ul class="row-list">
          {props.pending.map((p) => {
            const state = props.state?.id === p.id ? props.state : undefined;
            return (
              <ListRow
                key={p.id}
                title={
                  <a href={`/resources/${p.id}`} lang={p.language ?? undefined}>
                    {p.name}
                  </a>
                }
                titleDir="auto"
                facts={[
                  ...(p.organization_name
                    ? [
                        {
                          label: t('resources.listings.review.organization'),
                          value: <bdi dir="auto">{p.organization_name}</bdi>,
                        },
                      ]
                    : []),
                  {
                    label: t('resources.listings.where'),
                    value:
                      [p.city, p.country ? countryName(locale, p.country) : null].filter(Boolean).join(comma(locale)) ||
                      '—',
                  },
                  {
                    label: t('resources.listings.sharedWith'),
                    value: t(`resources.listings.visibility.${p.visibility}`),
                  },
                  {
                    label: t('resources.listings.review.by'),
                    value: p.submitted_by_name ? (
                      <bdi dir="auto">{p.submitted_by_name}</bdi>
                    ) : (
                      t('resources.listings.review.noAccount')
                    ),
                  },
                  { label: t('resources.listings.review.when'), value: formatDate(p.created_at) },
                ]}
              >
                <ActionButton
                  action={`/resources/${p.id}/review`}
                  fields={{ decision: 'approve' }}
                  label={t('resources.listings.review.approve')}
                />
                <PostForm action={`/resources/${p.id}/review`} class="inline-form decline-form">
                  <input type="hidden" name="decision" value="decline" />
                  {state && <ErrorSummary errors={state.errors} form={p.id} />}
                  <Field
                    name="reason"
                    form={p.id}
                    label={t('resources.listings.review.reason')}
                    value={state?.reason}
                    errors={state?.errors ?? []}
                    maxLength={listingLimits.reasonMax}
                    required
                  />
                  <button type="submit" class="button button-small button-secondary">
                    {t('resources.listings.review.decline')}
                  </button>
                </PostForm>
              </ListRow>
            );
          })}
        </ul>
      )}
    </>
  );
}

export function DeleteListingPage(props: {
  listing: ListingDetail;
  errors: FieldError[];
  reason?: string | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('resources.listings.deletePage.lead')}>
        {t('resources.listings.deletePage.title')}
      </PageHeading>
      <p>
        <a href={`/resources/${props.listing.id}`}>
          <Written value={props.listing.name} />
        </a>
      </p>
      <ErrorSummary errors={props.errors} />
      <PostForm action={`/resources/${props.listing.id}/delete`} class="panel panel-danger">
        <Field
          name="reason"
          label={t('resources.listings.deletePage.reason')}
          value={props.reason}
          errors={props.errors}
          maxLength={listingLimits.reasonMax}
          required
        />
        <div class="actions">
          <button type="submit" class="button button-danger">
            {t('resources.listings.deletePage.confirm')}
          </button>
          <a href={`/resources/${props.listing.id}`}>{t('resources.listings.deletePage.cancel')}</a>
        </div>
      </PostForm>
    </>
  );
}

export function DeletedPage() {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('resources.listings.deletePage.done')}</PageHeading>
      <p>
        <a href="/resources">{t('resources.listings.backToDirectory')}</a>
      </p>
    </>
  );
}

export function TermsPage(props: {
  terms: TermView[];
  errors: FieldError[];
  values: Record<string, string>;
  notice?: MessageKey | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('resources.listings.termsPage.lead')}>{t('resources.listings.termsPage.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <KeeperLinks />
      <ul class="row-list">
        {props.terms.map((term) => (
          <ListRow
            key={term.id}
            title={term.name}
            titleDir="auto"
            facts={[
              { label: t('resources.listings.termsPage.code'), value: <code dir="ltr">{term.code}</code> },
              {
                label: t('resources.listings.termsPage.kind'),
                value: term.builtin ? t('resources.listings.termsPage.builtin') : t('resources.listings.termsPage.own'),
              },
            ]}
          />
        ))}
      </ul>
      <section class="panel" aria-labelledby="add-term">
        <h2 id="add-term">{t('resources.listings.termsPage.add')}</h2>
        <ErrorSummary errors={props.errors} />
        <PostForm action="/resources/terms">
          <Field
            name="nameAr"
            label={t('resources.listings.termsPage.nameAr')}
            value={props.values.nameAr}
            errors={props.errors}
            maxLength={listingLimits.termNameMax}
            required
          />
          <Field
            name="nameEn"
            label={t('resources.listings.termsPage.nameEn')}
            value={props.values.nameEn}
            errors={props.errors}
            maxLength={listingLimits.termNameMax}
            required
          />
          <Field
            name="code"
            label={t('resources.listings.termsPage.code')}
            hint={t('resources.listings.termsPage.codeHint')}
            value={props.values.code}
            errors={props.errors}
            maxLength={listingLimits.termCodeMax}
            autocomplete="off"
          />
          <button type="submit" class="button button-secondary">
            {t('resources.listings.termsPage.addButton')}
          </button>
        </PostForm>
      </section>
    </>
  );
}

/** The week's days as HSDS names them, for the routes that read the form's grid. */
export const formDays = weekDays;
