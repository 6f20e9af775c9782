// What other features may use of discussions: a group's thread list, a member's activity, erasing anonymous posts.
export {
  type ActivityItem,
  eraseAnonymousPostsOf,
  homeActivity,
  listThreads,
  type ThreadList,
} from './service.js';
export { ActivityList, ThreadListView } from './views.js';
// The moderation queue acts through these (ADR 0048): hiding, showing, deleting, banning an author.
export { banPostAuthor } from './services/ban-author.js';
export { deletePost } from './services/delete-post.js';
export { setPostHidden, type PostModeration } from './services/hide-post.js';
export { excerpt } from './services/model.js';
// Chat's messages take the same content warnings and reactions as posts.
export { isWarningKind, reactionKinds, warningKinds, type WarningKind } from './services/model.js';
