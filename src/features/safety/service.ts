import type { ServiceContext } from '../../app-context.js';
import { inTransaction } from '../../db/database.js';
import type { ExpressionBuilder } from 'kysely';
import type { Database, WatchedWordAction } from '../../db/schema.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { recordEvent } from '../../events/outbox.js';
import { recordModeration } from '../../platform/moderation.js';
import type { Member } from '../../security/actor.js';
import { normaliseUsername } from '../../security/username.js';
import { newId } from '../../security/tokens.js';
import { canSeeGroup, findGroup, viewerOf, type Group, type Viewer } from '../groups/public.js';
import { watchedKey } from './matching.js';
import { canBlockOrMute, canManageGroupTools, canManageInstanceWords } from './policy.js';
import { toolLimits, watchedWordActions } from './schemas.js';

// Blocks, mutes, watched words and slow mode (ADR 0052).

export type Relation = 'block' | 'mute';
const tables = {
  block: { table: 'blocks', subject: 'blocker_id', object: 'blocked_id' },
  mute: { table: 'mutes', subject: 'muter_id', object: 'muted_id' },
} as const;

export interface PersonRow {
  userId: string;
  username: string;
  createdAt: number;
}

/** Who the member names, by id or username; never themself. Unknown names are a field problem. */
async function findPerson(
  ctx: ServiceContext,
  actor: Member,
  input: { username?: string | undefined; userId?: string | undefined },
) {
  const field = input.userId ? 'userId' : 'username';
  if (!input.userId && !input.username?.trim()) throw invalid([{ field, message: 'safetyTools.person.required' }]);
  const query = ctx.db.selectFrom('users').select(['id', 'username']);
  const user = input.userId
    ? await query.where('id', '=', input.userId).executeTakeFirst()
    : input.username?.trim()
      ? await query
          .where('username_key', '=', normaliseUsername(input.username.replace(/^@/, '')).key)
          .executeTakeFirst()
      : undefined;
  if (!user) throw invalid([{ field, message: 'safetyTools.person.unknown' }]);
  if (user.id === actor.id) throw invalid([{ field, message: 'safetyTools.person.self' }]);
  return user;
}

/**
 * Blocks or mutes someone. Doing it twice changes nothing. Nobody is told: the blocked member's
 * pages simply stop showing the blocker, and what they send the blocker reaches nobody.
 */
export async function addRelation(
  ctx: ServiceContext,
  actor: Member,
  relation: Relation,
  input: { username?: string | undefined; userId?: string | undefined },
): Promise<PersonRow> {
  if (!canBlockOrMute(actor)) throw forbidden();
  const user = await findPerson(ctx, actor, input);
  const { table, subject, object } = tables[relation];
  await inTransaction(ctx.db, async (trx) => {
    const [inserted] = await trx
      .insertInto(table)
      .values({ [subject]: actor.id, [object]: user.id, created_at: ctx.now } as never)
      .onConflict((oc) => oc.columns([subject, object] as never).doNothing())
      .execute();
    // Both members' live connections are asked again, as their next request would be (ADR 0061).
    if (relation === 'block' && Number(inserted?.numInsertedOrUpdatedRows ?? 0) > 0)
      await recordEvent(trx, 'member.blocked', { blockerId: actor.id, blockedId: user.id }, ctx.now);
  });
  return { userId: user.id, username: user.username, createdAt: ctx.now };
}

/** Undoes a block or a mute; undoing what is not there changes nothing. */
export async function removeRelation(
  ctx: ServiceContext,
  actor: Member,
  relation: Relation,
  userId: string,
): Promise<void> {
  if (!canBlockOrMute(actor)) throw forbidden();
  if (relation === 'block')
    await ctx.db.deleteFrom('blocks').where('blocker_id', '=', actor.id).where('blocked_id', '=', userId).execute();
  else await ctx.db.deleteFrom('mutes').where('muter_id', '=', actor.id).where('muted_id', '=', userId).execute();
}

