import { sql } from 'kysely';
import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { decodeCursor, encodeCursor } from '../../db/keyset.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../http/errors.js';
import { isCountryCode, isGroupLanguage } from '../../i18n/regions.js';
import type { Actor, Member } from '../../security/actor.js';
import { withoutBidiControls } from '../../security/bidi.js';
import { hashHumanCode, newHumanCode, newId } from '../../security/tokens.js';
import { normalise } from '../../search/analyzer.js';
import { indexDocument, removeDocument, search } from '../../search/service.js';
import { forgetGroupFor, notify } from '../notifications/service.js';
import {
  canCreateGroup,
  canJoinDirectly,
  canJoinWithInvite,
  canLeave,
  canManageGroup,
  canModerate,
  canRequestToJoin,
  canSeeGroup,
  canSeeMembers,
  type GroupRole,
  type Viewer,
  type Visibility,
} from './policy.js';
import {
  activityDayMs,
  activityDayOf,
  findGroup,
  groupColumns,
  groupsBannedAnonymously,
  isBanned,
  moderatorIds,
  tagKinds,
  tagsOf,
  toGroup,
  viewerOf,
  type Group,
  type TagKind,
} from './queries.js';

export const groupLimits = {
  nameMin: 3,
  nameMax: 80,
  descriptionMax: 2000,
  cityMax: 80,
  tagMax: 40,
  tagsPerKind: 8,
  questions: 3,
  questionMax: 300,
  answerMax: 1000,
  inviteUsesMax: 100,
  inviteDaysMax: 30,
} as const;

const visibilities: readonly Visibility[] = ['public', 'private', 'hidden'];

export interface GroupInput {
  name?: string | undefined;
  description?: string | undefined;
  languages?: string[] | undefined;
  country?: string | null | undefined;
  city?: string | null | undefined;
  visibility?: string | undefined;
  interests?: string[] | undefined;
  issues?: string[] | undefined;
  identities?: string[] | undefined;
  questions?: string[] | undefined;
  membersListOpen?: boolean | undefined;
  anonymousPosting?: boolean | undefined;
}

interface CleanGroup {
  name: string;
  description: string;
  languages: string[];
  country: string | null;
  city: string | null;
  visibility: Visibility;
  tags: { kind: TagKind; label: string; key: string }[];
  questions: string[];
  membersListOpen: boolean;
  anonymousPosting: boolean;
}

const tagInputOf: Record<TagKind, 'interests' | 'issues' | 'identities'> = {
  interest: 'interests',
  issue: 'issues',
  identity: 'identities',
};

/** Folds case, Arabic letter forms and digits so "Cairo" and "cairo", "قاهره" and "القاهرة"-less variants match. */
export const tagKey = (label: string) => normalise(label).toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();

const clean = (text: string | null | undefined) => (text ?? '').normalize('NFC').trim();
/** Names, places, tags and questions: shown inline among other text, so no direction controls (see bidi.ts). */
const cleanLabel = (text: string | null | undefined) => clean(withoutBidiControls(text ?? ''));

