/**
 * Table types for Kysely. Timestamps are epoch milliseconds (bigint in PostgreSQL,
 * INTEGER in SQLite); booleans are 0/1 so both engines read the same values.
 */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { ResourceTables } from './schema-resources.js';
import type { ChatTables, MessagingPolicy } from './schema-chat.js';
import type { AddressForm } from '../i18n/address.js';

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
  /** How the interface addresses them (ADR 0037); 'neutral' unless they chose. */
  address_form: Generated<AddressForm>;
  /** Earned by the rules or set by a moderator (ADR 0047); roles stand above it. */
  trust_level: Generated<TrustLevel>;
  /** Until when a moderator stopped them posting; null or past: not muted. */
  muted_until: number | null;
  /** Until when they may not sign in; null or past: not suspended. */
  suspended_until: number | null;
  /** Marked a suspected infiltrator or a taken-over account: read-only and hidden from others. */
  frozen_at: number | null;
  /** Who brought them in: the maker of the invite they registered with (ADR 0051); null for roots. */
  invited_by: string | null;
  /** Set when a moderator froze their branch's invites: theirs stop working and they make no new ones. */
  invites_frozen_at: number | null;
  /** When a moderator set their trust level, which then holds against the automatic rules (ADR 0050); null: the rules decide. */
  trust_set_at: number | null;
  /** Who may start a private conversation with them (ADR 0060). */
  messaging: Generated<MessagingPolicy>;
}

export type TrustLevel = 'new' | 'member' | 'trusted';

export type ModerationTargetType = 'post' | 'thread' | 'message' | 'user' | 'group' | 'resource' | 'resource_note';

/** One reported thing, open until a moderator acts on it: the moderation queue (ADR 0047). */
export interface ModerationCasesTable {
  id: string;
  target_type: ModerationTargetType;
  target_id: string;
  /** Whose moderators see it besides the instance's; null: the instance's alone. */
  group_id: string | null;
  /** 0 sorts first. */
  priority: number;
  status: Generated<'open' | 'resolved'>;
  opened_at: number;
  resolved_at: number | null;
}

export interface ReportsTable {
  id: string;
  case_id: string;
  /** Null when Sanad raised it (a watched word). Never shown to the reported person. */
  reporter_id: string | null;
  reason: string;
  note: string | null;
  created_at: number;
}

/** Append-only (triggers refuse deletes and rewrites); see migration 0020. */
export interface ModerationLogTable {
  id: string;
  group_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  target_user_id: string | null;
  reason: string | null;
  /** JSON of ids and numbers, never words. */
  detail: string | null;
  case_id: string | null;
  created_at: number;
}

/** A request to reveal an anonymous post's author (ADR 0049); the author is never stored here. */
export interface RevealRequestsTable {
  id: string;
  post_id: string;
  requester_id: string;
  reason: string;
  status: Generated<'pending' | 'approved' | 'declined'>;
  decided_by: string | null;
  created_at: number;
  decided_at: number | null;
  shown_at: number | null;
}

