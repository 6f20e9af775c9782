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
