import type { ChatMessagesTable } from '../../../db/schema-chat.js';
import type { FieldError } from '../../../platform/errors.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { isWarningKind, type WarningKind } from '../../discussions/public.js';
import { chatLimits, type MessageInput } from '../schemas.js';

export type MessageRow = ChatMessagesTable;

/** The columns every read of messages selects. */
export const messageColumns = [
  'id',
  'chat_id',
  'kind',
  'author_id',
  'anonymous',
  'author_ref',
  'pseudonym',
  'body',
  'warning',
  'reply_to_id',
  'timer_seconds',
  'posted_seq',
  'changed_seq',
  'created_at',
  'edited_at',
  'expires_at',
] as const;

export const clean = (text: string | null | undefined) => (text ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();

export interface CleanMessage {
  body: string;
  /** Stored as JSON `{ kind, text }`; null without a warning. */
  warning: { kind: WarningKind; text: string | null } | null;
}

const controlCharacters =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Something a reader can see: not only spaces, formatting controls (zero-width characters, bidi
 * controls, the byte order mark) or blank letters (the Hangul fillers, the blank braille cell),
 * which make a message that shows nothing at all.
 */
const visible = /[^\s\p{Cf}\u115f\u1160\u2800\u3164\uffa0]/u;

/** A message's words and warning checked as the service takes them, from the API or a form. */
export function validateMessage(input: Pick<MessageInput, 'body' | 'warning' | 'warningText'>, errors: FieldError[]) {
  const body = clean(input.body);
  if (!visible.test(body)) errors.push({ field: 'body', message: 'chat.form.bodyRequired' });
  // Text only: control characters (NUL, escape, …) but tab and line breaks, and halves of a
  // character, are binary, not words.
  else if (controlCharacters.test(body)) errors.push({ field: 'body', message: 'chat.form.bodyBinary' });
  else if (body.length > chatLimits.bodyMax)
    errors.push({ field: 'body', message: 'chat.form.bodyLength', values: { max: chatLimits.bodyMax } });
  const kind = input.warning ? input.warning : null;
  if (kind !== null && !isWarningKind(kind)) errors.push({ field: 'warning', message: 'chat.form.warningUnknown' });
  const text = withoutBidiControls(clean(input.warningText)).replace(/\s+/g, ' ') || null;
  if (text && text.length > chatLimits.warningTextMax)
    errors.push({
      field: 'warningText',
      message: 'chat.form.warningTextLength',
      values: { max: chatLimits.warningTextMax },
    });
  const warning = kind !== null || text ? { kind: (kind ?? 'other') as WarningKind, text } : null;
  return { body, warning } satisfies CleanMessage;
}

export function storedWarning(warning: CleanMessage['warning']): string | null {
  return warning ? JSON.stringify(warning) : null;
}

export function readWarning(stored: string | null): { kind: string; text: string | null } | null {
  if (!stored) return null;
  const parsed = JSON.parse(stored) as { kind: string; text: string | null };
  return { kind: parsed.kind, text: parsed.text ?? null };
}

/** When a message posted now disappears: the chat's timer, and the instance's limits, whichever is sooner. */
export function expiryOf(now: number, timerSeconds: number | null, limits: ChatLimits): number | null {
  const candidates = [
    timerSeconds === null ? null : timerSeconds * 1000,
    limits.maxTimerSeconds === null ? null : limits.maxTimerSeconds * 1000,
    limits.retentionDays === null ? null : limits.retentionDays * 86_400_000,
  ].filter((ms): ms is number => ms !== null);
  return candidates.length ? now + Math.min(...candidates) : null;
}

/** The instance's chat settings (ADR 0060): a longest timer and a retention every chat is held to; null: none. */
export interface ChatLimits {
  maxTimerSeconds: number | null;
  retentionDays: number | null;
}
