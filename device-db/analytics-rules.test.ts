import { describe, expect, it } from 'vitest';
import { ANALYTICS_QUEUE_CAP, dropFromHead, groupIntoBursts, overflowCount, takeBatch } from './analytics-rules';

describe('analytics queue rules', () => {
  it('drops the oldest beyond 5,000 queued, just enough for what comes in', () => {
    expect(ANALYTICS_QUEUE_CAP).toBe(5_000);
    expect(overflowCount(0, 1)).toBe(0);
    expect(overflowCount(4_999, 1)).toBe(0);
    expect(overflowCount(5_000, 1)).toBe(1);
    expect(overflowCount(4_990, 300)).toBe(290);
    expect(overflowCount(5_000, 0)).toBe(0);
    expect(overflowCount(3, 2, 4)).toBe(1);
  });

  it('takes up to the count from the head of the queue, in order', () => {
    const queued = Array.from({ length: 250 }, (_, i) => ({ i }));
    expect(takeBatch(queued, 100, 1_000_000).map((item) => item.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(takeBatch(queued.slice(240), 100, 1_000_000)).toHaveLength(10);
    expect(takeBatch([], 100, 1_000)).toEqual([]);
  });

  it('stops before the byte limit, but always takes the first', () => {
    const big = { text: 'x'.repeat(500) };
    expect(takeBatch([big, big, big], 100, 1_100)).toHaveLength(2);
    expect(takeBatch([big, big], 100, 10)).toHaveLength(1);
  });

  it('stores consecutive events of one user together, 100 to a row at most, in order', () => {
    const ana = Array.from({ length: 250 }, (_, i) => ({ userId: 'ana', i }));
    expect(groupIntoBursts(ana).map((burst) => burst.length)).toEqual([100, 100, 50]);
    expect(groupIntoBursts(ana).flat()).toEqual(ana);
    const mixed = [{ userId: '', i: 0 }, { userId: '', i: 1 }, { userId: 'ana', i: 2 }, { userId: '', i: 3 }];
    expect(groupIntoBursts(mixed).map((burst) => burst.map((row) => row.i))).toEqual([[0, 1], [2], [3]]);
    expect(groupIntoBursts([])).toEqual([]);
  });

  it('drops whole rows from the head, then cuts the front of the next', () => {
    expect(dropFromHead([100, 100, 50], 0)).toEqual({ wholeRows: 0, fromNext: 0 });
    expect(dropFromHead([100, 100, 50], 30)).toEqual({ wholeRows: 0, fromNext: 30 });
    expect(dropFromHead([100, 100, 50], 100)).toEqual({ wholeRows: 1, fromNext: 0 });
    expect(dropFromHead([100, 100, 50], 230)).toEqual({ wholeRows: 2, fromNext: 30 });
    expect(dropFromHead([100, 100, 50], 250)).toEqual({ wholeRows: 3, fromNext: 0 });
    expect(dropFromHead([100, 100, 50], 999)).toEqual({ wholeRows: 3, fromNext: 0 });
  });
});
