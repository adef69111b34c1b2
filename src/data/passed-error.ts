import type { ErrorCode } from '../../protocol';
import { ApiError } from '../net/api-error';
import type { PassedError } from './sync-worker-messages';

/** An error as it can be posted to or from a worker (the structured clone of an Error drops its class). */
export function passError(error: unknown): PassedError {
  if (error instanceof ApiError) return { message: error.message, api: { status: error.status, code: error.code } };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The error a `PassedError` describes, an ApiError again where it was one. */
export function receivedError(passed: PassedError): Error {
  if (!passed.api) return new Error(passed.message);
  return new ApiError({ status: passed.api.status, code: passed.api.code as ErrorCode, message: passed.message });
}
