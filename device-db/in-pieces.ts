/**
 * Work on many rows cut into pieces, each its own main-thread task: awaiting a piece's requests
 * lets the page run (input, rendering) before the next piece is issued, and inside a Dexie
 * transaction it keeps the transaction open, which no timer would.
 */

/** `items` in consecutive pieces of at most `size`, in order. */
export function piecesOf<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let i = 0; i < items.length; i += size) pieces.push(items.slice(i, i + size));
  return pieces;
}

/**
 * `read` for every item, a piece of `size` items at a time; the answers in the items' order. When
 * `stillWanted` says no before a piece, the read stops there with a `Superseded` error: nobody
 * waits for its answer any more (a live query has started over), and the rest would be work for nothing.
 */
export async function readInPieces<T, R>(items: readonly T[], size: number, read: (item: T, index: number) => Promise<R>, stillWanted?: () => boolean): Promise<R[]> {
  const answers: R[] = [];
  for (const [n, piece] of piecesOf(items, size).entries()) {
    if (stillWanted && !stillWanted()) throw new Superseded();
    answers.push(...(await Promise.all(piece.map((item, i) => read(item, n * size + i)))));
  }
  return answers;
}

/** A read given up because a newer one of the same question has started. Named as Dexie names an abandoned query, which it ignores. */
export class Superseded extends Error {
  override name = 'AbortError';
  constructor() {
    super('a newer read of the same answer has started');
  }
}
