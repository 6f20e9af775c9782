import { withoutBidiControls } from '../../../security/bidi.js';

/** A member's words (an appeal): paragraphs kept, no direction controls, trimmed. */
export const cleanText = (text: string | undefined) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .trim();

/** A moderator's reason: one line, as the log keeps reasons. */
export const cleanLine = (text: string | undefined) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
