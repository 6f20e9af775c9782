import { Fragment, type ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import { TrustedHtmlBlock, type TrustedHtml } from '../../security/sanitize-html.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  Field,
  fieldId,
  Notice,
  PageHeading,
  PostForm,
  SelectField,
  TextArea,
  MarkdownHint,
  Paragraphs,
} from '../../views/components.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import { warningKinds } from '../discussions/public.js';
import { chatLimits, chatReactionKinds, type ChatReactionKind } from './schemas.js';
import type { ChatMessageView, ChatPage } from './services/chat-page.js';
import { cutText } from './excerpt.js';
import { TimerEventText, TimerForm } from './timer-views.js';

/**
 * The chat page (ADR 0064), for rooms and private conversations alike: a plain page that works
 * with JavaScript off (a form that posts and comes back, a refresh link, older pages by link), and
 * that src/web/assets/chat.js makes live when it can. Every message is an `<li id="m-…">` with its
 * numbers in data attributes; the `<template id="message-template">` is the same markup, empty, for
 * the script to fill.
 */

const warningKey = (w: string) => `discussions.warning.${w}` as MessageKey;
const reactionKey = (r: ChatReactionKind) => `discussions.reaction.${r}` as MessageKey;

/** A length of time in words: "1 week", "8 hours", "90 days". */
export function Duration(props: { seconds: number }) {
  const { t, formatNumber } = useView();
  const s = props.seconds;
  const [key, count]: [MessageKey, number] =
    s % 604_800 === 0
      ? ['chat.rooms.duration.weeks', s / 604_800]
      : s % 86_400 === 0
        ? ['chat.rooms.duration.days', s / 86_400]
        : s % 3_600 === 0
          ? ['chat.rooms.duration.hours', s / 3_600]
          : ['chat.rooms.duration.minutes', Math.max(1, Math.round(s / 60))];
  return <>{t(key, { count, formatted: formatNumber(count) })}</>;
}

/** "Messages disappear 1 week after they are sent", or that they stay. */
function TimerInForce(props: { seconds: number | null }) {
  const { t } = useView();
  if (props.seconds === null) return <p class="chat-timer">{t('chat.rooms.chat.timerOff')}</p>;
  return (
    <p class="chat-timer">
      <Sentence message="chat.rooms.chat.timerOn" parts={{ duration: <Duration seconds={props.seconds} /> }} />
    </p>
  );
}

/** Where the chat's page lives: `/rooms/{id}` or `/conversations/{id}`. */
export const chatHref = (chat: { id: string; kind: 'room' | 'conversation' }) =>
  `${chat.kind === 'room' ? '/rooms' : '/conversations'}/${chat.id}`;

function MessageBody(props: { message: ChatMessageView }) {
  const { t } = useView();
  const m = props.message;
  const body = <TrustedHtmlBlock class="message-body" html={(m.html ?? '') as TrustedHtml} />;
  if (!m.warning) return body;
  return (
    <details class="content-warning">
      <summary>
        <span class="tag tag-warning">{t('discussions.warningLabel', { warning: t(warningKey(m.warning.kind)) })}</span>
        {m.warning.text && <span dir="auto"> {m.warning.text}</span>}
        <span class="summary-hint"> {t('discussions.post.openWarning')}</span>
      </summary>
      {body}
    </details>
  );
}

