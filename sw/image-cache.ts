import type { WorkboxPlugin } from 'workbox-core/types';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

/** The worker's cache of same-origin images; named so tests and people can find it. */
export const IMAGE_CACHE = 'rally-images';

/**
 * Same-origin images that are not in the precache (store screenshots today; photos later) are
 * served cache-first, so they show offline once seen. Expiry bounds the cache: at most 200, none
 * older than 30 days, and all of it dropped if the origin runs out of quota (the user's data
 * matters more). Registered after the precache, whose route answers its own images first.
 */
export function cacheImagesFirst(): void {
  // Workbox declares the plugin's optional hooks as `T | undefined`, which our
  // exactOptionalPropertyTypes rejects against its own WorkboxPlugin; the shape is the same.
  const expiry = new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 30 * 24 * 60 * 60, purgeOnQuotaError: true }) as WorkboxPlugin;
  registerRoute(
    ({ request, sameOrigin }) => sameOrigin && request.destination === 'image',
    new CacheFirst({
      cacheName: IMAGE_CACHE,
      plugins: [expiry],
    }),
  );
}
