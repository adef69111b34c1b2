import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextStepAfter, parseRetryAfter, pushTopicOf, webPushResultOf, type NextStep, type SendResult } from './push-rules';

const now = new Date('2026-06-01T12:00:00Z');
const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };

describe('push rules', () => {
  const steps: [string, SendResult, number, number, NextStep][] = [
    ['a send settles as sent', { kind: 'sent' }, 1, 0.5, { settle: 'sent' }],
    ['a gone device settles as expired', { kind: 'gone', detail: '410' }, 1, 0.5, { settle: 'expired', detail: '410' }],
    ['a refusal settles as failed, untried again', { kind: 'permanent', detail: '400' }, 1, 0.5, { settle: 'failed', detail: '400' }],
    ['a first 5xx waits between half and all of the base', { kind: 'transient', detail: '500' }, 1, 0, { retryInMs: 500, detail: '500' }],
    ['the jitter reaches the ceiling', { kind: 'transient', detail: '500' }, 1, 0.999, { retryInMs: 999, detail: '500' }],
    ['the third attempt waits up to four bases', { kind: 'transient', detail: '503' }, 3, 0.5, { retryInMs: 3_000, detail: '503' }],
    ['the fourth attempt waits up to eight bases', { kind: 'transient', detail: '503' }, 4, 0.999, { retryInMs: 7_996, detail: '503' }],
    ['Retry-After is honoured when longer', { kind: 'transient', detail: '429', retryAfterMs: 30_000 }, 1, 0.5, { retryInMs: 30_000, detail: '429' }],
    ['the jittered wait wins when Retry-After is shorter', { kind: 'transient', detail: '429', retryAfterMs: 100 }, 2, 0, { retryInMs: 1_000, detail: '429' }],
    ['the last attempt gives up', { kind: 'transient', detail: '500' }, 5, 0.5, { settle: 'failed', detail: 'gave up after 5 attempts: 500' }],
  ];
  it.each(steps)('%s', (_name, result, attempt, random, expected) => {
    expect(nextStepAfter(result, attempt, policy, random)).toEqual(expected);
  });

  it('caps the backoff at maxDelayMs however many attempts', () => {
    const step = nextStepAfter({ kind: 'transient', detail: 'x' }, 30, { ...DEFAULT_RETRY_POLICY, maxAttempts: 100 }, 0.999);
    expect('retryInMs' in step && step.retryInMs).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  const statuses: [number, string | undefined, SendResult['kind'], number | undefined][] = [
    [201, undefined, 'sent', undefined],
    [404, undefined, 'gone', undefined],
    [410, undefined, 'gone', undefined],
    [429, '7', 'transient', 7_000],
    [500, undefined, 'transient', undefined],
    [503, 'Mon, 01 Jun 2026 12:01:00 GMT', 'transient', 60_000],
    [400, undefined, 'permanent', undefined],
    [413, undefined, 'permanent', undefined],
  ];
  it.each(statuses)('a Web Push %i (Retry-After %s) is %s', (status, retryAfter, kind, retryAfterMs) => {
    const result = webPushResultOf(status, retryAfter, now);
    expect(result.kind).toBe(kind);
    expect(result.kind === 'transient' ? result.retryAfterMs : undefined).toBe(retryAfterMs);
  });

  it('reads Retry-After as seconds or a date, and ignores junk', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('junk', now)).toBeUndefined();
    expect(parseRetryAfter('Mon, 01 Jun 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('makes a Topic of at most 32 URL-safe base64 characters, one per key', () => {
    const topic = pushTopicOf('chat:7d1f9f8e-3b7c-4c55-9d0a-2f8b1d3e4a5b');
    expect(topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(topic).toHaveLength(32);
    expect(pushTopicOf('chat:7d1f9f8e-3b7c-4c55-9d0a-2f8b1d3e4a5b')).toBe(topic);
    expect(pushTopicOf('chat:another')).not.toBe(topic);
  });
});