function Reactions(props: { message: ChatMessageView; canReact: boolean }) {
  const { t, formatNumber } = useView();
  const m = props.message;
  const count = (kind: ChatReactionKind) => m.reactions.find((r) => r.kind === kind)?.count ?? 0;
  const label = (kind: ChatReactionKind) =>
    `${t(reactionKey(kind))}${count(kind) ? ` · ${formatNumber(count(kind))}` : ''}`;
  if (!props.canReact) {
    const given = chatReactionKinds.filter((kind) => count(kind) > 0);
    return given.length ? <p class="reaction-count">{given.map(label).join(' · ')}</p> : null;
  }
  // One form for the message, its buttons named for what they do ("add" or "remove") and valued
  // with the reaction: a page of 50 messages carries 50 forms and tokens, not 200.
  return (
    <PostForm action={`/messages/${m.id}/reactions`} class="reactions-form">
      <fieldset class="reactions">
        <legend class="visually-hidden">{t('chat.rooms.message.reactions')}</legend>
        {chatReactionKinds.map((kind) => {
          const on = m.reacted.includes(kind);
          return (
            <button
              key={kind}
              type="submit"
              name={on ? 'remove' : 'add'}
              value={kind}
              class="reaction"
              aria-pressed={on ? 'true' : 'false'}
            >
              {label(kind)}
            </button>
          );
        })}
      </fieldset>
    </PostForm>
  );
}

function MessageMenu(props: { message: ChatMessageView; here: string; canPost: boolean }) {
  const { t } = useView();
  const m = props.message;
  if (!props.canPost && !m.canEdit && !m.canUnsend) return null;
  return (
    <details class="message-menu">
      <summary>{t('chat.rooms.message.actions')}</summary>
      <ul class="post-actions">
        {props.canPost && (
          <li>
            <a href={`${props.here}?reply=${m.id}#composer`}>{t('chat.rooms.message.reply')}</a>
          </li>
        )}
        {m.canEdit && (
          <li>
            <a href={`/messages/${m.id}/edit`}>{t('chat.rooms.message.edit')}</a>
          </li>
        )}
        {m.canUnsend && (
          <li>
            {/* Erasing for everyone is asked first, on its own page (WCAG 3.3.4). */}
            <a href={`/messages/${m.id}/unsend`}>{t('chat.rooms.message.unsend')}</a>
          </li>
        )}
      </ul>
    </details>
  );
}

function ReplyExcerpt(props: { replyTo: NonNullable<ChatMessageView['replyTo']> }) {
  const { t } = useView();
  const r = props.replyTo;
  return (
    <blockquote class="quote message-reply">
      <p class="muted">
        <a href={`#m-${r.id}`}>{t('chat.rooms.message.replyTo')}</a>
        {r.authorName && (
          <>
            {' '}
            <bdi>{r.authorName}</bdi>
          </>
        )}
      </p>
      {r.excerpt === null ? <p class="muted">{t('chat.rooms.message.replyGone')}</p> : <Paragraphs text={r.excerpt} />}
    </blockquote>
  );
}

/** One message of the transcript. */
export function MessageItem(props: { message: ChatMessageView; here: string; canPost: boolean; canReact: boolean }) {
  const { t, formatDateTime } = useView();
  const m = props.message;
  const data = {
    id: `m-${m.id}`,
    'data-seq': String(m.seq),
    'data-position': String(m.position),
    'data-expires': m.expiresAt === null ? undefined : String(m.expiresAt),
  };
  if (m.kind === 'timer')
    return (
      <li class="message message-event" {...data}>
        <p>
          <TimerEventText seconds={m.timer} />
        </p>
      </li>
    );
  // Withheld by a block or a mute (ADR 0052): one neutral line in its place.
  if (m.withheld)
    return (
      <li class="message message-withheld" {...data}>
        <p class="muted">{t('chat.rooms.message.notShown')}</p>
      </li>
    );
  const author = m.author?.username ?? m.pseudonym ?? '';
  return (
    <li class={`message${m.mine ? ' message-mine' : ''}`} {...data}>
      <p class="message-meta">
        <span class={m.anonymous ? 'author author-anonymous' : 'author'} dir="auto">
          {author}
        </span>
        {m.mine && m.anonymous && <span class="tag">{t('chat.rooms.message.yoursAnonymous')}</span>}{' '}
        <time class="muted" dateTime={new Date(m.createdAt).toISOString()}>
          {formatDateTime(m.createdAt)}
        </time>
        {m.editedAt !== null && <span class="muted"> · {t('chat.rooms.message.edited')}</span>}
      </p>
      {m.replyTo && <ReplyExcerpt replyTo={m.replyTo} />}
      <MessageBody message={m} />
      <div class="message-footer">
        <Reactions message={m} canReact={props.canReact} />
        <MessageMenu message={m} here={props.here} canPost={props.canPost} />
      </div>
    </li>
  );
}

