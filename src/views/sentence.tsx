import type { ComponentChildren } from 'preact';
import { useView } from './context.js';
import type { MessageKey, MessageValues } from '../i18n/index.js';

// A placeholder's stand-in while the message is formatted. Requests holding U+0000 are refused
// (src/http/nul.ts) and catalogues hold none, so it cannot occur in the formatted text otherwise.
const marker = (i: number) => `\u0000${i}\u0000`;
const markers = /\u0000(\d+)\u0000/;

/**
 * A catalogue sentence with things people wrote in it (a username, a group's name, a thread's
 * title, a city). Each of `names` is set in its own `<bdi>`, so a name in the other script, or
 * ending in punctuation or digits, keeps its own direction without reordering the sentence
 * around it: "You were mentioned in “{thread}” ({group})" keeps its quotes and brackets in place
 * in both languages (ADR 0035). `parts` places elements the same way (code examples in a hint);
 * `values` are formatted as usual (numbers, dates, words from the catalogue) and never isolated.
 * Everything is still escaped by Preact: nothing here writes HTML.
 */
export function Sentence(props: {
  message: MessageKey;
  names?: Record<string, string>;
  parts?: Record<string, ComponentChildren>;
  values?: MessageValues;
}) {
  const { t } = useView();
  const filled: ComponentChildren[] = [];
  const values: MessageValues = { ...props.values };
  for (const [key, name] of Object.entries(props.names ?? {})) {
    values[key] = marker(filled.length);
    filled.push(<bdi>{name}</bdi>);
  }
  for (const [key, part] of Object.entries(props.parts ?? {})) {
    values[key] = marker(filled.length);
    filled.push(part);
  }
  const pieces = t(props.message, values).split(markers);
  // split() with a capturing group: text at even indexes, the captured marker numbers at odd ones.
  return <>{pieces.map((piece, i) => (i % 2 === 0 ? piece : filled[Number(piece)]))}</>;
}
