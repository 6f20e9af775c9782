import type { MessageKey } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import { pseudonymNames } from '../../security/anonymity.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  fieldId,
  Notice,
  PageHeading,
  Pager,
  Paragraphs,
  PostForm,
  TextArea,
} from '../../views/components.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import {
  noteLimits,
  noteRatings,
  type NoteAuthor,
  type NoteRating,
  type NotesAbilities,
  type NotesPage,
  type NotesSummary,
  type NoteView,
} from './services/notes.js';
import { localised } from './translations.js';

/** What the note form shows again after a refusal: what the member wrote, and the problems. */
export interface NoteFormState {
  values: { body: string; rating: string; anonymous: boolean };
  errors: FieldError[];
  general?: MessageKey | undefined;
}

export const emptyNoteForm: NoteFormState = { values: { body: '', rating: '', anonymous: false }, errors: [] };

/** What `?done=` on the notes page may announce after a form redirected there. */
export const noteNotices = ['published', 'held', 'updated', 'deleted'] as const;
export type NoteNotice = (typeof noteNotices)[number];
export const isNoteNotice = (value: unknown): value is NoteNotice =>
  (noteNotices as readonly unknown[]).includes(value);

const ratingKey = (r: NoteRating) => `resources.notes.rating.${r}` as const;

const notesBase = (listingId: string) => `/resources/${encodeURIComponent(listingId)}/notes`;

/** The link to the report page for a listing (beside its name on the listing page). */
export function ListingReportLink(props: { listingId: string }) {
  const { t } = useView();
  return (
    <a
      class="report-link"
      href={`/reports/new?targetType=resource&targetId=${encodeURIComponent(props.listingId)}`}
      rel="nofollow"
    >
      {t('resources.notes.reportListing')}
    </a>
  );
}

function Author(props: { author: NoteAuthor }) {
  const { t, formatNumber } = useView();
  const a = props.author;
  if (a.kind === 'member')
    return (
      <bdi class="author" dir="auto">
        {a.username}
      </bdi>
    );
  // An anonymous note shows its pseudonym on this listing only, never an account (ADR 0012).
  const name = t('resources.notes.pseudonym', { index: String(a.pseudonym % pseudonymNames) });
  const number = formatNumber(Math.floor(a.pseudonym / pseudonymNames) + 1);
  return <span class="author author-anonymous">{t('resources.notes.anonymousAuthor', { name, number })}</span>;
}

/** The counts of safe, mixed and unsafe ratings, in words (never colour alone). */
export function NotesSummaryList(props: { summary: NotesSummary }) {
  const { t } = useView();
  const s = props.summary;
  if (s.total === 0) return <p class="muted">{t('resources.notes.summaryNone')}</p>;
  return (
    <ul class="plain-list notes-summary">
      <li>{t('resources.notes.summarySafe', { count: s.safe })}</li>
      <li>{t('resources.notes.summaryMixed', { count: s.mixed })}</li>
      <li>{t('resources.notes.summaryUnsafe', { count: s.unsafe })}</li>
      <li class="muted">{t('resources.notes.summaryTotal', { count: s.total })}</li>
    </ul>
  );
}