function validateGroup(input: GroupInput, base?: Group): CleanGroup {
  const errors: FieldError[] = [];
  const name = cleanLabel(input.name ?? base?.name);
  if (name.length < groupLimits.nameMin || name.length > groupLimits.nameMax) {
    errors.push({
      field: 'name',
      message: 'groups.form.nameLength',
      values: { min: groupLimits.nameMin, max: groupLimits.nameMax },
    });
  }
  const description = clean(input.description ?? base?.description);
  if (!description) errors.push({ field: 'description', message: 'groups.form.descriptionRequired' });
  else if (description.length > groupLimits.descriptionMax) {
    errors.push({
      field: 'description',
      message: 'groups.form.descriptionLength',
      values: { max: groupLimits.descriptionMax },
    });
  }
  const languages = [...new Set(input.languages ?? base?.languages ?? [])];
  if (languages.length === 0 || !languages.every(isGroupLanguage))
    errors.push({ field: 'languages', message: 'groups.form.languagesRequired' });
  const countryInput = input.country === undefined ? (base?.country ?? null) : input.country;
  const country = countryInput ? countryInput.toUpperCase() : null;
  if (country && !isCountryCode(country)) errors.push({ field: 'country', message: 'groups.form.countryUnknown' });
  const city = cleanLabel(input.city === undefined ? base?.city : input.city) || null;
  if (city && city.length > groupLimits.cityMax)
    errors.push({ field: 'city', message: 'groups.form.cityLength', values: { max: groupLimits.cityMax } });
  const visibility = (input.visibility ?? base?.visibility) as Visibility;
  if (!visibilities.includes(visibility))
    errors.push({ field: 'visibility', message: 'groups.form.visibilityRequired' });

  const tags: CleanGroup['tags'] = [];
  for (const kind of tagKinds) {
    const field = tagInputOf[kind];
    const given = input[field] ?? base?.tags.filter((t) => t.kind === kind).map((t) => t.label) ?? [];
    const labels = given.map(cleanLabel).filter(Boolean);
    const seen = new Set<string>();
    if (labels.length > groupLimits.tagsPerKind) {
      errors.push({ field, message: 'groups.form.tooManyTags', values: { max: groupLimits.tagsPerKind } });
      continue;
    }
    for (const label of labels) {
      if (label.length > groupLimits.tagMax) {
        errors.push({ field, message: 'groups.form.tagLength', values: { max: groupLimits.tagMax } });
        break;
      }
      const key = tagKey(label);
      if (key && !seen.has(key)) {
        seen.add(key);
        tags.push({ kind, label, key });
      }
    }
  }

  const questions = (input.questions ?? base?.questions ?? []).map(cleanLabel).filter(Boolean);
  if (questions.length > groupLimits.questions)
    errors.push({
      field: 'questions',
      message: 'groups.form.tooManyQuestions',
      values: { max: groupLimits.questions },
    });
  else if (questions.some((q) => q.length > groupLimits.questionMax)) {
    errors.push({
      field: 'questions',
      message: 'groups.form.questionLength',
      values: { max: groupLimits.questionMax },
    });
  }
  if (errors.length) throw invalid(errors);
  return {
    name,
    description,
    languages,
    country,
    city,
    visibility,
    tags,
    questions,
    membersListOpen: input.membersListOpen ?? base?.membersListOpen ?? false,
    anonymousPosting: input.anonymousPosting ?? base?.anonymousPosting ?? false,
  };
}

/** Listed groups (public and private) can be found by name, description and tags; hidden ones cannot. */
async function indexGroup(ctx: ServiceContext, id: string, group: CleanGroup): Promise<void> {
  if (group.visibility === 'hidden') {
    await removeDocument(ctx, 'group', id);
    return;
  }
  await indexDocument(ctx, {
    kind: 'group',
    refId: id,
    scope: 'directory',
    title: group.name,
    body: [group.description, group.city ?? '', ...group.tags.map((t) => t.label)].join('\n'),
    createdAt: ctx.now,
  });
}

async function writeTags(db: DbOrTx, groupId: string, tags: CleanGroup['tags']): Promise<void> {
  await db.deleteFrom('group_tags').where('group_id', '=', groupId).execute();
  if (tags.length)
    await db
      .insertInto('group_tags')
      .values(tags.map((t) => ({ group_id: groupId, ...t })))
      .execute();
}

/** The columns a group's owner controls, as stored. */
function storedFields(group: CleanGroup) {
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

export async function createGroup(ctx: ServiceContext, actor: Member, input: GroupInput): Promise<Group> {
  if (!canCreateGroup(actor)) throw forbidden();
  const group = validateGroup(input);
  const id = newId();
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .insertInto('groups')
      .values({ id, ...storedFields(group), created_at: ctx.now, last_activity_at: ctx.now })
      .execute();
    await writeTags(trx, id, group.tags);
    await trx
      .insertInto('group_members')
      .values({ group_id: id, user_id: actor.id, role: 'owner', joined_at: ctx.now })
      .execute();
    await indexGroup(tctx, id, group);
    await recordAudit(trx, { actorId: actor.id, action: 'group.create', subject: id, now: ctx.now });
  });
  return (await findGroup(ctx.db, id))!;
}

