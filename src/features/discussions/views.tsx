import { Fragment, type ComponentChildren } from 'preact';
import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { pseudonymNames } from '../../security/anonymity.js';
import { renderMarkdown, renderMarkdownUnkept, TrustedHtmlBlock } from '../../security/sanitize-html.js';
import { ReportLink } from '../../views/report-link.js';
import { useView } from '../../views/context.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  Field,
  Notice,
  PageHeading,
  Pager,
  PostForm,
  SelectField,
  TextArea,
  MarkdownHint,
  Paragraphs,
} from '../../views/components.js';
import { KeptWords } from '../../views/kept.js';
import type { PostPreview } from './services/preview.js';
import {
  draftLimits,
  postLimits,
  threadModerationLimits,
  excerpt,
  reactionKinds,
  warningKinds,
  type ActivityItem,
  type AuthorView,
  type OwnPost,
  type PostView,
  type ThreadList,
  type ThreadListItem,
  type ThreadPage,
  type ThreadSummary,
  type WarningKind,
  type WarningPreferences,
} from './services/model.js';
import { firstUnreadAddress } from './services/unread.js';
import type { AnonymousReplies } from './services/anonymous-replies.js';
import { Sentence } from '../../views/sentence.js';

export function AuthorName(props: { author: AuthorView }) {
  const { t, formatNumber } = useView();
  const a = props.author;
  if (a.kind === 'member')
    return (
      <span class="author" dir="auto">
        {a.username}
      </span>
    );
  if (a.kind === 'deleted') return <span class="author muted">{t('discussions.author.deleted')}</span>;
  if (a.kind === 'notShown') return <span class="author muted">{t('safetyTools.post.notShown')}</span>;
  const name = t('discussions.pseudonym', { index: String(a.pseudonym % pseudonymNames) });
  const number = formatNumber(Math.floor(a.pseudonym / pseudonymNames) + 1);
  return <span class="author author-anonymous">{t('discussions.author.anonymous', { name, number })}</span>;
}

const warningKey = (w: WarningKind) => `discussions.warning.${w}` as MessageKey;
const reactionKey = (r: string) => `discussions.reaction.${r}` as MessageKey;

/**
 * "Pinned" and "Locked" as words, never colour or an icon alone (ADR 0039). Pinning says something
 * only in the group's own list, where it decides the order.
 */
function ThreadState(props: { thread: ThreadSummary; pinned: boolean; class?: string }) {
  const { t } = useView();
  const th = props.thread;
  const pinned = props.pinned && th.pinned;
  if (!pinned && !th.locked) return null;
  return (
    <p class={`thread-state ${props.class ?? ''}`.trim()}>
      {pinned && <span class="tag tag-state">{t('discussions.state.pinned')}</span>}
      {th.locked && <span class="tag tag-state">{t('discussions.state.locked')}</span>}
    </p>
  );
}

/**
 * What is new to the member in a thread, as a link to the page holding the first new post: a count
 * in a thread they have opened, a plain "new" in one they never have (ADR 0038).
 */
function UnreadLink(props: { thread: ThreadListItem }) {
  const { t, formatNumber } = useView();
  const { unread, id } = props.thread;
  if (unread.count === 0) return null;
  return (
    <p class="thread-unread">
      <a class="unread-link" href={firstUnreadAddress(id, unread)}>
        {unread.opened
          ? t('discussions.unread.count', { count: unread.count, formatted: formatNumber(unread.count) })
          : t('discussions.unread.notOpened')}
      </a>
    </p>
  );
}

function ThreadRow(props: { thread: ThreadListItem; groupName?: string }) {
  const { t, formatDate, formatNumber } = useView();
  const th = props.thread;
  return (
    <li class={`thread-row${th.pinned && !props.groupName ? ' thread-pinned' : ''}`}>
      <ThreadState thread={th} pinned={!props.groupName} />
      <h3 class="thread-title">
        <a href={`/threads/${th.id}`} dir="auto">
          {th.title}
        </a>
      </h3>
      <p class="muted">
        {props.groupName && (
          <>
            <a href={`/groups/${th.groupId}`} dir="auto">
              {props.groupName}
            </a>
            {' · '}
          </>
        )}
        <AuthorName author={th.author} />
        {' · '}
        {t('discussions.replies', { count: th.replyCount, formatted: formatNumber(th.replyCount) })}
        {' · '}
        {t('discussions.lastActivity', { date: formatDate(th.lastActivityAt) })}
        {th.warning && (
          <>
            {' · '}
            <span class="tag tag-warning">{t('discussions.warningLabel', { warning: t(warningKey(th.warning)) })}</span>
          </>
        )}
      </p>
      <UnreadLink thread={th} />
    </li>
  );
}

