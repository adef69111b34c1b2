import { describe, expect, it } from 'vitest';
import { pipelinedSlices } from './write-slices';

describe('pipelinedSlices', () => {
  it.each([
    ['nothing, no slice', 0, 3, []],
    ['one row, one slice', 1, 3, [[0, 1]]],
    ['a single row first, then full slices and the rest', 8, 3, [[0, 1], [1, 4], [4, 7], [7, 8]]],
    ['a slice that ends exactly at the end', 4, 3, [[0, 1], [1, 4]]],
  ])('%s', (_name, length, size, slices) => {
    expect(pipelinedSlices(length, size)).toEqual(slices);
  });

  it('covers every row once, in order, and no task issues more than a slice and a row', () => {
    const slices = pipelinedSlices(1_000, 125);
    expect(slices.flatMap(([start, end]) => Array.from({ length: end - start }, (_, i) => start + i))).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    // The first task issues the first two slices; every later task one.
    expect(slices[0]![1] - slices[0]![0] + (slices[1]![1] - slices[1]![0])).toBeLessThanOrEqual(126);
  });
});
