import { PHOTO_MAX_SIDE, PHOTO_PREVIEW_SIDE, type MessagePhoto } from '../../../protocol/photos';

/**
 * A picked or pasted image made ready to send: at most PHOTO_MAX_SIDE on its longest side (a phone's
 * 12-megapixel photo becomes a few hundred KB), a PHOTO_PREVIEW_SIDE preview that travels inside
 * the message and shows at once, and the SHA-256 that names the file. Decoded with
 * createImageBitmap (EXIF orientation applied) and drawn on an OffscreenCanvas where there is one.
 * Always re-encoded as JPEG: what is sent is pixels we drew, never the original file's metadata
 * (a phone photo's location). An animated GIF is sent as its first frame.
 */

/** The size that fits within `max` on both sides, keeping the proportions; never enlarged, never 0. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new RangeError('An image needs a width and a height');
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The largest a photo shows in a bubble; narrower screens shrink it with the bubble (max-width: 100%). */
export const BUBBLE_PHOTO_MAX = { width: 240, height: 300 };
/** The smallest, so a tiny image is still a 44 px touch target. */
export const BUBBLE_PHOTO_MIN = { width: 88, height: 44 };

/** A photo's box in a bubble: within 240 × 300 keeping its proportions, and at least 88 × 44 (cropped to fill). */
export function bubblePhotoSize(photo: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, BUBBLE_PHOTO_MAX.width / photo.width, BUBBLE_PHOTO_MAX.height / photo.height);
  return {
    width: Math.max(BUBBLE_PHOTO_MIN.width, Math.round(photo.width * scale)),
    height: Math.max(BUBBLE_PHOTO_MIN.height, Math.round(photo.height * scale)),
  };
}

const FULL_QUALITY = 0.85;
const PREVIEW_QUALITY = 0.6;

export interface PreparedPhoto {
  photo: MessagePhoto;
  file: Blob;
}

export async function preparePhoto(source: Blob): Promise<PreparedPhoto> {
  if (!source.type.startsWith('image/')) throw new Error('That is not an image.');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(source, { imageOrientation: 'from-image' });
  } catch {
    throw new Error('This image could not be read.');
  }
  try {
    const full = fitWithin(bitmap.width, bitmap.height, PHOTO_MAX_SIDE);
    const small = fitWithin(bitmap.width, bitmap.height, PHOTO_PREVIEW_SIDE);
    const file = await drawJpeg(bitmap, full, FULL_QUALITY);
    const preview = await blobToDataUrl(await drawJpeg(bitmap, small, PREVIEW_QUALITY));
    const hash = await sha256Hex(file);
    return { file, photo: { hash, type: 'image/jpeg', width: full.width, height: full.height, preview } };
  } finally {
    bitmap.close();
  }
}

async function drawJpeg(bitmap: ImageBitmap, size: { width: number; height: number }, quality: number): Promise<Blob> {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(size.width, size.height) : Object.assign(document.createElement('canvas'), size);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!context) throw new Error('This browser cannot resize images.');
  // JPEG has no transparency: a transparent PNG's background becomes white, not black.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size.width, size.height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  if (canvas instanceof OffscreenCanvas) return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('This image could not be encoded.'))), 'image/jpeg', quality));
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the preview.'));
    reader.readAsDataURL(blob);
  });
}

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
