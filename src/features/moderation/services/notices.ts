import type { ServiceContext } from '../../../app-context.js';
import { notFound } from '../../../platform/errors.js';
import type {
  NotificationKindDefinition,
  RenderedNotification,
  StoredNotification,
} from '../../../platform/notification-kinds.js';
import type { Member } from '../../../security/actor.js';
import { canAppeal } from '../log-policy.js';

/** What a notice says to the member a row was about: a catalogue key, its numbers and the group's name. */
export interface NoticeMessage {
  key: string;
  values: Record<string, string | number>;
  names?: Record<string, string>;
}

/** The actions the notices describe in their own words; any other gets a generic sentence. */
const described: Record<string, string> = {
  'post.hide': 'post_hide',
  'post.delete': 'post_delete',
  'message.unsend': 'message_unsend',
  'resource_note.hide': 'resource_note_hide',
  'resource_note.delete': 'resource_note_delete',
  'thread.delete': 'thread_delete',
  'thread.lock': 'thread_lock',
  'user.warn': 'user_warn',
  'user.mute': 'user_mute',
  'user.suspend': 'user_suspend',
  'user.ban': 'user_ban',
  'user.freeze': 'user_freeze',
  'group.ban': 'group_ban',
  'group.remove': 'group_remove',
  'trust.grant': 'trust_grant',
  'trust.withdraw': 'trust_withdraw',
  'appeal.upheld': 'appeal_upheld',
  'appeal.overturned': 'appeal_overturned',
};
/** Sentences that name the group, with a variant for when its name cannot be given. */
const namingGroup = new Set(['group.ban', 'group.remove']);

function detailOf(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function noticeMessageOf(
  row: { action: string; detail: string | null },
  groupName: string | null,
): NoticeMessage {
  const name = described[row.action];
  if (!name) return { key: 'moderation.notice.other', values: {} };
  const detail = detailOf(row.detail);
  const hours = typeof detail.hours === 'number' && Number.isFinite(detail.hours) ? detail.hours : 0;
  // Trust changes keep the level reached as `to` (ADR 0050).
  const reached = detail.to ?? detail.level;
  const level = typeof reached === 'string' ? reached : 'other';
  const values = { hours, level };
  if (row.action === 'trust.grant' && detail.automatic === true) {
    return { key: 'moderation.notice.trust_grant_automatic', values };
  }
  if (namingGroup.has(row.action)) {
    return groupName
      ? { key: `moderation.notice.${name}`, values, names: { group: groupName } }
      : { key: `moderation.notice.${name}_unnamed`, values };
  }
  return { key: `moderation.notice.${name}`, values };
}

export interface Notice {
  logId: string;
  action: string;
  message: NoticeMessage;
  reason: string | null;
  createdAt: number;
  /** The answer to the member's appeal, if they made one. */
  appeal: {
    id: string;
    body: string;
    status: 'open' | 'upheld' | 'overturned';
    decisionReason: string | null;
    decidedAt: number | null;
  } | null;
  /** They may still appeal: appealable, and no appeal yet. */
  mayAppeal: boolean;
}

const rowColumns = [
  'l.id',
  'l.action',
  'l.detail',
  'l.reason',
  'l.actor_id',
  'l.target_user_id',
  'l.created_at',
  'g.name as group_name',
] as const;

/** A row of the log told to the member it was about; anyone else: 404. */
export async function loadNotice(ctx: ServiceContext, actor: Member, logId: string): Promise<Notice> {
  const row = await ctx.db
    .selectFrom('moderation_log as l')
    .leftJoin('groups as g', 'g.id', 'l.group_id')
    .select(rowColumns)
    .where('l.id', '=', logId)
    .where('l.target_user_id', '=', actor.id)
    .executeTakeFirst();
  if (!row) throw notFound();
  const appeal = await ctx.db
    .selectFrom('appeals')
    .select(['id', 'body', 'status', 'decision_reason', 'decided_at'])
    .where('log_id', '=', logId)
    .where('user_id', '=', actor.id)
    .executeTakeFirst();
  return {
    logId: row.id,
    action: row.action,
    message: noticeMessageOf(row, row.group_name),
    reason: row.reason,
    createdAt: row.created_at,
    appeal: appeal
      ? {
          id: appeal.id,
          body: appeal.body,
          status: appeal.status,
          decisionReason: appeal.decision_reason,
          decidedAt: appeal.decided_at,
        }
      : null,
    mayAppeal:
      !appeal && canAppeal(actor, { action: row.action, actorId: row.actor_id, targetUserId: row.target_user_id }),
  };
}

/**
 * `moderation_action`: the member a row of the log was about is told what was done (its subject is
 * the row). Rendered at read time from the row: gone once the account is no longer named in it. The
 * reason is on the notice's page, with the appeal form, not in the one-line text.
 */
async function renderNotices(
  ctx: ServiceContext,
  reader: Member,
  items: StoredNotification[],
): Promise<Map<string, RenderedNotification | null>> {
  const out = new Map<string, RenderedNotification | null>(items.map((n) => [n.id, null]));
  const ids = [...new Set(items.flatMap((n) => (n.subjectId ? [n.subjectId] : [])))];
  if (ids.length === 0) return out;
  const rows = await ctx.db
    .selectFrom('moderation_log as l')
    .leftJoin('groups as g', 'g.id', 'l.group_id')
    .select(rowColumns)
    .where('l.id', 'in', ids)
    .where('l.target_user_id', '=', reader.id)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const n of items) {
    const row = n.subjectId ? byId.get(n.subjectId) : undefined;
    if (!row) continue;
    out.set(n.id, { message: noticeMessageOf(row, row.group_name), href: `/moderation/notices/${row.id}` });
  }
  return out;
}

export const moderationNotificationKinds: NotificationKindDefinition[] = [
  // Always on: it is how a member learns what was done to them and that they may appeal.
  {
    kind: 'moderation_action',
    labelKey: 'moderation.notification.label.moderation_action',
    alwaysOn: true,
    render: renderNotices,
  },
];