/**
 * The markup of one message, empty, for the live script to fill (text with textContent, the body
 * with the sanitiser's HTML). What each reader may do is said once on the transcript, in data
 * attributes, and the script shows or hides each part.
 */
function MessageTemplate() {
  const { t } = useView();
  return (
    <template
      id="message-template"
      data-not-shown={t('chat.rooms.message.notShown')}
      data-warnings={JSON.stringify(
        Object.fromEntries(warningKinds.map((w) => [w, t('discussions.warningLabel', { warning: t(warningKey(w)) })])),
      )}
    >
      <li class="message">
        <p class="message-meta">
          <span class="author" dir="auto" data-slot="author"></span>
          <span class="tag" data-slot="yours" hidden>
            {t('chat.rooms.message.yoursAnonymous')}
          </span>{' '}
          <time class="muted" dateTime="1970-01-01T00:00:00.000Z" data-slot="time"></time>
          <span class="muted" data-slot="edited" hidden>
            {' '}
            · {t('chat.rooms.message.edited')}
          </span>
        </p>
        <blockquote class="quote message-reply" data-slot="reply" hidden>
          <p class="muted">
            <a href="#composer" data-slot="reply-link">
              {t('chat.rooms.message.replyTo')}
            </a>{' '}
            <bdi data-slot="reply-author"></bdi>
          </p>
          <p dir="auto" data-slot="reply-excerpt" data-gone={t('chat.rooms.message.replyGone')}></p>
        </blockquote>
        <details class="content-warning" data-slot="warning" hidden>
          <summary>
            <span class="tag tag-warning" data-slot="warning-label"></span>
            <span dir="auto" data-slot="warning-text"></span>
            <span class="summary-hint"> {t('discussions.post.openWarning')}</span>
          </summary>
        </details>
        <div class="message-body" data-slot="body"></div>
        <div class="message-footer">
          <PostForm action="/messages" class="reactions-form">
            <fieldset class="reactions" data-slot="reactions">
              <legend class="visually-hidden">{t('chat.rooms.message.reactions')}</legend>
              {chatReactionKinds.map((kind) => (
                <button
                  key={kind}
                  type="submit"
                  name="add"
                  value={kind}
                  class="reaction"
                  aria-pressed="false"
                  data-kind={kind}
                  data-label={t(reactionKey(kind))}
                >
                  {t(reactionKey(kind))}
                </button>
              ))}
            </fieldset>
          </PostForm>
          <details class="message-menu" data-slot="menu">
            <summary>{t('chat.rooms.message.actions')}</summary>
            <ul class="post-actions">
              <li data-slot="reply-action">
                <a href="#composer">{t('chat.rooms.message.reply')}</a>
              </li>
              <li data-slot="edit-action">
                <a href="#composer">{t('chat.rooms.message.edit')}</a>
              </li>
              <li data-slot="unsend-action">
                <a href="#composer">{t('chat.rooms.message.unsend')}</a>
              </li>
            </ul>
          </details>
        </div>
      </li>
    </template>
  );
}

export interface ChatComposerState {
  values: { body?: string; warning?: string; warningText?: string; anonymous?: boolean };
  errors: FieldError[];
  general?: MessageKey | undefined;
}

