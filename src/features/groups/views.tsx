import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { countriesFor, countryName, groupLanguages, languageName } from '../../i18n/regions.js';
import { ReportLink } from '../../views/report-link.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import { markdownText } from '../../security/markdown-text.js';
import { renderMarkdown, TrustedHtmlBlock } from '../../security/sanitize-html.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  Field,
  ListRow,
  MarkdownHint,
  Notice,
  Paragraphs,
  PageHeading,
  Pager,
  PostForm,
  SelectField,
  TextArea,
} from '../../views/components.js';
import { ThreadListView } from '../discussions/public.js';
import type { ThreadList } from '../discussions/public.js';
import type { GroupAbilities, GroupRole } from './policy.js';

const groupRoleLabel: Record<GroupRole, MessageKey> = {
  owner: 'groups.role.owner',
  moderator: 'groups.role.moderator',
  member: 'groups.role.member',
};
import type { Group, TagKind } from './queries.js';
import {
  groupLimits,
  type BanEntry,
  type DirectoryFilters,
  type GroupPage as DirectoryResult,
  type JoinRequestEntry,
  type MemberEntry,
  type MyGroup,
  type GroupInvite,
} from './services/model.js';

const visibilityKey = (v: Group['visibility']) => `groups.visibility.${v}` as MessageKey;
const tagKindKey = (k: TagKind) => `groups.tags.${k}` as MessageKey;

