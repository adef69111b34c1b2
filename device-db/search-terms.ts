/**
 * How message text becomes search terms, and a typed query becomes terms to look up: the one rule
 * the index (message-search-index.ts), the query (message-search.ts) and the highlighter share,
 * so "Ana", "ana" and "Ána" are the same word everywhere.
 *
 * A term is a word folded to lower case with its diacritics dropped (NFD, then combining marks
 * removed). Words are runs of letters and digits; Chinese, Japanese, Thai and their neighbours,
 * written without spaces, are split into words by Intl.Segmenter.
 */

/** Longer words are cut to this many characters: enough to tell words apart, and a pasted blob stays small in the index. */
export const MAX_TERM_LENGTH = 32;
/** Terms kept per message; a very long message is found by its first few hundred distinct words. */
export const MAX_TERMS_PER_MESSAGE = 400;

const COMBINING_MARKS = /\p{M}/gu;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
/** Scripts written without spaces between words: a run of these is split by Intl.Segmenter. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

type Segmenter = { segment(text: string): Iterable<{ segment: string; index: number; isWordLike?: boolean }> };
let segmenter: Segmenter | null | undefined;

function wordSegmenter(): Segmenter | null {
  if (segmenter === undefined) {
    const Intl_ = Intl as unknown as { Segmenter?: new (locale: string | undefined, options: { granularity: 'word' }) => Segmenter };
    segmenter = Intl_.Segmenter ? new Intl_.Segmenter(undefined, { granularity: 'word' }) : null;
  }
  return segmenter;
}

/** Lower case without diacritics: "Ána" → "ana", "Café" → "cafe". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/**
 * The words of `text` with where each starts and ends in it (UTF-16 offsets). A word is a run of
 * letters and digits; a run in a script written without spaces is split further by
 * Intl.Segmenter, where the runtime has one. Only those runs go to the segmenter: it costs about
 * 25 µs a message where the run's regular expression costs a few (10,000 messages: 670 ms against
 * 240 ms in Node), and the sync writes every message through here.
 */
export function wordsOf(text: string): { word: string; start: number; end: number }[] {
  const words: { word: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(WORD_RUN)) {
    const run = match[0];
    const segments = UNSPACED_SCRIPT.test(run) ? wordSegmenter() : null;
    if (!segments) {
      if (HAS_WORD_CHARACTER.test(run)) words.push({ word: run, start: match.index, end: match.index + run.length });
      continue;
    }
    for (const { segment, index, isWordLike } of segments.segment(run)) {
      if (isWordLike && HAS_WORD_CHARACTER.test(segment)) words.push({ word: segment, start: match.index + index, end: match.index + index + segment.length });
    }
  }
  return words;
}

/** One word as a term: folded, and cut to MAX_TERM_LENGTH. Empty when nothing of it is searchable. */
export function termOf(word: string): string {
  return foldText(word).slice(0, MAX_TERM_LENGTH);
}

/**
 * The distinct terms of a message's text, as the index stores them. The text is folded once, then
 * split: the same words as folding word by word (folding keeps letters letters and adds no
 * spaces), for a third of the time.
 */
export function searchTermsOf(text: string): string[] {
  const terms = new Set<string>();
  for (const { word } of wordsOf(foldText(text))) {
    terms.add(word.slice(0, MAX_TERM_LENGTH));
    if (terms.size >= MAX_TERMS_PER_MESSAGE) break;
  }
  return [...terms];
}

/** What a typed query asks for: every term must match, the last one also as the start of a word while it is being typed. */
export interface SearchQuery {
  /** Whole terms (each must be a term of the message). */
  exact: string[];
  /** The last word typed, matched as the start of a term; null when the query ends in a space or punctuation. */
  prefix: string | null;
}

export function parseSearchQuery(query: string): SearchQuery {
  const words = wordsOf(query);
  const terms = words.map(({ word }) => termOf(word)).filter(Boolean);
  const last = words.at(-1);
  const stillTyping = last !== undefined && last.end === query.length;
  const exact = [...new Set(stillTyping ? terms.slice(0, -1) : terms)];
  const prefix = stillTyping ? (terms.at(-1) ?? null) : null;
  // A prefix that is also a whole term asked for adds nothing.
  return { exact, prefix: prefix !== null && exact.includes(prefix) ? null : prefix };
}

export function isEmptyQuery(query: SearchQuery): boolean {
  return query.exact.length === 0 && query.prefix === null;
}

/**
 * Where the query's terms occur in `text`, as [start, end) ranges in order, for highlighting:
 * a word matches when its term is one of the exact terms or starts with the prefix.
 */
export function matchRanges(text: string, query: SearchQuery): { start: number; end: number }[] {
  const exact = new Set(query.exact);
  return wordsOf(text).filter(({ word }) => {
    const term = termOf(word);
    return exact.has(term) || (query.prefix !== null && term.startsWith(query.prefix));
  }).map(({ start, end }) => ({ start, end }));
}