export function ThreadListView(props: { list: ThreadList }) {
  const { t } = useView();
  const { group, abilities: can } = props.list;
  return (
    <section aria-labelledby="threads-title">
      <div class="section-heading">
        <h2 id="threads-title">{t('discussions.threads.title')}</h2>
        {can.post && (
          <a class="button" href={`/groups/${group.id}/threads/new`}>
            {t('discussions.threads.new')}
          </a>
        )}
        {can.watch && (
          <ActionButton
            action={`/groups/${group.id}/watch`}
            fields={{ on: props.list.watching ? '0' : '1' }}
            label={props.list.watching ? t('discussions.watch.groupStop') : t('discussions.watch.group')}
            kind="secondary"
            pressed={props.list.watching}
          />
        )}
      </div>
      {props.list.threads.length === 0 ? (
        <p class="empty">{t('discussions.threads.empty')}</p>
      ) : (
        <ul class="thread-list">
          {props.list.threads.map((th) => (
            <ThreadRow key={th.id} thread={th} />
          ))}
        </ul>
      )}
      <Pager next={props.list.next} base={`/groups/${group.id}`} label={t('list.more')} />
    </section>
  );
}

export function ActivityList(props: { items: ActivityItem[] }) {
  const { t } = useView();
  if (props.items.length === 0) return <p class="empty">{t('discussions.activity.empty')}</p>;
  return (
    <ul class="thread-list">
      {props.items.map((item) => (
        <ThreadRow key={item.id} thread={item} groupName={item.groupName} />
      ))}
    </ul>
  );
}

function PostBody(props: { post: PostView; prefs: WarningPreferences }) {
  const { t } = useView();
  const p = props.post;
  if (p.deleted) return <p class="muted">{t('discussions.post.deleted')}</p>;
  if (p.hidden && !p.body) return <p class="muted">{t('discussions.post.hiddenByModerators')}</p>;
  const content = <TrustedHtmlBlock class="post-body" html={renderMarkdown(p.body)} />;
  if (!p.warning) return content;
  const label = t('discussions.warningLabel', { warning: t(warningKey(p.warning)) });
  if (props.prefs[p.warning] === 'hide' && !p.mine) {
    return (
      <p class="muted">
        {t('discussions.post.hiddenByYou', { warning: t(warningKey(p.warning)) })}{' '}
        <a href="/account/warnings">{t('discussions.warnings.change')}</a>
      </p>
    );
  }
  return (
    <details class="content-warning">
      <summary>
        <span class="tag tag-warning">{label}</span>
        {p.warningText && <span dir="auto"> {p.warningText}</span>}
        <span class="summary-hint"> {t('discussions.post.openWarning')}</span>
      </summary>
      {content}
    </details>
  );
}

/** The address of a page of a thread; the first page is the thread's own address. */
const pageHref = (threadId: string, page: number) => `/threads/${threadId}${page > 1 ? `?page=${page}` : ''}`;

/**
 * First, previous, next and last, the pages around this one, and "page N of M": plain links, so it
 * works without JavaScript. Shown above and below the posts, each with its own name.
 */
function ThreadPager(props: { threadId: string; pages: ThreadPage['pages']; label: string }) {
  const { t, formatNumber } = useView();
  const { number, count } = props.pages;
  if (count <= 1) return null;
  const href = (page: number) => pageHref(props.threadId, page);
  const around = new Set([1, count]);
  for (let page = Math.max(1, number - 2); page <= Math.min(count, number + 2); page++) around.add(page);
  const numbers = [...around].sort((a, b) => a - b);
  return (
    <nav class="thread-pages" aria-label={props.label}>
      <p class="thread-pages-status">
        {t('discussions.pages.status', { page: formatNumber(number), count: formatNumber(count) })}
      </p>
      <ul>
        {number > 1 && (
          <>
            <li>
              <a href={href(1)}>{t('discussions.pages.first')}</a>
            </li>
            <li>
              <a href={href(number - 1)} rel="prev">
                {t('discussions.pages.previous')}
              </a>
            </li>
          </>
        )}
        {numbers.map((page, i) => (
          <Fragment key={page}>
            {i > 0 && page - numbers[i - 1]! > 1 && (
              <li class="thread-pages-gap" aria-hidden="true">
                …
              </li>
            )}
            <li>
              <a
                href={href(page)}
                class="thread-pages-number"
                aria-label={t('discussions.pages.number', { page: formatNumber(page) })}
                aria-current={page === number ? 'page' : undefined}
              >
                {formatNumber(page)}
              </a>
            </li>
          </Fragment>
        ))}
        {number < count && (
          <>
            <li>
              <a href={href(number + 1)} rel="next">
                {t('discussions.pages.next')}
              </a>
            </li>
            <li>
              <a href={href(count)}>{t('discussions.pages.last')}</a>
            </li>
          </>
        )}
      </ul>
    </nav>
  );
}

