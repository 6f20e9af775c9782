import { useView } from '../../views/context.js';
import { SignedInNotice } from '../../views/signed-in.js';
import { Sentence } from '../../views/sentence.js';
import { ErrorSummary, Field, ListRow, Notice, PageHeading, PostForm } from '../../views/components.js';
import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import type { RegistrationMode } from '../../config.js';
import { registrationModes } from '../../config.js';
import { applicationQuestionLimits } from '../../platform/settings.js';
import { roles } from '../../security/actor.js';
import type { InviteSummary } from '../invites/public.js';
import { inviteLimits } from '../invites/public.js';
import { NewPassphraseField, UsernameField } from '../auth/public.js';
import type { ResetRequestEntry } from './reset-codes.js';
import type { UserListing } from './users-service.js';

export interface AdminPageProps {
  mode: RegistrationMode;
  modeFromEnv: boolean;
  invites: InviteSummary[];
  questions: string[];
  newInvite?: { code: string; url: string; usesLeft: number; expiresAt: number } | undefined;
  errors?: FieldError[];
  notice?: MessageKey | undefined;
}

export function AdminPage(props: AdminPageProps) {
  const { t, formatDate, formatNumber } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading>{t('admin.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={errors} />
      <ul>
        <li>
          <a href="/admin/users">{t('admin.users.link')}</a>
        </li>
        <li>
          <a href="/moderation/invite-tree">{t('admin.moderation.tree')}</a>
        </li>
        <li>
          <a href="/moderation/applications">{t('admin.moderation.applications')}</a>
        </li>
        <li>
          <a href="/moderation/watched-words">{t('safetyTools.watched.instanceTitle')}</a>
        </li>
        <li>
          <a href="/admin/resources">{t('resources.vetting.settings.title')}</a>
        </li>
        <li>
          <a href="/admin/chat">{t('chat.timers.admin.title')}</a>
        </li>
      </ul>

      <section class="panel" aria-labelledby="registration">
        <h2 id="registration">{t('admin.registration.title')}</h2>
        {props.modeFromEnv && <Notice kind="warning">{t('admin.registration.fromEnv')}</Notice>}
        <PostForm action="/admin/settings/registration">
          <fieldset>
            <legend>{t('admin.registration.legend')}</legend>
            {registrationModes.map((mode) => (
              <div class="radio" key={mode}>
                <input
                  type="radio"
                  id={`mode-${mode}`}
                  name="mode"
                  value={mode}
                  checked={props.mode === mode}
                  disabled={props.modeFromEnv}
                />
                <label for={`mode-${mode}`}>{t(`admin.registration.${mode}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button" disabled={props.modeFromEnv}>
            {t('form.save')}
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="questions">
        <h2 id="questions">{t('admin.questions.title')}</h2>
        <p class="hint">{t('admin.questions.lead')}</p>
        <PostForm action="/admin/settings/questions">
          {[0, 1, 2].map((i) => (
            <Field
              key={i}
              name={`question${i + 1}`}
              label={t('admin.questions.label', { n: i + 1 })}
              value={props.questions[i] ?? ''}
              maxLength={applicationQuestionLimits.questionMax}
              errors={errors}
            />
          ))}
          <button type="submit" class="button">
            {t('form.save')}
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="invites">
        <h2 id="invites">{t('admin.invites.title')}</h2>
        {props.newInvite && (
          <Notice kind="success">
            <p>{t('admin.invites.created')}</p>
            <p class="invite-code" dir="ltr">
              <code>{props.newInvite.code}</code>
            </p>
            <p>{t('admin.invites.link')}</p>
            <p class="invite-code" dir="ltr">
              <code>{props.newInvite.url}</code>
            </p>
            <p>
              {t('admin.invites.createdDetails', {
                uses: props.newInvite.usesLeft,
                date: formatDate(props.newInvite.expiresAt),
              })}
            </p>
          </Notice>
        )}
        <PostForm action="/admin/invites" class="form-row">
          <Field
            name="uses"
            type="number"
            label={t('admin.invites.uses')}
            value="1"
            min={1}
            max={inviteLimits.maxUses}
            inputMode="numeric"
            required
            errors={errors}
          />
          <Field
            name="days"
            type="number"
            label={t('admin.invites.days')}
            value="7"
            min={1}
            max={inviteLimits.maxDays}
            inputMode="numeric"
            required
            errors={errors}
          />
          <button type="submit" class="button">
            {t('admin.invites.create')}
          </button>
        </PostForm>
        {props.invites.length === 0 ? (
          <p class="muted">{t('admin.invites.none')}</p>
        ) : (
          <ul class="row-list" aria-label={t('admin.invites.active')}>
            {props.invites.map((invite) => (
              <ListRow
                key={invite.id}
                title={<code>{invite.id.slice(0, 8)}</code>}
                titleDir="ltr"
                facts={[
                  { label: t('admin.invites.usesLeft'), value: formatNumber(invite.usesLeft) },
                  { label: t('admin.invites.expires'), value: formatDate(invite.expiresAt) },
                ]}
              >
                <PostForm action={`/admin/invites/${encodeURIComponent(invite.id)}/revoke`} class="inline-form">
                  <button type="submit" class="button button-secondary button-small">
                    {t('admin.invites.revoke')}
                  </button>
                </PostForm>
              </ListRow>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export interface UsersPageProps {
  listing: UserListing;
  q: string;
  resetCode?: { username: string; code: string; expiresAt: number } | undefined;
  resetRequests: ResetRequestEntry[];
  notice?: MessageKey | undefined;
}

/** Reset codes asked for by one administrator, waiting for another's approval (ADR 0019). */
function ResetRequests(props: { requests: ResetRequestEntry[] }) {
  const { t, formatDate } = useView();
  if (props.requests.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="reset-requests">
      <h2 id="reset-requests">{t('admin.resetRequests.title')}</h2>
      <p>{t('admin.resetRequests.lead')}</p>
      <ul class="plain-list">
        {props.requests.map((r) => (
          <li key={r.id}>
            <p>
              <Sentence
                message="admin.resetRequests.item"
                names={{ name: r.username, by: r.requestedBy }}
                values={{ date: formatDate(r.createdAt) }}
              />
            </p>
            <div class="actions">
              {r.mine ? (
                <span class="muted">{t('admin.resetRequests.waiting')}</span>
              ) : (
                <PostForm action={`/admin/reset-requests/${encodeURIComponent(r.id)}/approve`} class="inline-form">
                  <button type="submit" class="button button-small">
                    {t('admin.resetRequests.approve')}
                  </button>
                </PostForm>
              )}
              <PostForm action={`/admin/reset-requests/${encodeURIComponent(r.id)}/decline`} class="inline-form">
                <button type="submit" class="button button-secondary button-small">
                  {t(r.mine ? 'admin.resetRequests.withdraw' : 'admin.resetRequests.decline')}
                </button>
              </PostForm>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function UsersPage(props: UsersPageProps) {
  const { t, formatDate } = useView();
  return (
    <>
      <PageHeading>{t('admin.users.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {props.resetCode && (
        <Notice kind="success">
          <p>
            <Sentence message="admin.users.resetIssued" names={{ name: props.resetCode.username }} />
          </p>
          <p class="reset-code" dir="ltr">
            <code>{props.resetCode.code}</code>
          </p>
          <p>{t('admin.users.resetDetails', { date: formatDate(props.resetCode.expiresAt) })}</p>
        </Notice>
      )}
      <ResetRequests requests={props.resetRequests} />
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the older browsers members use */}
      <form method="get" action="/admin/users" class="form-row" role="search">
        <Field name="q" type="search" label={t('admin.users.search')} value={props.q} maxLength={100} />
        <button type="submit" class="button button-secondary">
          {t('admin.users.searchSubmit')}
        </button>
      </form>
      {props.listing.users.length === 0 ? (
        <p class="muted">{t('admin.users.none')}</p>
      ) : (
        <ul class="row-list" aria-label={t('admin.users.title')}>
          {props.listing.users.map((user) => (
            <ListRow
              key={user.id}
              title={user.username}
              titleDir="auto"
              facts={[{ label: t('account.summary.role'), value: t(`account.role.${user.role}`) }]}
            >
              <PostForm action={`/admin/users/${encodeURIComponent(user.id)}/role`} class="inline-form choice-form">
                <label class="visually-hidden" for={`role-${user.id}`}>
                  <Sentence message="admin.users.roleFor" names={{ name: user.username }} />
                </label>
                <select id={`role-${user.id}`} name="role" value={user.role}>
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {t(`account.role.${role}`)}
                    </option>
                  ))}
                </select>
                <button type="submit" class="button button-secondary button-small">
                  {t('admin.users.setRole')}
                </button>
              </PostForm>
              <PostForm action={`/admin/users/${encodeURIComponent(user.id)}/reset-code`} class="inline-form">
                <button type="submit" class="button button-secondary button-small">
                  {t('admin.users.issueReset')}
                </button>
              </PostForm>
              <a href={`/admin/trust?username=${encodeURIComponent(user.username)}`}>{t('admin.users.trustLink')}</a>
            </ListRow>
          ))}
        </ul>
      )}
      {props.listing.nextAfter && (
        <p>
          <a
            href={`/admin/users?q=${encodeURIComponent(props.q)}&after=${encodeURIComponent(props.listing.nextAfter)}`}
          >
            {t('admin.users.next')}
          </a>
        </p>
      )}
    </>
  );
}

export function SetupPage(props: {
  token: string;
  values?: Record<string, string | undefined>;
  errors?: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('setup.lead')}>{t('setup.title')}</PageHeading>
      <SignedInNotice>
        <p>{t('setup.signedIn')}</p>
      </SignedInNotice>
      <ErrorSummary errors={errors} general={props.general} />
      <section class="panel">
        <PostForm action={`/setup/${encodeURIComponent(props.token)}`}>
          <UsernameField value={props.values?.username} errors={errors} isNew />
          <NewPassphraseField errors={errors} />
          <button type="submit" class="button">
            {t('setup.submit')}
          </button>
        </PostForm>
      </section>
    </>
  );
}
