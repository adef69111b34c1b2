import { createHandlerBoundToURL } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

/** Paths the server answers itself; a navigation there must reach the network, not the shell. */
const serverOnlyPaths = [/^\/api\//, /^\/socket\.io/];

/**
 * Every in-app URL (/, /activities/…, /profile/…) is served the precached index.html, so any
 * route opens offline and the client router takes it from there.
 */
export function routeNavigationsToAppShell(): void {
  const appShell = createHandlerBoundToURL('index.html');
  registerRoute(new NavigationRoute(appShell, { denylist: serverOnlyPaths }));
}
