// The journey the contract test runs, written only against the generated types (see client.ts).
import { ApiFailure, SanadClient } from './client.js';

/** `vouchedFor` stands for the trusted members who vouch for a newcomer: new accounts create no groups (ADR 0050). */
export async function registerToSearch(baseUrl: string, word: string, vouchedFor: (userId: string) => Promise<void>) {
  const client = new SanadClient(baseUrl);
  const registered = await client.register({
    username: `contract_${word}`,
    passphrase: 'seven quiet herons cross the wide river',
  });
  await vouchedFor(registered.user.id);

  // `languages` is left out on purpose: a new group speaks its creator's language.
  const { group } = await client.createGroup({
    name: 'Contract readers',
    description: `A group made by the API contract test (${word}).`,
    visibility: 'public',
  });
  const started = await client.startThread(group.id, {
    title: `About ${word}`,
    body: `The first post mentions ${word}.`,
  });
  const drafted = await client.saveReplyDraft(started.thread.id, { body: `Half a reply about ${word}` });
  const replied = await client.reply(started.thread.id, { body: `A reply that mentions ${word} again.` });
  const draftAfter = await client.replyDraft(started.thread.id);
  // The owner pins and locks the thread, each with a reason; the page then says so.
  await client.pin(started.thread.id, { pinned: true, reason: 'Worth keeping on top' });
  await client.lock(started.thread.id, { locked: true, reason: 'Answered' });
  const page = await client.thread(started.thread.id);
  const locked = { pinned: page.thread.pinned, locked: page.thread.locked, lockReason: page.thread.lockReason };
  // The caller's own place in the thread: read just now, so nothing is new.
  const listed = await client.threads(group.id);
  const unread = listed.threads.find((t) => t.id === started.thread.id)?.unread;
  const found = await client.search({ q: word, type: 'post' });
  // The kinds are named in the document, so a typo here would not compile.
  const quieter = await client.choosePreferences({ mention: 'off' });
  const preferences = await client.preferences();

  let refused: ApiFailure | undefined;
  try {
    await client.startThread(group.id, { title: 'x'.repeat(1000), body: 'too long a title' });
  } catch (error) {
    if (error instanceof ApiFailure) refused = error;
    else throw error;
  }
  return {
    registered,
    group,
    started,
    drafted,
    draftAfter,
    replied,
    page,
    locked,
    unread,
    found,
    refused,
    quieter,
    preferences,
  };
}
