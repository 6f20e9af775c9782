// What other features may use of the resource directory (moderation loads reported listings and notes,
// and acts on notes through these, ADR 0059).
export { canReadListing, keepsDirectory } from './policy.js';
export { findReadableListing, listingFacts } from './queries.js';
export {
  deleteNoteAsModerator,
  loadNoteToModerate,
  type ModeratedNote,
  setNoteHidden,
} from './services/notes.js';
