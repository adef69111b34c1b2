import { describe, expect, it } from 'vitest';
import { intersectIds, newestFirst } from './message-search';

describe('intersectIds', () => {
  it.each([
    ['no lists, no hits', [], []],
    ['one list, its ids once each', [['a', 'b', 'a']], ['a', 'b']],
    ['ids in every list', [['a', 'b', 'c'], ['c', 'a'], ['a', 'c', 'd']], ['a', 'c']],
    ['a list with nothing empties the answer', [['a'], []], []],
  ])('%s', (_name, lists, ids) => {
    expect([...intersectIds(lists)].sort()).toEqual(ids);
  });
});

describe('newestFirst', () => {
  it('orders by time, then by position', () => {
    const rows = [
      { id: 'old', createdAt: '2026-01-01T00:00:00.000Z', seq: 9 },
      { id: 'new', createdAt: '2026-03-01T00:00:00.000Z', seq: 1 },
      { id: 'tie-low', createdAt: '2026-02-01T00:00:00.000Z', seq: 2 },
      { id: 'tie-high', createdAt: '2026-02-01T00:00:00.000Z', seq: 3 },
    ];
    expect(newestFirst(rows).map((row) => row.id)).toEqual(['new', 'tie-high', 'tie-low', 'old']);
  });
});