export interface AppealsTable {
  id: string;
  log_id: string;
  user_id: string;
  body: string;
  status: Generated<'open' | 'upheld' | 'overturned'>;
  decided_by: string | null;
  decision_reason: string | null;
  created_at: number;
  decided_at: number | null;
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
  /** Public id of the record within the subject the action touched (a thread of the group), if any. */
  target_id: string | null;
  /**
   * The reason a moderator gave (pinning, locking: ADR 0039), for the moderation log; emptied when
   * the thread or group it is about is deleted. Never a member's words.
   */
  reason: string | null;
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

export type Visibility = 'public' | 'private' | 'hidden';
export type GroupRole = 'owner' | 'moderator' | 'member';

export interface GroupsTable {
  id: string;
  name: string;
  description: string;
  /** Space-separated locale codes. */
  languages: string;
  country: string | null;
  city: string | null;
  visibility: Visibility;
  members_list_open: number;
  anonymous_posting: number;
  /** The timer the group's new chat rooms start with, in seconds; null: off (ADR 0060). */
  room_timer_seconds: number | null;
  /** JSON array of up to three strings. */
  questions: string;
  created_at: number;
  last_activity_at: number;
  /** Slow mode: the least seconds between one member's posts in the group; 0 is off (ADR 0052). */
  slow_mode_seconds: Generated<number>;
}

export interface GroupTagsTable {
  group_id: string;
  kind: 'interest' | 'issue' | 'identity';
  label: string;
  key: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  role: GroupRole;
  joined_at: number;
}

export interface GroupBansTable {
  group_id: string;
  user_id: string;
  anonymous: number;
  created_at: number;
}

/** A ban through an anonymous post (ADR 0018): the author stays listed, and only a keyed hash says who. */
export interface AnonymousBansTable {
  id: string;
  group_id: string;
  /** HMAC(instance key, group and author). */
  author_key: string;
  created_at: number;
}

/**
 * An anonymous author asked to hear of replies in a thread (ADR 0043): the thread and the keyed hash
 * their post already carries, no account id. Recognised only when the author reads their notifications.
 */
export interface AnonymousSubscriptionsTable {
  thread_id: string;
  /** HMAC(instance key, thread and author), as `posts.author_ref`. */
  author_ref: string;
  /** The time of the newest reply the author has been shown. */
  seen_at: number;
}

/** An administrator asked for a member's reset code; another administrator must approve (ADR 0019). */
export interface ResetRequestsTable {
  id: string;
  user_id: string;
  requested_by: string;
  created_at: number;
}

export interface JoinRequestsTable {
  id: string;
  group_id: string;
  user_id: string;
  /** JSON array of strings. */
  answers: string;
  created_at: number;
}

export interface GroupInvitesTable {
  id: string;
  group_id: string;
  code_hash: string;
  uses_left: number;
  expires_at: number;
  created_at: number;
}

export interface ThreadsTable {
  id: string;
  group_id: string;
  title: string;
  opening_post_id: string | null;
  reply_count: number;
  created_at: number;
  last_activity_at: number;
  /** When its moderators pinned it to the top of the group's list; null when not pinned (ADR 0039). */
  pinned_at: number | null;
  /** When its moderators locked it (readable, no new replies); null when open. */
  locked_at: number | null;
  /** Why it was locked, as its moderators wrote it: shown to every reader of the thread. */
  lock_reason: string | null;
  /**
   * Slow mode in this thread alone; 0 is off (ADR 0052). NOT NULL with a default in the database;
   * optional here because services pass thread rows read with a column list as `ThreadsTable`.
   */
  slow_mode_seconds?: number;
}

export interface PostsTable {
  id: string;
  thread_id: string;
  group_id: string;
  /** Null for anonymous posts and for the tombstone of a deleted opening post. */
  author_id: string | null;
  anonymous: number;
  /** Anonymous posts only: keyed hash of thread and author. */
  author_ref: string | null;
  /** Anonymous posts only: the author's id, encrypted under the instance key. */
  author_box: string | null;
  pseudonym: number | null;
  body: string;
  warning: string | null;
  warning_text: string | null;
  quote_post_id: string | null;
  hidden: number;
  deleted: number;
  created_at: number;
  edited_at: number | null;
}

export interface ReactionsTable {
  post_id: string;
  user_id: string;
  kind: string;
}

export interface ThreadWatchesTable {
  user_id: string;
  thread_id: string;
}

/** A member's place in a thread (ADR 0038): the last post they were shown, by the thread's order. */
export interface ThreadReadsTable {
  user_id: string;
  thread_id: string;
  post_created_at: number;
  post_id: string;
}

export interface GroupWatchesTable {
  user_id: string;
  group_id: string;
}

/**
 * A notification of any kind (ADR 0030): the kind's module renders it at read time with the
 * reader's rights then. It holds ids only, never words of a post or who acted.
 */
export interface NotificationsTable {
  id: string;
  user_id: string;
  /** Declared by the module that emits it (`reply`, `join_request`, `reset_code`, …). */
  kind: string;
  /** What it is about (a post, a group, …); null for notices about the account itself. */
  subject_id: string | null;
  /** A JSON object of ids only; `groupId` whenever the notification belongs to a group. */
  context: string;
  created_at: number;
  read: number;
}

/** A member's choice for one kind; in-app is the default and is not stored. */
export interface NotificationPreferencesTable {
  user_id: string;
  kind: string;
  delivery: 'off';
}

export interface WarningPreferencesTable {
  user_id: string;
  warning: string;
  mode: 'fold' | 'hide';
}

/** A domain event waiting for its subscribers (ADR 0028): ids only in the payload. */
export interface OutboxEventsTable {
  id: string;
  /** `post.created`, `member.removed`, … */
  type: string;
  /** JSON object of ids, booleans and small codes. */
  payload: string;
  occurred_at: number;
  /** 1 once a dispatcher made the delivery rows. */
  fanned_out: number;
}

/** One subscriber's pending delivery of one event; deleted when handled. */
export interface OutboxDeliveriesTable {
  event_id: string;
  /** `<module>.<subscriber>` */
  subscriber_key: string;
  attempts: number;
  next_attempt_at: number;
  /** A code, never a message. */
  last_error: string | null;
}

/** Deferred and scheduled work (ADR 0027). */
export interface JobsTable {
  id: string;
  name: string;
  /** JSON object of ids and small values. */
  payload: string;
  run_at: number;
  attempts: number;
  /** The worker's claim on the job; another may take it once `locked_until` has passed. */
  lease_id: string | null;
  locked_until: number | null;
  last_error: string | null;
  /** `schedule:<name>` for scheduled jobs; a caller's key for jobs to be enqueued once. */
  unique_key: string | null;
}

/**
 * What a member wrote and has not posted (ADR 0040): one per member and place (`thread:<id>` for a
 * reply, `group:<id>` for a new thread), seen by its author only, gone after 30 days. Never kept
 * for an anonymous post.
 */
export interface DraftsTable {
  user_id: string;
  place: string;
  group_id: string;
  thread_id: string | null;
  title: string | null;
  body: string;
  warning: string | null;
  warning_text: string | null;
  quote_post_id: string | null;
  updated_at: number;
}

/** Text sent after its session had ended, kept once until sign-in (ADR 0041): no account, no address. */
export interface KeptSubmissionsTable {
  /** SHA-256 of the random token the browser holds in a cookie. */
  token_hash: string;
  /** The form's action and fields, sealed with a key derived from the token (AES-256-GCM). */
  sealed: string;
  expires_at: number;
}

/** An account waiting for a moderator's decision in approval mode (ADR 0051). */
export interface ApplicationsTable {
  id: string;
  user_id: string;
  status: Generated<'pending' | 'declined'>;
  /** JSON array of the applicant's answers; null once decided. */
  answers: string | null;
  message: string | null;
  decided_by: string | null;
  created_at: number;
  decided_at: number | null;
}

/** A trusted member standing up for another (ADR 0050): seen by the two and by instance moderators only. */
export interface VouchesTable {
  voucher_id: string;
  vouchee_id: string;
  created_at: number;
}

export interface Database extends ResourceTables, ChatTables {
  users: UsersTable;
  moderation_cases: ModerationCasesTable;
  reports: ReportsTable;
  moderation_log: ModerationLogTable;
  appeals: AppealsTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  reset_codes: ResetCodesTable;
  invites: InvitesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  search_documents: SearchDocumentsTable;
  search_fts: SearchFtsTable;
  groups: GroupsTable;
  group_tags: GroupTagsTable;
  group_members: GroupMembersTable;
  group_bans: GroupBansTable;
  anonymous_bans: AnonymousBansTable;
  anonymous_subscriptions: AnonymousSubscriptionsTable;
  reset_requests: ResetRequestsTable;
  join_requests: JoinRequestsTable;
  group_invites: GroupInvitesTable;
  threads: ThreadsTable;
  posts: PostsTable;
  reactions: ReactionsTable;
  thread_watches: ThreadWatchesTable;
  thread_reads: ThreadReadsTable;
  group_watches: GroupWatchesTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  warning_preferences: WarningPreferencesTable;
  outbox_events: OutboxEventsTable;
  outbox_deliveries: OutboxDeliveriesTable;
  jobs: JobsTable;
  drafts: DraftsTable;
  kept_submissions: KeptSubmissionsTable;
  reveal_requests: RevealRequestsTable;
  applications: ApplicationsTable;
  vouches: VouchesTable;
  blocks: BlocksTable;
  mutes: MutesTable;
  watched_words: WatchedWordsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;

/** A block (ADR 0052): neither sees the other's posts, nor names, answers or reacts to them. */
export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: number;
}

/** A mute: the muter no longer sees the muted member's posts; nothing else changes. */
export interface MutesTable {
  muter_id: string;
  muted_id: string;
  created_at: number;
}

export type WatchedWordAction = 'block' | 'hold' | 'flag';

/** A word or phrase watched in one group, or in all (group_id null), and what a post holding it meets. */
export interface WatchedWordsTable {
  id: string;
  group_id: string | null;
  phrase: string;
  /** The phrase as the search analyser normalises text: what posts are matched against. */
  normalized: string;
  action: WatchedWordAction;
  created_at: number;
}
