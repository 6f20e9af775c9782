// What other features may use of the member tools (ADR 0052): screening a post's words against the
// watched words, opening the case a held or flagged post needs, and slow mode. Blocks and mutes
// are read from the actor (src/security/blocks.ts), not from here. Nothing these reach imports
// discussions, so discussions may call them.
export { checkSlowMode, heldAmong, recordScreening, screenPost, type Screening } from './enforce.js';
// Chat (ADR 0063): declining a private conversation's request may block the one who sent it.
export { addRelation } from './service.js';
