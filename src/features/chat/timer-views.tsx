import type { Translate } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import { ErrorSummary, Field, Notice, PageHeading, PostForm, SelectField } from '../../views/components.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import { timerChoices } from './schemas.js';
import type { ChatLimits } from './services/model.js';
import { retentionDaysMax } from './services/limits.js';

/**
 * Disappearing messages (ADR 0062): the timer's name in the reader's language, the event line a
 * change leaves in the chat, the form that changes it (rendered on the chat page and on its own
 * page), the group owner's default for new rooms and the administrators' limits.
 */

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;
const week = 7 * day;

/** A timer's length as words ("1 week", "٤ أسابيع"), or "Off"; Arabic plurals by the count's category. */
export function timerLabel(t: Translate, seconds: number | null): string {
  if (seconds === null) return t('chat.timers.off');
  if (seconds % week === 0) return t('chat.timers.weeks', { count: seconds / week });
  if (seconds % day === 0) return t('chat.timers.days', { count: seconds / day });
  if (seconds % hour === 0) return t('chat.timers.hours', { count: seconds / hour });
  return t('chat.timers.minutes', { count: Math.max(1, Math.round(seconds / minute)) });
}

/** The line a timer change leaves in the chat: "Disappearing messages set to 1 week" / "turned off". */
export function TimerEventText(props: { seconds: number | null }) {
  const { t } = useView();
  return (
    <>
      {props.seconds === null
        ? t('chat.timers.eventOff')
        : t('chat.timers.eventSet', { duration: timerLabel(t, props.seconds) })}
    </>
  );
}

/** The timers one may choose under the instance's maximum; off only when there is none. */
export function allowedTimers(max: number | null): (number | null)[] {
  const choices = timerChoices.filter((c) => max === null || c <= max);
  return max === null ? [null, ...choices] : choices;
}

const optionValue = (seconds: number | null) => (seconds === null ? 'off' : String(seconds));

/** What a form's `timer` field holds: `off` (or nothing) is null; anything else a number, checked by the service. */
export function timerFromForm(value: string | undefined): number | null {
  if (value === undefined || value === '' || value === 'off') return null;
  return /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

/** A select of the timers allowed and a submit button, posting to `/chats/{id}/timer`. */
export function TimerForm(props: {
  chatId: string;
  kind: 'room' | 'conversation';
  current: number | null;
  max: number | null;
  errors?: FieldError[];
}) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <PostForm action={`/chats/${encodeURIComponent(props.chatId)}/timer`} class="timer-form">
      <ErrorSummary errors={errors} form="timer" />
      <SelectField
        name="timer"
        form="timer"
        label={t('chat.timers.label')}
        hint={t(props.kind === 'room' ? 'chat.timers.hintRoom' : 'chat.timers.hintConversation')}
        errors={errors}
        value={optionValue(props.current)}
        options={allowedTimers(props.max).map((seconds) => ({
          value: optionValue(seconds),
          label: timerLabel(t, seconds),
        }))}
      />
      <button type="submit" class="button button-secondary">
        {t('chat.timers.submit')}
      </button>
    </PostForm>
  );
}

/** What the timer does now, in a sentence. */
function CurrentTimer(props: { seconds: number | null }) {
  const { t } = useView();
  return (
    <p>
      {props.seconds === null
        ? t('chat.timers.currentOff')
        : t('chat.timers.current', { duration: timerLabel(t, props.seconds) })}
    </p>
  );
}

/** The timer on a page of its own: where the form comes back with its problems, and a page to link to. */
export function TimerPage(props: {
  chatId: string;
  kind: 'room' | 'conversation';
  /** A room's name; conversations have none. */
  name: string | null;
  current: number | null;
  max: number | null;
  back: string;
  errors?: FieldError[];
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('chat.timers.page.title')}</PageHeading>
      {props.name !== null && (
        <p>
          <Sentence message="chat.timers.page.room" names={{ room: props.name }} />
        </p>
      )}
      <CurrentTimer seconds={props.current} />
      <TimerForm
        chatId={props.chatId}
        kind={props.kind}
        current={props.current}
        max={props.max}
        errors={props.errors ?? []}
      />
      <p>
        <a href={props.back}>{t('chat.timers.page.back')}</a>
      </p>
    </>
  );
}

/** The group owner's choice of the timer new rooms start with. */
export function GroupRoomTimerPage(props: {
  groupId: string;
  groupName: string;
  current: number | null;
  max: number | null;
  saved?: boolean;
  errors?: FieldError[];
}) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading>{t('chat.timers.group.title')}</PageHeading>
      {props.saved && <Notice kind="success">{t('chat.timers.group.saved')}</Notice>}
      <p>
        <Sentence message="chat.timers.group.lead" names={{ group: props.groupName }} />
      </p>
      <PostForm action={`/groups/${encodeURIComponent(props.groupId)}/room-timer`}>
        <ErrorSummary errors={errors} />
        <SelectField
          name="timer"
          label={t('chat.timers.group.label')}
          hint={t('chat.timers.group.hint')}
          errors={errors}
          value={optionValue(props.current)}
          options={allowedTimers(props.max).map((seconds) => ({
            value: optionValue(seconds),
            label: timerLabel(t, seconds),
          }))}
        />
        <button type="submit" class="button">
          {t('chat.timers.group.submit')}
        </button>
      </PostForm>
      <p>
        <a href={`/groups/${encodeURIComponent(props.groupId)}`}>{t('chat.timers.group.back')}</a>
      </p>
    </>
  );
}

/** The administrators' page: the longest timer and the retention, each explained. */
export function ChatLimitsPage(props: {
  limits: ChatLimits;
  saved?: boolean;
  errors?: FieldError[];
  values?: { maxTimerSeconds?: string | undefined; retentionDays?: string | undefined };
}) {
  const { t } = useView();
  const errors = props.errors ?? [];
  const max =
    props.values?.maxTimerSeconds ??
    (props.limits.maxTimerSeconds === null ? 'none' : String(props.limits.maxTimerSeconds));
  const retention =
    props.values?.retentionDays ?? (props.limits.retentionDays === null ? '' : String(props.limits.retentionDays));
  return (
    <>
      <PageHeading lead={t('chat.timers.admin.lead')}>{t('chat.timers.admin.title')}</PageHeading>
      {props.saved && <Notice kind="success">{t('chat.timers.admin.saved')}</Notice>}
      <PostForm action="/admin/chat">
        <ErrorSummary errors={errors} />
        <SelectField
          name="maxTimerSeconds"
          label={t('chat.timers.admin.maxLabel')}
          hint={t('chat.timers.admin.maxHint')}
          errors={errors}
          value={max}
          options={[
            { value: 'none', label: t('chat.timers.admin.noMax') },
            ...timerChoices.map((seconds) => ({ value: String(seconds), label: timerLabel(t, seconds) })),
          ]}
        />
        <Field
          name="retentionDays"
          label={t('chat.timers.admin.retentionLabel')}
          hint={t('chat.timers.admin.retentionHint', { max: retentionDaysMax })}
          errors={errors}
          value={retention}
          type="number"
          inputMode="numeric"
          dir="ltr"
          min={1}
          max={retentionDaysMax}
        />
        <p class="hint">{t('chat.timers.admin.erasure')}</p>
        <button type="submit" class="button">
          {t('chat.timers.admin.submit')}
        </button>
      </PostForm>
    </>
  );
}
