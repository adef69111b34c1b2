import type { ErrorCode } from '../../protocol';

/** Any failed request to Rally's API, with the error code the server chose (see protocol/errors.ts). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: Record<string, string>;
  /** For `conflict`: the server's current copy. */
  readonly current: unknown;
  /** Seconds, from Retry-After on `rate_limited`. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: ErrorCode;
    message: string;
    fields?: Record<string, string> | undefined;
    current?: unknown;
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? {};
    this.current = init.current;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  /** The request never got an answer: the device or the server is offline. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function networkError(): ApiError {
  return new ApiError({ status: 0, code: 'unavailable', message: "Can't reach Rally. Check your connection." });
}

/** Builds an ApiError from a non-2xx response, whatever its body looks like. */
export async function readApiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('Retry-After'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  const body: unknown = await response.json().catch(() => null);
  // The schema loads with the first error to read, not with the page (issue 13); if it cannot, the answer reads as unknown.
  const parsed = await import('./zod-without-eval')
    .then(() => import('../../protocol/errors'))
    .then(({ ErrorResponse }) => ErrorResponse.safeParse(body))
    .catch(() => null);
  if (parsed?.success) {
    const { code, message, fields, current } = parsed.data.error;
    return new ApiError({ status: response.status, code, message, fields, current, retryAfterSeconds });
  }
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? 'unavailable' : 'internal',
    message: `Rally answered ${response.status} ${response.statusText}`.trim(),
    retryAfterSeconds,
  });
}

/** A sentence for the user, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited' && error.retryAfterSeconds !== null) {
      return `Too many attempts. Try again in ${Math.ceil(error.retryAfterSeconds)} seconds.`;
    }
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}
