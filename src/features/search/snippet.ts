/** A piece of a search hit's text, marked when it is a match. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * The part of `text` to show for a hit: the whole text when short, else about `width` characters
 * from a little before the first match, with "…" where it was cut; split into parts so the screen
 * can wrap matches in <mark> as elements (never as HTML). `ranges` are the matches, in order.
 */
export function snippetOf(text: string, ranges: readonly { start: number; end: number }[], width = 140): SnippetPart[] {
  const lead = 30;
  const first = ranges[0]?.start ?? 0;
  let from = text.length <= width || first < lead ? 0 : first - lead;
  // Start at a word, not in the middle of one.
  if (from > 0) {
    const space = text.lastIndexOf(' ', from);
    from = space >= 0 && from - space < 12 ? space + 1 : from;
  }
  // Keep surrogate pairs whole.
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from] ?? '')) from -= 1;
  let to = Math.min(text.length, from + width);
  if (to < text.length && /[\uD800-\uDBFF]/.test(text[to - 1] ?? '')) to -= 1;
  const parts: SnippetPart[] = [];
  const push = (part: string, match: boolean) => {
    if (part) parts.push({ text: part, match });
  };
  let at = from;
  for (const { start, end } of ranges) {
    if (end <= from || start >= to) continue;
    push(text.slice(at, Math.max(at, start)), false);
    push(text.slice(Math.max(at, start), Math.min(end, to)), true);
    at = Math.min(end, to);
  }
  push(text.slice(at, to), false);
  if (from > 0) parts.unshift({ text: '…', match: false });
  if (to < text.length) parts.push({ text: '…', match: false });
  return parts;
}
