// The journey the contract test runs, written only against the generated types (see client.ts).
import { ApiFailure, SanadClient } from './client.js';

export async function registerToSearch(baseUrl: string, word: string) {
  const client = new SanadClient(baseUrl);
  const registered = await client.register({
    username: `contract_${word}`,
    passphrase: 'seven quiet herons cross the wide river',
  });

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
  const page = await client.thread(started.thread.id);
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
    unread,
    found,
    refused,
    quieter,
    preferences,
  };
}