/** The member's own blocks or mutes, newest first. Never the blocks others made of them. */
export async function listRelations(ctx: ServiceContext, actor: Member, relation: Relation): Promise<PersonRow[]> {
  if (!canBlockOrMute(actor)) throw forbidden();
  if (relation === 'block') {
    const rows = await ctx.db
      .selectFrom('blocks')
      .innerJoin('users', 'users.id', 'blocks.blocked_id')
      .select(['users.id as userId', 'users.username', 'blocks.created_at as createdAt'])
      .where('blocks.blocker_id', '=', actor.id)
      .orderBy('blocks.created_at', 'desc')
      .execute();
    return rows;
  }
  return ctx.db
    .selectFrom('mutes')
    .innerJoin('users', 'users.id', 'mutes.muted_id')
    .select(['users.id as userId', 'users.username', 'mutes.created_at as createdAt'])
    .where('mutes.muter_id', '=', actor.id)
    .orderBy('mutes.created_at', 'desc')
    .execute();
}

// Watched words and slow mode.

export interface WatchedWordView {
  id: string;
  groupId: string | null;
  phrase: string;
  action: WatchedWordAction;
  createdAt: number;
}

/** A group its owner and moderators manage the tools of; anyone else meets a missing page or a refusal. */
export async function loadGroupForTools(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
): Promise<{ group: Group; viewer: Viewer }> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canSeeGroup(viewer, group)) throw notFound();
  if (!canManageGroupTools(viewer)) throw forbidden();
  return { group, viewer };
}

async function authorizeList(ctx: ServiceContext, actor: Member, groupId: string | null): Promise<void> {
  if (groupId === null) {
    if (!canManageInstanceWords(actor)) throw forbidden();
  } else await loadGroupForTools(ctx, actor, groupId);
}

export async function listWatchedWords(
  ctx: ServiceContext,
  actor: Member,
  groupId: string | null,
): Promise<WatchedWordView[]> {
  await authorizeList(ctx, actor, groupId);
  const rows = await ctx.db
    .selectFrom('watched_words')
    .select(['id', 'group_id', 'phrase', 'action', 'created_at'])
    .where((eb) => (groupId === null ? eb('group_id', 'is', null) : eb('group_id', '=', groupId)))
    .orderBy('phrase')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    groupId: r.group_id,
    phrase: r.phrase,
    action: r.action,
    createdAt: r.created_at,
  }));
}

/**
 * Adds a watched word or phrase to the instance's list (groupId null) or a group's. A phrase already
 * on the list (the same once normalised) takes the new action instead of a second row.
 */
export async function addWatchedWord(
  ctx: ServiceContext,
  actor: Member,
  input: { phrase: string; action: string; groupId: string | null },
): Promise<WatchedWordView> {
  await authorizeList(ctx, actor, input.groupId);
  const phrase = input.phrase.replace(/\s+/g, ' ').trim();
  const normalized = watchedKey(phrase);
  if (!normalized) throw invalid([{ field: 'phrase', message: 'safetyTools.watched.phraseRequired' }]);
  if (phrase.length > toolLimits.phraseMax)
    throw invalid([
      { field: 'phrase', message: 'safetyTools.watched.phraseLength', values: { max: toolLimits.phraseMax } },
    ]);
  if (!(watchedWordActions as readonly string[]).includes(input.action))
    throw invalid([{ field: 'action', message: 'safetyTools.watched.actionRequired' }]);
  const action = input.action as WatchedWordAction;
  const inList = (eb: ExpressionBuilder<Database, 'watched_words'>) =>
    input.groupId === null ? eb('group_id', 'is', null) : eb('group_id', '=', input.groupId);
  return inTransaction(ctx.db, async (trx) => {
    const existing = await trx
      .selectFrom('watched_words')
      .select('id')
      .where(inList)
      .where('normalized', '=', normalized)
      .executeTakeFirst();
    const id = existing?.id ?? newId();
    if (existing) await trx.updateTable('watched_words').set({ action, phrase }).where('id', '=', id).execute();
    else {
      const count = await trx
        .selectFrom('watched_words')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where(inList)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= toolLimits.wordsPerList)
        throw invalid([
          { field: 'phrase', message: 'safetyTools.watched.tooMany', values: { max: toolLimits.wordsPerList } },
        ]);
      await trx
        .insertInto('watched_words')
        .values({ id, group_id: input.groupId, phrase, normalized, action, created_at: ctx.now })
        .execute();
    }
    // The log keeps that the list changed and the action, never the words (ADR 0047).
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'watched_word.set',
      groupId: input.groupId,
      targetType: input.groupId ? 'group' : 'resource',
      targetId: input.groupId ?? id,
      detail: { wordId: id, action },
      now: ctx.now,
    });
    return { id, groupId: input.groupId, phrase, action, createdAt: ctx.now };
  });
}

