import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import {
  ActionButton,
  ErrorSummary,
  Field,
  ListRow,
  Notice,
  PageHeading,
  Pager,
  Paragraphs,
  PostForm,
  TextArea,
} from '../../views/components.js';
import { appealLimits } from './log-schemas.js';
import type { AppealEntry, AppealPage } from './services/appeals.js';
import type { LogEntry, LogPage } from './services/log.js';
import type { Notice as ModerationNotice } from './services/notices.js';
import type { RevealRequest } from './services/reveal.js';

const targetKey = (type: string) =>
  (['post', 'thread', 'message', 'user', 'group', 'resource', 'resource_note', 'appeal', 'case', 'invite'].includes(
    type,
  )
    ? `moderation.target.${type}`
    : 'moderation.target.other') as MessageKey;

function LogRow(props: { entry: LogEntry; showGroup: boolean }) {
  const { t, formatDateTime } = useView();
  const e = props.entry;
  const who =
    e.acted === 'named' && e.actorName
      ? e.actorName
      : e.acted === 'withheld'
        ? t('moderation.log.aModerator')
        : t('moderation.log.noAccount');
  const facts = [
    {
      label: t('moderation.log.target'),
      value: e.targetHref ? <a href={e.targetHref}>{t(targetKey(e.targetType))}</a> : t(targetKey(e.targetType)),
    },
    ...(e.targetName ? [{ label: t('moderation.log.account'), value: <bdi dir="auto">{e.targetName}</bdi> }] : []),
    ...(props.showGroup
      ? [
          {
            label: t('moderation.log.group'),
            value: e.groupId ? (
              e.groupName ? (
                <bdi dir="auto">{e.groupName}</bdi>
              ) : (
                t('moderation.log.groupUnnamed')
              )
            ) : (
              t('moderation.log.instance')
            ),
          },
        ]
      : []),
    {
      label: t('moderation.log.reason'),
      value: e.reason ? <span dir="auto">{e.reason}</span> : t('moderation.log.noReason'),
    },
    { label: t('moderation.log.by'), value: e.acted === 'named' ? <bdi dir="auto">{who}</bdi> : who },
    {
      label: t('moderation.log.when'),
      value: <time datetime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt)}</time>,
    },
  ];
  return <ListRow title={t(e.labelKey as MessageKey)} facts={facts} />;
}

/** A group's log (`group` given) or the instance's whole log. */
export function ModerationLogPage(props: { page: LogPage; group?: { id: string; name: string }; base: string }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t(props.group ? 'moderation.log.groupLead' : 'moderation.log.lead')}>
        {t('moderation.log.title')}
      </PageHeading>
      {props.group ? (
        <p>
          <a href={`/groups/${props.group.id}`} dir="auto">
            {props.group.name}
          </a>
        </p>
      ) : (
        <nav class="subnav" aria-label={t('moderation.log.links')}>
          <ul>
            <li>
              <a href="/moderation/appeals">{t('moderation.appeals.title')}</a>
            </li>
            <li>
              <a href="/moderation/reveals">{t('moderation.reveal.title')}</a>
            </li>
          </ul>
        </nav>
      )}
      {props.page.entries.length === 0 ? (
        <p class="empty">{t('moderation.log.empty')}</p>
      ) : (
        <ul class="row-list" aria-label={t('moderation.log.title')}>
          {props.page.entries.map((e) => (
            <LogRow key={e.id} entry={e} showGroup={!props.group} />
          ))}
        </ul>
      )}
      <Pager next={props.page.next} base={props.base} label={t('list.more')} />
    </>
  );
}

