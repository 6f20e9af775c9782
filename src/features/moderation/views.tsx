import type { ModerationTargetType } from '../../db/schema.js';
import type { MessageKey } from '../../i18n/index.js';
import { reportReasons } from '../../platform/moderation.js';
import type { FieldError } from '../../platform/errors.js';
import {
  ErrorSummary,
  Field,
  fieldId,
  ListRow,
  Notice,
  PageHeading,
  PostForm,
  SelectField,
  TextArea,
} from '../../views/components.js';
import { useView } from '../../views/context.js';
import type { QueueItem } from './services/queue.js';
import { moderationLimits } from './services/validate.js';

const targetTitles: Record<ModerationTargetType, MessageKey> = {
  post: 'moderation.report.titlePost',
  thread: 'moderation.report.titleThread',
  group: 'moderation.report.titleGroup',
  user: 'moderation.report.titleUser',
  message: 'moderation.report.title',
  resource: 'moderation.report.titleResource',
  resource_note: 'moderation.report.titleResourceNote',
};

const targetLabels: Record<ModerationTargetType, MessageKey> = {
  post: 'moderation.queue.targetPost',
  thread: 'moderation.queue.targetThread',
  group: 'moderation.queue.targetGroup',
  user: 'moderation.queue.targetUser',
  message: 'moderation.queue.targetMessage',
  resource: 'moderation.queue.targetResource',
  resource_note: 'moderation.queue.targetResourceNote',
};

export const reportTitleKey = (type: ModerationTargetType) => targetTitles[type];

/** Where a member came from to report: the post, the discussion, the group, the listing, the note. */
export function reportedHref(type: ModerationTargetType, id: string): string {
  const safe = encodeURIComponent(id);
  if (type === 'post') return `/posts/${safe}`;
  if (type === 'thread') return `/threads/${safe}`;
  if (type === 'group') return `/groups/${safe}`;
  if (type === 'resource') return `/resources/${safe}`;
  // A note's address leads to its listing's notes (the resources feature answers it).
  if (type === 'resource_note') return `/resource-notes/${safe}`;
  return '/';
}

export interface ReportFormState {
  values: { reason: string; note: string };
  errors: FieldError[];
  general?: MessageKey | undefined;
}

