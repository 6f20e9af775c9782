import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { ActionButton, ErrorSummary, Field, ListRow, Notice, PageHeading, PostForm } from '../../views/components.js';
import { Sentence } from '../../views/sentence.js';
import type { InviteSummary } from './service.js';
import { memberInviteLimits } from './service.js';
import type { InviteTree, TreeNode } from './tree.js';
import { treeLimits } from './tree.js';

export function MyInvitesPage(props: {
  invites: InviteSummary[];
  limits: { maxUses: number; maxDays: number };
  capped: boolean;
  newInvite?: { code: string; url: string } | undefined;
  errors?: FieldError[];
  general?: MessageKey | undefined;
  notice?: MessageKey | undefined;
}) {
  const { t, formatDate, formatNumber } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('invites.mine.lead')}>{t('invites.mine.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={errors} general={props.general} />
      {props.newInvite && (
        <Notice kind="success">
          <p>{t('invites.mine.created')}</p>
          <p class="invite-code" dir="ltr">
            <code>{props.newInvite.code}</code>
          </p>
          <p>{t('invites.mine.link')}</p>
          <p class="invite-code" dir="ltr">
            <code>{props.newInvite.url}</code>
          </p>
        </Notice>
      )}
      <section class="panel" aria-labelledby="make-invite">
        <h2 id="make-invite">{t('invites.mine.create')}</h2>
        {props.capped && (
          <p class="hint">
            {t('invites.mine.limits', {
              active: memberInviteLimits.active,
              uses: memberInviteLimits.maxUses,
              days: memberInviteLimits.maxDays,
            })}
          </p>
        )}
        <PostForm action="/invites" class="form-row">
          <Field
            name="uses"
            type="number"
            label={t('invites.mine.uses')}
            value="1"
            min={1}
            max={props.limits.maxUses}
            inputMode="numeric"
            required
            errors={errors}
          />
          <Field
            name="days"
            type="number"
            label={t('invites.mine.days')}
            value="7"
            min={1}
            max={props.limits.maxDays}
            inputMode="numeric"
            required
            errors={errors}
          />
          <button type="submit" class="button">
            {t('invites.mine.create')}
          </button>
        </PostForm>
      </section>
      {props.invites.length === 0 ? (
        <p class="muted">{t('invites.mine.none')}</p>
      ) : (
        <ul class="row-list" aria-label={t('invites.mine.active')}>
          {props.invites.map((invite) => (
            <ListRow
              key={invite.id}
              title={<code>{invite.id.slice(0, 8)}</code>}
              titleDir="ltr"
              facts={[
                { label: t('invites.mine.usesLeft'), value: formatNumber(invite.usesLeft) },
                { label: t('invites.mine.expires'), value: formatDate(invite.expiresAt) },
              ]}
            >
              <ActionButton action={`/invites/${invite.id}/revoke`} label={t('invites.mine.revoke')} kind="secondary" />
            </ListRow>
          ))}
        </ul>
      )}
    </>
  );
}

function NodeItem(props: { node: TreeNode }) {
  const { t, formatDate, formatNumber } = useView();
  const n = props.node;
  return (
    <li>
      <div class="tree-node">
        <p class="row-title">
          <a href={`/moderation/accounts/${n.id}`}>
            <bdi dir="auto">{n.username}</bdi>
          </a>
        </p>
        <dl class="row-facts">
          <div>
            <dt>{t('invites.tree.joined')}</dt>
            <dd>{formatDate(n.joinedAt)}</dd>
          </div>
          <div>
            <dt>{t('invites.tree.trust')}</dt>
            <dd>{t(`invites.trust.${n.trust}`)}</dd>
          </div>
          <div>
            <dt>{t('invites.tree.invited')}</dt>
            <dd>{formatNumber(n.invitedCount)}</dd>
          </div>
          {n.frozen && (
            <div>
              <dt>{t('invites.tree.frozen')}</dt>
              <dd>✓</dd>
            </div>
          )}
          {n.invitesFrozen && (
            <div>
              <dt>{t('invites.tree.invitesFrozen')}</dt>
              <dd>✓</dd>
            </div>
          )}
        </dl>
        {n.invitedCount > 0 && (
          <p>
            <a href={`/moderation/invite-tree?root=${n.id}`}>{t('invites.tree.openBranch')}</a>
          </p>
        )}
      </div>
      {n.children.length > 0 && (
        <ul class="invite-tree">
          {n.children.map((c) => (
            <NodeItem key={c.id} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function InviteTreePage(props: {
  tree: InviteTree;
  branchInvitesFrozen?: boolean;
  notice?: { key: MessageKey; count: number } | undefined;
  errors?: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t } = useView();
  const { tree } = props;
  const errors = props.errors ?? [];
  const branch = tree.branch;
  return (
    <>
      {branch ? (
        <PageHeading>
          <Sentence message="invites.tree.branchTitle" names={{ name: branch.username }} />
        </PageHeading>
      ) : (
        <PageHeading lead={t('invites.tree.lead')}>{t('invites.tree.title')}</PageHeading>
      )}
      {props.notice && <Notice kind="success">{t(props.notice.key, { count: props.notice.count })}</Notice>}
      <ErrorSummary errors={errors} general={props.general} />
      {branch && (
        <p>
          {branch.invitedBy && (
            <>
              {t('invites.tree.parent')}{' '}
              <a href={`/moderation/invite-tree?root=${branch.invitedBy.id}`}>
                <bdi dir="auto">{branch.invitedBy.username}</bdi>
              </a>{' '}
              ·{' '}
            </>
          )}
          <a href="/moderation/invite-tree">{t('invites.tree.whole')}</a>
        </p>
      )}
      {tree.truncated && <Notice kind="info">{t('invites.tree.truncated')}</Notice>}
      {tree.roots.length === 0 ? (
        <p class="muted">{t('invites.tree.empty')}</p>
      ) : (
        <ul class="invite-tree" aria-label={t('invites.tree.title')}>
          {tree.roots.map((n) => (
            <NodeItem key={n.id} node={n} />
          ))}
        </ul>
      )}
      {branch && (
        <section class="panel" aria-labelledby="freeze-branch">
          <h2 id="freeze-branch">
            {props.branchInvitesFrozen ? t('invites.tree.unfreezeTitle') : t('invites.tree.freezeTitle')}
          </h2>
          {!props.branchInvitesFrozen && <p>{t('invites.tree.freezeHint')}</p>}
          <PostForm
            action={`/moderation/invite-tree/${branch.id}/${props.branchInvitesFrozen ? 'unfreeze' : 'freeze'}`}
          >
            <Field
              name="reason"
              label={t('invites.tree.reason')}
              required
              maxLength={treeLimits.reasonMax}
              errors={errors}
            />
            <button type="submit" class={`button${props.branchInvitesFrozen ? '' : ' button-danger'}`}>
              {props.branchInvitesFrozen ? t('invites.tree.unfreeze') : t('invites.tree.freeze')}
            </button>
          </PostForm>
        </section>
      )}
    </>
  );
}