export interface GroupWithViewer {
  group: Group;
  viewer: Viewer;
  banned: boolean;
}

/** A group as the actor may see it; a group they may not see does not exist for them. */
export async function loadGroup(ctx: ServiceContext, actor: Actor, groupId: string): Promise<GroupWithViewer> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canSeeGroup(viewer, group)) throw notFound();
  // Someone who left after a ban through their anonymous post is as banned as anyone banned by name.
  return { group, viewer, banned: viewer.banned || (viewer.membership === null && viewer.anonymousBan === true) };
}

export async function updateGroup(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: GroupInput,
): Promise<Group> {
  const { group: current, viewer } = await loadGroup(ctx, actor, groupId);
  if (!canManageGroup(viewer)) throw forbidden();
  const group = validateGroup(input, current);
  await inTransaction(ctx.db, async (trx) => {
    await trx.updateTable('groups').set(storedFields(group)).where('id', '=', groupId).execute();
    await writeTags(trx, groupId, group.tags);
    await indexGroup({ ...ctx, db: trx }, groupId, group);
    // Only private groups take requests: people waiting on a group that no longer asks are let in or told.
    if (group.visibility !== 'private')
      await settleRequestsAfterVisibilityChange(trx, ctx.now, groupId, group.visibility);
    await recordAudit(trx, { actorId: actor.id, action: 'group.update', subject: groupId, now: ctx.now });
  });
  return (await findGroup(ctx.db, groupId))!;
}

async function settleRequestsAfterVisibilityChange(
  db: DbOrTx,
  now: number,
  groupId: string,
  visibility: Visibility,
): Promise<void> {
  const waiting = await db
    .selectFrom('join_requests')
    .select(['id', 'user_id'])
    .where('group_id', '=', groupId)
    .execute();
  if (waiting.length === 0) return;
  await db.deleteFrom('join_requests').where('group_id', '=', groupId).execute();
  const userIds = waiting.map((r) => r.user_id);
  if (visibility === 'public') {
    await db
      .insertInto('group_members')
      .values(userIds.map((user_id) => ({ group_id: groupId, user_id, role: 'member' as const, joined_at: now })))
      .execute();
    await notify(db, { userIds, kind: 'join_approved', groupId, now });
  } else {
    await notify(db, { userIds, kind: 'join_declined', groupId, now });
  }
}

// Directory --------------------------------------------------------------------------------------

export interface DirectoryFilters {
  q?: string | undefined;
  country?: string | undefined;
  tag?: string | undefined;
  language?: string | undefined;
  /** Opaque cursor from the previous page. */
  after?: string | undefined;
}

export interface GroupPage {
  groups: Group[];
  next: string | null;
}

const directoryPageSize = 20;