function ChatComposer(props: { page: ChatPage; state: ChatComposerState; here: string }) {
  const { t } = useView();
  const { page, state } = props;
  const v = state.values;
  const replyError = state.errors.find((e) => e.field === 'replyToId');
  return (
    <section class="panel composer" id="composer" aria-labelledby="composer-title">
      <h2 id="composer-title">{t('chat.rooms.composer.title')}</h2>
      <ErrorSummary errors={state.errors} general={state.general} form="message" />
      <PostForm action={`/chats/${page.chat.id}/messages`} id="chat-composer">
        {replyError && !page.replyTo && (
          // The message being answered went (unsent, expired): said where its quote was, which the summary links to.
          <div class="field field-error" id={fieldId('replyToId', 'message')} tabIndex={-1}>
            <p class="error-message">{t(replyError.message, replyError.values)}</p>
          </div>
        )}
        {page.replyTo && (
          <blockquote class="quote composer-reply">
            <p class="muted">
              {t('chat.rooms.composer.replyingTo')}{' '}
              <bdi>{page.replyTo.author?.username ?? page.replyTo.pseudonym ?? ''}</bdi>
            </p>
            <Paragraphs text={excerptOf(page.replyTo.body ?? '')} />
            <input type="hidden" name="replyToId" value={page.replyTo.id} />
            <p>
              <a href={`${props.here}#composer`}>{t('chat.rooms.composer.cancelReply')}</a>
            </p>
          </blockquote>
        )}
        <TextArea
          name="body"
          form="message"
          label={t('chat.rooms.composer.body')}
          hint={<MarkdownHint />}
          value={v.body}
          maxLength={chatLimits.bodyMax}
          errors={state.errors}
          rows={3}
          required
        />
        <details class="composer-warning" open={Boolean(v.warning || v.warningText)}>
          <summary>{t('discussions.form.addWarning')}</summary>
          <WarningFields form="message" warning={v.warning} warningText={v.warningText} errors={state.errors} hint />
        </details>
        {page.can.postAnonymously && (
          <Checkbox
            name="anonymous"
            form="message"
            label={t('chat.rooms.composer.anonymous')}
            hint={t('chat.rooms.composer.anonymousHint')}
            checked={v.anonymous ?? false}
          />
        )}
        <p class="actions">
          <button type="submit" class="button">
            {t('chat.rooms.composer.send')}
          </button>
        </p>
      </PostForm>
    </section>
  );
}

const excerptOf = (text: string) => cutText(text, 200);

/** A first message from someone new: accept it, decline it, or decline and block (the sender is not told which). */
function RequestAnswer(props: { chatId: string }) {
  const { t } = useView();
  return (
    <section class="panel" id="composer" aria-labelledby="request-title">
      <h2 id="request-title">{t('chat.rooms.request.title')}</h2>
      <p>{t('chat.rooms.request.lead')}</p>
      <div class="actions">
        <ActionButton action={`/conversations/${props.chatId}/accept`} label={t('chat.rooms.request.accept')} />
        <ActionButton
          action={`/conversations/${props.chatId}/decline`}
          label={t('chat.rooms.request.decline')}
          kind="secondary"
        />
        <ActionButton
          action={`/conversations/${props.chatId}/decline`}
          fields={{ block: '1' }}
          label={t('chat.rooms.request.declineBlock')}
          kind="danger"
        />
      </div>
    </section>
  );
}

function Heading(props: { page: ChatPage }) {
  const { t } = useView();
  const { page } = props;
  if (page.chat.kind === 'room')
    return (
      <>
        <p class="breadcrumb">
          {page.group ? (
            <a href={`/groups/${page.group.id}/rooms`} dir="auto">
              {page.group.name}
            </a>
          ) : (
            <a href="/rooms">{t('chat.rooms.mine.instance')}</a>
          )}
        </p>
        <div class="page-heading">
          <h1 dir="auto">{page.chat.name}</h1>
          {page.can.manage && (
            <a class="button button-secondary button-small" href={`/rooms/${page.chat.id}/settings`}>
              {t('chat.rooms.settings.title')}
            </a>
          )}
        </div>
      </>
    );
  return (
    <>
      <p class="breadcrumb">
        <a href="/conversations">{t('chat.rooms.chat.conversations')}</a>
      </p>
      <PageHeading>{t('chat.rooms.chat.conversationTitle')}</PageHeading>
      {page.others.length > 0 && (
        <p class="chat-people">
          {t('chat.rooms.chat.with')}{' '}
          {page.others.map((p, i) => (
            <Fragment key={p.username}>
              {i > 0 && t('chat.rooms.chat.separator')}
              <bdi>{p.username}</bdi>
            </Fragment>
          ))}
        </p>
      )}
    </>
  );
}

