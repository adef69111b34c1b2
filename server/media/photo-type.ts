import type { PhotoType } from '../../protocol';

/**
 * What a file is, by its first bytes (its magic number), never by its name or the request's
 * Content-Type: a page, or anyone with a token, can label anything `image/png`. Only the four
 * formats every browser shows are taken. Pure, with a test row per format and per near miss.
 */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const startsWith = (signature: readonly number[], offset = 0) =>
    bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);
  // JPEG: SOI then the first marker's 0xFF.
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // GIF87a or GIF89a.
  if (startsWith([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  // RIFF....WEBP: a RIFF container whose form type is WEBP (a WAV or AVI is RIFF too).
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}