/** Public and private groups, latest day of activity first; hidden groups are never listed. */
export async function listDirectory(ctx: ServiceContext, actor: Member, filters: DirectoryFilters): Promise<GroupPage> {
  void actor; // every signed-in member sees the same directory
  let query = ctx.db.selectFrom('groups').select(groupColumns).where('groups.visibility', '!=', 'hidden');
  const q = filters.q?.trim();
  if (q) {
    const hits = await search(ctx, { query: q, scopes: ['directory'], kinds: ['group'], limit: 100 });
    if (hits.length === 0) return { groups: [], next: null };
    query = query.where(
      'groups.id',
      'in',
      hits.map((h) => h.refId),
    );
  }
  if (filters.country) query = query.where('groups.country', '=', filters.country.toUpperCase());
  if (filters.language)
    query = query.where((eb) =>
      eb.or([
        eb('groups.languages', '=', filters.language!),
        eb('groups.languages', 'like', `%${filters.language} %`),
        eb('groups.languages', 'like', `% ${filters.language}`),
      ]),
    );
  const tag = filters.tag ? tagKey(filters.tag) : '';
  if (tag)
    query = query.where('groups.id', 'in', (eb) =>
      eb.selectFrom('group_tags').select('group_id').where('key', '=', tag),
    );
  // Ordered by the day of last activity, then id: neither the order nor the cursor may tell a
  // stranger when a private group was active more precisely than the day its page shows.
  const activityDay = sql<number>`(groups.last_activity_at - groups.last_activity_at % ${activityDayMs})`;
  const cursor = decodeCursor(filters.after);
  if (cursor) {
    query = query.where((eb) =>
      eb.or([
        eb(activityDay, '<', cursor.at),
        eb.and([eb(activityDay, '=', cursor.at), eb('groups.id', '>', cursor.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy(activityDay, 'desc')
    .orderBy('groups.id')
    .limit(directoryPageSize + 1)
    .execute();
  const page = rows.slice(0, directoryPageSize);
  const tags = await tagsOf(
    ctx.db,
    page.map((r) => r.id),
  );
  const last = page.at(-1);
  return {
    groups: page.map((row) => toGroup(row, tags.get(row.id) ?? [])),
    next: rows.length > directoryPageSize && last ? encodeCursor(activityDayOf(last.last_activity_at), last.id) : null,
  };
}

export interface MyGroup {
  group: Group;
  role: GroupRole;
  pendingRequests: number;
}

/** The groups the member belongs to, with the number of waiting requests where they moderate. */
export async function listMyGroups(ctx: ServiceContext, actor: Member): Promise<MyGroup[]> {
  const rows = await ctx.db
    .selectFrom('group_members as m')
    .innerJoin('groups', 'groups.id', 'm.group_id')
    .select([...groupColumns, 'm.role'])
    .where('m.user_id', '=', actor.id)
    .orderBy('groups.last_activity_at', 'desc')
    .orderBy('groups.id')
    .execute();
  const tags = await tagsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const barred = await groupsBannedAnonymously(
    ctx.db,
    ctx.keys.anonymity,
    actor.id,
    rows.filter((r) => r.role === 'moderator').map((r) => r.id),
  );
  const moderated = rows.filter((r) => r.role !== 'member' && !barred.has(r.id)).map((r) => r.id);
  const counts = new Map<string, number>();
  if (moderated.length) {
    const requestCounts = await ctx.db
      .selectFrom('join_requests')
      .select(['group_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('group_id', 'in', moderated)
      .groupBy('group_id')
      .execute();
    for (const r of requestCounts) counts.set(r.group_id, Number(r.count));
  }
  return rows.map((row) => ({
    group: toGroup(row, tags.get(row.id) ?? []),
    role: row.role,
    pendingRequests: counts.get(row.id) ?? 0,
  }));
}

// Joining and leaving ----------------------------------------------------------------------------

export type JoinOutcome = 'joined' | 'requested' | 'already_member';

export async function joinGroup(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { answers?: string[] | undefined } = {},
): Promise<JoinOutcome> {
  const { group, viewer, banned } = await loadGroup(ctx, actor, groupId);
  if (viewer.membership) return 'already_member';
  if (banned) throw new AppError('forbidden', 'groups.join.banned');
  if (canJoinDirectly(viewer, group)) {
    await addMember(ctx.db, groupId, actor.id, ctx.now);
    return 'joined';
  }
  if (viewer.pendingRequest) return 'requested';
  if (!canRequestToJoin(viewer, group)) throw forbidden();
  const answers = (input.answers ?? []).map(clean);
  const errors: FieldError[] = [];
  group.questions.forEach((_, i) => {
    const answer = answers[i] ?? '';
    if (!answer) errors.push({ field: `answer${i}`, message: 'groups.join.answerRequired' });
    else if (answer.length > groupLimits.answerMax)
      errors.push({ field: `answer${i}`, message: 'groups.join.answerLength', values: { max: groupLimits.answerMax } });
  });
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    const inserted = await trx
      .insertInto('join_requests')
      .values({
        id: newId(),
        group_id: groupId,
        user_id: actor.id,
        answers: JSON.stringify(answers.slice(0, group.questions.length)),
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    await notify(trx, { userIds: await moderatorIds(trx, groupId), kind: 'join_request', groupId, now: ctx.now });
  });
  return 'requested';
}

async function addMember(db: DbOrTx, groupId: string, userId: string, now: number): Promise<void> {
  // Joined twice at once: once is enough.
  await db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, role: 'member', joined_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .execute();
}

/** Withdraws a waiting request to join. */
export async function withdrawRequest(ctx: ServiceContext, actor: Member, groupId: string): Promise<void> {
  await loadGroup(ctx, actor, groupId);
  await ctx.db.deleteFrom('join_requests').where('group_id', '=', groupId).where('user_id', '=', actor.id).execute();
}

/**
 * Leaving takes effect at once. An owner who leaves hands the group to the longest-serving
 * moderator, or else the longest-standing member; a group nobody is left in is deleted.
 */
export async function leaveGroup(ctx: ServiceContext, actor: Member, groupId: string): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canLeave(viewer)) throw notFound();
  await inTransaction(ctx.db, (trx) => departGroup({ ...ctx, db: trx }, actor.id, groupId, viewer.membership!));
}

/** For a deleted account: leaves every group the way leaving one does, so no group is left without an owner. */
export async function leaveAllGroups(ctx: ServiceContext, userId: string): Promise<void> {
  const memberships = await ctx.db
    .selectFrom('group_members')
    .select(['group_id', 'role'])
    .where('user_id', '=', userId)
    .execute();
  for (const m of memberships) await departGroup(ctx, userId, m.group_id, m.role);
}

async function departGroup(ctx: ServiceContext, userId: string, groupId: string, role: GroupRole): Promise<void> {
  const trx = ctx.db;
  await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  await forgetGroupFor(trx, userId, groupId);
  if (role !== 'owner') return;
  const successor = await trx
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .orderBy((eb) => eb.case().when('role', '=', 'moderator').then(0).else(1).end())
    .orderBy('joined_at')
    .orderBy('user_id')
    .executeTakeFirst();
  if (successor) {
    await trx
      .updateTable('group_members')
      .set({ role: 'owner' })
      .where('group_id', '=', groupId)
      .where('user_id', '=', successor.user_id)
      .execute();
  } else {
    await deleteGroupContent(ctx, groupId);
    await trx.deleteFrom('groups').where('id', '=', groupId).execute();
  }
}

/** Removes a group's documents from the search index before its rows go. */
async function deleteGroupContent(ctx: ServiceContext, groupId: string): Promise<void> {
  const { db } = ctx;
  const search = ctx;
  const posts = await db.selectFrom('posts').select('id').where('group_id', '=', groupId).execute();
  for (const post of posts) await removeDocument(search, 'post', post.id);
  const threads = await db.selectFrom('threads').select('id').where('group_id', '=', groupId).execute();
  for (const thread of threads) await removeDocument(search, 'thread', thread.id);
  await removeDocument(search, 'group', groupId);
}

// Members and moderation --------------------------------------------------------------------------

export interface MemberEntry {
  userId: string;
  username: string;
  role: GroupRole;
  joinedAt: number;
}

export async function listMembers(ctx: ServiceContext, actor: Member, groupId: string): Promise<MemberEntry[]> {
  const { group, viewer } = await loadGroup(ctx, actor, groupId);
  if (!canSeeMembers(viewer, group)) throw notFound();
  const rows = await ctx.db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'm.role', 'm.joined_at'])
    .where('m.group_id', '=', groupId)
    .orderBy((eb) =>
      eb.case().when('m.role', '=', 'owner').then(0).when('m.role', '=', 'moderator').then(1).else(2).end(),
    )
    .orderBy('u.username')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, username: r.username, role: r.role, joinedAt: r.joined_at }));
}

/** The owner appoints and removes group moderators. */
export async function setMemberRole(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  userId: string,
  role: 'moderator' | 'member',
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canManageGroup(viewer)) throw forbidden();
  if (userId === actor.id) throw new AppError('conflict', 'groups.members.notYourself');
  const result = await ctx.db
    .updateTable('group_members')
    .set({ role })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('role', '!=', 'owner')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound();
  await recordAudit(ctx.db, { actorId: actor.id, action: `group.role.${role}`, subject: groupId, now: ctx.now });
}

/** Moderators remove members (and may ban them); only the owner removes a moderator; nobody removes the owner. */
export async function removeMember(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  userId: string,
  options: { ban: boolean },
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw forbidden();
  if (userId === actor.id) throw new AppError('conflict', 'groups.members.notYourself');
  const target = await ctx.db
    .selectFrom('group_members')
    .select('role')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!target) throw notFound();
  if (target.role === 'owner' || (target.role === 'moderator' && viewer.membership !== 'owner')) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    await forgetGroupFor(trx, userId, groupId);
    if (options.ban) await banUser(trx, groupId, userId, ctx.now);
    await recordAudit(trx, {
      actorId: actor.id,
      action: options.ban ? 'group.ban' : 'group.remove',
      subject: groupId,
      now: ctx.now,
    });
  });
}

