import { retitleRoomMessages } from '../search.js';
import type { ServiceContext } from '../../../app-context.js';
import { recordAudit } from '../../../db/audit.js';
import { checkpointAfterErasure, inTransaction, type DbOrTx } from '../../../db/database.js';
import { forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { announceRecheck } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { newId } from '../../../security/tokens.js';
import { canReadContent, loadGroup, readableGroupIds } from '../../groups/public.js';
import { canManageRooms, canReadChat, type RoomAccess } from '../policy.js';
import { accessOf, loadReadableChat, type ChatRow, type LoadedChat } from '../queries.js';
import { chatLimits } from '../schemas.js';
import { unreadCounts, type Unread } from './unread.js';

/**
 * Rooms (ADR 0064): a group's, managed by its owner and moderators, or the instance's, managed by
 * administrators. A room follows its group: whoever cannot read the group's threads cannot tell
 * that its rooms exist (404). Every management action leaves an audit row in its transaction.
 */

export interface Room {
  id: string;
  groupId: string | null;
  /** The group's name, for headings and lists; null for instance rooms. */
  groupName: string | null;
  name: string;
  timer: number | null;
  archived: boolean;
  /** What is new to the reader; none where it was not asked for. */
  unread: Unread;
  /** The reader may rename, archive and delete it. */
  canManage: boolean;
}

const noUnread: Unread = { count: 0, firstUnreadPosition: null };

function toRoom(chat: ChatRow, group: { id: string; name: string } | null, canManage: boolean, unread?: Unread): Room {
  return {
    id: chat.id,
    groupId: chat.group_id,
    groupName: group?.name ?? null,
    name: chat.name ?? '',
    timer: chat.timer_seconds,
    archived: chat.archived_at !== null,
    unread: unread ?? noUnread,
    canManage,
  };
}

/** A room's name as the service takes it: trimmed, NFC, no bidi controls, 2 to 60 characters. */
function validName(input: string | undefined, errors: FieldError[]): string {
  const name = withoutBidiControls((input ?? '').normalize('NFC'))
    .replace(/\s+/g, ' ')
    .trim();
  const length = [...name].length;
  if (length < chatLimits.roomNameMin || length > chatLimits.roomNameMax)
    errors.push({
      field: 'name',
      message: 'chat.rooms.form.nameLength',
      values: { min: chatLimits.roomNameMin, max: chatLimits.roomNameMax },
    });
  return name;
}

/** The group whose rooms are asked for, as the room rules read it: 404 where the member cannot read its threads. */
async function readableGroup(ctx: ServiceContext, actor: Member, groupId: string) {
  const { group, viewer } = await loadGroup(ctx, actor, groupId);
  const facts = { visibility: group.visibility, membersListOpen: group.membersListOpen };
  if (!canReadContent(viewer, facts)) throw notFound();
  return { group, access: { viewer, facts, anonymousPosting: group.anonymousPosting } satisfies RoomAccess['group'] };
}

/** Whether the member may create rooms here: in a group (null: the instance). Unreadable groups answer 404. */
export async function mayCreateRoom(ctx: ServiceContext, actor: Member, groupId: string | null): Promise<boolean> {
  if (groupId === null) return canManageRooms(actor, null);
  return canManageRooms(actor, (await readableGroup(ctx, actor, groupId)).access);
}

/** Creates a room in a group (its owner and moderators) or for the whole instance (administrators). */
export async function createRoom(
  ctx: ServiceContext,
  actor: Member,
  groupId: string | null,
  input: { name?: string | undefined },
): Promise<Room> {
  const place = groupId === null ? null : await readableGroup(ctx, actor, groupId);
  if (!canManageRooms(actor, place?.access ?? null)) throw forbidden();
  const errors: FieldError[] = [];
  const name = validName(input.name, errors);
  if (errors.length) throw invalid(errors);
  const id = newId();
  await inTransaction(ctx.db, async (trx) => {
    // A new room starts with the timer its group's owner chose for new rooms (ADR 0060).
    const timer =
      groupId === null
        ? null
        : ((
            await trx
              .selectFrom('groups')
              .select('room_timer_seconds')
              .where('id', '=', groupId)
              .executeTakeFirstOrThrow()
          ).room_timer_seconds ?? null);
    await trx
      .insertInto('chats')
      .values({
        id,
        kind: 'room',
        group_id: groupId,
        name,
        timer_seconds: timer,
        last_seq: 0,
        purged_seq: 0,
        archived_at: null,
        created_at: ctx.now,
        last_message_at: null,
      })
      .execute();
    await audit(trx, ctx, actor, 'chat.room.create', groupId, id);
  });
  const chat = (await ctx.db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as ChatRow;
  return toRoom(chat, place ? { id: place.group.id, name: place.group.name } : null, true);
}

async function audit(
  db: DbOrTx,
  ctx: ServiceContext,
  actor: Member,
  action: string,
  groupId: string | null,
  roomId: string,
) {
  await recordAudit(db, { actorId: actor.id, action, subject: groupId ?? 'instance', targetId: roomId, now: ctx.now });
}

/** A room the member may read (404 otherwise, conversations included), and whether they manage it. */
export async function getRoom(ctx: ServiceContext, actor: Member, roomId: string): Promise<Room> {
  const loaded = await loadRoom(ctx, actor, roomId);
  const unread = (await unreadCounts(ctx, actor, [roomId])).get(roomId);
  return toRoom(loaded.chat, loaded.group, canManageRooms(actor, roomGroup(loaded)), unread);
}

async function loadRoom(ctx: ServiceContext, actor: Member, roomId: string): Promise<LoadedChat> {
  const loaded = await loadReadableChat(ctx, actor, roomId);
  if (loaded.chat.kind !== 'room') throw notFound();
  return loaded;
}

const roomGroup = (loaded: LoadedChat) => (loaded.access.kind === 'room' ? loaded.access.group : null);

/** A room to manage: 404 where it cannot be read, 403 where it is read but not managed. */
async function roomToManage(ctx: ServiceContext, actor: Member, roomId: string): Promise<LoadedChat> {
  const loaded = await loadRoom(ctx, actor, roomId);
  if (!canManageRooms(actor, roomGroup(loaded))) throw forbidden();
  return loaded;
}

/** Renames and archives or brings back a room; each change audited. */
export async function updateRoom(
  ctx: ServiceContext,
  actor: Member,
  roomId: string,
  input: { name?: string | undefined; archived?: boolean | undefined },
): Promise<Room> {
  const loaded = await roomToManage(ctx, actor, roomId);
  const errors: FieldError[] = [];
  const name = input.name === undefined ? undefined : validName(input.name, errors);
  if (errors.length) throw invalid(errors);
  const { chat } = loaded;
  const wasArchived = chat.archived_at !== null;
  await inTransaction(ctx.db, async (trx) => {
    if (name !== undefined && name !== chat.name) {
      await trx.updateTable('chats').set({ name }).where('id', '=', roomId).execute();
      // Search results show the room's name: the index follows the rename in the same transaction.
      await retitleRoomMessages(trx, roomId, name);
      await audit(trx, ctx, actor, 'chat.room.rename', chat.group_id, roomId);
    }
    if (input.archived !== undefined && input.archived !== wasArchived) {
      await trx
        .updateTable('chats')
        .set({ archived_at: input.archived ? ctx.now : null })
        .where('id', '=', roomId)
        .execute();
      await audit(trx, ctx, actor, input.archived ? 'chat.room.archive' : 'chat.room.unarchive', chat.group_id, roomId);
    }
  });
  return getRoom(ctx, actor, roomId);
}

/**
 * Deletes a room: its messages, reactions and places go by cascade, their search documents with
 * them, in one transaction with its audit row; on SQLite the erased pages are then checkpointed
 * away (ADR 0021). Open live connections to it are checked again and told it is gone.
 */
export async function deleteRoom(
  ctx: ServiceContext,
  actor: Member,
  roomId: string,
): Promise<{ groupId: string | null }> {
  const { chat } = await roomToManage(ctx, actor, roomId);
  await inTransaction(ctx.db, async (trx) => {
    await removeMessageDocuments(trx, ctx, roomId);
    await trx.deleteFrom('chats').where('id', '=', roomId).execute();
    await audit(trx, ctx, actor, 'chat.room.delete', chat.group_id, roomId);
    const readers = await trx.selectFrom('chat_reads').select('user_id').where('chat_id', '=', roomId).execute();
    announceRecheck({ db: trx, signals: ctx.signals }, { userIds: readers.map((r) => r.user_id) });
  });
  await checkpointAfterErasure(ctx);
  return { groupId: chat.group_id };
}

/** The search documents of a chat's messages, whatever kind they were indexed as (their ids are the messages'). */
async function removeMessageDocuments(trx: DbOrTx, ctx: ServiceContext, chatId: string) {
  const ids = trx.selectFrom('chat_messages').select('id').where('chat_id', '=', chatId);
  const docs = (await trx.selectFrom('search_documents').select('id').where('ref_id', 'in', ids).execute()).map(
    (d) => d.id,
  );
  for (let i = 0; i < docs.length; i += 500) {
    const batch = docs.slice(i, i + 500);
    if (ctx.engine === 'sqlite') await trx.deleteFrom('search_fts').where('doc_id', 'in', batch).execute();
    await trx.deleteFrom('search_documents').where('id', 'in', batch).execute();
  }
}

const byName = (a: Room, b: Room) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);

/** A group's rooms, for whoever may read the group (404 otherwise), with their unread counts. */
export async function listGroupRooms(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
): Promise<{ group: { id: string; name: string }; rooms: Room[]; canManage: boolean }> {
  const { group, access } = await readableGroup(ctx, actor, groupId);
  const canManage = canManageRooms(actor, access);
  const rows = (await ctx.db
    .selectFrom('chats')
    .selectAll()
    .where('kind', '=', 'room')
    .where('group_id', '=', groupId)
    .execute()) as ChatRow[];
  const unread = await unreadCounts(
    ctx,
    actor,
    rows.map((r) => r.id),
  );
  const named = { id: group.id, name: group.name };
  return {
    group: named,
    canManage,
    rooms: rows.map((r) => toRoom(r, named, canManage, unread.get(r.id))).sort(byName),
  };
}

/** The instance's rooms, readable by every signed-in member. */
export async function listInstanceRooms(ctx: ServiceContext, actor: Member): Promise<Room[]> {
  const rows = (await ctx.db
    .selectFrom('chats')
    .selectAll()
    .where('kind', '=', 'room')
    .where('group_id', 'is', null)
    .execute()) as ChatRow[];
  const unread = await unreadCounts(
    ctx,
    actor,
    rows.map((r) => r.id),
  );
  const canManage = canManageRooms(actor, null);
  return rows.map((r) => toRoom(r, null, canManage, unread.get(r.id))).sort(byName);
}

/**
 * The member's rooms: the instance's, then those of the groups they belong to and may read, each
 * checked against the room rules as it would be opened, with unread counts in a few queries.
 */
export async function listMyRooms(ctx: ServiceContext, actor: Member): Promise<Room[]> {
  const readable = new Set(await readableGroupIds(ctx.db, actor, ctx.keys.anonymity));
  const mine = (await ctx.db.selectFrom('group_members').select('group_id').where('user_id', '=', actor.id).execute())
    .map((r) => r.group_id)
    .filter((id) => readable.has(id));
  const rows = mine.length
    ? ((await ctx.db
        .selectFrom('chats')
        .selectAll()
        .where('kind', '=', 'room')
        .where('group_id', 'in', mine)
        .execute()) as ChatRow[])
    : [];
  // The member's standing is read once per group, and each room asked as it would be opened.
  const standing = new Map<string | null, LoadedChat | null>();
  const loaded: LoadedChat[] = [];
  for (const row of rows) {
    let known = standing.get(row.group_id);
    if (known === undefined) {
      known = await accessOf(ctx, actor, row).catch(() => null);
      standing.set(row.group_id, known);
    }
    if (known?.access.kind !== 'room') continue;
    const one: LoadedChat = {
      chat: row,
      group: known.group,
      access: { ...known.access, archived: row.archived_at !== null },
    };
    if (canReadChat(actor, one.access)) loaded.push(one);
  }
  const unread = await unreadCounts(
    ctx,
    actor,
    loaded.map((l) => l.chat.id),
  );
  const rooms = loaded.map((l) => toRoom(l.chat, l.group, canManageRooms(actor, roomGroup(l)), unread.get(l.chat.id)));
  // Instance rooms first, then by group and name.
  return [
    ...(await listInstanceRooms(ctx, actor)),
    ...rooms.sort((a, b) => (a.groupName ?? '').localeCompare(b.groupName ?? '') || byName(a, b)),
  ];
}
