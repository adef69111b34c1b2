import { describe, expect, it } from 'vitest';
import { piecesOf, readInPieces } from './in-pieces';

describe('piecesOf', () => {
  it.each([
    ['nothing, no piece', [], 2, []],
    ['the last piece shorter', [1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    ['one piece when it fits', [1, 2], 5, [[1, 2]]],
  ])('%s', (_name, items, size, pieces) => {
    expect(piecesOf(items, size)).toEqual(pieces);
  });
});

describe('readInPieces', () => {
  it('answers in order, with each item its index, and never starts a piece before the one before it is answered', async () => {
    const started: number[] = [];
    let open = 0;
    let mostOpen = 0;
    const answers = await readInPieces(['a', 'b', 'c', 'd', 'e'], 2, async (item, index) => {
      started.push(index);
      mostOpen = Math.max(mostOpen, ++open);
      await new Promise((resolve) => setTimeout(resolve, 5 - index));
      open--;
      return `${item}${index}`;
    });
    expect(answers).toEqual(['a0', 'b1', 'c2', 'd3', 'e4']);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(mostOpen).toBe(2);
  });
});

describe('readInPieces, no longer wanted', () => {
  it('stops before the next piece once stillWanted says no, and reads nothing more', async () => {
    const read: string[] = [];
    let wanted = true;
    const reading = readInPieces(
      ['a', 'b', 'c', 'd', 'e'],
      2,
      async (item) => {
        read.push(item);
        if (item === 'b') wanted = false;
        return item;
      },
      () => wanted,
    );
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(read).toEqual(['a', 'b']);
  });
});
