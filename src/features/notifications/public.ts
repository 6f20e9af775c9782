// What other features may use of notifications: writing them. Reading them is internal (it needs the group rules).
export { forgetGroupFor, forgetGroupNotifications, forgetNotificationsAbout, notify } from './notify.js';
