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

/** `read` for every item, a piece of `size` items at a time; the answers in the items' order. */
export async function readInPieces<T, R>(items: readonly T[], size: number, read: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const answers: R[] = [];
  for (const [n, piece] of piecesOf(items, size).entries()) answers.push(...(await Promise.all(piece.map((item, i) => read(item, n * size + i)))));
  return answers;
}
