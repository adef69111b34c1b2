import type { Ack } from '../../protocol';
import { AppError } from '../http/app-error';

/** A socket event refused by its flood limit; the ack says when to try again. */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('Too many events: slow down');
  }
}

/** Replies with the work's result, or with the error as the protocol says (a socket ack never throws). */
export async function answer<T>(work: () => Promise<T>): Promise<Ack<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof RateLimited) return { ok: false, error: { code: 'rate_limited', message: error.message, retryAfterMs: error.retryAfterMs } };
    if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
    if (error instanceof Error && error.name === 'ZodError') {
      return { ok: false, error: { code: 'invalid_input', message: 'Payload does not match the protocol' } };
    }
    return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side' } };
  }
}

/** The client's ack callback, or a no-op when it sent none (an event without an ack is still handled). */
export function replier<T>(ack: unknown): (result: Ack<T>) => void {
  return typeof ack === 'function' ? (ack as (result: Ack<T>) => void) : () => undefined;
}