function PageLinks(props: { page: ChatPage; here: string; children?: ComponentChildren }) {
  const { t } = useView();
  const { page, here } = props;
  return (
    <nav class="chat-pages" aria-label={t('chat.rooms.chat.pages')}>
      <ul>
        {page.olderBefore !== null && (
          <li>
            <a href={`${here}?before=${page.olderBefore}`} rel="prev">
              {t('chat.rooms.chat.older')}
            </a>
          </li>
        )}
        {!page.latest && page.newerFrom !== null && (
          <li>
            <a href={`${here}?from=${page.newerFrom}`} rel="next">
              {t('chat.rooms.chat.newer')}
            </a>
          </li>
        )}
        {props.children}
      </ul>
    </nav>
  );
}

/** A message's content warning: its kind and its own words, as the composer and the edit page ask them. */
function WarningFields(props: {
  form: string;
  warning: string | null | undefined;
  warningText: string | undefined;
  errors: FieldError[];
  hint?: boolean;
}) {
  const { t } = useView();
  return (
    <>
      <SelectField
        name="warning"
        form={props.form}
        label={t('discussions.form.warning')}
        hint={props.hint ? t('discussions.form.warningHint') : undefined}
        value={props.warning ?? ''}
        errors={props.errors}
        options={[
          { value: '', label: t('discussions.form.noWarning') },
          ...warningKinds.map((w) => ({ value: w, label: t(warningKey(w)) })),
        ]}
      />
      <Field
        name="warningText"
        form={props.form}
        label={t('discussions.form.warningText')}
        value={props.warningText}
        maxLength={chatLimits.warningTextMax}
        errors={props.errors}
      />
    </>
  );
}

