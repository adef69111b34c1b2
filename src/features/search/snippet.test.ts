import { describe, expect, it } from 'vitest';
import { matchRanges, parseSearchQuery } from '../../../device-db/search-terms';
import { snippetOf } from './snippet';

const render = (parts: { text: string; match: boolean }[]) => parts.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');
const snippet = (text: string, query: string, width?: number) => render(snippetOf(text, matchRanges(text, parseSearchQuery(query)), width));

describe('snippetOf', () => {
  it('marks every match in a short text', () => {
    expect(snippet('Ána meets ana at the park', 'ana')).toBe('[Ána] meets [ana] at the park');
  });

  it('shows a long text from a little before its first match, cut at a word, with ellipses', () => {
    const text = `${'word '.repeat(60)}the zeppelin lands ${'tail '.repeat(60)}`;
    const shown = snippet(text, 'zeppelin', 60);
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).toContain('[zeppelin]');
    expect(shown.split('…')[1]!.startsWith('word')).toBe(true);
  });

  it('cuts a match the window ends inside', () => {
    const parts = snippetOf('abcdef', [{ start: 4, end: 6 }], 5);
    expect(parts).toEqual([
      { text: 'abcd', match: false },
      { text: 'e', match: true },
      { text: '…', match: false },
    ]);
  });

  it('text with no match is shown plain', () => {
    expect(snippet('nothing here', 'zzz')).toBe('nothing here');
  });
});
