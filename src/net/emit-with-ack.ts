import type { Ack, ClientToServerEvents } from '../../protocol';
import { openedSocket } from './socket-state';

/** The events whose last argument is an ack, and what each ack carries. */
type AckedEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, (result: Ack<infer _T>) => void] ? E : never;
}[keyof ClientToServerEvents];
type PayloadOf<E extends AckedEvent> = Parameters<ClientToServerEvents[E]>[0];
type DataOf<E extends AckedEvent> = Parameters<ClientToServerEvents[E]>[1] extends (result: Ack<infer T>) => void ? T : never;

/** Waits for the server's flood limit at most this many times in a row before giving up. */
const MAX_RATE_LIMIT_WAITS = 30;

/**
 * Emits over the open socket and waits for the ack; on `rate_limited` the server dropped it, so
 * it waits `retryAfterMs` and emits again. Null when there is no connected socket, no ack came in
 * time, or the limit kept refusing: the caller sends it another way, or later.
 */
export async function emitWithAck<E extends AckedEvent>(event: E, payload: PayloadOf<E>, timeoutMs = 5_000): Promise<Ack<DataOf<E>> | null> {
  for (let waits = 0; waits < MAX_RATE_LIMIT_WAITS; waits++) {
    const socket = openedSocket();
    if (!socket?.connected) return null;
    let result: Ack<DataOf<E>>;
    try {
      // The event map is checked at the call site; socket.io's own overloads cannot follow the generic.
      result = (await (socket.timeout(timeoutMs).emitWithAck as (event: string, payload: unknown) => Promise<unknown>)(event, payload)) as Ack<DataOf<E>>;
    } catch {
      return null;
    }
    if (result.ok || result.error.code !== 'rate_limited') return result;
    await new Promise((resolve) => setTimeout(resolve, result.error.retryAfterMs ?? 1_000));
  }
  return null;
}
