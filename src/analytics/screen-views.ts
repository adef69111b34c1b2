import { screen } from './analytics';

/**
 * Screen views: one `screen` event each time the page settles on another path,
 * named by the route pattern (`/activities/:activityId`), so a screen's name never carries an id
 * or anything else from the URL. Kept free of zod and the contract: it is in the first load.
 */

interface MatchedRoute {
  route: { path?: string };
}

/** The route pattern of the matched routes: `/`, `/chat/:chatId`, `/login`, `/*`. */
export function routePatternOf(matches: readonly MatchedRoute[]): string {
  const segments = matches.map((match) => match.route.path ?? '').filter((path) => path !== '');
  const joined = `/${segments.join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

let lastPath: string | null = null;

/**
 * A screen view where a navigation lands (AppRoutes calls it after each commit of a new
 * location): once per path, so a change of only the query string is not another view.
 */
export function reportScreenView(pathname: string, matches: readonly MatchedRoute[]): void {
  if (pathname === lastPath) return;
  lastPath = pathname;
  screen(routePatternOf(matches));
}
