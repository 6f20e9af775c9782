import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import {
  ActionButton,
  ErrorSummary,
  Field,
  ListRow,
  Notice,
  PageHeading,
  PostForm,
  SelectField,
} from '../../views/components.js';
import type { PersonRow, WatchedWordView } from './service.js';
import { toolLimits, watchedWordActions } from './schemas.js';

export interface FormState {
  /** Which of the page's forms the problems belong to. */
  form: string;
  values: Record<string, string>;
  errors: FieldError[];
  general?: MessageKey | undefined;
}

const peopleNotices = ['blocked', 'unblocked', 'muted', 'unmuted'] as const;
export type PeopleNotice = (typeof peopleNotices)[number];
export const isPeopleNotice = (v: unknown): v is PeopleNotice => (peopleNotices as readonly unknown[]).includes(v);

/** The member's blocks and mutes, each with its undo, and a form to add one by username. */
export function PeoplePage(props: {
  blocks: PersonRow[];
  mutes: PersonRow[];
  notice?: PeopleNotice | undefined;
  state?: FormState | undefined;
}) {
  const { t, formatDate } = useView();
  const sections = [
    {
      kind: 'blocks' as const,
      rows: props.blocks,
      heading: t('safetyTools.blocks.heading'),
      none: t('safetyTools.blocks.none'),
    },
    {
      kind: 'mutes' as const,
      rows: props.mutes,
      heading: t('safetyTools.mutes.heading'),
      none: t('safetyTools.mutes.none'),
    },
  ];
  return (
    <>
      <PageHeading lead={t('safetyTools.people.lead')}>{t('safetyTools.people.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(`safetyTools.done.${props.notice}`)}</Notice>}
      {sections.map((section) => {
        const state = props.state?.form === section.kind ? props.state : undefined;
        return (
          <section key={section.kind} class="panel" aria-labelledby={`${section.kind}-heading`}>
            <h2 id={`${section.kind}-heading`}>{section.heading}</h2>
            {state && <ErrorSummary errors={state.errors} general={state.general} form={section.kind} />}
            {section.rows.length === 0 ? (
              <p class="muted">{section.none}</p>
            ) : (
              <ul class="row-list">
                {section.rows.map((row) => (
                  <ListRow
                    key={row.userId}
                    title={row.username}
                    titleDir="auto"
                    facts={[{ label: t('safetyTools.people.sinceLabel'), value: formatDate(row.createdAt) }]}
                  >
                    <ActionButton
                      action={`/account/${section.kind}/${encodeURIComponent(row.userId)}/delete`}
                      label={section.kind === 'blocks' ? t('safetyTools.blocks.undo') : t('safetyTools.mutes.undo')}
                      kind="secondary"
                    />
                  </ListRow>
                ))}
              </ul>
            )}
            <PostForm action={`/account/${section.kind}`}>
              <Field
                name="username"
                form={section.kind}
                label={t('safetyTools.people.username')}
                value={state?.values.username}
                errors={state?.errors ?? []}
                autocomplete="off"
                maxLength={100}
                required
              />
              <button type="submit" class="button button-secondary">
                {section.kind === 'blocks' ? t('safetyTools.blocks.add') : t('safetyTools.mutes.add')}
              </button>
            </PostForm>
          </section>
        );
      })}
    </>
  );
}

/** A list of watched words with its add form: the instance's or a group's (`base` is where its forms post). */
export function WatchedWordsSection(props: {
  words: WatchedWordView[];
  base: string;
  state?: FormState | undefined;
  heading: string;
}) {
  const { t } = useView();
  const state = props.state?.form === 'words' ? props.state : undefined;
  return (
    <section class="panel" aria-labelledby="words-heading" id="words">
      <h2 id="words-heading">{props.heading}</h2>
      <p class="hint">{t('safetyTools.watched.lead')}</p>
      {state && <ErrorSummary errors={state.errors} general={state.general} form="words" />}
      {props.words.length === 0 ? (
        <p class="muted">{t('safetyTools.watched.none')}</p>
      ) : (
        <ul class="row-list">
          {props.words.map((word) => (
            <ListRow
              key={word.id}
              title={word.phrase}
              titleDir="auto"
              facts={[
                { label: t('safetyTools.watched.action'), value: t(`safetyTools.watched.action.${word.action}`) },
              ]}
            >
              <ActionButton
                action={`${props.base}/${encodeURIComponent(word.id)}/delete`}
                label={t('safetyTools.watched.remove')}
                kind="secondary"
              />
            </ListRow>
          ))}
        </ul>
      )}
      <PostForm action={props.base}>
        <Field
          name="phrase"
          form="words"
          label={t('safetyTools.watched.phrase')}
          value={state?.values.phrase}
          errors={state?.errors ?? []}
          maxLength={toolLimits.phraseMax}
          required
        />
        <SelectField
          name="action"
          form="words"
          label={t('safetyTools.watched.action')}
          value={state?.values.action ?? 'hold'}
          errors={state?.errors ?? []}
          options={watchedWordActions.map((a) => ({ value: a, label: t(`safetyTools.watched.action.${a}`) }))}
        />
        <button type="submit" class="button button-secondary">
          {t('safetyTools.watched.add')}
        </button>
      </PostForm>
    </section>
  );
}

export function SlowModeForm(props: {
  action: string;
  seconds: number;
  state?: FormState | undefined;
  heading: string;
}) {
  const { t } = useView();
  const state = props.state?.form === 'slow' ? props.state : undefined;
  return (
    <section class="panel" aria-labelledby="slow-heading" id="slow-mode">
      <h2 id="slow-heading">{props.heading}</h2>
      <p class="hint">{t('safetyTools.slowMode.lead')}</p>
      {state && <ErrorSummary errors={state.errors} general={state.general} form="slow" />}
      <PostForm action={props.action}>
        <Field
          name="seconds"
          form="slow"
          type="number"
          label={t('safetyTools.slowMode.seconds')}
          value={state?.values.seconds ?? String(props.seconds)}
          errors={state?.errors ?? []}
          min={0}
          max={toolLimits.slowModeMaxSeconds}
          required
        />
        <Field
          name="reason"
          form="slow"
          label={t('safetyTools.slowMode.reason')}
          value={state?.values.reason}
          errors={state?.errors ?? []}
          maxLength={toolLimits.reasonMax}
        />
        <button type="submit" class="button button-secondary">
          {t('safetyTools.slowMode.save')}
        </button>
      </PostForm>
    </section>
  );
}

export type ToolsNotice = 'added' | 'removed' | 'saved';
export const toolsNoticeOf = (v: unknown): ToolsNotice | undefined =>
  v === 'added' || v === 'removed' || v === 'saved' ? v : undefined;

function ToolsNoticeLine(props: { notice?: ToolsNotice | undefined }) {
  const { t } = useView();
  if (!props.notice) return null;
  const key =
    props.notice === 'saved' ? 'safetyTools.slowMode.saved' : (`safetyTools.watched.${props.notice}` as const);
  return <Notice kind="success">{t(key)}</Notice>;
}

export function GroupToolsPage(props: {
  groupId: string;
  groupName: string;
  words: WatchedWordView[];
  seconds: number;
  notice?: ToolsNotice | undefined;
  state?: FormState | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('safetyTools.group.title')}</PageHeading>
      <p>
        <a href={`/groups/${props.groupId}`} dir="auto">
          {props.groupName}
        </a>
      </p>
      <ToolsNoticeLine notice={props.notice} />
      <SlowModeForm
        action={`/groups/${props.groupId}/slow-mode`}
        seconds={props.seconds}
        state={props.state}
        heading={t('safetyTools.slowMode.title')}
      />
      <WatchedWordsSection
        words={props.words}
        base={`/groups/${props.groupId}/watched-words`}
        state={props.state}
        heading={t('safetyTools.watched.title')}
      />
    </>
  );
}

export function InstanceWordsPage(props: {
  words: WatchedWordView[];
  notice?: ToolsNotice | undefined;
  state?: FormState | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('safetyTools.watched.instanceTitle')}</PageHeading>
      <ToolsNoticeLine notice={props.notice} />
      <WatchedWordsSection
        words={props.words}
        base="/moderation/watched-words"
        state={props.state}
        heading={t('safetyTools.watched.title')}
      />
    </>
  );
}

export function ThreadSlowModePage(props: {
  threadId: string;
  title: string;
  seconds: number;
  notice?: ToolsNotice | undefined;
  state?: FormState | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('safetyTools.slowMode.threadTitle')}</PageHeading>
      <p>
        <a href={`/threads/${props.threadId}`} dir="auto">
          {props.title}
        </a>
      </p>
      <ToolsNoticeLine notice={props.notice} />
      <SlowModeForm
        action={`/threads/${props.threadId}/slow-mode`}
        seconds={props.seconds}
        state={props.state}
        heading={t('safetyTools.slowMode.title')}
      />
    </>
  );
}