export function ReportPage(props: { targetType: ModerationTargetType; targetId: string; state: ReportFormState }) {
  const { t } = useView();
  const { values, errors } = props.state;
  const reasonError = errors.find((e) => e.field === 'reason');
  return (
    <>
      <PageHeading lead={t('moderation.report.lead')}>{t(targetTitles[props.targetType])}</PageHeading>
      {props.targetType === 'group' && <p>{t('moderation.report.groupLead')}</p>}
      <ErrorSummary errors={errors} general={props.state.general} />
      <PostForm action="/reports">
        <input type="hidden" name="targetType" value={props.targetType} />
        <input type="hidden" name="targetId" value={props.targetId} />
        <fieldset
          class={reasonError ? 'field field-error' : 'field'}
          aria-describedby={reasonError ? `${fieldId('reason')}-error` : undefined}
        >
          <legend>{t('moderation.report.reasonLegend')}</legend>
          {reasonError && (
            <p class="error-message" id={`${fieldId('reason')}-error`}>
              {t(reasonError.message, reasonError.values)}
            </p>
          )}
          {reportReasons.map((reason, i) => (
            <div class="radio" key={reason}>
              <input
                type="radio"
                id={i === 0 ? fieldId('reason') : `${fieldId('reason')}-${reason}`}
                name="reason"
                value={reason}
                checked={values.reason === reason}
                required
              />
              <label for={i === 0 ? fieldId('reason') : `${fieldId('reason')}-${reason}`}>
                {t(`moderation.reason.${reason}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <TextArea
          name="note"
          label={t('moderation.report.noteLabel')}
          hint={t('moderation.report.noteHint', { max: moderationLimits.noteMax })}
          errors={errors}
          value={values.note}
          rows={4}
          maxLength={moderationLimits.noteMax}
        />
        <p class="actions">
          <button type="submit" class="button">
            {t('moderation.report.submit')}
          </button>
          <a class="button button-secondary" href={reportedHref(props.targetType, props.targetId)}>
            {t('form.cancel')}
          </a>
        </p>
      </PostForm>
    </>
  );
}

export function ReportSentPage(props: { back: string }) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('moderation.report.sentTitle')}</PageHeading>
      <Notice kind="success">
        <p>{t('moderation.report.sentBody')}</p>
      </Notice>
      <p>
        <a href={props.back}>{t('moderation.report.back')}</a>
      </p>
    </>
  );
}

/** The form shown again for one case after a refusal, with what the moderator wrote. */
export interface QueueFormState {
  caseId: string;
  values: { action: string; reason: string; hours: string };
  errors: FieldError[];
  general?: MessageKey | undefined;
}

const priorityKeys: MessageKey[] = [
  'moderation.queue.priority0',
  'moderation.queue.priority1',
  'moderation.queue.priority2',
];

export function QueuePage(props: { items: QueueItem[]; acted: boolean; form?: QueueFormState | undefined }) {
  const { t, formatDateTime } = useView();
  return (
    <>
      <PageHeading lead={t('moderation.queue.lead')}>{t('moderation.queue.title')}</PageHeading>
      {props.acted && <Notice kind="success">{t('moderation.queue.acted')}</Notice>}
      {props.form && <ErrorSummary errors={props.form.errors} general={props.form.general} form={props.form.caseId} />}
      {props.items.length === 0 ? (
        <p>{t('moderation.queue.empty')}</p>
      ) : (
        <ul class="row-list" aria-label={t('moderation.queue.title')}>
          {props.items.map((item) => {
            const form = props.form?.caseId === item.id ? props.form : undefined;
            const values = form?.values ?? { action: '', reason: '', hours: '' };
            const facts = [
              { label: t('moderation.queue.priority'), value: t(priorityKeys[item.priority] ?? priorityKeys[2]!) },
              { label: t('moderation.queue.opened'), value: formatDateTime(item.openedAt) },
              {
                label: t('moderation.queue.reasons'),
                value: (
                  <>
                    {t('moderation.queue.reports', { count: item.reportCount })}:{' '}
                    {item.reasons
                      .map((r) =>
                        t('moderation.queue.reasonCount', {
                          reason: t(`moderation.reason.${r.reason}` as MessageKey),
                          count: r.count,
                        }),
                      )
                      .join('، ')}
                  </>
                ),
              },
              ...(item.groupName
                ? [{ label: t('moderation.queue.group'), value: <bdi dir="auto">{item.groupName}</bdi> }]
                : []),
              ...(item.notes.length
                ? [
                    {
                      label: t('moderation.queue.notes'),
                      value: (
                        <ul class="queue-notes">
                          {item.notes.map((note, i) => (
                            <li key={i} dir="auto">
                              {note}
                            </li>
                          ))}
                        </ul>
                      ),
                    },
                  ]
                : []),
            ];
            return (
              <ListRow
                key={item.id}
                title={
                  <>
                    {t(targetLabels[item.targetType])}
                    {item.hidden ? ` · ${t('moderation.queue.hidden')}` : ''}
                  </>
                }
                facts={facts}
              >
                <div class="queue-case">
                  {item.excerpt !== null ? (
                    <p class="queue-excerpt" dir="auto">
                      {item.excerpt}
                    </p>
                  ) : (
                    (item.targetType === 'post' || item.targetType === 'thread') && (
                      <p class="hint">{t('moderation.queue.unreadable')}</p>
                    )
                  )}
                  {item.href && (
                    <p>
                      <a href={item.href}>{t('moderation.queue.open')}</a>
                    </p>
                  )}
                  <PostForm action="/moderation/actions" class="queue-form">
                    <input type="hidden" name="caseId" value={item.id} />
                    <input type="hidden" name="targetType" value={item.targetType} />
                    <input type="hidden" name="targetId" value={item.targetId} />
                    <SelectField
                      name="action"
                      form={item.id}
                      label={t('moderation.queue.actionLabel')}
                      errors={form?.errors ?? []}
                      value={values.action}
                      options={item.actions.map((action) => ({
                        value: action,
                        label: t(`moderation.action.${action}`),
                      }))}
                    />
                    <Field
                      name="reason"
                      form={item.id}
                      label={t('moderation.queue.reasonLabel')}
                      errors={form?.errors ?? []}
                      value={values.reason}
                      maxLength={moderationLimits.reasonMax}
                      required
                    />
                    {item.actions.some((a) => a === 'mute' || a === 'suspend') && (
                      <Field
                        name="hours"
                        form={item.id}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={moderationLimits.hoursMax}
                        label={t('moderation.queue.hoursLabel')}
                        errors={form?.errors ?? []}
                        value={values.hours}
                      />
                    )}
                    <button type="submit" class="button button-small">
                      {t('moderation.queue.submit')}
                    </button>
                  </PostForm>
                </div>
              </ListRow>
            );
          })}
        </ul>
      )}
    </>
  );
}
