import { describe, expect, it } from 'vitest';
import { MAX_RETRIES, nextReplayStep, replayDelayMs } from './replay-policy';

const fresh = { retries: 0, refreshed: false };

describe('nextReplayStep', () => {
  it('settles 2xx as applied and other 4xx as rejected', () => {
    expect(nextReplayStep(200, fresh)).toBe('applied');
    expect(nextReplayStep(400, fresh)).toBe('rejected');
    expect(nextReplayStep(404, fresh)).toBe('rejected');
    expect(nextReplayStep(409, fresh)).toBe('rejected');
  });

  it('refreshes once on 401, then waits for a login', () => {
    expect(nextReplayStep(401, fresh)).toBe('refresh');
    expect(nextReplayStep(401, { retries: 0, refreshed: true })).toBe('wait-for-login');
  });

  it('retries 5xx and timeouts at most MAX_RETRIES times, then fails', () => {
    for (let retries = 0; retries < MAX_RETRIES; retries++) {
      expect(nextReplayStep(500, { retries, refreshed: false })).toBe('retry');
      expect(nextReplayStep(-1, { retries, refreshed: false })).toBe('retry');
    }
    expect(nextReplayStep(503, { retries: MAX_RETRIES, refreshed: false })).toBe('failed');
  });

  it('sends a mutation whose predecessor never arrived (425) once more without naming it', () => {
    expect(nextReplayStep(425, fresh)).toBe('unchain');
    expect(nextReplayStep(425, { ...fresh, unchained: true })).toBe('rejected');
  });

  it('keeps the entry on a network error', () => {
    expect(nextReplayStep(0, { retries: 2, refreshed: true })).toBe('network');
  });
});

describe('replayDelayMs', () => {
  it('doubles each time within ±25 % jitter', () => {
    expect(replayDelayMs(0, () => 0.5)).toBe(500);
    expect(replayDelayMs(1, () => 0.5)).toBe(1000);
    expect(replayDelayMs(2, () => 0.5)).toBe(2000);
    expect(replayDelayMs(2, () => 0)).toBe(1500);
    expect(replayDelayMs(2, () => 1)).toBe(2500);
  });
});
