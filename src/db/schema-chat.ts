// Table types of chat (migration 0031, ADR 0060), written to match the migration column for column.

export type ChatKind = 'room' | 'conversation';
export type ChatMessageKind = 'message' | 'timer' | 'unsent';
export type ParticipantState = 'active' | 'requested';
/** Who may start a private conversation with a member. */
export type MessagingPolicy = 'anyone' | 'shared_group' | 'nobody';

export interface ChatsTable {
  id: string;
  kind: ChatKind;
  group_id: string | null;
  name: string | null;
  timer_seconds: number | null;
  last_seq: number;
  purged_seq: number;
  archived_at: number | null;
  created_at: number;
  last_message_at: number | null;
}

export interface ChatParticipantsTable {
  chat_id: string;
  user_id: string;
  state: ParticipantState;
  joined_at: number;
}

export interface ChatReadsTable {
  chat_id: string;
  user_id: string;
  read_seq: number;
}

export interface ChatMessagesTable {
  id: string;
  chat_id: string;
  kind: ChatMessageKind;
  author_id: string | null;
  anonymous: number;
  author_ref: string | null;
  pseudonym: number | null;
  body: string | null;
  warning: string | null;
  reply_to_id: string | null;
  timer_seconds: number | null;
  posted_seq: number;
  changed_seq: number;
  created_at: number;
  edited_at: number | null;
  expires_at: number | null;
}

export interface ChatReactionsTable {
  message_id: string;
  user_id: string;
  kind: string;
}

/** Someone who declined a conversation's first message (migration 0033, ADR 0063): still named to its participants. */
export interface ChatDeclinesTable {
  chat_id: string;
  user_id: string;
}

export interface ChatTables {
  chats: ChatsTable;
  chat_participants: ChatParticipantsTable;
  chat_reads: ChatReadsTable;
  chat_messages: ChatMessagesTable;
  chat_reactions: ChatReactionsTable;
  chat_declines: ChatDeclinesTable;
}
