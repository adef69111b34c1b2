import { z } from 'zod';

/** Every error Rally reports carries one of these stable codes. */
export const errorCodes = [
  'invalid_input',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'token_expired',
  'invalid_credentials',
  'refresh_reused',
  'cross_site',
  'forbidden',
  'not_found',
  'email_taken',
  'conflict',
  'capacity_full',
  'owner_cannot_leave',
  'rate_limited',
  'mutation_gap',
  'invalid_cursor',
  'cursor_expired',
  'unsupported_protocol',
  'unavailable',
  'internal',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** HTTP status for each code: the one place where codes meet statuses. */
export const httpStatusByErrorCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  token_expired: 401,
  invalid_credentials: 401,
  refresh_reused: 401,
  cross_site: 403,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  conflict: 409,
  capacity_full: 409,
  owner_cannot_leave: 409,
  rate_limited: 429,
  // Too Early: an earlier mutation of the same client has not arrived; send again after it.
  mutation_gap: 425,
  invalid_cursor: 400,
  cursor_expired: 410,
  unsupported_protocol: 426,
  unavailable: 503,
  internal: 500,
};

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For `invalid_input`: dotted path of each bad field → why it is bad. */
  fields: z.record(z.string(), z.string()).optional(),
  /** For `conflict`: the server's current copy, so the page can offer "keep mine / keep theirs". */
  current: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ErrorResponse = z.object({ error: ErrorBody });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Turns a zod failure into the `fields` map of an `invalid_input` error. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path.map(String), key].join('.')] ??= 'is not a known field';
      continue;
    }
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    fields[path] ??= issue.message;
  }
  return fields;
}
