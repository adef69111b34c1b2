import Dexie from 'dexie';
import { localDbName } from '../device-db/local-db';
import { photoSentBy, uploadPhotoFor, type PhotoUploadResult } from '../device-db/photo-uploads';
import type { HeadEntry } from './queue-head';
import { withUserDb } from './push-store';
import { send, type SendResult } from './replay-requests';

/**
 * The worker's side of "the photo's file before its message": a queued `message.send` that names
 * a photo still waiting on the device (device-db/photo-uploads.ts) has it uploaded, with the
 * writer's token, right before the message goes; passed straight on, replayed alone, or in a batch.
 */

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** Uploads the photo `body` (a mutation's JSON) names, from `userId`'s device database. */
export async function uploadPhotoOf(userId: string, body: string, token: string | null): Promise<PhotoUploadResult> {
  const mutation = parsed(body);
  // Most writes name no photo: they open no database.
  if (!photoSentBy(mutation)) return 'ready';
  if (!(await Dexie.exists(localDbName(userId)))) return 'ready';
  return withUserDb(userId, (db) => uploadPhotoFor(db, mutation, token));
}

/** A replayed entry: its photo, then itself. No network for the photo is no network for the entry. */
export async function uploadThenSend(userId: string, request: Request, body: string, token: string): Promise<SendResult> {
  const upload = await uploadPhotoOf(userId, body, token);
  if (upload === 'unreachable') return { status: 0, body: null };
  if (upload !== 'ready') return upload;
  return send(request, body, token);
}

/**
 * How many entries at the head of a batch may go as they are: every photo they name uploaded. The
 * batch stops before the first that is not; the one-at-a-time replay takes that one with its answer.
 */
export async function readyForBatch(userId: string, batch: readonly HeadEntry[], token: string): Promise<number> {
  for (const [index, item] of batch.entries()) {
    if ((await uploadPhotoOf(userId, item.body, token)) !== 'ready') return index;
  }
  return batch.length;
}
