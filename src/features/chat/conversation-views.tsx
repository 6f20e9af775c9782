import type { ComponentChildren } from 'preact';
import type { MessagingPolicy } from '../../db/schema-chat.js';
import type { MessageKey } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import {
  ActionButton,
  ErrorSummary,
  Field,
  ListRow,
  MarkdownHint,
  Notice,
  PageHeading,
  Pager,
  PostForm,
  TextArea,
} from '../../views/components.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import { chatLimits } from './schemas.js';
import {
  messagingPolicies,
  type ConversationRequest,
  type ConversationSummary,
  type Person,
} from './services/conversations.js';

const notices = ['accepted', 'declined', 'left', 'saved'] as const;
export type ConversationNotice = (typeof notices)[number];
export const conversationNoticeOf = (value: unknown): ConversationNotice | undefined =>
  (notices as readonly unknown[]).includes(value) ? (value as ConversationNotice) : undefined;

/** Names people chose, each in its own direction, separated as the page's language separates a list. */
export function Names(props: { people: Person[] }) {
  const { t } = useView();
  if (props.people.length === 0) return <>{t('chat.conversations.nobody')}</>;
  const separator = t('chat.conversations.nameSeparator');
  return (
    <>
      {props.people.map((p, i) => (
        <span key={p.id}>
          {i > 0 && separator}
          <bdi dir="auto">{p.username}</bdi>
        </span>
      ))}
    </>
  );
}

function RequestRow(props: { request: ConversationRequest }) {
  const { t, formatDateTime } = useView();
  const { request } = props;
  const base = `/conversations/${encodeURIComponent(request.id)}`;
  return (
    <li class="row">
      <div class="row-main">
        <p class="row-title">
          {request.from ? (
            <Sentence message="chat.conversations.requests.from" names={{ name: request.from.username }} />
          ) : (
            t('chat.conversations.requests.fromUnknown')
          )}
        </p>
        {request.participants.length > 1 && (
          <p class="hint">
            {t('chat.conversations.requests.with')} <Names people={request.participants} />
          </p>
        )}
        {request.excerpt === null ? (
          <p class="muted">{t('chat.conversations.requests.gone')}</p>
        ) : (
          <blockquote class="excerpt">
            <p dir="auto">{request.excerpt}</p>
          </blockquote>
        )}
        <p class="hint">
          <time dateTime={new Date(request.receivedAt).toISOString()}>{formatDateTime(request.receivedAt)}</time>
        </p>
      </div>
      <div class="actions row-actions">
        <ActionButton action={`${base}/accept`} label={t('chat.conversations.requests.accept')} />
        <ActionButton action={`${base}/decline`} label={t('chat.conversations.requests.decline')} kind="secondary" />
        <ActionButton
          action={`${base}/decline`}
          fields={{ block: 'on' }}
          label={t('chat.conversations.requests.declineAndBlock')}
          kind="danger"
        />
      </div>
    </li>
  );
}