function PostItem(props: { post: PostView; page: ThreadPage; prefs: WarningPreferences }) {
  const { t, formatDate } = useView();
  const p = props.post;
  const here = pageHref(p.threadId, props.page.pages.number);
  // Withheld by a block or a mute (ADR 0052): one neutral line in its place, the same for both.
  if (p.withheld)
    return (
      <article class="post post-withheld" id={`post-${p.id}`}>
        <p class="muted">{t('safetyTools.post.notShown')}</p>
      </article>
    );
  return (
    <article
      class={`post${p.hidden ? ' post-hidden' : ''}`}
      id={`post-${p.id}`}
      aria-labelledby={`post-${p.id}-author`}
    >
      <header class="post-header">
        <span id={`post-${p.id}-author`}>
          <AuthorName author={p.author} />
        </span>
        {p.mine && p.author.kind === 'anonymous' && <span class="tag">{t('discussions.post.yoursAnonymous')}</span>}
        <a class="muted post-time" href={`/posts/${p.id}`}>
          <time dateTime={new Date(p.createdAt).toISOString()}>{formatDate(p.createdAt)}</time>
        </a>
        {p.editedAt && <span class="muted">{t('discussions.post.edited')}</span>}
        {p.hidden && !p.held && <span class="tag tag-warning">{t('discussions.post.hidden')}</span>}
      </header>
      {p.quote && (
        <blockquote class="quote">
          <p class="muted">
            <AuthorName author={p.quote.author} /> ·{' '}
            <a href={`/posts/${p.quote.postId}`}>{t('discussions.quote.original')}</a>
          </p>
          {p.quote.unavailable ? <p>{t('discussions.quote.unavailable')}</p> : <Paragraphs text={p.quote.excerpt} />}
        </blockquote>
      )}
      {p.held && <Notice kind="info">{t('safetyTools.post.held')}</Notice>}
      <PostBody post={p} prefs={props.prefs} />
      {!p.deleted && !(p.hidden && !p.body) && (
        <footer class="post-footer">
          <Reactions post={p} canReact={props.page.canReact && !p.hidden} />
          <ul class="post-actions">
            {props.page.canPost && !p.hidden && (
              <li>
                <a href={`${here}${here.includes('?') ? '&' : '?'}quote=${p.id}#reply`}>
                  {t('discussions.post.quote')}
                </a>
              </li>
            )}
            {p.canEdit && (
              <li>
                <a href={`/posts/${p.id}/edit`}>{t('discussions.post.edit')}</a>
              </li>
            )}
            {p.canDelete && (
              <li>
                <a href={`/posts/${p.id}/delete`}>{t('discussions.post.delete')}</a>
              </li>
            )}
            {p.canModerate && (
              <li>
                <ActionButton
                  action={`/posts/${p.id}/hide`}
                  fields={{ hidden: p.hidden ? '0' : '1' }}
                  label={p.hidden ? t('discussions.moderate.unhide') : t('discussions.moderate.hide')}
                  kind="link"
                />
              </li>
            )}
            {p.canModerate && !p.mine && (
              <li>
                <a href={`/posts/${p.id}/ban`}>{t('discussions.moderate.ban')}</a>
              </li>
            )}
            {!p.mine && !p.hidden && (
              <li>
                <ReportLink targetType="post" targetId={p.id} />
              </li>
            )}
            {p.blockableAuthorId && (
              <>
                <li>
                  <ActionButton
                    action="/account/mutes"
                    fields={{ userId: p.blockableAuthorId }}
                    label={t('safetyTools.post.mute')}
                    kind="link"
                  />
                </li>
                <li>
                  <ActionButton
                    action="/account/blocks"
                    fields={{ userId: p.blockableAuthorId }}
                    label={t('safetyTools.post.block')}
                    kind="link"
                  />
                </li>
              </>
            )}
          </ul>
        </footer>
      )}
    </article>
  );
}

