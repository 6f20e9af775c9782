// What other features may use of discussions: a group's thread list, a member's activity, erasing anonymous posts.
export {
  type ActivityItem,
  eraseAnonymousPostsOf,
  homeActivity,
  listThreads,
  type ThreadList,
} from './service.js';
export { ActivityList, ThreadListView } from './views.js';
