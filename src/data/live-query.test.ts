import { describe, expect, it } from 'vitest';
import { oneRunAtATime } from './live-query';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('oneRunAtATime', () => {
  it('answers the first run at once', async () => {
    const querier = oneRunAtATime(async () => 'answer', 10_000);
    const started = performance.now();
    await expect(querier()).resolves.toBe('answer');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('never runs beside itself; of the runs asked for meanwhile only the newest reads, the others give up', async () => {
    let open = 0;
    let mostOpen = 0;
    let reads = 0;
    const querier = oneRunAtATime(async () => {
      reads++;
      mostOpen = Math.max(mostOpen, ++open);
      await tick(20);
      open--;
      return reads;
    }, 0);
    const first = querier();
    await tick(5);
    const replaced = [querier(), querier()];
    const newest = querier();
    await expect(first).resolves.toBe(1);
    for (const run of replaced) await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect(newest).resolves.toBe(2);
    expect(reads).toBe(2);
    expect(mostOpen).toBe(1);
  });

  it('starts a run no sooner than minGapMs after the one before started', async () => {
    const starts: number[] = [];
    const querier = oneRunAtATime(async () => {
      starts.push(performance.now());
      return starts.length;
    }, 100);
    await querier();
    await querier();
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(95);
  });

  it('tells a run under way when a newer one has replaced it, so it can stop reading', async () => {
    const seen: boolean[] = [];
    const querier = oneRunAtATime(async (stillWanted) => {
      seen.push(stillWanted());
      await tick(20);
      seen.push(stillWanted());
      return seen.length;
    }, 0);
    const first = querier();
    await tick(5);
    const second = querier();
    await first;
    await second;
    expect(seen).toEqual([true, false, true, true]);
  });
});
