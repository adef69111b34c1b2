import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RallyLocalDb } from '../../device-db/local-db';
import type { PullReport } from './pull-feed';
import { SyncEngine } from './sync-engine';

/** A pull the test finishes by hand, with the moment its first request was made. */
function controlledPulls() {
  const started: { finish(firstRequestAt: number): void }[] = [];
  const runPull = () =>
    new Promise<PullReport>((resolve) => {
      started.push({ finish: (firstRequestAt) => resolve({ changes: 0, pages: 1, full: false, firstRequestAt }) });
    });
  return { started, runPull };
}

const now = vi.spyOn(Date, 'now');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
// pull() never touches the database; only events do.
const noDb = {} as RallyLocalDb;

afterEach(() => now.mockReset());

describe('SyncEngine.pull', () => {
  it('an ask made while a pull is starting, before its first request, is answered by that pull', async () => {
    const { started, runPull } = controlledPulls();
    const engine = new SyncEngine(noDb, runPull, () => undefined);
    now.mockReturnValue(1000);
    const first = engine.pull();
    now.mockReturnValue(1100); // the socket connects while the worker starts
    const second = engine.pull();
    started[0]!.finish(1200); // the first request left after both asks
    await settle();
    expect(started).toHaveLength(1);
    await Promise.all([first, second]);
  });

  it.each([
    { asks: [1300, 1301], when: 'after it, however many' },
    { asks: [1200], when: 'in the same millisecond as it' },
  ])('asks made $when the first request left get exactly one more pull', async ({ asks }) => {
    const { started, runPull } = controlledPulls();
    const engine = new SyncEngine(noDb, runPull, () => undefined);
    now.mockReturnValue(1000);
    const first = engine.pull();
    for (const at of asks) {
      now.mockReturnValue(at);
      void engine.pull();
    }
    started[0]!.finish(1200);
    await settle();
    expect(started).toHaveLength(2);
    started[1]!.finish(1400);
    await first;
    expect(started).toHaveLength(2);
  });

  it('a pull asked for after one ended runs again', async () => {
    const { started, runPull } = controlledPulls();
    const engine = new SyncEngine(noDb, runPull, () => undefined);
    now.mockReturnValue(1000);
    const first = engine.pull();
    started[0]!.finish(1010);
    await first;
    now.mockReturnValue(1020);
    const second = engine.pull();
    expect(started).toHaveLength(2);
    started[1]!.finish(1030);
    await second;
  });
});
