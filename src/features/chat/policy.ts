import type { MessagingPolicy, ParticipantState } from '../../db/schema-chat.js';
import type { Actor, Member } from '../../security/actor.js';
import { isBlockedBetween } from '../../security/blocks.js';
import { isAdmin, isInstanceModerator, isMuted } from '../../security/policy.js';
import {
  canModerateAsGroupModerator,
  canPost,
  canPostAnonymously,
  canReact,
  canReadContent,
  type GroupFacts,
  type Viewer,
} from '../groups/public.js';
import { canStartConversationWithStranger } from '../trust/public.js';

/**
 * Who may do what in chat (ADR 0060): pure functions of the facts, tested as a matrix
 * (policy.test.ts). Services load the facts (`queries.ts`), ask these, and answer a denied read
 * exactly like a missing record (404). Chat is for signed-in members only.
 *
 * A room follows its group: whoever may read the group's threads reads its rooms, whoever may post
 * there posts in them, and the group's owner and moderators manage them. Instance-wide rooms are
 * read and written by every signed-in member and managed by administrators. Instance moderators
 * moderate every room (unsend a message) without reading more than anyone else reads there.
 * A private conversation exists only for its participants: nobody else, administrators included,
 * reads it through the web or the API.
 */

export interface RoomAccess {
  kind: 'room';
  archived: boolean;
  /** Null: an instance-wide room. */
  group: null | { viewer: Viewer; facts: GroupFacts; anonymousPosting: boolean };
}

export interface ConversationAccess {
  kind: 'conversation';
  /** The actor's place in it: a participant, asked to accept a first message, or nobody. */
  participation: ParticipantState | null;
}

export type ChatAccess = RoomAccess | ConversationAccess;

/** A message as the rules see it. */
export interface MessageFacts {
  /** The actor wrote it (named, or anonymously and recognised by its keyed hash). */
  mine: boolean;
  /** A timer event or a tombstone: nobody acts on those. */
  kind: 'message' | 'timer' | 'unsent';
}

const member = (actor: Actor): actor is Member => actor.kind === 'user';
/** Frozen (ADR 0051) or muted (ADR 0048) accounts read and write nothing new. */
const mayWrite = (actor: Member) => actor.frozen !== true && !isMuted(actor);

export function canReadChat(actor: Actor, chat: ChatAccess): boolean {
  if (!member(actor)) return false;
  if (chat.kind === 'conversation') return chat.participation !== null;
  return chat.group === null ? true : canReadContent(chat.group.viewer, chat.group.facts);
}

export function canPostInChat(actor: Actor, chat: ChatAccess): boolean {
  if (!member(actor) || !canReadChat(actor, chat) || !mayWrite(actor)) return false;
  if (chat.kind === 'conversation') return chat.participation === 'active';
  if (chat.archived) return false;
  return chat.group === null ? true : canPost(chat.group.viewer);
}

/** Anonymous messages where the group allows anonymous posting; never in instance rooms or conversations. */
export function canPostAnonymouslyInChat(actor: Actor, chat: ChatAccess): boolean {
  if (!canPostInChat(actor, chat) || chat.kind !== 'room' || chat.group === null) return false;
  return canPostAnonymously(chat.group.viewer, { anonymousPosting: chat.group.anonymousPosting });
}

export function canReactInChat(actor: Actor, chat: ChatAccess): boolean {
  if (!member(actor) || !canReadChat(actor, chat) || !mayWrite(actor)) return false;
  if (chat.kind === 'conversation') return chat.participation === 'active';
  if (chat.archived) return false;
  return chat.group === null ? true : canReact(chat.group.viewer, chat.group.facts);
}

/** Unsending anyone's message in a room: the group's moderators, and the instance's in every room. Never in a private conversation. */
export function canModerateChat(actor: Actor, chat: ChatAccess): boolean {
  if (!member(actor) || chat.kind !== 'room') return false;
  if (isInstanceModerator(actor)) return true;
  return chat.group !== null && canModerateAsGroupModerator(chat.group.viewer);
}

export function canEditMessage(actor: Actor, chat: ChatAccess, message: MessageFacts): boolean {
  return message.kind === 'message' && message.mine && canPostInChat(actor, chat);
}

/**
 * The author unsends their own while they may still read the chat (after a mute too: taking words
 * back is always allowed); a room's moderators anyone's. Instance moderators reach every room by
 * the message's id, as they reach a group's moderation (ADR 0032).
 */
export function canUnsendMessage(actor: Actor, chat: ChatAccess, message: MessageFacts): boolean {
  if (!member(actor) || message.kind !== 'message') return false;
  if (message.mine && canReadChat(actor, chat)) return actor.frozen !== true;
  return canModerateChat(actor, chat);
}

/** Creating, renaming and archiving a group's rooms: its owner and moderators; instance rooms: administrators. */
export function canManageRooms(actor: Actor, group: RoomAccess['group']): boolean {
  if (!member(actor) || !mayWrite(actor)) return false;
  return group === null ? isAdmin(actor) : canModerateAsGroupModerator(group.viewer);
}

/** The group's default timer for new rooms is its owner's choice. */
export function canChooseRoomDefaultTimer(actor: Actor, group: { viewer: Viewer }): boolean {
  return member(actor) && mayWrite(actor) && group.viewer.membership === 'owner' && !group.viewer.banned;
}

/** A room's timer: those who manage its rooms; a conversation's: any participant. */
export function canSetTimer(actor: Actor, chat: ChatAccess): boolean {
  if (!member(actor) || !mayWrite(actor) || !canReadChat(actor, chat)) return false;
  if (chat.kind === 'conversation') return chat.participation === 'active';
  return !chat.archived && canManageRooms(actor, chat.group);
}

/** Only someone asked to accept a first message answers the request. */
export function canAnswerRequest(actor: Actor, chat: ChatAccess): boolean {
  return member(actor) && chat.kind === 'conversation' && chat.participation === 'requested';
}

export function canLeaveConversation(actor: Actor, chat: ChatAccess): boolean {
  return member(actor) && chat.kind === 'conversation' && chat.participation !== null;
}

/** What the rules need to know about someone a member wants to write to privately. */
export interface Recipient {
  id: string;
  messaging: MessagingPolicy;
  /** They and the starter are members of at least one group both still take part in. */
  sharesGroup: boolean;
  /** Frozen accounts are hidden from others (ADR 0051). */
  frozen: boolean;
}

/**
 * Starting a private conversation with someone, by their choice (ADR 0060): anyone signed in,
 * members of a group they share (the default), or nobody. A block either way stops it, without
 * saying so. New accounts write only to people they share a group with (ADR 0050).
 */
export function canStartConversationWith(actor: Actor, recipient: Recipient): boolean {
  if (!member(actor) || !mayWrite(actor) || actor.id === recipient.id) return false;
  if (recipient.frozen || isBlockedBetween(actor, recipient.id)) return false;
  if (recipient.messaging === 'nobody') return false;
  if (recipient.messaging === 'shared_group' && !recipient.sharesGroup) return false;
  return recipient.sharesGroup || canStartConversationWithStranger(actor);
}
