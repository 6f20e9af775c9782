/**
 * Table types for Kysely. Timestamps are epoch milliseconds (bigint in PostgreSQL,
 * INTEGER in SQLite); booleans are 0/1 so both engines read the same values.
 */
import type { Insertable, Selectable } from 'kysely';

export type Role = 'member' | 'moderator' | 'admin';

export interface UsersTable {
  id: string;
  /** As the person typed it, after NFKC: what others see. */
  username: string;
  /** NFKC + case fold: what the person types to sign in. */
  username_key: string;
  /** Confusable skeleton (UTS #39): unique, so look-alike names cannot coexist. */
  username_skeleton: string;
  passphrase_hash: string;
  role: Role;
  /** Day the account was made (midnight UTC): coarse on purpose. */
  created_at: number;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  /** Coarse description such as "Firefox on Android"; never the raw user agent. */
  device: string;
  created_at: number;
  /** Rounded to a quarter of an hour; enough for the idle timeout. */
  last_seen_at: number;
  expires_at: number;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
}

export interface ResetCodesTable {
  user_id: string;
  code_hash: string;
  expires_at: number;
}

export interface InvitesTable {
  id: string;
  code_hash: string;
  created_by: string | null;
  uses_left: number;
  expires_at: number;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  action: string;
  /** Public id of what was acted on; never personal data. */
  subject: string | null;
  created_at: number;
}

export interface SearchDocumentsTable {
  /** `${kind}:${ref_id}` */
  id: string;
  kind: string;
  ref_id: string;
  scope: string;
  title: string;
  body: string;
  /** Analysed terms: each word's surface form and stem. */
  terms: string;
  created_at: number;
}

/** SQLite only: the FTS5 index over search_documents.terms. */
export interface SearchFtsTable {
  doc_id: string;
  terms: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  reset_codes: ResetCodesTable;
  invites: InvitesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  search_documents: SearchDocumentsTable;
  search_fts: SearchFtsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