export function GroupFacts(props: { group: Group }) {
  const { t, locale } = useView();
  const g = props.group;
  return (
    <ul class="group-facts">
      <li>
        <span class={`badge badge-${g.visibility}`}>{t(visibilityKey(g.visibility))}</span>
      </li>
      {g.country && (
        <li>
          {g.city ? (
            <Sentence
              message="groups.place"
              names={{ city: g.city }}
              values={{ country: countryName(locale, g.country) }}
            />
          ) : (
            countryName(locale, g.country)
          )}
        </li>
      )}
      <li>{g.languages.map((code) => languageName(locale, code)).join(t('list.separator'))}</li>
      {g.tags.map((tag) => (
        <li key={`${tag.kind}:${tag.label}`}>
          <a class="tag" href={`/groups?tag=${encodeURIComponent(tag.label)}`} dir="auto">
            <span class="visually-hidden">{t(tagKindKey(tag.kind))}: </span>
            {tag.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A description on a card: its words without Markdown's syntax, cut at 240 characters (ADR 0035). */
function descriptionExcerpt(description: string): string {
  const text = markdownText(description);
  return text.length > 240 ? `${text.slice(0, 240).trimEnd()}…` : text;
}

function GroupCard(props: { group: Group; extra?: preact.ComponentChildren }) {
  const g = props.group;
  return (
    <li class="card">
      <h2 class="card-title">
        <a href={`/groups/${g.id}`} dir="auto">
          {g.name}
        </a>
      </h2>
      <div class="card-body">
        <Paragraphs text={descriptionExcerpt(g.description)} />
      </div>
      <GroupFacts group={g} />
      {props.extra}
    </li>
  );
}

export function DirectoryPage(props: { result: DirectoryResult; filters: DirectoryFilters }) {
  const { t, locale } = useView();
  const f = props.filters;
  const query = new URLSearchParams(
    Object.entries({ q: f.q ?? '', country: f.country ?? '', tag: f.tag ?? '', language: f.language ?? '' }).filter(
      ([, v]) => v,
    ),
  ).toString();
  return (
    <>
      <PageHeading lead={t('groups.directory.lead')}>{t('groups.directory.title')}</PageHeading>
      <p class="actions">
        <a class="button" href="/groups/new">
          {t('groups.create.link')}
        </a>
        <a class="button button-secondary" href="/groups/mine">
          {t('groups.mine.title')}
        </a>
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the older browsers members use */}
      <form method="get" action="/groups" class="panel filters" role="search">
        <Field name="q" type="search" label={t('groups.directory.search')} value={f.q} maxLength={200} />
        <div class="form-row">
          <SelectField
            name="country"
            label={t('groups.form.country')}
            value={f.country ?? ''}
            options={[
              { value: '', label: t('groups.directory.anyCountry') },
              ...countriesFor(locale).map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
          <SelectField
            name="language"
            label={t('groups.form.languages')}
            value={f.language ?? ''}
            options={[
              { value: '', label: t('groups.directory.anyLanguage') },
              ...groupLanguages.map((code) => ({ value: code, label: languageName(locale, code) })),
            ]}
          />
          <Field name="tag" label={t('groups.directory.tag')} value={f.tag} maxLength={40} />
        </div>
        <button type="submit" class="button">
          {t('groups.directory.filter')}
        </button>
      </form>
      {props.result.groups.length === 0 ? (
        <p class="empty">{t('groups.directory.empty')}</p>
      ) : (
        <ul class="card-list">
          {props.result.groups.map((g) => (
            <GroupCard key={g.id} group={g} />
          ))}
        </ul>
      )}
      <Pager next={props.result.next} base={`/groups${query ? `?${query}` : ''}`} label={t('list.more')} />
      <p class="hint">{t('groups.directory.hiddenNote')}</p>
    </>
  );
}

export function MyGroupsPage(props: { groups: MyGroup[] }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('groups.mine.lead')}>{t('groups.mine.title')}</PageHeading>
      <p class="actions">
        <a class="button" href="/groups">
          {t('groups.directory.title')}
        </a>
        <a class="button button-secondary" href="/groups/new">
          {t('groups.create.link')}
        </a>
      </p>
      {props.groups.length === 0 ? (
        <p class="empty">{t('groups.mine.empty')}</p>
      ) : (
        <ul class="card-list">
          {props.groups.map(({ group, role, pendingRequests }) => (
            <GroupCard
              key={group.id}
              group={group}
              extra={
                <p class="muted">
                  {t(groupRoleLabel[role])}
                  {pendingRequests > 0 && (
                    <>
                      {' · '}
                      <a href={`/groups/${group.id}/requests`}>
                        {t('groups.requests.waiting', { count: pendingRequests })}
                      </a>
                    </>
                  )}
                </p>
              }
            />
          ))}
        </ul>
      )}
    </>
  );
}

export interface GroupFormValues {
  name?: string;
  description?: string;
  languages?: string[];
  country?: string;
  city?: string;
  visibility?: string;
  interests?: string;
  issues?: string;
  identities?: string;
  questions?: string[];
  membersListOpen?: boolean;
  anonymousPosting?: boolean;
}

export function valuesOf(group: Group): GroupFormValues {
  const tags = (kind: TagKind) =>
    group.tags
      .filter((t) => t.kind === kind)
      .map((t) => t.label)
      .join('، ');
  return {
    name: group.name,
    description: group.description,
    languages: group.languages,
    country: group.country ?? '',
    city: group.city ?? '',
    visibility: group.visibility,
    interests: tags('interest'),
    issues: tags('issue'),
    identities: tags('identity'),
    questions: group.questions,
    membersListOpen: group.membersListOpen,
    anonymousPosting: group.anonymousPosting,
  };
}

export function GroupFormPage(props: {
  groupId?: string;
  values: GroupFormValues;
  errors: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t, locale } = useView();
  const v = props.values;
  const editing = props.groupId !== undefined;
  const error = (field: string) => props.errors.find((e) => e.field === field);
  return (
    <>
      <PageHeading lead={editing ? undefined : t('groups.create.lead')}>
        {editing ? t('groups.settings.title') : t('groups.create.title')}
      </PageHeading>
      <ErrorSummary errors={props.errors} general={props.general} />
      <PostForm action={editing ? `/groups/${props.groupId}/settings` : '/groups'}>
        <Field
          name="name"
          label={t('groups.form.name')}
          value={v.name}
          required
          maxLength={groupLimits.nameMax}
          errors={props.errors}
          hint={t('groups.form.nameHint')}
        />
        <TextArea
          name="description"
          label={t('groups.form.description')}
          value={v.description}
          maxLength={groupLimits.descriptionMax}
          errors={props.errors}
          hint={<MarkdownHint />}
          rows={5}
        />
        <fieldset
          class={error('languages') ? 'field-error' : undefined}
          aria-describedby={error('languages') ? 'field-languages-error' : undefined}
        >
          <legend id="field-languages">{t('groups.form.languages')}</legend>
          {error('languages') && (
            <p class="error-message" id="field-languages-error">
              {t(error('languages')!.message)}
            </p>
          )}
          <div class="checkbox-grid">
            {groupLanguages.map((code) => (
              <Checkbox
                key={code}
                name="languages"
                value={code}
                id={`field-languages-${code}`}
                label={languageName(locale, code)}
                checked={(v.languages ?? [locale]).includes(code)}
              />
            ))}
          </div>
        </fieldset>
        <div class="form-row">
          <SelectField
            name="country"
            label={t('groups.form.country')}
            value={v.country ?? ''}
            errors={props.errors}
            options={[
              { value: '', label: t('groups.form.noCountry') },
              ...countriesFor(locale).map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
          <Field
            name="city"
            label={t('groups.form.city')}
            value={v.city}
            maxLength={groupLimits.cityMax}
            errors={props.errors}
          />
        </div>
        <Field
          name="interests"
          label={t('groups.tags.interest')}
          hint={t('groups.form.tagsHint')}
          value={v.interests}
          errors={props.errors}
          maxLength={400}
        />
        <Field
          name="issues"
          label={t('groups.tags.issue')}
          hint={t('groups.form.tagsHint')}
          value={v.issues}
          errors={props.errors}
          maxLength={400}
        />
        <Field
          name="identities"
          label={t('groups.tags.identity')}
          hint={t('groups.form.identitiesHint')}
          value={v.identities}
          errors={props.errors}
          maxLength={400}
        />
        <fieldset class={error('visibility') ? 'field-error' : undefined}>
          <legend>{t('groups.form.visibility')}</legend>
          {(['public', 'private', 'hidden'] as const).map((vis) => (
            <div class="radio" key={vis}>
              <input
                type="radio"
                id={`field-visibility-${vis}`}
                name="visibility"
                value={vis}
                checked={(v.visibility ?? 'private') === vis}
                aria-describedby={`field-visibility-${vis}-hint`}
              />
              <div>
                <label for={`field-visibility-${vis}`}>{t(visibilityKey(vis))}</label>
                <p class="hint" id={`field-visibility-${vis}-hint`}>
                  {t(`groups.visibility.${vis}Hint` as MessageKey)}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <fieldset class={error('questions') ? 'field-error' : undefined}>
          <legend id="field-questions">{t('groups.form.questions')}</legend>
          <p class="hint">{t('groups.form.questionsHint')}</p>
          {error('questions') && (
            <p class="error-message">{t(error('questions')!.message, error('questions')!.values)}</p>
          )}
          {[0, 1, 2].map((i) => (
            <Field
              key={i}
              name="questions"
              form={`q${i}`}
              label={t('groups.form.question', { number: i + 1 })}
              value={v.questions?.[i]}
              maxLength={groupLimits.questionMax}
            />
          ))}
        </fieldset>
        <Checkbox
          name="membersListOpen"
          label={t('groups.form.membersListOpen')}
          hint={t('groups.form.membersListOpenHint')}
          checked={v.membersListOpen ?? false}
        />
        <Checkbox
          name="anonymousPosting"
          label={t('groups.form.anonymousPosting')}
          hint={t('groups.form.anonymousPostingHint')}
          checked={v.anonymousPosting ?? false}
        />
        <button type="submit" class="button">
          {editing ? t('groups.settings.save') : t('groups.create.submit')}
        </button>
      </PostForm>
    </>
  );
}

type JoinState = { errors: FieldError[]; answers: string[] };

function Membership(props: { group: Group; abilities: GroupAbilities; banned: boolean; join?: JoinState | undefined }) {
  const { t } = useView();
  const { group: g, abilities: can } = props;
  const base = `/groups/${g.id}`;
  if (can.role) {
    return (
      <div class="membership">
        <p>{t('groups.you.member', { role: t(groupRoleLabel[can.role]) })}</p>
        {can.bannedAnonymously && (
          <Notice kind="warning">{t(can.manage ? 'groups.anonymousBan.owner' : 'groups.anonymousBan.member')}</Notice>
        )}
        <ActionButton action={`${base}/leave`} label={t('groups.leave.button')} kind="secondary" />
        <p class="hint">{t('groups.leave.hint')}</p>
      </div>
    );
  }
  if (props.banned) return <Notice kind="warning">{t('groups.join.banned')}</Notice>;
  if (can.withdrawRequest) {
    return (
      <div class="membership">
        <p>{t('groups.join.pending')}</p>
        <ActionButton action={`${base}/request/withdraw`} label={t('groups.join.withdraw')} kind="secondary" />
      </div>
    );
  }
  if (can.join) return <ActionButton action={`${base}/join`} label={t('groups.join.button')} />;
  if (!can.requestToJoin) return null;
  return (
    <section class="panel" aria-labelledby="join-title">
      <h2 id="join-title">{t('groups.join.requestTitle')}</h2>
      <p>{t('groups.join.requestBody')}</p>
      <ErrorSummary errors={props.join?.errors ?? []} form="join" />
      <PostForm action={`${base}/join`}>
        {g.questions.map((question, i) => (
          <TextArea
            key={i}
            name={`answer${i}`}
            form="join"
            label={question}
            rows={3}
            maxLength={groupLimits.answerMax}
            value={props.join?.answers[i]}
            errors={props.join?.errors ?? []}
          />
        ))}
        <button type="submit" class="button">
          {t('groups.join.request')}
        </button>
      </PostForm>
      <p class="hint">{t('groups.join.whoSees')}</p>
    </section>
  );
}

export function GroupPage(props: {
  group: Group;
  abilities: GroupAbilities;
  banned: boolean;
  threads: ThreadList | null;
  notice?: MessageKey | undefined;
  join?: JoinState | undefined;
}) {
  const { t } = useView();
  const { group: g, abilities: can } = props;
  const base = `/groups/${g.id}`;
  return (
    <>
      <div class="page-heading">
        <h1 dir="auto">{g.name}</h1>
        <GroupFacts group={g} />
      </div>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <TrustedHtmlBlock class="group-description post-body" html={renderMarkdown(g.description)} />
      <Membership group={g} abilities={can} banned={props.banned} join={props.join} />
      <p class="report-group">
        <ReportLink targetType="group" targetId={g.id} />
      </p>
      {(can.moderate || can.seeMembers) && (
        <nav class="subnav" aria-label={t('groups.manage.label')}>
          <ul>
            {can.seeMembers && (
              <li>
                <a href={`${base}/members`}>{t('groups.members.title')}</a>
              </li>
            )}
            {can.reviewRequests && (
              <li>
                <a href={`${base}/requests`}>{t('groups.requests.title')}</a>
              </li>
            )}
            {can.makeInviteLinks && (
              <li>
                <a href={`${base}/invites`}>{t('groups.invites.title')}</a>
              </li>
            )}
            {can.moderate && (
              <li>
                <a href={`${base}/bans`}>{t('groups.bans.title')}</a>
              </li>
            )}
            {can.manage && (
              <li>
                <a href={`${base}/settings`}>{t('groups.settings.title')}</a>
              </li>
            )}
            {/* Watched words and slow mode (ADR 0052): the group's own moderators, as invite links are. */}
            {can.makeInviteLinks && (
              <li>
                <a href={`${base}/tools`}>{t('safetyTools.group.link')}</a>
              </li>
            )}
          </ul>
        </nav>
      )}
      {/* Its members and moderators read the group's moderation log (ADR 0049). */}
      {((can.leave && can.readContent) || can.moderate) && (
        <p class="actions">
          <a href={`${base}/moderation-log`}>{t('moderation.log.groupLink')}</a>
          {can.moderate && <a href="/moderation/appeals">{t('moderation.appeals.title')}</a>}
        </p>
      )}
      {props.threads ? (
        <ThreadListView list={props.threads} />
      ) : (
        <p class="notice">{g.visibility === 'private' ? t('groups.privateContent') : t('groups.joinToRead')}</p>
      )}
    </>
  );
}

export function RequestsPage(props: { group: Group; requests: JoinRequestEntry[] }) {
  const { t, formatDate } = useView();
  const base = `/groups/${props.group.id}`;
  return (
    <>
      <PageHeading lead={t('groups.requests.lead')}>{t('groups.requests.title')}</PageHeading>
      <p>
        <a href={base} dir="auto">
          {props.group.name}
        </a>
      </p>
      {props.requests.length === 0 ? (
        <p class="empty">{t('groups.requests.empty')}</p>
      ) : (
        <ul class="card-list">
          {props.requests.map((r) => (
            <li class="card" key={r.id}>
              <h2 class="card-title" dir="auto">
                {r.username}
              </h2>
              <p class="muted">{formatDate(r.createdAt)}</p>
              <dl class="answers">
                {r.questions.map((q, i) => (
                  <div key={i}>
                    <dt dir="auto">{q}</dt>
                    <dd dir="auto">{r.answers[i] ?? ''}</dd>
                  </div>
                ))}
              </dl>
              {/* Two sibling forms in a block (a form may not sit in a <p>), set apart so a tap cannot hit both. */}
              <div class="actions decision-actions">
                <ActionButton action={`${base}/requests/${r.id}/approve`} label={t('groups.requests.approve')} />
                <ActionButton
                  action={`${base}/requests/${r.id}/decline`}
                  label={t('groups.requests.decline')}
                  kind="secondary"
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function MembersPage(props: { group: Group; members: MemberEntry[] }) {
  const { t, formatDate } = useView();
  const base = `/groups/${props.group.id}`;
  return (
    <>
      <PageHeading lead={props.group.membersListOpen ? t('groups.members.openLead') : t('groups.members.closedLead')}>
        {t('groups.members.title')}
      </PageHeading>
      <p>
        <a href={base} dir="auto">
          {props.group.name}
        </a>
      </p>
      <ul class="row-list" aria-label={t('groups.members.title')}>
        {props.members.map((m) => (
          <ListRow
            key={m.userId}
            title={m.username}
            titleDir="auto"
            facts={[
              { label: t('groups.members.role'), value: t(groupRoleLabel[m.role]) },
              { label: t('groups.members.since'), value: formatDate(m.joinedAt) },
            ]}
          >
            {(m.appointAs || m.canRemove) && [
              m.appointAs && (
                <ActionButton
                  key="role"
                  action={`${base}/members/${m.userId}/role`}
                  fields={{ role: m.appointAs }}
                  label={m.appointAs === 'member' ? t('groups.members.demote') : t('groups.members.promote')}
                  kind="secondary"
                />
              ),
              m.canRemove && (
                <ActionButton
                  key="remove"
                  action={`${base}/members/${m.userId}/remove`}
                  label={t('groups.members.remove')}
                  kind="secondary"
                />
              ),
              m.canRemove && (
                <ActionButton
                  key="ban"
                  action={`${base}/members/${m.userId}/remove`}
                  fields={{ ban: 'on' }}
                  label={t('groups.members.ban')}
                  kind="danger"
                />
              ),
            ]}
          </ListRow>
        ))}
      </ul>
    </>
  );
}

export function BansPage(props: { group: Group; bans: BanEntry[] }) {
  const { t, formatDate } = useView();
  const base = `/groups/${props.group.id}`;
  return (
    <>
      <PageHeading lead={t('groups.bans.lead')}>{t('groups.bans.title')}</PageHeading>
      <p>
        <a href={base} dir="auto">
          {props.group.name}
        </a>
      </p>
      <p class="hint">{t('groups.bans.anonymousNote')}</p>
      {props.bans.length === 0 ? (
        <p class="empty">{t('groups.bans.empty')}</p>
      ) : (
        <ul class="row-list" aria-label={t('groups.bans.title')}>
          {props.bans.map((b, i) => (
            <ListRow
              key={b.userId ?? `anonymous-${i}`}
              title={b.username ?? t('groups.bans.anonymous')}
              titleDir={b.username ? 'auto' : undefined}
              facts={[{ label: t('groups.bans.since'), value: formatDate(b.createdAt) }]}
            >
              {b.userId && (
                <ActionButton action={`${base}/bans/${b.userId}/lift`} label={t('groups.bans.lift')} kind="secondary" />
              )}
            </ListRow>
          ))}
        </ul>
      )}
    </>
  );
}

export function InvitesPage(props: {
  group: Group;
  invites: GroupInvite[];
  created?: { code: string; url: string } | undefined;
  errors?: FieldError[];
}) {
  const { t, formatDate } = useView();
  const base = `/groups/${props.group.id}`;
  return (
    <>
      <PageHeading lead={t('groups.invites.lead')}>{t('groups.invites.title')}</PageHeading>
      <p>
        <a href={base} dir="auto">
          {props.group.name}
        </a>
      </p>
      {props.created && (
        <Notice kind="success">
          <p>{t('groups.invites.created')}</p>
          <p class="invite-code">
            <code dir="ltr">{props.created.url}</code>
          </p>
          <p>{t('groups.invites.shownOnce')}</p>
        </Notice>
      )}
      <ErrorSummary errors={props.errors ?? []} />
      <PostForm action={`${base}/invites`} class="panel">
        <div class="form-row">
          <Field
            name="uses"
            type="number"
            label={t('groups.invites.uses')}
            value="1"
            min={1}
            max={groupLimits.inviteUsesMax}
            inputMode="numeric"
            errors={props.errors ?? []}
          />
          <Field
            name="days"
            type="number"
            label={t('groups.invites.days')}
            value="7"
            min={1}
            max={groupLimits.inviteDaysMax}
            inputMode="numeric"
            errors={props.errors ?? []}
          />
          <button type="submit" class="button">
            {t('groups.invites.create')}
          </button>
        </div>
        <p class="hint">{t('groups.invites.hint')}</p>
      </PostForm>
      {props.invites.length > 0 && (
        <ul class="row-list" aria-label={t('groups.invites.title')}>
          {props.invites.map((invite) => (
            <ListRow
              key={invite.id}
              title={t('groups.invites.active', { uses: invite.usesLeft, date: formatDate(invite.expiresAt) })}
            >
              <ActionButton
                action={`${base}/invites/${invite.id}/revoke`}
                label={t('groups.invites.revoke')}
                kind="secondary"
              />
            </ListRow>
          ))}
        </ul>
      )}
    </>
  );
}

export function InvitePreviewPage(props: { group: Group; member: boolean; code: string }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('groups.invitePreview.lead')}>
        <span dir="auto">{props.group.name}</span>
      </PageHeading>
      <TrustedHtmlBlock class="group-description post-body" html={renderMarkdown(props.group.description)} />
      <GroupFacts group={props.group} />
      {props.member ? (
        <p>
          <a class="button" href={`/groups/${props.group.id}`}>
            {t('groups.invitePreview.open')}
          </a>
        </p>
      ) : (
        <PostForm action={`/join/${encodeURIComponent(props.code)}`}>
          <button type="submit" class="button">
            {t('groups.invitePreview.accept')}
          </button>
        </PostForm>
      )}
    </>
  );
}

/** Fields of the settings form carried through the confirmation page, as the owner sent them. */
const notCarried = new Set(['_csrf', 'confirmVisibility', 'back']);

/**
 * Asked before a group is shown to more people (ADR 0042): what becomes visible, and to whom.
 * Every edit made in the form rides along in hidden fields, so saying yes saves them all, and
 * going back shows the form as it was left.
 */
export function VisibilityConfirmPage(props: {
  group: { id: string; name: string };
  from: Group['visibility'];
  to: Group['visibility'];
  body: Record<string, string | string[]>;
}) {
  const { t } = useView();
  const { from, to } = props;
  const points: MessageKey[] = [];
  if (from === 'hidden') points.push('groups.visibilityConfirm.listed');
  if (to === 'private') points.push('groups.visibilityConfirm.askToJoin');
  if (to === 'public') points.push('groups.visibilityConfirm.readable');
  if (from === 'private') points.push('groups.visibilityConfirm.requestsLetIn');
  points.push('groups.visibilityConfirm.staysHidden', 'groups.visibilityConfirm.membersTold');
  return (
    <>
      <PageHeading>{t('groups.visibilityConfirm.title')}</PageHeading>
      <p class="lead">
        <Sentence
          message="groups.visibilityConfirm.change"
          names={{ group: props.group.name }}
          values={{ from: t(visibilityKey(from)), to: t(visibilityKey(to)) }}
        />
      </p>
      <section class="panel panel-danger" aria-labelledby="visibility-what-changes">
        <h2 id="visibility-what-changes">{t('groups.visibilityConfirm.whatChanges')}</h2>
        <ul class="link-list">
          {points.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </section>
      <PostForm action={`/groups/${props.group.id}/settings`}>
        {Object.entries(props.body).flatMap(([name, value]) =>
          notCarried.has(name)
            ? []
            : (Array.isArray(value) ? value : [value]).map((v, i) => (
                <input key={`${name}-${i}`} type="hidden" name={name} value={v} />
              )),
        )}
        <div class="actions decision-actions">
          <button type="submit" class="button" name="confirmVisibility" value={to}>
            {t(`groups.visibilityConfirm.confirm_${to === 'public' ? 'public' : 'private'}`)}
          </button>
          <button type="submit" class="button button-secondary" name="back" value="1">
            {t('groups.visibilityConfirm.back')}
          </button>
        </div>
      </PostForm>
    </>
  );
}
