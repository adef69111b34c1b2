import { describe, expect, it } from 'vitest';
import { inOrder } from './in-order';

const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inOrder', () => {
  it('starts each job after the one before has settled, even when the earlier one is slower', async () => {
    const run = inOrder();
    const seen: string[] = [];
    await Promise.all([
      run(async () => {
        await after(30);
        seen.push('first');
      }),
      run(async () => {
        seen.push('second');
      }),
    ]);
    expect(seen).toEqual(['first', 'second']);
  });

  it('gives each caller its own job’s outcome, and a failure does not stop the jobs after it', async () => {
    const run = inOrder();
    const failed = run(async () => {
      throw new Error('registry down');
    });
    const next = run(async () => 'announced');
    await expect(failed).rejects.toThrow('registry down');
    await expect(next).resolves.toBe('announced');
  });
});
