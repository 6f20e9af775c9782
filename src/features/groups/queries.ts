import type { DbOrTx } from '../../db/database.js';
import type { GroupsTable } from '../../db/schema.js';
import type { Actor, Member } from '../../security/actor.js';
import { anonymousBanKey } from '../../security/anonymity.js';
import type { GroupFacts, GroupRole, Viewer } from './policy.js';
import type { Group, TagKind } from './schemas.js';

export { tagKinds, type Group, type TagKind } from './schemas.js';

type GroupRow = Pick<
  GroupsTable,
  | 'id'
  | 'name'
  | 'description'
  | 'languages'
  | 'country'
  | 'city'
  | 'visibility'
  | 'members_list_open'
  | 'anonymous_posting'
  | 'questions'
  | 'created_at'
  | 'last_activity_at'
>;

export const groupColumns = [
  'groups.id',
  'groups.name',
  'groups.description',
  'groups.languages',
  'groups.country',
  'groups.city',
  'groups.visibility',
  'groups.members_list_open',
  'groups.anonymous_posting',
  'groups.questions',
  'groups.created_at',
  'groups.last_activity_at',
] as const;

export const activityDayMs = 86_400_000;
/** The UTC day of a group's last activity: all that anyone outside the group learns of it. */
export const activityDayOf = (ms: number) => ms - (ms % activityDayMs);

export function toGroup(row: GroupRow, tags: { kind: TagKind; label: string }[]): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    languages: row.languages.split(' ').filter(Boolean),
    country: row.country,
    city: row.city,
    visibility: row.visibility,
    membersListOpen: row.members_list_open === 1,
    anonymousPosting: row.anonymous_posting === 1,
    questions: JSON.parse(row.questions) as string[],
    tags,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
  };
}

/** The columns a group's owner controls, as stored: the inverse of toGroup. */
export function toGroupRow(group: Omit<Group, 'id' | 'createdAt' | 'lastActivityAt' | 'tags'>) {
  return {
    name: group.name,
    description: group.description,
    languages: group.languages.join(' '),
    country: group.country,
    city: group.city,
    visibility: group.visibility,
    members_list_open: group.membersListOpen ? 1 : 0,
    anonymous_posting: group.anonymousPosting ? 1 : 0,
    questions: JSON.stringify(group.questions),
  };
}