/** What was done to the member, why, and their appeal: the form, or its answer. */
export function NoticePage(props: {
  notice: ModerationNotice;
  done?: string | undefined;
  errors?: FieldError[];
  general?: MessageKey | undefined;
  body?: string | undefined;
}) {
  const { t, formatDateTime } = useView();
  const n = props.notice;
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading>{t('moderation.notice.title')}</PageHeading>
      {props.done === 'appealed' && <Notice kind="success">{t('moderation.appeal.sent')}</Notice>}
      <p class="lead">
        <Sentence message={n.message.key as MessageKey} names={n.message.names} values={n.message.values} />
      </p>
      <dl class="row-facts">
        <div>
          <dt>{t('moderation.log.reason')}</dt>
          <dd dir="auto">{n.reason ?? t('moderation.log.noReason')}</dd>
        </div>
        <div>
          <dt>{t('moderation.log.when')}</dt>
          <dd>
            <time datetime={new Date(n.createdAt).toISOString()}>{formatDateTime(n.createdAt)}</time>
          </dd>
        </div>
      </dl>
      {n.action === 'post.delete' && <p class="hint">{t('moderation.notice.deletedForever')}</p>}
      {n.appeal ? (
        <section aria-labelledby="appeal-heading">
          <h2 id="appeal-heading">{t('moderation.appeal.yours')}</h2>
          <Paragraphs text={n.appeal.body} />
          <p>{t(`moderation.appeal.status.${n.appeal.status}` as MessageKey)}</p>
          {n.appeal.decisionReason && (
            <p>
              {t('moderation.appeal.decisionReason')}: <span dir="auto">{n.appeal.decisionReason}</span>
            </p>
          )}
        </section>
      ) : n.mayAppeal ? (
        <section aria-labelledby="appeal-heading">
          <h2 id="appeal-heading">{t('moderation.appeal.title')}</h2>
          <p class="hint">{t('moderation.appeal.hint')}</p>
          <ErrorSummary errors={errors} general={props.general} />
          <PostForm action={`/moderation/notices/${n.logId}/appeal`}>
            <TextArea
              name="body"
              label={t('moderation.appeal.body')}
              errors={errors}
              value={props.body}
              maxLength={appealLimits.bodyMax}
              required
            />
            <button type="submit" class="button">
              {t('moderation.appeal.submit')}
            </button>
          </PostForm>
        </section>
      ) : null}
      <p>
        <a href="/notifications">{t('moderation.notice.back')}</a>
      </p>
    </>
  );
}

function AppealRow(props: { appeal: AppealEntry; errors: FieldError[] }) {
  const { t, formatDateTime } = useView();
  const a = props.appeal;
  const form = `appeal-${a.id}`;
  return (
    <ListRow
      title={t(a.labelKey as MessageKey)}
      facts={[
        {
          label: t('moderation.log.group'),
          value: a.groupId ? (
            a.groupName ? (
              <bdi dir="auto">{a.groupName}</bdi>
            ) : (
              t('moderation.log.groupUnnamed')
            )
          ) : (
            t('moderation.log.instance')
          ),
        },
        ...(a.appellantName
          ? [{ label: t('moderation.log.account'), value: <bdi dir="auto">{a.appellantName}</bdi> }]
          : []),
        {
          label: t('moderation.log.reason'),
          value: a.actionReason ? <span dir="auto">{a.actionReason}</span> : t('moderation.log.noReason'),
        },
        { label: t('moderation.appeals.body'), value: <Paragraphs text={a.body} /> },
        {
          label: t('moderation.log.when'),
          value: <time datetime={new Date(a.createdAt).toISOString()}>{formatDateTime(a.createdAt)}</time>,
        },
      ]}
    >
      {a.mayDecide ? (
        <PostForm action={`/moderation/appeals/${a.id}/decision`}>
          <Field
            name="reason"
            label={t('moderation.decision.reason')}
            errors={props.errors}
            form={form}
            required
            maxLength={appealLimits.reasonMax}
          />
          <div class="actions">
            <button type="submit" name="decision" value="overturned" class="button button-small">
              {t('moderation.decision.overturn')}
            </button>
            <button type="submit" name="decision" value="upheld" class="button button-small button-secondary">
              {t('moderation.decision.uphold')}
            </button>
          </div>
        </PostForm>
      ) : (
        <p class="hint">{t('moderation.appeal.sameModerator')}</p>
      )}
    </ListRow>
  );
}

export function AppealsPage(props: {
  page: AppealPage;
  done?: string | undefined;
  failed?: { appealId: string; errors: FieldError[]; general: MessageKey | undefined } | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('moderation.appeals.lead')}>{t('moderation.appeals.title')}</PageHeading>
      {props.done === 'decided' && <Notice kind="success">{t('moderation.decision.done')}</Notice>}
      {props.failed && (
        <ErrorSummary
          errors={props.failed.errors}
          general={props.failed.general}
          form={`appeal-${props.failed.appealId}`}
        />
      )}
      {props.page.appeals.length === 0 ? (
        <p class="empty">{t('moderation.appeals.empty')}</p>
      ) : (
        <ul class="row-list" aria-label={t('moderation.appeals.title')}>
          {props.page.appeals.map((a) => (
            <AppealRow key={a.id} appeal={a} errors={props.failed?.appealId === a.id ? props.failed.errors : []} />
          ))}
        </ul>
      )}
      <Pager next={props.page.next} base="/moderation/appeals" label={t('list.more')} />
    </>
  );
}