/** One form per post: each reaction is a submit button that toggles it, so it works without JavaScript. */
function Reactions(props: { post: PostView; canReact: boolean }) {
  const { t, formatNumber } = useView();
  const p = props.post;
  const label = (kind: (typeof reactionKinds)[number]) =>
    `${t(reactionKey(kind))}${p.reactions[kind] ? ` · ${formatNumber(p.reactions[kind])}` : ''}`;
  if (!props.canReact) {
    const given = reactionKinds.filter((kind) => p.reactions[kind] > 0);
    return given.length ? <p class="reaction-count">{given.map(label).join(' · ')}</p> : null;
  }
  return (
    <PostForm action={`/posts/${p.id}/reactions`}>
      <fieldset class="reactions">
        <legend class="visually-hidden">{t('discussions.reactions.label')}</legend>
        {reactionKinds.map((kind) => (
          <button
            key={kind}
            type="submit"
            name="toggle"
            value={kind}
            class="reaction"
            aria-pressed={p.myReactions.includes(kind) ? 'true' : 'false'}
          >
            {label(kind)}
          </button>
        ))}
      </fieldset>
    </PostForm>
  );
}

export interface ComposerState {
  values: {
    body?: string;
    warning?: string;
    warningText?: string;
    anonymous?: boolean;
    notifyReplies?: boolean;
    title?: string;
    quotePostId?: string;
  };
  errors: FieldError[];
  general?: MessageKey | undefined;
  /** When the member's stored draft was last saved, if there is one (ADR 0040). */
  draftSavedAt?: number | undefined;
  /** What just happened to the draft: saved, discarded, or not kept (an anonymous post). */
  draftNotice?: 'saved' | 'discarded' | 'anonymous' | undefined;
  /** The post as it would be published, when the member asked to preview it. */
  preview?: PostPreview | undefined;
}

function WarningFields(props: { state: ComposerState; form: string }) {
  const { t } = useView();
  const v = props.state.values;
  return (
    <details class="composer-warning" open={Boolean(v.warning || v.warningText)}>
      <summary>{t('discussions.form.addWarning')}</summary>
      <SelectField
        name="warning"
        form={props.form}
        label={t('discussions.form.warning')}
        hint={t('discussions.form.warningHint')}
        value={v.warning ?? ''}
        errors={props.state.errors}
        options={[
          { value: '', label: t('discussions.form.noWarning') },
          ...warningKinds.map((w) => ({ value: w, label: t(warningKey(w)) })),
        ]}
      />
      <Field
        name="warningText"
        form={props.form}
        label={t('discussions.form.warningText')}
        value={v.warningText}
        maxLength={postLimits.warningTextMax}
        errors={props.state.errors}
      />
    </details>
  );
}

function AnonymousChoice(props: { checked: boolean; notifyReplies: boolean; form: string }) {
  const { t } = useView();
  return (
    <div class="anonymous-choice">
      <Checkbox
        name="anonymous"
        form={props.form}
        label={t('discussions.form.anonymous')}
        hint={t('discussions.form.anonymousHint')}
        checked={props.checked}
      />
      {/* Anonymous posts are not watched: hearing of replies is asked for, and says what it stores (ADR 0043). */}
      <Checkbox
        name="notifyReplies"
        form={props.form}
        label={t('discussions.form.notifyReplies')}
        hint={t('discussions.form.notifyRepliesHint')}
        checked={props.notifyReplies}
      />
      <details>
        <summary>{t('discussions.anonymity.title')}</summary>
        <ul>
          <li>{t('discussions.anonymity.others')}</li>
          <li>{t('discussions.anonymity.moderators')}</li>
          <li>{t('discussions.anonymity.admins')}</li>
          <li>{t('discussions.anonymity.reset')}</li>
          <li>{t('discussions.anonymity.deletion')}</li>
          <li>{t('discussions.anonymity.style')}</li>
        </ul>
      </details>
    </div>
  );
}

/** The moderators' pin or lock form, seen again after a refusal: which one, what was written, the problems. */
export interface ModerationState {
  form: 'pin' | 'lock';
  values: { reason: string };
  errors: FieldError[];
  general?: MessageKey | undefined;
}

/**
 * Pinning and locking, for those who may (ADR 0039): folded under the thread's title, one form each
 * with its own reason, plain POSTs that land back on the thread. Open when a form comes back with
 * a problem, which is then announced first.
 */