/** The member's private conversations: requests first, then the conversations they take part in. */
export function ConversationsPage(props: {
  requests: ConversationRequest[];
  conversations: ConversationSummary[];
  next: string | null;
  notice?: ConversationNotice | undefined;
}) {
  const { t, formatDateTime, formatNumber } = useView();
  return (
    <>
      <PageHeading lead={t('chat.conversations.lead')}>{t('chat.conversations.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(`chat.conversations.done.${props.notice}`)}</Notice>}
      <p class="actions">
        <a class="button" href="/conversations/new">
          {t('chat.conversations.start')}
        </a>
        <a href="/account/messaging">{t('chat.conversations.messagingLink')}</a>
      </p>
      {props.requests.length > 0 && (
        <section class="panel" aria-labelledby="requests-heading" id="requests">
          <h2 id="requests-heading">{t('chat.conversations.requests.title')}</h2>
          <p class="hint">{t('chat.conversations.requests.lead')}</p>
          <ul class="row-list">
            {props.requests.map((request) => (
              <RequestRow key={request.id} request={request} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="conversations-heading">
        <h2 id="conversations-heading">{t('chat.conversations.listTitle')}</h2>
        {props.conversations.length === 0 ? (
          <p class="muted">{t('chat.conversations.none')}</p>
        ) : (
          <ul class="row-list">
            {props.conversations.map((c) => {
              const facts: { label: string; value: ComponentChildren }[] = [];
              if (c.unread > 0)
                facts.push({
                  label: t('chat.conversations.unreadLabel'),
                  value: t('chat.conversations.unread', { count: c.unread, shown: formatNumber(c.unread) }),
                });
              if (c.lastMessageAt !== null)
                facts.push({ label: t('chat.conversations.lastMessageLabel'), value: formatDateTime(c.lastMessageAt) });
              return (
                <ListRow
                  key={c.id}
                  title={
                    <a href={`/conversations/${encodeURIComponent(c.id)}`}>
                      <Names people={c.participants} />
                    </a>
                  }
                  facts={facts}
                />
              );
            })}
          </ul>
        )}
        <Pager next={props.next} base="/conversations" label={t('chat.conversations.older')} />
      </section>
    </>
  );
}

export interface StartValues {
  usernames: string;
  body: string;
}

/** Starting a conversation: who (names separated by commas or spaces) and the first message. */
export function NewConversationPage(props: {
  values: StartValues;
  errors: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('chat.conversations.new.lead')}>{t('chat.conversations.new.title')}</PageHeading>
      <ErrorSummary errors={props.errors} general={props.general} />
      <PostForm action="/conversations">
        <Field
          name="usernames"
          label={t('chat.conversations.new.usernames')}
          hint={t('chat.conversations.new.usernamesHint', { max: chatLimits.conversationMax - 1 })}
          value={props.values.usernames}
          errors={props.errors}
          autocomplete="off"
          spellcheck={false}
          autocapitalize="none"
          maxLength={1000}
          required
        />
        <TextArea
          name="body"
          label={t('chat.conversations.new.body')}
          hint={<MarkdownHint />}
          value={props.values.body}
          errors={props.errors}
          maxLength={chatLimits.bodyMax}
          rows={5}
          required
        />
        <p class="hint">{t('chat.conversations.new.timerHint')}</p>
        <button type="submit" class="button">
          {t('chat.conversations.new.send')}
        </button>
      </PostForm>
      <p>
        <a href="/conversations">{t('chat.conversations.back')}</a>
      </p>
    </>
  );
}

/** Leaving is final: asked once more before it is done. */
export function LeaveConversationPage(props: { conversation: ConversationSummary }) {
  const { t } = useView();
  const id = encodeURIComponent(props.conversation.id);
  return (
    <>
      <PageHeading>{t('chat.conversations.leave.title')}</PageHeading>
      <p>
        {t('chat.conversations.leave.with')} <Names people={props.conversation.participants} />
      </p>
      <Notice kind="warning">{t('chat.conversations.leave.final')}</Notice>
      <div class="actions">
        <ActionButton
          action={`/conversations/${id}/leave`}
          label={t('chat.conversations.leave.confirm')}
          kind="danger"
        />
        <a href={`/conversations/${id}`}>{t('chat.conversations.leave.cancel')}</a>
      </div>
    </>
  );
}

/** Who may start a private conversation with the member: three choices, the default explained. */
export function MessagingPage(props: {
  chosen: MessagingPolicy;
  notice?: ConversationNotice | undefined;
  errors: FieldError[];
}) {
  const { t } = useView();
  const base = 'field-messaging';
  const error = props.errors.find((e) => e.field === 'messaging');
  return (
    <>
      <PageHeading lead={t('chat.conversations.messaging.lead')}>{t('chat.conversations.messaging.title')}</PageHeading>
      {props.notice === 'saved' && <Notice kind="success">{t('chat.conversations.done.saved')}</Notice>}
      <ErrorSummary errors={props.errors} />
      <PostForm action="/account/messaging">
        <fieldset class={error ? 'field-error' : undefined}>
          <legend>{t('chat.conversations.messaging.legend')}</legend>
          {error && (
            <p class="error-message" id={`${base}-error`}>
              {t(error.message, error.values)}
            </p>
          )}
          {messagingPolicies.map((policy, i) => {
            const id = i === 0 ? base : `${base}-${policy}`;
            return (
              <div class="radio" key={policy}>
                <input
                  type="radio"
                  id={id}
                  name="messaging"
                  value={policy}
                  checked={props.chosen === policy}
                  aria-describedby={`${id}-hint${error ? ` ${base}-error` : ''}`}
                />
                <label for={id}>{t(`chat.conversations.messaging.${policy}`)}</label>
                <p class="hint" id={`${id}-hint`}>
                  {t(`chat.conversations.messaging.${policy}Hint`)}
                </p>
              </div>
            );
          })}
        </fieldset>
        <p class="hint">{t('chat.conversations.messaging.always')}</p>
        <button type="submit" class="button">
          {t('chat.conversations.messaging.save')}
        </button>
      </PostForm>
      <p>
        <a href="/conversations">{t('chat.conversations.back')}</a>
      </p>
    </>
  );
}
