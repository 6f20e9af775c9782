// The chat services, one verb per file (ADR 0026), re-exported for the feature's own routes and views.
export { postMessage, markRead, chatAuthorRef } from './services/post.js';
export {
  changesSince,
  findLiveMessage,
  historyPage,
  loadDetails,
  presentMessage,
  type Reader,
} from './services/read.js';
export { getChatLimits } from './services/limits.js';
export { editMessage } from './services/edit.js';
export { unsendMessage } from './services/unsend.js';
export { setReaction } from './services/reactions.js';
export { markChatRead, unreadCounts, type Unread } from './services/unread.js';
export { setTimer } from './services/timers.js';
export { participantsOf, type Participant } from './services/participants.js';