function ThreadModeration(props: { page: ThreadPage; state: ModerationState | undefined }) {
  const { t } = useView();
  const { page, state } = props;
  const th = page.thread;
  const forms = [
    page.abilities.pinThreads && {
      form: 'pin' as const,
      field: 'pinned',
      on: !th.pinned,
      title: th.pinned ? t('discussions.moderation.unpinTitle') : t('discussions.moderation.pinTitle'),
      hint: th.pinned ? t('discussions.moderation.unpinHint') : t('discussions.moderation.pinHint'),
      submit: th.pinned ? t('discussions.moderation.unpin') : t('discussions.moderation.pin'),
    },
    page.abilities.lockThreads && {
      form: 'lock' as const,
      field: 'locked',
      on: !th.locked,
      title: th.locked ? t('discussions.moderation.unlockTitle') : t('discussions.moderation.lockTitle'),
      hint: th.locked ? t('discussions.moderation.unlockHint') : t('discussions.moderation.lockHint'),
      submit: th.locked ? t('discussions.moderation.unlock') : t('discussions.moderation.lock'),
    },
  ].filter((f) => f !== false);
  if (forms.length === 0) return null;
  return (
    <details class="panel thread-moderation" id="moderation" open={state !== undefined}>
      <summary>{t('discussions.moderation.title')}</summary>
      <p class="hint">{t('discussions.moderation.lead')}</p>
      {/* Slow mode (ADR 0052) is the group's own moderators', as pinning is. */}
      {page.abilities.pinThreads && (
        <p>
          <a href={`/threads/${th.id}/slow-mode`}>{t('safetyTools.slowMode.threadLink')}</a>
        </p>
      )}
      {state && <ErrorSummary errors={state.errors} general={state.general} form={state.form} />}
      {forms.map((f) => (
        <PostForm key={f.form} action={`/threads/${th.id}/${f.form}`} class="thread-moderation-form">
          <h2 class="thread-moderation-title">{f.title}</h2>
          <input type="hidden" name={f.field} value={f.on ? '1' : '0'} />
          <Field
            name="reason"
            form={f.form}
            label={t('discussions.moderation.reason')}
            hint={f.hint}
            value={state?.form === f.form ? state.values.reason : undefined}
            errors={state?.form === f.form ? state.errors : []}
            required
            maxLength={threadModerationLimits.reasonMax}
          />
          <button type="submit" class="button button-secondary">
            {f.submit}
          </button>
        </PostForm>
      ))}
    </details>
  );
}

/** The moderators' words, in their own paragraph with their own direction (ADR 0035). */
function LockReason(props: { reason: string }) {
  const { t } = useView();
  return (
    <>
      <p class="lock-reason-label">{t('discussions.locked.reason')}</p>
      <p class="lock-reason" dir="auto">
        {props.reason}
      </p>
    </>
  );
}

/** Where the reply form would be, in a locked thread: why, and a refused reply's words kept to copy. */
function LockedNotice(props: { page: ThreadPage; composer: ComposerState }) {
  const { t } = useView();
  const th = props.page.thread;
  const kept = props.composer.values.body;
  return (
    <section class="panel thread-locked" id="reply" aria-labelledby="reply-title">
      <h2 id="reply-title">{t('discussions.state.locked')}</h2>
      <ErrorSummary errors={props.composer.errors} general={props.composer.general} form="reply" />
      <p>{t('discussions.locked.notice')}</p>
      {th.lockReason && <LockReason reason={th.lockReason} />}
      {kept && (
        <div class="field">
          <label for="field-kept-body">{t('discussions.locked.keptText')}</label>
          <textarea id="field-kept-body" rows={6} readOnly dir="auto">
            {kept}
          </textarea>
        </div>
      )}
    </section>
  );
}

/**
 * What the member is writing, as it will read once posted (ADR 0040): the rendered Markdown, through
 * the one sanitiser but kept nowhere, with its title and warning. Shown above the composer.
 */
function Preview(props: { preview: PostPreview; form: string; level: 2 | 3 }) {
  const { t } = useView();
  const p = props.preview;
  const Heading = props.level === 2 ? 'h2' : 'h3';
  return (
    <section class="preview" aria-labelledby={`${props.form}-preview-title`}>
      <Heading id={`${props.form}-preview-title`}>{t('discussions.preview.title')}</Heading>
      <p class="hint">{t('discussions.preview.lead')}</p>
      <div class="post preview-post">
        {p.title && (
          <p class="preview-thread-title" dir="auto">
            {p.title}
          </p>
        )}
        {p.warning && (
          <p>
            <span class="tag tag-warning">{t('discussions.warningLabel', { warning: t(warningKey(p.warning)) })}</span>
            {p.warningText && <span dir="auto"> {p.warningText}</span>}
          </p>
        )}
        {p.body ? (
          <TrustedHtmlBlock class="post-body" html={renderMarkdownUnkept(p.body)} />
        ) : (
          <p class="muted">{t('discussions.preview.empty')}</p>
        )}
      </div>
    </section>
  );
}