export async function tagsOf(db: DbOrTx, groupIds: string[]): Promise<Map<string, { kind: TagKind; label: string }[]>> {
  const byGroup = new Map<string, { kind: TagKind; label: string }[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .selectFrom('group_tags')
    .select(['group_id', 'kind', 'label'])
    .where('group_id', 'in', groupIds)
    .orderBy('group_id')
    .orderBy('kind')
    .orderBy('label')
    .execute();
  for (const row of rows) byGroup.get(row.group_id)?.push({ kind: row.kind, label: row.label });
  return byGroup;
}

export async function findGroup(db: DbOrTx, id: string): Promise<Group | null> {
  const row = await db.selectFrom('groups').select(groupColumns).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return toGroup(row, (await tagsOf(db, [id])).get(id) ?? []);
}

export async function membershipOf(db: DbOrTx, groupId: string, userId: string): Promise<GroupRole | null> {
  const row = await db
    .selectFrom('group_members')
    .select('role')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** The actor's relation to a group, as the policies need it. `key` is the anonymity key (ADR 0018). */
export async function viewerOf(db: DbOrTx, actor: Actor, groupId: string, key: Buffer): Promise<Viewer> {
  if (actor.kind !== 'user') return { actor, membership: null, pendingRequest: false, banned: false };
  const [membership, request, banned, anonymousBan] = await Promise.all([
    membershipOf(db, groupId, actor.id),
    db
      .selectFrom('join_requests')
      .select('id')
      .where('group_id', '=', groupId)
      .where('user_id', '=', actor.id)
      .executeTakeFirst(),
    isBannedByName(db, groupId, actor.id),
    hasAnonymousBan(db, key, groupId, actor.id),
  ]);
  return { actor, membership, pendingRequest: request !== undefined, banned, anonymousBan };
}

export async function hasAnonymousBan(db: DbOrTx, key: Buffer, groupId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('anonymous_bans')
    .select('id')
    .where('group_id', '=', groupId)
    .where('author_key', '=', anonymousBanKey(key, groupId, userId))
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these groups, those that banned the member through one of their anonymous posts. */
export async function groupsBannedAnonymously(
  db: DbOrTx,
  key: Buffer,
  userId: string,
  groupIds: string[],
): Promise<Set<string>> {
  if (groupIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('anonymous_bans')
    .select(['group_id', 'author_key'])
    .where('group_id', 'in', groupIds)
    .execute();
  return new Set(rows.filter((r) => r.author_key === anonymousBanKey(key, r.group_id, userId)).map((r) => r.group_id));
}

export async function isBannedByName(db: DbOrTx, groupId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('group_bans')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Banned by name, or through an anonymous post. */
export async function isBanned(db: DbOrTx, groupId: string, userId: string, key: Buffer): Promise<boolean> {
  return (await isBannedByName(db, groupId, userId)) || (await hasAnonymousBan(db, key, groupId, userId));
}

/** Ids of every group whose content the actor may read: public groups and their own, except those that banned them. */
export async function readableGroupIds(db: DbOrTx, actor: Actor, key: Buffer): Promise<string[]> {
  if (actor.kind !== 'user') return [];
  const rows = await db
    .selectFrom('groups')
    .select(['id', 'visibility'])
    .where((eb) =>
      eb.or([
        eb('visibility', '=', 'public'),
        eb('id', 'in', eb.selectFrom('group_members').select('group_id').where('user_id', '=', actor.id)),
      ]),
    )
    .execute();
  const closed = rows.filter((r) => r.visibility !== 'public').map((r) => r.id);
  const banned = await groupsBannedAnonymously(db, key, actor.id, closed);
  return rows.filter((r) => !banned.has(r.id)).map((r) => r.id);
}

export async function moderatorIds(db: DbOrTx, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('role', 'in', ['owner', 'moderator'])
    .execute();
  return rows.map((r) => r.user_id);
}

/** Everyone who belongs to the group now, whatever their role. */
export async function memberIds(db: DbOrTx, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).execute();
  return rows.map((r) => r.user_id);
}

/** What notifications need of a group: its name, and the facts the policies read. */
export interface GroupAccess {
  group: { id: string; name: string } & GroupFacts;
  viewer: Viewer;
}

/**
 * The member's standing in each of these groups (those that still exist), in five queries whatever
 * their number: for rendering a page of notifications, or counting the unread ones, on every page.
 */
export async function groupAccessOf(
  db: DbOrTx,
  actor: Member,
  groupIds: string[],
  key: Buffer,
): Promise<Map<string, GroupAccess>> {
  const ids = [...new Set(groupIds)];
  const access = new Map<string, GroupAccess>();
  if (ids.length === 0) return access;
  const [groups, memberships, requests, bans, anonymousBans] = await Promise.all([
    db.selectFrom('groups').select(['id', 'name', 'visibility', 'members_list_open']).where('id', 'in', ids).execute(),
    db
      .selectFrom('group_members')
      .select(['group_id', 'role'])
      .where('user_id', '=', actor.id)
      .where('group_id', 'in', ids)
      .execute(),
    db
      .selectFrom('join_requests')
      .select('group_id')
      .where('user_id', '=', actor.id)
      .where('group_id', 'in', ids)
      .execute(),
    db
      .selectFrom('group_bans')
      .select('group_id')
      .where('user_id', '=', actor.id)
      .where('group_id', 'in', ids)
      .execute(),
    groupsBannedAnonymously(db, key, actor.id, ids),
  ]);
  const roles = new Map(memberships.map((m) => [m.group_id, m.role]));
  const pending = new Set(requests.map((r) => r.group_id));
  const banned = new Set(bans.map((b) => b.group_id));
  for (const g of groups) {
    access.set(g.id, {
      group: { id: g.id, name: g.name, visibility: g.visibility, membersListOpen: g.members_list_open === 1 },
      viewer: {
        actor,
        membership: roles.get(g.id) ?? null,
        pendingRequest: pending.has(g.id),
        banned: banned.has(g.id),
        anonymousBan: anonymousBans.has(g.id),
      },
    });
  }
  return access;
}