export function ChatPageView(props: { page: ChatPage; composer: ChatComposerState; notice?: MessageKey | undefined }) {
  const { t, formatNumber, asset } = useView();
  const { page } = props;
  const here = `${page.chat.kind === 'room' ? '/rooms' : '/conversations'}/${page.chat.id}`;
  const first = page.unread.firstPosition;
  // The marker goes before the first message at or after the first unread one, when it is on this page.
  const markerAt = first === null ? undefined : page.messages.find((m) => m.position >= first && m.kind !== 'timer');
  const firstShown = page.messages[0]?.position;
  const unreadOffPage = first !== null && page.unread.count > 0 && (firstShown === undefined || first < firstShown);
  return (
    <>
      <Heading page={page} />
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <TimerInForce seconds={page.timerInForce} />
      {page.chat.archived && <Notice>{t('chat.rooms.chat.archived')}</Notice>}
      <PageLinks page={page} here={here}>
        {page.unread.count > 0 && (
          <li>
            <a href={unreadOffPage ? `${here}?from=${first}#first-unread` : '#first-unread'}>
              {t('chat.rooms.chat.jumpUnread', {
                count: page.unread.count,
                formatted: formatNumber(page.unread.count),
              })}
            </a>
          </li>
        )}
        {page.latest ? (
          <li>
            <a href={here} data-refresh="">
              {t('chat.rooms.chat.refresh')}
            </a>
          </li>
        ) : (
          <li>
            <a href={here}>{t('chat.rooms.chat.latest')}</a>
          </li>
        )}
      </PageLinks>
      <h2 class="visually-hidden" id="transcript-title">
        {t('chat.rooms.chat.transcript')}
      </h2>
      {page.messages.length === 0 && <p class="empty">{t('chat.rooms.chat.empty')}</p>}
      <ol
        class="transcript"
        aria-labelledby="transcript-title"
        data-chat-id={page.chat.id}
        data-seq={String(page.chat.lastSeq)}
        data-live={page.latest ? '1' : undefined}
        data-here={here}
        data-post={page.can.post ? '1' : undefined}
        data-react={page.can.react ? '1' : undefined}
        data-moderate={page.can.moderate ? '1' : undefined}
      >
        {page.messages.map((m) => (
          <Fragment key={m.id}>
            {markerAt?.id === m.id && (
              <li id="first-unread" class="unread-marker">
                {t('chat.rooms.chat.unreadMarker')}
              </li>
            )}
            <MessageItem message={m} here={here} canPost={page.can.post} canReact={page.can.react} />
          </Fragment>
        ))}
      </ol>
      <p class="visually-hidden" aria-live="polite" id="chat-announce" data-new={t('chat.rooms.live.newMessage')}></p>
      {page.olderBefore !== null && page.messages.length > 20 && <PageLinks page={page} here={here} />}
      {page.can.answerRequest ? (
        <RequestAnswer chatId={page.chat.id} />
      ) : page.can.post ? (
        <ChatComposer page={page} state={props.composer} here={here} />
      ) : (
        !page.chat.archived && (
          <p class="notice">
            {t(page.cannotPost === 'members_only' ? 'chat.rooms.chat.cannotPost' : 'chat.rooms.chat.postingPaused')}
          </p>
        )
      )}
      {page.can.setTimer && (
        <details class="chat-timer-settings">
          <summary>{t('chat.rooms.chat.timerSettings')}</summary>
          <TimerForm chatId={page.chat.id} kind={page.chat.kind} current={page.chatTimer} max={page.maxTimer} />
        </details>
      )}
      <MessageTemplate />
      <script src={asset('chat.js')} defer />
    </>
  );
}

/** Unsending asked first: the words, what unsending does, and the button; cancelling goes back to the message. */
export function UnsendMessagePage(props: { message: ChatMessageView; back: string }) {
  const { t } = useView();
  const m = props.message;
  const author = m.author?.username ?? m.pseudonym ?? '';
  return (
    <>
      <PageHeading>{t('chat.rooms.unsend.title')}</PageHeading>
      <blockquote class="quote">
        <p class="muted">
          <bdi>{author}</bdi>
        </p>
        <Paragraphs text={excerptOf(m.body ?? '')} />
      </blockquote>
      <p>{t('chat.rooms.unsend.lead')}</p>
      <PostForm action={`/messages/${m.id}/unsend`}>
        <p class="actions">
          <button type="submit" class="button button-danger">
            {t('chat.rooms.message.unsend')}
          </button>
          <a class="button button-secondary" href={props.back}>
            {t('form.cancel')}
          </a>
        </p>
      </PostForm>
    </>
  );
}

/** The edit page of one's own message: its words and warning, saved by a plain form. */
export function EditMessagePage(props: { messageId: string; back: string; state: ChatComposerState }) {
  const { t } = useView();
  const v = props.state.values;
  return (
    <>
      <PageHeading>{t('chat.rooms.edit.title')}</PageHeading>
      <ErrorSummary errors={props.state.errors} general={props.state.general} form="edit" />
      <PostForm action={`/messages/${props.messageId}/edit`}>
        <TextArea
          name="body"
          form="edit"
          label={t('chat.rooms.composer.body')}
          hint={<MarkdownHint />}
          value={v.body}
          maxLength={chatLimits.bodyMax}
          errors={props.state.errors}
          rows={6}
          required
        />
        <WarningFields form="edit" warning={v.warning} warningText={v.warningText} errors={props.state.errors} />
        <p class="actions">
          <button type="submit" class="button">
            {t('chat.rooms.edit.submit')}
          </button>
          <a class="button button-secondary" href={props.back}>
            {t('form.cancel')}
          </a>
        </p>
      </PostForm>
    </>
  );
}