/** The draft's news, as a notice above the composer: saved (and for how long), discarded, not kept, restored. */
function DraftNotice(props: { state: ComposerState }) {
  const { t, formatDateTime, formatNumber } = useView();
  const days = { days: draftLimits.keepDays, formatted: formatNumber(draftLimits.keepDays) };
  switch (props.state.draftNotice) {
    case 'saved':
      return <Notice kind="success">{t('discussions.draft.savedNotice', days)}</Notice>;
    case 'discarded':
      return <Notice kind="success">{t('discussions.draft.discarded')}</Notice>;
    case 'anonymous':
      return <Notice kind="warning">{t('discussions.draft.anonymousNotice')}</Notice>;
    default:
      if (!props.state.draftSavedAt || props.state.preview || props.state.errors.length) return null;
      return (
        <Notice>{t('discussions.draft.restored', { date: formatDateTime(props.state.draftSavedAt), ...days })}</Notice>
      );
  }
}

/**
 * The reply and new-thread composer: post, preview, save a draft, discard it. Every button is a
 * plain submit (the others with `formaction`), so all of it works without JavaScript; with it, the
 * draft also saves itself a moment after typing stops, through the drafts API (src/web/assets/app.js),
 * and says so in a polite live region. `children` go before the fields (a quote, hidden fields).
 */
function Composer(props: {
  form: 'reply' | 'thread';
  /** Where the draft and preview routes hang: `/threads/:id` or `/groups/:id/threads`. */
  base: string;
  action: string;
  api: string;
  state: ComposerState;
  anonymousAllowed: boolean;
  submit: string;
  headingLevel: 2 | 3;
  children?: ComponentChildren;
}) {
  const { t } = useView();
  const { state, form } = props;
  // A form's response lands at the composer on a long thread page.
  const at = form === 'reply' ? '#reply' : '';
  return (
    <>
      <DraftNotice state={state} />
      <ErrorSummary errors={state.errors} general={state.general} form={form} />
      {state.preview && <Preview preview={state.preview} form={form} level={props.headingLevel} />}
      <PostForm action={props.action}>
        {props.children}
        <PostFields
          state={state}
          form={form}
          withTitle={form === 'thread'}
          withBodyHint
          rows={form === 'reply' ? 6 : 10}
        />
        {props.anonymousAllowed && (
          <AnonymousChoice
            checked={state.values.anonymous ?? false}
            notifyReplies={state.values.notifyReplies ?? false}
            form={form}
          />
        )}
        <div class="actions composer-actions">
          <button type="submit" class="button">
            {props.submit}
          </button>
          <button
            type="submit"
            class="button button-secondary"
            formAction={`${props.base}/preview${at}`}
            formNoValidate
          >
            {t('discussions.preview.button')}
          </button>
          <button type="submit" class="button button-secondary" formAction={`${props.base}/draft`} formNoValidate>
            {t('discussions.draft.save')}
          </button>
          <button
            type="submit"
            class="button button-secondary"
            formAction={`${props.base}/draft/discard`}
            formNoValidate
            hidden={!state.draftSavedAt}
            data-draft-discard=""
          >
            {t('discussions.draft.discard')}
          </button>
        </div>
        <p
          class="hint draft-status"
          aria-live="polite"
          data-draft-api={props.api}
          data-saved={t('discussions.draft.saved')}
          data-failed={t('discussions.draft.failed')}
          data-anonymous={t('discussions.draft.anonymousStatus')}
        ></p>
      </PostForm>
    </>
  );
}

