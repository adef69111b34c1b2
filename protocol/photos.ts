import { z } from 'zod';

/**
 * Photos in chat. The page resizes a picked or pasted image, uploads its bytes to
 * `PUT /api/photos/<sha-256>` (content-addressed, so sending the same bytes again stores nothing
 * new and a replay is harmless), then sends a `message.send` that names the photo. The message
 * carries what shows at once without the file: its size and a tiny preview.
 */

/** The largest file the server stores. */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** The page resizes a photo so its longest side is at most this. */
export const PHOTO_MAX_SIDE = 1600;
/** The preview's longest side: small enough to travel inside the message. */
export const PHOTO_PREVIEW_SIDE = 64;
/** A 64 px JPEG preview is about 1–3 KB as a data URL; anything far bigger is not a preview. */
export const PHOTO_PREVIEW_MAX_LENGTH = 12_000;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const PhotoType = z.enum(PHOTO_TYPES);
export type PhotoType = z.infer<typeof PhotoType>;

/** The lower-case hex SHA-256 of the file's bytes: its name everywhere. */
export const PhotoHash = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be a lower-case hex SHA-256' });

export const PhotoPreview = z
  .string()
  .max(PHOTO_PREVIEW_MAX_LENGTH)
  .regex(/^data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/, { message: 'must be a base64 image data URL' });

/** A message's photo: the file by its hash, and what shows before the file is there. */
export const MessagePhoto = z.strictObject({
  hash: PhotoHash,
  type: PhotoType,
  width: z.number().int().min(1).max(20_000),
  height: z.number().int().min(1).max(20_000),
  preview: PhotoPreview,
});
export type MessagePhoto = z.infer<typeof MessagePhoto>;

export const PhotoRef = z.strictObject({ hash: PhotoHash });

/** The answer to an upload: 201 stored now, 200 already stored (the same bytes came before). */
export const PhotoStored = z.object({ hash: PhotoHash, type: PhotoType, size: z.number().int().min(1) });
export type PhotoStored = z.infer<typeof PhotoStored>;

/** Where a photo is uploaded and read. */
export function photoPath(hash: string): string {
  return `/api/photos/${hash}`;
}

/** What a photo without a caption says where only text can show (a push, the chat list, an older page). */
export const PHOTO_MESSAGE_TEXT = '📷 Photo';

/** A message's text where only text can show: a photo's caption after a camera, or "📷 Photo" alone. */
export function textOfMessage(message: { body: string; photo?: unknown }): string {
  if (message.photo === undefined) return message.body;
  return message.body === '' ? PHOTO_MESSAGE_TEXT : `📷 ${message.body}`;
}