export async function removeWatchedWord(ctx: ServiceContext, actor: Member, wordId: string): Promise<WatchedWordView> {
  const word = await ctx.db
    .selectFrom('watched_words')
    .select(['id', 'group_id', 'phrase', 'action', 'created_at'])
    .where('id', '=', wordId)
    .executeTakeFirst();
  if (!word) throw notFound();
  // Someone who may not manage the list learns nothing of it: the word is missing for them.
  try {
    await authorizeList(ctx, actor, word.group_id);
  } catch {
    throw notFound();
  }
  await inTransaction(ctx.db, async (trx) => {
    await trx.deleteFrom('watched_words').where('id', '=', wordId).execute();
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'watched_word.remove',
      groupId: word.group_id,
      targetType: word.group_id ? 'group' : 'resource',
      targetId: word.group_id ?? word.id,
      detail: { wordId: word.id },
      now: ctx.now,
    });
  });
  return { id: word.id, groupId: word.group_id, phrase: word.phrase, action: word.action, createdAt: word.created_at };
}

function validateSlowMode(input: { seconds: number; reason?: string | undefined }) {
  const seconds = Number(input.seconds);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > toolLimits.slowModeMaxSeconds)
    throw invalid([
      {
        field: 'seconds',
        message: 'safetyTools.slowMode.secondsRange',
        values: { max: toolLimits.slowModeMaxSeconds },
      },
    ]);
  const reason = (input.reason ?? '').replace(/\s+/g, ' ').trim();
  if (reason.length > toolLimits.reasonMax)
    throw invalid([
      { field: 'reason', message: 'safetyTools.slowMode.reasonLength', values: { max: toolLimits.reasonMax } },
    ]);
  return { seconds, reason: reason || null };
}

/**
 * Sets a group's slow mode (0 turns it off), recorded in the moderation log in the same
 * transaction. Setting what is already set changes nothing and records nothing.
 */
export async function setGroupSlowMode(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { seconds: number; reason?: string | undefined },
): Promise<{ seconds: number }> {
  await loadGroupForTools(ctx, actor, groupId);
  const { seconds, reason } = validateSlowMode(input);
  await inTransaction(ctx.db, async (trx) => {
    const { numUpdatedRows } = await trx
      .updateTable('groups')
      .set({ slow_mode_seconds: seconds })
      .where('id', '=', groupId)
      .where('slow_mode_seconds', '!=', seconds)
      .executeTakeFirst();
    if (numUpdatedRows === 0n) return;
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'slow_mode.set',
      groupId,
      targetType: 'group',
      targetId: groupId,
      reason,
      detail: { seconds },
      now: ctx.now,
    });
  });
  return { seconds };
}

export async function groupSlowMode(ctx: ServiceContext, groupId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('groups')
    .select('slow_mode_seconds')
    .where('id', '=', groupId)
    .executeTakeFirst();
  return row?.slow_mode_seconds ?? 0;
}

/** A thread and its group, for whoever manages the group's tools. */
export async function loadThreadForTools(ctx: ServiceContext, actor: Member, threadId: string) {
  const thread = await ctx.db
    .selectFrom('threads')
    .select(['id', 'group_id', 'title', 'slow_mode_seconds'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!thread) throw notFound();
  const { group } = await loadGroupForTools(ctx, actor, thread.group_id);
  return { thread, group };
}

/** Sets one thread's slow mode (0 turns it off), recorded as the group's is. */
export async function setThreadSlowMode(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: { seconds: number; reason?: string | undefined },
): Promise<{ seconds: number }> {
  const { thread } = await loadThreadForTools(ctx, actor, threadId);
  const { seconds, reason } = validateSlowMode(input);
  await inTransaction(ctx.db, async (trx) => {
    const { numUpdatedRows } = await trx
      .updateTable('threads')
      .set({ slow_mode_seconds: seconds })
      .where('id', '=', threadId)
      .where('slow_mode_seconds', '!=', seconds)
      .executeTakeFirst();
    if (numUpdatedRows === 0n) return;
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'slow_mode.set',
      groupId: thread.group_id,
      targetType: 'thread',
      targetId: threadId,
      reason,
      detail: { seconds },
      now: ctx.now,
    });
  });
  return { seconds };
}
