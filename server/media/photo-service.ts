import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { PHOTO_MAX_BYTES, PhotoType, type PhotoStored } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { takesPart } from '../chat/chat-store';
import type { Database } from '../db/schema';
import { AppError, notFound } from '../http/app-error';
import type { PhotoStorage } from './photo-storage';
import { sniffPhotoType } from './photo-type';

/**
 * Photo files: stored by anyone signed in (content-addressed, so an upload is idempotent and the
 * same bytes are kept once), read only by someone who may see a message that names the photo.
 */
export interface PhotoService {
  /** Checks and stores the bytes named `hash`; `created` is false when they were stored before. */
  store(viewer: Viewer, hash: string, bytes: Buffer): Promise<{ photo: PhotoStored; created: boolean }>;
  /** The file, for a reader who takes part in a conversation with a message (not deleted, not hidden by them) naming it; else 404. */
  read(viewer: Viewer, hash: string): Promise<{ bytes: Buffer; type: PhotoType }>;
}

export function createPhotoService(deps: { db: Kysely<Database>; storage: PhotoStorage; now: () => Date }): PhotoService {
  const { db, storage, now } = deps;
  return {
    async store(viewer, hash, bytes) {
      if (bytes.length === 0) throw new AppError('invalid_input', 'The photo is empty', { fields: { photo: 'is empty' } });
      if (bytes.length > PHOTO_MAX_BYTES) throw new AppError('payload_too_large', `A photo may be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`);
      const type = sniffPhotoType(bytes);
      if (type === null) throw new AppError('unsupported_media_type', 'A photo must be a JPEG, PNG, WebP or GIF image');
      if (createHash('sha256').update(bytes).digest('hex') !== hash) {
        throw new AppError('invalid_input', 'The photo does not match its name', { fields: { hash: 'is not the SHA-256 of the bytes' } });
      }
      const photo: PhotoStored = { hash, type, size: bytes.length };
      const known = await db.selectFrom('photos').select('hash').where('hash', '=', hash).executeTakeFirst();
      if (known) return { photo, created: false };
      // The file first, then its row: a row always means the file is there.
      await storage.put(hash, bytes, type);
      const inserted = await db
        .insertInto('photos')
        .values({ hash, type, size: bytes.length, uploadedBy: viewer.id, createdAt: now().toISOString() })
        .onConflict((oc) => oc.column('hash').doNothing())
        .executeTakeFirst();
      return { photo, created: Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 };
    },

    async read(viewer, hash) {
      const seen = await db
        .selectFrom('messages as m')
        .innerJoin('conversations as cv', 'cv.id', 'm.conversationId')
        .select('m.id')
        .where('m.photoHash', '=', hash)
        .where('m.deletedAt', 'is', null)
        .where(takesPart(viewer.id))
        .where(sql<boolean>`not exists (select 1 from hidden_messages h where h.user_id = ${viewer.id} and h.message_id = m.id)`)
        .executeTakeFirst();
      const row = seen ? await db.selectFrom('photos').select('type').where('hash', '=', hash).executeTakeFirst() : undefined;
      const bytes = row ? await storage.get(hash) : null;
      if (!row || bytes === null) throw notFound('Photo');
      return { bytes, type: PhotoType.parse(row.type) };
    },
  };
}
