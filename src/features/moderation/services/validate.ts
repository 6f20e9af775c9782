import { withoutBidiControls } from '../../../security/bidi.js';

/** How long what members and moderators write here may be (ADR 0048). */
export const moderationLimits = { noteMax: 1000, reasonMax: 500, hoursMax: 24 * 365 } as const;

/** A moderator's reason: one line, no direction controls, spaces folded, trimmed (as titles are). */
export const cleanLine = (text: string | undefined | null) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();

/** A reporter's note: paragraphs kept, no direction controls, trimmed. */
export const cleanNote = (text: string | undefined | null) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .trim();
