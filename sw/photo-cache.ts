import type { WorkboxPlugin } from 'workbox-core/types';
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { PHOTO_CACHE } from '../device-db/photo-cache';

/**
 * Chat photos, cache-first: a photo's bytes never change under its hash, so once seen it is
 * answered from here, offline too. Only 200s are kept (a refusal is never cached), each address
 * names its viewer (device-db/photo-cache.ts), at most 300 for 30 days, all dropped when the origin
 * runs out of quota; signing out deletes the cache. The page reads photos with `fetch` and its
 * token (an <img> could not carry it), so these requests are not `destination: image` and never
 * reach the image cache.
 */
export function cachePhotosFirst(): void {
  // See image-cache.ts for why the plugin is cast.
  const expiry = new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 30 * 24 * 60 * 60, purgeOnQuotaError: true }) as WorkboxPlugin;
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/api/photos/'),
    // The server varies its answers on Accept-Encoding; the bytes are the same whatever was asked.
    new CacheFirst({ cacheName: PHOTO_CACHE, plugins: [expiry], matchOptions: { ignoreVary: true } }),
    'GET',
  );
}
