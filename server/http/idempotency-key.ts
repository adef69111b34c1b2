import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WriteIdentity } from '../mutations/keyed-commands';
import { AppError } from './app-error';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Printable ASCII, as HTTP header values are; long enough for a UUID with a prefix, short enough to index. */
const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/);

/**
 * The identity a REST write's sender gave it (the `Idempotency-Key` header), or none. The
 * fingerprint is what the request asked (method, path, body), so a key reused for another
 * request is refused rather than answered with the first one's answer.
 */
export function readWriteIdentity(request: FastifyRequest): WriteIdentity | undefined {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (header === undefined) return undefined;
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw new AppError('invalid_input', 'Invalid Idempotency-Key: printable characters, at most 200', {
      fields: { 'Idempotency-Key': 'must be 1 to 200 printable characters' },
    });
  }
  const body = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('base64url');
  return { key: parsed.data, fingerprint: `${request.method} ${request.url} ${body}` };
}
