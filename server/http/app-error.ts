import type { z } from 'zod';
import { fieldErrorsOf, httpStatusByErrorCode, type ErrorBody, type ErrorCode } from '../../protocol';

/** An error meant for the client: a stable code, a human message, and nothing internal. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly current: unknown;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, string>; current?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.code = code;
    this.fields = extra.fields;
    this.current = extra.current;
    this.headers = extra.headers ?? {};
  }

  get status(): number {
    return httpStatusByErrorCode[this.code];
  }

  toBody(): { error: ErrorBody } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.current !== undefined ? { current: this.current } : {}),
      },
    };
  }
}

/** Parses untrusted input with a protocol schema; failure is a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrorsOf(result.error);
  const summary = Object.entries(fields)
    .slice(0, 3)
    .map(([path, reason]) => `${path} ${reason}`)
    .join('; ');
  return throwInvalid(`Invalid ${what}: ${summary}`, fields);
}

function throwInvalid(message: string, fields: Record<string, string>): never {
  throw new AppError('invalid_input', message, { fields });
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