/** A ban by name. Bans through an anonymous post leave the membership alone (ADR 0018, discussions). */
export async function banUser(db: DbOrTx, groupId: string, userId: string, now: number): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('role', '!=', 'owner')
    .execute();
  await db.deleteFrom('join_requests').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  await db.deleteFrom('group_bans').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  await db
    .insertInto('group_bans')
    .values({ group_id: groupId, user_id: userId, anonymous: 0, created_at: now })
    .execute();
}

export interface BanEntry {
  /** Absent for people banned from an anonymous post: moderators never learn who they were. */
  username: string | null;
  userId: string | null;
  createdAt: number;
}

export async function listBans(ctx: ServiceContext, actor: Member, groupId: string): Promise<BanEntry[]> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw notFound();
  const rows = await ctx.db
    .selectFrom('group_bans as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .select(['b.user_id', 'u.username', 'b.anonymous', 'b.created_at'])
    .where('b.group_id', '=', groupId)
    .orderBy('b.created_at', 'desc')
    .execute();
  // Bans through an anonymous post are kept as keyed hashes (ADR 0018): listed, never named.
  const hashed = await ctx.db
    .selectFrom('anonymous_bans')
    .select('created_at')
    .where('group_id', '=', groupId)
    .execute();
  const entries: BanEntry[] = [
    ...rows.map((r) =>
      r.anonymous
        ? { username: null, userId: null, createdAt: r.created_at }
        : { username: r.username, userId: r.user_id, createdAt: r.created_at },
    ),
    ...hashed.map((r) => ({ username: null, userId: null, createdAt: r.created_at })),
  ];
  return entries.sort((x, y) => y.createdAt - x.createdAt);
}

