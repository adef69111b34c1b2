import { describe, expect, it } from 'vitest';
import { matchRanges, parseSearchQuery, searchTermsOf, MAX_TERM_LENGTH, MAX_TERMS_PER_MESSAGE } from './search-terms';

describe('searchTermsOf', () => {
  it.each([
    ['case and diacritics fold', 'Ana ana ÁNA Ána', ['ana']],
    ['punctuation splits words', 'Meet at 5, by the café!', ['meet', 'at', '5', 'by', 'the', 'cafe']],
    ['apostrophes split like any punctuation', "don't", ['don', 't']],
    ['emoji and symbols are not words', '👍 🎉 — ok', ['ok']],
    ['other alphabets fold too', 'Ελληνικά Привет ÇA', ['ελληνικα', 'привет', 'ca']],
    ['Japanese, written without spaces, is split into words', '東京に行く', ['東京', 'に', '行く']],
    ['precomposed and decomposed forms are one word', 'Jos\u00e9 Jose\u0301', ['jose']],
    ['empty text has no terms', '', []],
  ])('%s', (_name, text, terms) => {
    expect(searchTermsOf(text)).toEqual(terms);
  });

  it('cuts a very long word and keeps a bounded number of terms', () => {
    expect(searchTermsOf('a'.repeat(100))).toEqual(['a'.repeat(MAX_TERM_LENGTH)]);
    const many = Array.from({ length: MAX_TERMS_PER_MESSAGE + 50 }, (_, i) => `w${i}`).join(' ');
    expect(searchTermsOf(many)).toHaveLength(MAX_TERMS_PER_MESSAGE);
  });
});

describe('parseSearchQuery', () => {
  it.each([
    ['one word being typed is a prefix', 'an', { exact: [], prefix: 'an' }],
    ['earlier words are whole, the last a prefix', 'Park tomo', { exact: ['park'], prefix: 'tomo' }],
    ['a trailing space ends the last word', 'park ', { exact: ['park'], prefix: null }],
    ['trailing punctuation ends it too', 'park?', { exact: ['park'], prefix: null }],
    ['the query folds like the text', 'ÁNA', { exact: [], prefix: 'ana' }],
    ['repeated words count once', 'the the the', { exact: ['the'], prefix: null }],
    ['nothing searchable', '  👍 !', { exact: [], prefix: null }],
  ])('%s', (_name, query, parsed) => {
    expect(parseSearchQuery(query)).toEqual(parsed);
  });
});

describe('matchRanges', () => {
  it('marks whole terms and words starting with the prefix, in the original text', () => {
    const text = 'Ána said: the park, then the PARKING lot';
    const ranges = matchRanges(text, parseSearchQuery('ana park'));
    expect(ranges.map(({ start, end }) => text.slice(start, end))).toEqual(['Ána', 'park', 'PARKING']);
  });

  it('marks a whole term only when the query has ended', () => {
    const text = 'park parking';
    expect(matchRanges(text, parseSearchQuery('park ')).map(({ start, end }) => text.slice(start, end))).toEqual(['park']);
  });

  it('keeps offsets right after a decomposed letter', () => {
    const text = 'Jose\u0301 and Ana';
    const [range] = matchRanges(text, parseSearchQuery('ana'));
    expect(text.slice(range!.start, range!.end)).toBe('Ana');
  });
});
