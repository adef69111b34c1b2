import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MutationClient, MutationHandle } from './mutation-client';
import { OutboxGate, OutboxUnavailableError } from './outbox-gate';
import type { MutationRequest } from './outbox-rules';

function fakeClient(label: string): MutationClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    mutate: async (request: { name: string }) => {
      calls.push(`${label}:${request.name}`);
      return { mutationId: calls.length, activityId: 'x', outcome: Promise.resolve({ status: 'pending' }) } satisfies MutationHandle;
    },
    retry: async (id: number) => void calls.push(`${label}:retry ${id}`),
    discard: async (id: number) => void calls.push(`${label}:discard ${id}`),
  } as unknown as MutationClient & { calls: string[] };
}

const like: MutationRequest = { name: 'activity.like', args: { id: 'a' } };

describe('OutboxGate', () => {
  afterEach(() => vi.useRealTimers());

  it('hands a write made before the outbox loads to it once it comes, and asks it to hurry', async () => {
    const hurry = vi.fn();
    const gate = new OutboxGate(hurry);
    const pending = gate.mutate(like);
    expect(hurry).toHaveBeenCalledTimes(1);
    const client = fakeClient('ana');
    gate.use(client);
    await expect(pending).resolves.toMatchObject({ mutationId: 1 });
    await gate.discard(7);
    expect(client.calls).toEqual(['ana:activity.like', 'ana:discard 7']);
    expect(hurry).toHaveBeenCalledTimes(1);
  });

  it('refuses a write with a clear message when the outbox does not come in time', async () => {
    vi.useFakeTimers();
    const gate = new OutboxGate(() => undefined, 5_000);
    const pending = gate.mutate(like);
    const refused = expect(pending).rejects.toBeInstanceOf(OutboxUnavailableError);
    await vi.advanceTimersByTimeAsync(5_000);
    await refused;
    // A later outbox does not take the write that was already refused.
    const client = fakeClient('ana');
    gate.use(client);
    expect(client.calls).toEqual([]);
  });

  it('never hands a waiting write to the outbox of whoever signs in next', async () => {
    const anaGate = new OutboxGate(() => undefined);
    const pending = anaGate.retry(3);
    anaGate.close();
    await expect(pending).rejects.toBeInstanceOf(OutboxUnavailableError);
    const ben = fakeClient('ben');
    anaGate.use(ben);
    await expect(anaGate.mutate(like)).rejects.toBeInstanceOf(OutboxUnavailableError);
    expect(ben.calls).toEqual([]);
  });

  it('takes writes again when its own session is mounted again (StrictMode remounts every effect)', async () => {
    const gate = new OutboxGate(() => undefined);
    gate.close();
    gate.reopen();
    const ana = fakeClient('ana');
    gate.use(ana);
    await gate.mutate(like);
    expect(ana.calls).toEqual(['ana:activity.like']);
  });
});
