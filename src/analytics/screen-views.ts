import { screen } from './analytics';

/**
 * Screen views, from the router: one `screen` event each time the page settles on another path,
 * named by the route pattern (`/activities/:activityId`), so a screen's name never carries an id
 * or anything else from the URL. Kept free of zod and the contract: it is in the first load.
 */

interface MatchedRoute {
  route: { path?: string };
}

interface RouterLike {
  state: RouterState;
  subscribe(listener: (state: RouterState) => void): () => void;
}

interface RouterState {
  initialized: boolean;
  navigation: { state: string };
  location: { pathname: string };
  matches: readonly MatchedRoute[];
}

/** The route pattern of the matched routes: `/`, `/chat/:chatId`, `/login`, `/*`. */
export function routePatternOf(matches: readonly MatchedRoute[]): string {
  const segments = matches.map((match) => match.route.path ?? '').filter((path) => path !== '');
  const joined = `/${segments.join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

export function reportScreenViews(router: RouterLike): () => void {
  let lastPath: string | null = null;
  const report = (state: RouterState) => {
    // Only where a navigation lands, not while a lazy screen is still loading.
    if (!state.initialized || state.navigation.state !== 'idle' || state.location.pathname === lastPath) return;
    lastPath = state.location.pathname;
    screen(routePatternOf(state.matches));
  };
  report(router.state);
  return router.subscribe(report);
}