export async function liftBan(ctx: ServiceContext, actor: Member, groupId: string, userId: string): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw forbidden();
  await ctx.db
    .deleteFrom('group_bans')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('anonymous', '=', 0)
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'group.unban', subject: groupId, now: ctx.now });
}

// Join requests ------------------------------------------------------------------------------------

export interface JoinRequestEntry {
  id: string;
  username: string;
  questions: string[];
  answers: string[];
  createdAt: number;
}

export async function listRequests(ctx: ServiceContext, actor: Member, groupId: string): Promise<JoinRequestEntry[]> {
  const { group, viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw notFound();
  const rows = await ctx.db
    .selectFrom('join_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'u.username', 'r.answers', 'r.created_at'])
    .where('r.group_id', '=', groupId)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    questions: group.questions,
    answers: JSON.parse(r.answers) as string[],
    createdAt: r.created_at,
  }));
}

export async function decideRequest(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  requestId: string,
  decision: 'approve' | 'decline',
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    // The delete decides: of concurrent decisions (two approvals, an approval and a decline), only the
    // one that removed the row goes on; on PostgreSQL the others wait for its row lock, then find nothing.
    const request = await trx
      .deleteFrom('join_requests')
      .where('id', '=', requestId)
      .where('group_id', '=', groupId)
      .returning('user_id')
      .executeTakeFirst();
    if (!request) throw notFound();
    if (decision === 'approve') await addMember(trx, groupId, request.user_id, ctx.now);
    await notify(trx, {
      userIds: [request.user_id],
      kind: decision === 'approve' ? 'join_approved' : 'join_declined',
      groupId,
      now: ctx.now,
    });
    await recordAudit(trx, { actorId: actor.id, action: `group.request.${decision}`, subject: groupId, now: ctx.now });
  });
}

