import { describe, expect, it } from 'vitest';
import { holdEvents } from './held-events';

interface Events {
  created(id: string): Promise<void>;
  updated(id: string, title: string): Promise<void>;
}

function recorder(log: string[], prefix: string): Events {
  return {
    created: async (id) => void log.push(`${prefix} created ${id}`),
    updated: async (id, title) => void log.push(`${prefix} updated ${id} ${title}`),
  };
}

describe('holdEvents', () => {
  it('tells the target nothing until flushed, then everything in order, once', async () => {
    const log: string[] = [];
    const held = holdEvents(recorder(log, 'target'), ['updated'], () => recorder(log, 'push'));
    await held.events.created('a');
    await held.events.created('b');
    expect(log).toEqual([]);
    await held.flush();
    expect(log).toEqual(['target created a', 'target created b']);
    await held.flush();
    expect(log).toHaveLength(2);
  });

  it('lets the first listener hear its events at once, and makes it only when one happens', async () => {
    const log: string[] = [];
    let made = 0;
    const firstListener = () => {
      made += 1;
      return recorder(log, 'push');
    };
    const held = holdEvents(recorder(log, 'target'), ['updated'], firstListener);
    await held.events.created('a');
    expect(made).toBe(0);
    await held.events.updated('a', 'New title');
    expect(log).toEqual(['push updated a New title']);
    await held.flush();
    expect(log).toEqual(['push updated a New title', 'target created a', 'target updated a New title']);
  });

  it('keeps the events of two transactions on one target apart', async () => {
    const log: string[] = [];
    const target = recorder(log, 'target');
    const first = holdEvents(target, ['updated'], () => recorder(log, 'push'));
    const second = holdEvents(target, ['updated'], () => recorder(log, 'push'));
    await first.events.created('a');
    await second.events.created('b');
    await second.flush();
    expect(log).toEqual(['target created b']);
  });
});
