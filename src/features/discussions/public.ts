// What other features may use of discussions: a group's thread list, a member's activity, erasing anonymous posts.
export {
  type ActivityItem,
  eraseAnonymousPostsOf,
  homeActivity,
  listThreads,
  type ThreadList,
} from './service.js';
export { ActivityList, ThreadListView } from './views.js';
// Appeals (moderation) show a hidden post again when a moderator overturns its hiding.
export { setPostHidden } from './services/hide-post.js';
