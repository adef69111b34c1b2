import { describe, expect, it } from 'vitest';
import { afterFirstScreen, isFirstScreenShown, noteFirstScreenShown } from './first-screen';

// One page's start: the module's state is the page's, so the steps run in order.
describe('afterFirstScreen', () => {
  it('waits for the first screen, runs the work once, then runs later work at once; the moment is marked for bench/startup', () => {
    const ran: string[] = [];
    afterFirstScreen(() => ran.push('device owner'));
    expect(isFirstScreenShown()).toBe(false);
    expect(ran).toEqual([]);

    noteFirstScreenShown();
    expect(ran).toEqual(['device owner']);
    noteFirstScreenShown();
    expect(ran).toEqual(['device owner']);
    expect(performance.getEntriesByName('rally:first-screen')).toHaveLength(1);

    afterFirstScreen(() => ran.push('late'));
    expect(ran).toEqual(['device owner', 'late']);
  });
});
