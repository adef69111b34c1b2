/**
 * The service worker keeps the photos a user has seen in this cache (sw/photo-cache.ts), so they
 * show offline. Its requests name their viewer, so one person's entries never answer another's;
 * signing out deletes it all, as it deletes the user's database.
 */
export const PHOTO_CACHE = 'rally-photos';

export async function clearPhotoCache(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(PHOTO_CACHE);
}

/** Where the page reads a photo: the viewer is part of the address, and so of the cache's key. */
export function photoUrlFor(hash: string, viewerId: string): string {
  return `/api/photos/${hash}?viewer=${encodeURIComponent(viewerId)}`;
}