function NoteItem(props: { listingId: string; note: NoteView }) {
  const { t, formatDateTime } = useView();
  const n = props.note;
  if (n.kind === 'withheld')
    return (
      <li class="card post post-hidden" id={`note-${n.id}`}>
        <p class="muted">{t('resources.notes.withheld')}</p>
      </li>
    );
  const base = notesBase(props.listingId);
  return (
    <li class={n.hidden ? 'card post post-hidden' : 'card post'} id={`note-${n.id}`}>
      <article aria-labelledby={`note-${n.id}-author`}>
        <header class="post-header">
          <span id={`note-${n.id}-author`}>
            <Author author={n.author} />
          </span>{' '}
          <span class={`tag note-rating note-rating-${n.rating}`}>
            {t('resources.notes.ratingLabel')}: {t(ratingKey(n.rating))}
          </span>{' '}
          <span class="post-time">
            {t('resources.notes.written')} {formatDateTime(n.createdAt)}
            {n.edited ? ` · ${t('resources.notes.edited')}` : ''}
          </span>
          {n.mine && <span class="tag"> {t('resources.notes.yours')}</span>}
          {n.hidden && <span class="tag tag-warning"> {t('resources.notes.hiddenMark')}</span>}
        </header>
        {/* Plain text, escaped by Preact; each paragraph takes its own direction. */}
        <div class="post-body">
          <Paragraphs text={n.body} />
        </div>
        <footer class="post-footer post-actions">
          {n.mine ? (
            <>
              {!n.hidden && <a href={`${base}/${encodeURIComponent(n.id)}/edit`}>{t('resources.notes.edit')}</a>}
              <ActionButton
                action={`${base}/${encodeURIComponent(n.id)}/delete`}
                label={t('resources.notes.delete')}
                kind="link"
              />
            </>
          ) : (
            !n.hidden && (
              <a
                class="report-link"
                href={`/reports/new?targetType=resource_note&targetId=${encodeURIComponent(n.id)}`}
                rel="nofollow"
                aria-label={t('resources.notes.reportNote')}
              >
                {t('resources.notes.report')}
              </a>
            )
          )}
        </footer>
      </article>
    </li>
  );
}

