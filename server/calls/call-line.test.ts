import { describe, expect, it } from 'vitest';
import { callLineText } from './call-line';

describe('callLineText', () => {
  it.each([
    { kind: 'audio', reason: 'no_answer', duration: null, text: 'Missed voice call' },
    { kind: 'audio', reason: 'busy', duration: null, text: 'Missed voice call' },
    { kind: 'video', reason: 'declined', duration: null, text: 'Declined video call' },
    { kind: 'audio', reason: 'cancelled', duration: null, text: 'Cancelled voice call' },
    { kind: 'video', reason: 'failed', duration: null, text: 'Failed video call' },
    { kind: 'video', reason: 'hung_up', duration: 192_400, text: 'Video call · 3:12' },
    { kind: 'audio', reason: 'connection_lost', duration: 5_000, text: 'Voice call · 0:05' },
    { kind: 'audio', reason: 'hung_up', duration: 3_723_000, text: 'Voice call · 1:02:03' },
  ] as const)('$kind, $reason, $duration ms → $text', ({ kind, reason, duration, text }) => {
    expect(callLineText(kind, reason, duration)).toBe(text);
  });
});