export function RevealsPage(props: {
  requests: RevealRequest[];
  mayRequest: boolean;
  errors?: FieldError[];
  general?: MessageKey | undefined;
  sent?: { postId?: string | undefined; reason?: string | undefined };
}) {
  const { t, formatDateTime } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('moderation.reveal.lead')}>{t('moderation.reveal.title')}</PageHeading>
      {props.mayRequest && (
        <section aria-labelledby="reveal-request-heading">
          <h2 id="reveal-request-heading">{t('moderation.reveal.request')}</h2>
          <ErrorSummary errors={errors} general={props.general} />
          <PostForm action="/moderation/reveals">
            <Field
              name="postId"
              label={t('moderation.reveal.postId')}
              errors={errors}
              value={props.sent?.postId}
              required
            />
            <Field
              name="reason"
              label={t('moderation.decision.reason')}
              errors={errors}
              value={props.sent?.reason}
              required
              maxLength={appealLimits.reasonMax}
            />
            <button type="submit" class="button">
              {t('moderation.reveal.submit')}
            </button>
          </PostForm>
        </section>
      )}
      {props.requests.length === 0 ? (
        <p class="empty">{t('moderation.reveal.empty')}</p>
      ) : (
        <ul class="row-list" aria-label={t('moderation.reveal.title')}>
          {props.requests.map((r) => (
            <ListRow
              key={r.id}
              title={
                <a href={`/moderation/reveals/${r.id}`}>{t(`moderation.reveal.status.${r.status}` as MessageKey)}</a>
              }
              facts={[
                { label: t('moderation.log.reason'), value: <span dir="auto">{r.reason}</span> },
                {
                  label: t('moderation.reveal.requester'),
                  value: r.requesterName ? <bdi dir="auto">{r.requesterName}</bdi> : t('moderation.log.noAccount'),
                },
                {
                  label: t('moderation.log.when'),
                  value: <time datetime={new Date(r.createdAt).toISOString()}>{formatDateTime(r.createdAt)}</time>,
                },
              ]}
            >
              <RevealActions request={r} />
            </ListRow>
          ))}
        </ul>
      )}
    </>
  );
}

function RevealActions(props: { request: RevealRequest }) {
  const { t } = useView();
  const r = props.request;
  return (
    <>
      {r.mayDecide && (
        <>
          <ActionButton
            action={`/moderation/reveals/${r.id}/decision`}
            fields={{ approve: 'yes' }}
            label={t('moderation.reveal.approve')}
          />
          <ActionButton
            action={`/moderation/reveals/${r.id}/decision`}
            fields={{ approve: 'no' }}
            label={t('moderation.reveal.decline')}
            kind="secondary"
          />
        </>
      )}
      {r.mine && r.status === 'approved' && !r.shown && (
        <ActionButton action={`/moderation/reveals/${r.id}/show`} label={t('moderation.reveal.show')} kind="danger" />
      )}
    </>
  );
}

export function RevealPage(props: { request: RevealRequest; author?: { username: string | null } | null | undefined }) {
  const { t, formatDateTime } = useView();
  const r = props.request;
  return (
    <>
      <PageHeading>{t('moderation.reveal.one')}</PageHeading>
      <dl class="row-facts">
        <div>
          <dt>{t('moderation.reveal.state')}</dt>
          <dd>{t(`moderation.reveal.status.${r.status}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('moderation.log.target')}</dt>
          <dd>
            <a href={r.postHref}>{t('moderation.target.post')}</a>
          </dd>
        </div>
        <div>
          <dt>{t('moderation.log.reason')}</dt>
          <dd dir="auto">{r.reason}</dd>
        </div>
        <div>
          <dt>{t('moderation.log.when')}</dt>
          <dd>
            <time datetime={new Date(r.createdAt).toISOString()}>{formatDateTime(r.createdAt)}</time>
          </dd>
        </div>
      </dl>
      {props.author && (
        <Notice kind="warning">
          {props.author.username ? (
            <Sentence message="moderation.reveal.author" names={{ username: props.author.username }} />
          ) : (
            t('moderation.reveal.authorGone')
          )}
        </Notice>
      )}
      {r.shown && !props.author && <p class="hint">{t('moderation.reveal.shownOnce')}</p>}
      <div class="actions">
        <RevealActions request={r} />
      </div>
      <p>
        <a href="/moderation/reveals">{t('moderation.reveal.title')}</a>
      </p>
    </>
  );
}