// Invite links ---------------------------------------------------------------------------------------

export interface GroupInvite {
  id: string;
  /** Present only when the invite is made: only its hash is stored. */
  code?: string;
  usesLeft: number;
  expiresAt: number;
}

export async function createGroupInvite(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { uses?: number | undefined; days?: number | undefined },
): Promise<GroupInvite & { code: string }> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw forbidden();
  const uses = input.uses ?? 1;
  const days = input.days ?? 7;
  const errors: FieldError[] = [];
  if (!Number.isInteger(uses) || uses < 1 || uses > groupLimits.inviteUsesMax)
    errors.push({ field: 'uses', message: 'invites.usesRange', values: { max: groupLimits.inviteUsesMax } });
  if (!Number.isInteger(days) || days < 1 || days > groupLimits.inviteDaysMax)
    errors.push({ field: 'days', message: 'invites.daysRange', values: { max: groupLimits.inviteDaysMax } });
  if (errors.length) throw invalid(errors);
  const code = newHumanCode(5);
  const invite = { id: newId(), code, usesLeft: uses, expiresAt: ctx.now + days * 86_400_000 };
  await ctx.db
    .insertInto('group_invites')
    .values({
      id: invite.id,
      group_id: groupId,
      code_hash: hashHumanCode(code),
      uses_left: uses,
      expires_at: invite.expiresAt,
      created_at: ctx.now,
    })
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'group.invite.create', subject: groupId, now: ctx.now });
  return invite;
}

export async function listGroupInvites(ctx: ServiceContext, actor: Member, groupId: string): Promise<GroupInvite[]> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw notFound();
  const rows = await ctx.db
    .selectFrom('group_invites')
    .select(['id', 'uses_left', 'expires_at'])
    .where('group_id', '=', groupId)
    .where('uses_left', '>', 0)
    .where('expires_at', '>', ctx.now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, usesLeft: r.uses_left, expiresAt: r.expires_at }));
}

export async function revokeGroupInvite(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  inviteId: string,
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw forbidden();
  await ctx.db.deleteFrom('group_invites').where('id', '=', inviteId).where('group_id', '=', groupId).execute();
}

async function findInvite(ctx: ServiceContext, code: string) {
  if (!code || code.length > 100) return undefined;
  return ctx.db
    .selectFrom('group_invites')
    .select(['id', 'group_id'])
    .where('code_hash', '=', hashHumanCode(code))
    .where('uses_left', '>', 0)
    .where('expires_at', '>', ctx.now)
    .executeTakeFirst();
}

/** What an invite link shows before it is accepted: the group's name and description, nothing about its members. */
export async function previewInvite(
  ctx: ServiceContext,
  actor: Member,
  code: string,
): Promise<{ group: Group; member: boolean }> {
  const invite = await findInvite(ctx, code);
  if (!invite) throw notFound();
  const group = (await findGroup(ctx.db, invite.group_id))!;
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  return { group, member: viewer.membership !== null };
}

export async function acceptInvite(ctx: ServiceContext, actor: Member, code: string): Promise<Group> {
  const invite = await findInvite(ctx, code);
  if (!invite) throw notFound();
  const group = (await findGroup(ctx.db, invite.group_id))!;
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  if (viewer.membership) return group;
  if (await isBanned(ctx.db, group.id, actor.id, ctx.keys.anonymity))
    throw new AppError('forbidden', 'groups.join.banned');
  if (!canJoinWithInvite(viewer, group)) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    const used = await trx
      .updateTable('group_invites')
      .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
      .where('id', '=', invite.id)
      .where('uses_left', '>', 0)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw notFound();
    await trx.deleteFrom('join_requests').where('group_id', '=', group.id).where('user_id', '=', actor.id).execute();
    await addMember(trx, group.id, actor.id, ctx.now);
  });
  return group;
}
