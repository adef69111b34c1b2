import type { ErrorBody } from '../protocol/errors';
import type { MessagePhoto } from '../protocol/photos';
import type { RallyLocalDb } from './local-db';

/**
 * A message with a photo names the file by its hash; the file goes first, to
 * `PUT /api/photos/<hash>`, and then the message. Both runtimes that send a device's mutations do
 * this, with this one function: the page before it sends an entry, and the service worker before
 * it passes one on or replays it (page closed). The upload is idempotent (the same bytes under
 * the same name), so it can be repeated after any failure; once the server has the file the row
 * says so and nobody uploads it again. A file this device does not hold (already sent and
 * forgotten) is not uploaded: the server answers `photo_missing` if it never arrived.
 */

/** What the server answered, shaped as a mutation's answer, so the send policy reads it as one. */
export interface PhotoUploadRefusal {
  status: number;
  body: { error: ErrorBody; mutation: { clientId: string; mutationId: number } } | null;
  retryAfterMs?: number;
}

/** `ready`: the message may go. `unreachable`: no network; whoever can keep the message keeps it. */
export type PhotoUploadResult = 'ready' | 'unreachable' | PhotoUploadRefusal;

const UPLOAD_TIMEOUT_MS = 60_000;

/** The photo a `message.send` names, if any (read from a mutation or a queued request's JSON). */
export function photoSentBy(mutation: unknown): MessagePhoto | undefined {
  const candidate = mutation as { name?: unknown; args?: { photo?: MessagePhoto } } | null;
  return candidate?.name === 'message.send' ? candidate.args?.photo : undefined;
}

export async function uploadPhotoFor(db: RallyLocalDb, mutation: unknown, token: string | null): Promise<PhotoUploadResult> {
  const photo = photoSentBy(mutation);
  if (!photo) return 'ready';
  const pending = await db.pendingPhotos.get(photo.hash);
  if (!pending || pending.uploadedAt !== undefined) return 'ready';
  const ids = mutation as { clientId: string; mutationId: number };
  if (!token) return { status: 401, body: null };
  let response: Response;
  try {
    response = await fetch(`/api/photos/${photo.hash}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': pending.type },
      body: pending.blob,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    return error instanceof DOMException && error.name === 'TimeoutError' ? { status: -1, body: null } : 'unreachable';
  }
  if (response.ok) {
    await db.pendingPhotos.update(photo.hash, { uploadedAt: new Date().toISOString() });
    return 'ready';
  }
  const answer = (await response.json().catch(() => null)) as { error?: ErrorBody } | null;
  const error: ErrorBody = answer?.error ?? { code: 'unavailable', message: `The photo could not be uploaded (${response.status}).` };
  const retryAfterSeconds = Number(response.headers.get('Retry-After'));
  return {
    status: response.status,
    body: { error: { ...error, message: `Photo not uploaded: ${error.message}` }, mutation: { clientId: ids.clientId, mutationId: ids.mutationId } },
    ...(retryAfterSeconds > 0 ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
  };
}
