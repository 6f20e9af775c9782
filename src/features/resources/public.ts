// What other features may use of the resource directory (moderation loads reported listings and notes).
export { canReadListing, keepsDirectory } from './policy.js';
export { findReadableListing, listingFacts } from './queries.js';