export function ThreadPageView(props: {
  page: ThreadPage & { firstUnread?: string | null };
  prefs: WarningPreferences;
  composer: ComposerState;
  quote: PostView['quote'];
  notice?: MessageKey | undefined;
  moderation?: ModerationState | undefined;
  /** Text kept when a session ended, for a member who may no longer post here: shown to copy. */
  keptWords?: [string, string][] | undefined;
}) {
  const { t } = useView();
  const { page } = props;
  const th = page.thread;
  return (
    <>
      <p class="breadcrumb">
        <a href={`/groups/${page.group.id}`} dir="auto">
          {page.group.name}
        </a>
      </p>
      <div class="page-heading">
        <h1 dir="auto">{th.title}</h1>
        <ThreadState thread={th} pinned />
        {page.abilities.watch && (
          <ActionButton
            action={`/threads/${th.id}/watch`}
            fields={{ on: page.watching ? '0' : '1' }}
            label={page.watching ? t('discussions.watch.threadStop') : t('discussions.watch.thread')}
            kind="secondary"
            pressed={page.watching}
          />
        )}
      </div>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ThreadModeration page={page} state={props.moderation} />
      <p class="report-thread">
        <ReportLink targetType="thread" targetId={th.id} />
      </p>
      <ThreadPager threadId={th.id} pages={page.pages} label={t('discussions.pages.label')} />
      <div class="posts">
        {page.posts.map((p) => (
          <Fragment key={p.id}>
            {p.id === page.firstUnread && (
              <h2 id="first-unread" class="unread-marker">
                {t('discussions.unread.marker')}
              </h2>
            )}
            <PostItem post={p} page={page} prefs={props.prefs} />
          </Fragment>
        ))}
      </div>
      <ThreadPager threadId={th.id} pages={page.pages} label={t('discussions.pages.labelEnd')} />
      {page.canPost ? (
        <section class="panel composer" id="reply" aria-labelledby="reply-title">
          <h2 id="reply-title">{t('discussions.reply.title')}</h2>
          {th.locked && (
            <div class="notice">
              <p>{t('discussions.locked.moderatorNotice')}</p>
              {th.lockReason && <LockReason reason={th.lockReason} />}
            </div>
          )}
          <Composer
            form="reply"
            base={`/threads/${th.id}`}
            action={`/threads/${th.id}/posts`}
            api={`/api/v1/threads/${th.id}/draft`}
            state={props.composer}
            anonymousAllowed={page.anonymousAllowed}
            submit={t('discussions.reply.submit')}
            headingLevel={3}
          >
            {props.quote && (
              <blockquote class="quote">
                <p class="muted">
                  {t('discussions.quote.replyingTo')} <AuthorName author={props.quote.author} />
                </p>
                <Paragraphs text={props.quote.excerpt} />
                <input type="hidden" name="quotePostId" value={props.quote.postId} />
              </blockquote>
            )}
            {/* Saving a draft or previewing comes back to this page of the thread. */}
            <input type="hidden" name="page" value={String(page.pages.number)} />
          </Composer>
        </section>
      ) : th.locked ? (
        <LockedNotice page={page} composer={props.composer} />
      ) : (
        <p class="notice">{t('discussions.reply.joinFirst')}</p>
      )}
      {props.keptWords && (
        <section class="panel" id="reply" aria-labelledby="kept-title">
          <h2 id="kept-title">{t('discussions.kept.title')}</h2>
          <Notice kind="warning">{t('discussions.kept.readOnly')}</Notice>
          <KeptWords fields={props.keptWords} />
        </section>
      )}
    </>
  );
}

/** A post's own fields, the same when writing and when editing: the title (opening posts only), the words, the warning. */
function PostFields(props: {
  state: ComposerState;
  form: string;
  withTitle: boolean;
  withBodyHint?: boolean;
  rows?: number;
}) {
  const { t } = useView();
  const v = props.state.values;
  return (
    <>
      {props.withTitle && (
        <Field
          name="title"
          form={props.form}
          label={t('discussions.form.title')}
          value={v.title}
          required
          maxLength={postLimits.titleMax}
          errors={props.state.errors}
        />
      )}
      <TextArea
        name="body"
        form={props.form}
        label={t('discussions.form.body')}
        hint={props.withBodyHint ? <MarkdownHint /> : undefined}
        value={v.body}
        maxLength={postLimits.bodyMax}
        errors={props.state.errors}
        rows={props.rows ?? 10}
      />
      <WarningFields state={props.state} form={props.form} />
    </>
  );
}

