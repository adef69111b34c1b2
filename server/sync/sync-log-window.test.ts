import { describe, expect, it } from 'vitest';
import { AFTER_ALL_KINDS, KIND } from './sync-cursor';
import { SNAPSHOT_KINDS, SYNC_KINDS } from './sync-kinds';
import { cursorAfterPage, LOG_WINDOW_POSITIONS, logWindowEnd, type DeliveredItem, type LogCursor } from './sync-log-window';

const at = (seq: number, kind = AFTER_ALL_KINDS, afterId = ''): LogCursor => ({ phase: 'log', epoch: 'e', seq, kind, afterId });
const item = (feedPosition: number, kind: number, id: string): DeliveredItem => ({ feedPosition, kind, id });

describe('log window', () => {
  it('looks at no more than the window, and never past the head', () => {
    expect(logWindowEnd(at(100), 50_000)).toBe(100 + LOG_WINDOW_POSITIONS);
    expect(logWindowEnd(at(100), 150)).toBe(150);
    expect(logWindowEnd(at(100), 100)).toBe(100);
    expect(logWindowEnd(at(100), 500, 5)).toBe(105);
  });

  const cases: {
    name: string;
    cursor: LogCursor;
    page: { last: DeliveredItem | undefined; more: boolean };
    windowEnd: number;
    head: number;
    expected: { cursor: LogCursor; hasMore: boolean };
  }[] = [
    {
      name: 'a full page stops at its last item, even part-way through a position',
      cursor: at(10),
      page: { last: item(12, KIND.member, 'a:u'), more: true },
      windowEnd: 20,
      head: 20,
      expected: { cursor: at(12, KIND.member, 'a:u'), hasMore: true },
    },
    {
      name: 'a window that yields less than a page moves to its end, with more beyond it',
      cursor: at(10),
      page: { last: item(12, KIND.activity, 'a'), more: false },
      windowEnd: 15,
      head: 20,
      expected: { cursor: at(15), hasMore: true },
    },
    {
      name: 'an empty window still moves to its end',
      cursor: at(10),
      page: { last: undefined, more: false },
      windowEnd: 15,
      head: 20,
      expected: { cursor: at(15), hasMore: true },
    },
    {
      name: 'the window that reaches the head ends the pull',
      cursor: at(10),
      page: { last: item(20, KIND.receipt, 'c:u'), more: false },
      windowEnd: 20,
      head: 20,
      expected: { cursor: at(20), hasMore: false },
    },
    {
      name: 'at the head, the rest of a position part-way delivered ends at its last item',
      cursor: at(20, KIND.member, 'a:u'),
      page: { last: item(20, KIND.like, 'a:v'), more: false },
      windowEnd: 20,
      head: 20,
      expected: { cursor: at(20, KIND.like, 'a:v'), hasMore: false },
    },
    {
      name: 'at the head with nothing new, the cursor stays',
      cursor: at(20, KIND.member, 'a:u'),
      page: { last: undefined, more: false },
      windowEnd: 20,
      head: 20,
      expected: { cursor: at(20, KIND.member, 'a:u'), hasMore: false },
    },
  ];
  for (const { name, cursor, page, windowEnd, head, expected } of cases) {
    it(name, () => expect(cursorAfterPage(cursor, page, windowEnd, head)).toEqual(expected));
  }
});

describe('sync kinds', () => {
  it('are listed in delivery order, every kind once; the snapshot walks all but tombstones', () => {
    expect(SYNC_KINDS.map((kind) => kind.kind)).toEqual(Object.values(KIND).sort((a, b) => a - b));
    expect(SNAPSHOT_KINDS.map((kind) => kind.kind)).toEqual(SYNC_KINDS.map((kind) => kind.kind).filter((kind) => kind !== KIND.tombstone));
  });
});
