/**
 * The one place where text written by people becomes HTML that is not escaped by the view layer.
 * Review every change here as a security change (see docs/THREAT-MODEL.md).
 *
 * Markdown is parsed as CommonMark by markdown-it with raw HTML switched off, so any `<`, `>` or
 * `&` a person writes is escaped by the renderer. On top of that:
 * - links may only point to http(s) and mailto addresses, and carry rel="nofollow noopener noreferrer ugc";
 * - images are never loaded: the image syntax renders as a plain link, so no request goes to
 *   another host when a page is read;
 * - headings are shifted down two levels so a post never adds a top-level heading to the page;
 * - direction is decided per block, not per post (ADR 0035): every paragraph, heading, list, list
 *   item and quote carries `dir="auto"`, so an English paragraph in an Arabic post reads left to
 *   right with its full stop at its end. `dir` is set here, with that one value, never taken from
 *   the text (raw HTML is off, so no attribute a person writes ever reaches the page);
 * - a mention is `@name` in a `<bdi>` (the name's own direction, the sentence around it
 *   undisturbed) and links nowhere: a link to a member would tell readers who is registered.
 */
import MarkdownIt from 'markdown-it';
import type { VNode } from 'preact';
import { h } from 'preact';
import { mentionPattern } from './mentions.js';

declare const trusted: unique symbol;
/** HTML produced by this module; nothing else can make one. */
export type TrustedHtml = string & { readonly [trusted]: true };

const allowedLink = /^(https?:|mailto:)/i;
const linkRel = 'nofollow noopener noreferrer ugc';

const markdown = new MarkdownIt('commonmark', { html: false, linkify: true, breaks: true });
markdown.enable('linkify');
markdown.validateLink = (url) => allowedLink.test(url.trim());

markdown.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  tokens[index]!.attrSet('rel', linkRel);
  return self.renderToken(tokens, index, options);
};

// An image becomes a link to it, labelled with its description: the reader decides whether to open it.
markdown.renderer.rules.image = (tokens, index) => {
  const token = tokens[index]!;
  const src = String(token.attrGet('src') ?? '');
  const label = markdown.utils.escapeHtml(token.content || src);
  if (!allowedLink.test(src)) return label;
  return `<a href="${markdown.utils.escapeHtml(src)}" rel="${linkRel}">${label}</a>`;
};

markdown.renderer.rules.heading_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
  return self.renderToken(tokens, index, options);
};
markdown.renderer.rules.heading_close = (tokens, index, options, _env, self) => {
  tokens[index]!.tag = tokens[index - 2]?.tag ?? tokens[index]!.tag;
  return self.renderToken(tokens, index, options);
};

// Each block takes its direction from its own first strong character (ADR 0035). Paragraphs
// hidden inside tight list items render no tag of their own: their item carries the direction.
const directedBlocks = new Set([
  'paragraph_open',
  'heading_open',
  'blockquote_open',
  'bullet_list_open',
  'ordered_list_open',
  'list_item_open',
]);
markdown.core.ruler.push('block_direction', (state) => {
  for (const token of state.tokens) {
    if (directedBlocks.has(token.type) && !token.hidden) token.attrSet('dir', 'auto');
  }
});

// Mentions: text outside code and links, split into text and `mention` tokens.
markdown.core.ruler.push('mentions', (state) => {
  const textToken = (content: string, level: number) => {
    const token = new state.Token('text', '', 0);
    token.content = content;
    token.level = level;
    return token;
  };
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: typeof block.children = [];
    let inLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      if (token.type === 'link_close') inLink--;
      if (token.type !== 'text' || inLink > 0 || !token.content.includes('@')) {
        out.push(token);
        continue;
      }
      let at = 0;
      for (const match of token.content.matchAll(mentionPattern)) {
        if (match.index > at) out.push(textToken(token.content.slice(at, match.index), token.level));
        const mention = new state.Token('mention', '', 0);
        mention.content = match[1]!;
        mention.level = token.level;
        out.push(mention);
        at = match.index + match[0].length;
      }
      if (at === 0) out.push(token);
      else if (at < token.content.length) out.push(textToken(token.content.slice(at), token.level));
    }
    block.children = out;
  }
});

markdown.renderer.rules.mention = (tokens, index) =>
  `<bdi class="mention">@${markdown.utils.escapeHtml(tokens[index]!.content)}</bdi>`;

// Popular threads are read far more often than written: keep the HTML of recent posts in memory,
// but not for long, and not after the words are edited or deleted, so a running server's memory
// holds as little of what members took back as it can.
const rendered = new Map<string, { html: TrustedHtml; at: number }>();
const renderedLimit = 5000;
const renderedMaxAgeMs = 10 * 60_000;

/** Markdown (CommonMark, raw HTML off) to HTML that is safe to place in a page. */
export function renderMarkdown(source: string, now = Date.now()): TrustedHtml {
  const kept = rendered.get(source);
  if (kept && now - kept.at < renderedMaxAgeMs) return kept.html;
  const html = markdown.render(source) as TrustedHtml;
  rendered.delete(source);
  if (rendered.size >= renderedLimit) rendered.delete(rendered.keys().next().value!);
  rendered.set(source, { html, at: now });
  return html;
}

/**
 * The same rendering, kept nowhere: for a preview of words not posted yet (ADR 0040), which must
 * leave no copy in the server's memory beyond the request.
 */
export function renderMarkdownUnkept(source: string): TrustedHtml {
  return markdown.render(source) as TrustedHtml;
}

/** Drops a text's rendered HTML from memory (its post was edited or deleted); says whether it was there. */
export function forgetRenderedMarkdown(source: string): boolean {
  return rendered.delete(source);
}

/** Places trusted HTML in a page; `dir="auto"` lets each post take the direction of its own text. */
export function TrustedHtmlBlock(props: { html: TrustedHtml; class?: string }): VNode {
  return h('div', { class: props.class, dir: 'auto', dangerouslySetInnerHTML: { __html: props.html } });
}

/** An address written out, even where Markdown would not link it (in code, say): still a way to send readers elsewhere. */
const writtenAddress = /\b(?:https?|ftp):\/\/|\bwww\.[^\s.]/i;
/**
 * A bare domain under an ending link spam and lures use most: not linked when rendered, but copied
 * all the same. A short list, so file names (`notes.md`, `setup.py`) stay words.
 */
const bareDomain =
  /(?<![\p{L}\p{N}@.-])[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*\.(?:com|org|net|info|io|me|co|ly|app|xyz|site|online|link|page|gg|tv|to|biz|ru|cn|tk)(?![\p{L}\p{N}-])/iu;

/**
 * Whether the text holds a link (ADR 0050): a Markdown link or image, an autolink, an address or
 * e-mail the linkifier finds (bare domains with a known ending included), or an address written
 * out anywhere, in code too. Parsed by the very parser that renders posts, so every link readers
 * get counts.
 */
export function containsLink(source: string): boolean {
  if (writtenAddress.test(source) || bareDomain.test(source) || markdown.linkify.test(source)) return true;
  const linked = (tokens: ReturnType<typeof markdown.parse>): boolean =>
    tokens.some(
      (token) =>
        token.type === 'link_open' || token.type === 'image' || (token.children ? linked(token.children) : false),
    );
  return linked(markdown.parse(source, {}));
}
