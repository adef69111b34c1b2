import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';

/** Caches the built app shell (html, js, css, icons) and serves it cache-first. */
export function precacheAppShell(entries: (PrecacheEntry | string)[]): void {
  precacheAndRoute(entries);
  // Precaches from an older build format would otherwise sit in storage forever.
  cleanupOutdatedCaches();
}