export function NewThreadPage(props: {
  groupId: string;
  groupName: string;
  anonymousAllowed: boolean;
  state: ComposerState;
  notice?: MessageKey | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <p class="breadcrumb">
        <a href={`/groups/${props.groupId}`} dir="auto">
          {props.groupName}
        </a>
      </p>
      <PageHeading>{t('discussions.threads.new')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <Composer
        form="thread"
        base={`/groups/${props.groupId}/threads`}
        action={`/groups/${props.groupId}/threads`}
        api={`/api/v1/groups/${props.groupId}/threads/draft`}
        state={props.state}
        anonymousAllowed={props.anonymousAllowed}
        submit={t('discussions.threads.submit')}
        headingLevel={2}
      />
    </>
  );
}

export function EditPostPage(props: {
  postId: string;
  threadId: string;
  isOpening: boolean;
  state: ComposerState;
  notice?: MessageKey | undefined;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{t('discussions.edit.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={props.state.errors} general={props.state.general} form="edit" />
      <PostForm action={`/posts/${props.postId}/edit`}>
        <PostFields state={props.state} form="edit" withTitle={props.isOpening} />
        <p class="actions">
          <button type="submit" class="button">
            {t('discussions.edit.submit')}
          </button>
          <a class="button button-secondary" href={`/posts/${props.postId}`}>
            {t('form.cancel')}
          </a>
        </p>
      </PostForm>
    </>
  );
}

/** Text kept when a session ended, for a form the member may no longer send: shown to copy, then gone. */
export function KeptElsewherePage(props: { title: string; fields: Record<string, string>; back: string }) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{props.title}</PageHeading>
      <Notice kind="warning">{t('discussions.kept.readOnly')}</Notice>
      <KeptWords fields={Object.entries(props.fields)} />
      <p>
        <a href={props.back}>{t('discussions.kept.back')}</a>
      </p>
    </>
  );
}

export function ConfirmPage(props: {
  title: string;
  body: string;
  action: string;
  submit: string;
  cancelHref: string;
  danger?: boolean;
}) {
  const { t } = useView();
  return (
    <>
      <PageHeading>{props.title}</PageHeading>
      <section class={props.danger ? 'panel panel-danger' : 'panel'}>
        <p>{props.body}</p>
        <PostForm action={props.action}>
          <p class="actions">
            <button type="submit" class={props.danger ? 'button button-danger' : 'button'}>
              {props.submit}
            </button>
            <a class="button button-secondary" href={props.cancelHref}>
              {t('form.cancel')}
            </a>
          </p>
        </PostForm>
      </section>
    </>
  );
}

export function WarningPreferencesPage(props: { prefs: WarningPreferences; saved: boolean }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('discussions.warnings.lead')}>{t('discussions.warnings.title')}</PageHeading>
      {props.saved && <Notice kind="success">{t('discussions.warnings.saved')}</Notice>}
      <PostForm action="/account/warnings">
        {warningKinds.map((w) => (
          <fieldset key={w}>
            <legend>{t(warningKey(w))}</legend>
            {(['fold', 'hide'] as const).map((mode) => (
              <div class="radio" key={mode}>
                <input
                  type="radio"
                  id={`warning-${w}-${mode}`}
                  name={w}
                  value={mode}
                  checked={props.prefs[w] === mode}
                />
                <label for={`warning-${w}-${mode}`}>{t(`discussions.warnings.${mode}` as MessageKey)}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button">
          {t('discussions.warnings.save')}
        </button>
      </PostForm>
    </>
  );
}

/** The member's own signed posts, to find and delete them, also in groups they can no longer read. */
export function OwnPostsPage(props: { posts: OwnPost[]; next: string | null; deleted: boolean }) {
  const { t, formatDate } = useView();
  return (
    <>
      <PageHeading lead={t('discussions.own.lead')}>{t('discussions.own.title')}</PageHeading>
      {props.deleted && <Notice kind="success">{t('discussions.notice.deleted')}</Notice>}
      {props.posts.length === 0 ? (
        <p class="muted">{t('discussions.own.empty')}</p>
      ) : (
        <ul class="plain-list">
          {props.posts.map((post) => {
            return (
              <li key={post.id}>
                <Paragraphs text={excerpt(post.body)} />
                <p class="actions">
                  <span class="muted">{formatDate(post.createdAt)}</span>
                  {post.readable ? (
                    <a href={`/posts/${post.id}`}>{t('discussions.own.open')}</a>
                  ) : (
                    <span class="muted">{t('discussions.own.unreadable')}</span>
                  )}
                  <a href={`/posts/${post.id}/delete`}>{t('discussions.post.delete')}</a>
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <Pager next={props.next} base="/account/posts" label={t('discussions.own.older')} />
    </>
  );
}

/**
 * Replies where the member wrote anonymously and asked to hear of them (ADR 0043): worked out now,
 * from the keyed hash, and stored for nobody. Each can be stopped with a plain form.
 */
export function AnonymousRepliesPage(props: { list: AnonymousReplies[]; stopped?: boolean }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('discussions.anonReplies.lead')}>{t('discussions.anonReplies.title')}</PageHeading>
      {props.stopped && <Notice kind="success">{t('discussions.anonReplies.stopped')}</Notice>}
      {props.list.length === 0 ? (
        <p class="empty">{t('discussions.anonReplies.empty')}</p>
      ) : (
        <ul class="notification-list">
          {props.list.map((s) => (
            <li key={s.threadId} class={s.newCount > 0 ? 'notification notification-unread' : 'notification'}>
              <a href={s.firstNewId ? `/posts/${s.firstNewId}` : `/threads/${s.threadId}`}>
                <Sentence
                  message="discussions.anonReplies.item"
                  names={{ thread: s.title, group: s.groupName }}
                  values={{ count: s.newCount }}
                />
              </a>{' '}
              <ActionButton
                action={`/anonymous-replies/${s.threadId}/stop`}
                label={t('discussions.anonReplies.stop')}
                kind="link"
              />
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/notifications">{t('discussions.anonReplies.back')}</a>
      </p>
    </>
  );
}
