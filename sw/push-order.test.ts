import { afterEach, describe, expect, it, vi } from 'vitest';
import { inPushOrder, PUSH_TURN_LIMIT_MS } from './push-order';

/** A turn that ends when the test says so, noting when it started. */
function heldTurn(name: string, log: string[]) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = () => resolve(name);
    fail = reject;
  });
  const work = () => {
    log.push(`${name} started`);
    return done;
  };
  return { work, finish, fail };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('pushes in order', () => {
  it('starts a push only once the one before it is done', async () => {
    const log: string[] = [];
    const [first, second] = [heldTurn('first', log), heldTurn('second', log)];
    const results = [inPushOrder(first.work), inPushOrder(second.work)];
    await settle();
    expect(log).toEqual(['first started']);
    first.finish();
    await settle();
    expect(log).toEqual(['first started', 'second started']);
    second.finish();
    await expect(Promise.all(results)).resolves.toEqual(['first', 'second']);
  });

  it('goes on after a push that fails, which still fails for its own event', async () => {
    const log: string[] = [];
    const [first, second] = [heldTurn('first', log), heldTurn('second', log)];
    const failed = inPushOrder(first.work);
    const next = inPushOrder(second.work);
    first.fail(new Error('the database would not open'));
    await expect(failed).rejects.toThrow('the database would not open');
    await settle();
    second.finish();
    await expect(next).resolves.toBe('second');
  });

  it('lets the next push go once one has hung for the limit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const log: string[] = [];
    const [hung, next] = [heldTurn('hung', log), heldTurn('next', log)];
    void inPushOrder(hung.work);
    const after = inPushOrder(next.work);
    await vi.advanceTimersByTimeAsync(PUSH_TURN_LIMIT_MS - 1);
    expect(log).toEqual(['hung started']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['hung started', 'next started']);
    next.finish();
    await expect(after).resolves.toBe('next');
    hung.finish();
  });
});
