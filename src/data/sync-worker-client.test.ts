import { describe, expect, it } from 'vitest';
import { ApiError } from '../net/api-error';
import { passError, receivedError } from './passed-error';
import { pullsInWorker } from './sync-worker-client';

describe('errors crossing to and from the sync worker', () => {
  it('an ApiError arrives as an ApiError with its status and code, so the engine tells a gone cursor from a failure', () => {
    const crossed = receivedError(structuredClone(passError(new ApiError({ status: 410, code: 'cursor_expired', message: 'Start over' }))));
    expect(crossed).toBeInstanceOf(ApiError);
    expect(crossed).toMatchObject({ status: 410, code: 'cursor_expired', message: 'Start over' });
    expect((receivedError(passError(new ApiError({ status: 0, code: 'unavailable', message: 'offline' }))) as ApiError).isNetworkError).toBe(true);
  });

  it('anything else arrives as a plain error with its message', () => {
    const crossed = receivedError(structuredClone(passError(new TypeError('Failed to fetch'))));
    expect(crossed).not.toBeInstanceOf(ApiError);
    expect(crossed.message).toBe('Failed to fetch');
    expect(receivedError(passError('a string')).message).toBe('a string');
  });
});

describe('pullsInWorker where no worker can run', () => {
  const refuse = () => Promise.reject(new Error('no token asked for on the page'));
  const noTokens = { current: refuse, after: refuse };

  it('pulls on the page, handing over the engine\'s stop check', async () => {
    expect(typeof Worker).toBe('undefined');
    const stops: boolean[] = [];
    const pulls = pullsInWorker('user', noTokens, async (isStopped) => {
      stops.push(isStopped());
      return { changes: 3, pages: 1, full: true, firstRequestAt: 1 };
    });
    await expect(pulls.runPull(() => false)).resolves.toEqual({ changes: 3, pages: 1, full: true, firstRequestAt: 1 });
    await expect(pulls.runPull(() => true)).resolves.toEqual({ changes: 3, pages: 1, full: true, firstRequestAt: 1 });
    expect(stops).toEqual([false, true]);
    pulls.close();
  });
});