/** The safety rating as three radio buttons, each with a word of what it means. */
function RatingField(props: { value: string; errors: FieldError[] }) {
  const { t } = useView();
  const error = props.errors.find((e) => e.field === 'rating');
  const id = fieldId('rating');
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t('resources.notes.ratingLegend')}</legend>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {t(error.message, error.values)}
        </p>
      )}
      {noteRatings.map((rating, i) => {
        const inputId = i === 0 ? id : `${id}-${rating}`;
        return (
          <div class="radio" key={rating}>
            <input
              type="radio"
              id={inputId}
              name="rating"
              value={rating}
              checked={props.value === rating}
              aria-describedby={`${inputId}-hint`}
              required
            />
            <label for={inputId}>{t(ratingKey(rating))}</label>
            <p class="hint" id={`${inputId}-hint`}>
              {t(`resources.notes.ratingHint.${rating}`)}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}

/** The form for a new note (`edit` false) or for changing one's own (no anonymity choice then). */
export function NoteForm(props: { action: string; state: NoteFormState; edit?: boolean; cancel?: string }) {
  const { t } = useView();
  const { values, errors } = props.state;
  return (
    <PostForm action={props.action} id="note-form">
      <TextArea
        name="body"
        label={t('resources.notes.bodyLabel')}
        hint={t('resources.notes.bodyHint', { max: noteLimits.bodyMax })}
        errors={errors}
        value={values.body}
        rows={5}
        maxLength={noteLimits.bodyMax}
        required
      />
      <RatingField value={values.rating} errors={errors} />
      {!props.edit && (
        <Checkbox
          name="anonymous"
          label={t('resources.notes.anonymous')}
          hint={t('resources.notes.anonymousHint')}
          checked={values.anonymous}
        />
      )}
      <p class="actions">
        <button type="submit" class="button">
          {props.edit ? t('resources.notes.save') : t('resources.notes.submit')}
        </button>
        {props.cancel && (
          <a class="button button-secondary" href={props.cancel}>
            {t('resources.notes.cancel')}
          </a>
        )}
      </p>
    </PostForm>
  );
}

/**
 * A listing's notes: the summary, the notes (newest first) and the form, for signed-in readers who
 * may read the listing's notes. The listing page renders it where `notesSection()` returned a page
 * (it returns null for everyone else, and then nothing is rendered).
 */
export function NotesSection(props: {
  listingId: string;
  notes: NoteView[];
  summary: NotesSummary;
  abilities: NotesAbilities;
  /** The form as it was sent, after a refusal; empty otherwise. */
  form?: NoteFormState | undefined;
  /** The cursor of older notes, if any (the notes page pages through them). */
  next?: string | null | undefined;
}) {
  const { t } = useView();
  const form = props.form ?? emptyNoteForm;
  const base = notesBase(props.listingId);
  return (
    <section class="notes" id="notes" aria-labelledby="notes-heading">
      <h2 id="notes-heading" class="section-heading">
        {t('resources.notes.heading')}
      </h2>
      <p class="hint">{t('resources.notes.lead')}</p>
      <h3>{t('resources.notes.summaryHeading')}</h3>
      <NotesSummaryList summary={props.summary} />
      {props.notes.length === 0 ? (
        <p class="empty">{t('resources.notes.empty')}</p>
      ) : (
        <ol class="card-list notes-list" aria-label={t('resources.notes.listLabel')}>
          {props.notes.map((note) => (
            <NoteItem key={note.id} listingId={props.listingId} note={note} />
          ))}
        </ol>
      )}
      <Pager next={props.next ?? null} base={base} label={t('resources.notes.older')} />
      {props.abilities.own?.hidden && (
        <Notice kind="warning">
          <p>{t('resources.notes.ownHidden')}</p>
          <ActionButton
            action={`${base}/${encodeURIComponent(props.abilities.own.id)}/delete`}
            label={t('resources.notes.delete')}
            kind="secondary"
          />
        </Notice>
      )}
      {props.abilities.own && !props.abilities.own.hidden && (
        <p class="hint">
          <a href={`#note-${props.abilities.own.id}`}>{t('resources.notes.oneEach')}</a>
        </p>
      )}
      {props.abilities.note ? (
        <>
          <h3 id="note-form-heading">{t('resources.notes.formHeading')}</h3>
          <ErrorSummary errors={form.errors} general={form.general} />
          <NoteForm action={base} state={form} />
        </>
      ) : (
        !props.abilities.own && <p class="hint">{t('resources.notes.cannotWrite')}</p>
      )}
    </section>
  );
}

const noticeKeys: Record<NoteNotice, MessageKey> = {
  published: 'resources.notes.published',
  held: 'resources.notes.held',
  updated: 'resources.notes.updated',
  deleted: 'resources.notes.deleted',
};

function listingName(page: NotesPage, locale: Parameters<typeof localised>[2], fallback: string) {
  const name = localised({ ...page.listing }, 'name', locale);
  return { text: name.text ?? fallback, lang: name.text ? (name.lang ?? undefined) : undefined };
}

/** The title of the notes page, in the reader's language: the listing's name in its own. */
export function notesPageTitle(t: ReturnType<typeof useView>['t'], page: NotesPage, locale: string): string {
  const name = listingName(page, locale as Parameters<typeof localised>[2], t('resources.notes.unnamed'));
  return t('resources.notes.pageTitle', { name: name.text });
}

/** `/resources/{id}/notes`: the listing's name, its notes and the form, on a page of their own. */
export function NotesPageView(props: {
  page: NotesPage;
  form?: NoteFormState | undefined;
  notice?: NoteNotice | undefined;
}) {
  const { t, locale } = useView();
  const { page } = props;
  const name = listingName(page, locale, t('resources.notes.unnamed'));
  return (
    <>
      <div class="page-heading">
        <h1>
          <Sentence
            message="resources.notes.pageTitle"
            parts={{
              name: (
                <bdi dir="auto" lang={name.lang}>
                  {name.text}
                </bdi>
              ),
            }}
          />
        </h1>
        <p>
          <a href={`/resources/${encodeURIComponent(page.listing.id)}`}>{t('resources.notes.backToListing')}</a> ·{' '}
          <ListingReportLink listingId={page.listing.id} />
        </p>
      </div>
      {props.notice && (
        <Notice kind="success">
          <p>{t(noticeKeys[props.notice])}</p>
        </Notice>
      )}
      <NotesSection
        listingId={page.listing.id}
        notes={page.notes}
        summary={page.summary}
        abilities={page.abilities}
        form={props.form}
        next={page.next}
      />
    </>
  );
}

/** Changing one's own note, on a page of its own (works without JavaScript). */
export function EditNotePage(props: { listingId: string; noteId: string; state: NoteFormState }) {
  const { t } = useView();
  const base = notesBase(props.listingId);
  return (
    <>
      <PageHeading>{t('resources.notes.editHeading')}</PageHeading>
      <ErrorSummary errors={props.state.errors} general={props.state.general} />
      <NoteForm
        action={`${base}/${encodeURIComponent(props.noteId)}/edit`}
        state={props.state}
        edit
        cancel={`${base}#note-${props.noteId}`}
      />
    </>
  );
}
