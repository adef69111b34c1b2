import { z } from 'zod';
import { errorCodes } from './error-codes';

export { errorCodes, httpStatusByErrorCode } from './error-codes';

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

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
