import type * as WebSdkModule from '@openfeature/web-sdk';
import type { FlagKey } from '../../protocol/flags';
import { currentAccessToken, refreshSession } from '../net/auth-client';
import { openedSocket } from '../net/socket-state';
import { allowWebSocket } from '../net/socket-transport';
import { onFlagsChanged } from './flags-changed';
import { track } from '../analytics/analytics';
import { FLAG_EXPOSURE_EVENT } from '../../protocol/analytics-names';

/**
 * Feature flags on the page: the OpenFeature web SDK with the OFREP provider, pointed at Rally's
 * own server (an operator could point it at flagd or another OFREP service instead). Both load on
 * demand after sign-in, never in the first bundle. The provider keeps the last answer in
 * localStorage per user ("local-cache-first"), so offline and at a cold start the last known
 * values apply at once; it polls every 5 minutes, refreshes when the tab comes back, and the
 * server's `flags:changed` socket event (or a socket's (re)connect, which may follow a missed
 * one: local-data/socket-events.ts) makes it evaluate again within moments.
 */

const POLL_INTERVAL_MS = 5 * 60_000;

type WebSdk = typeof WebSdkModule;

let sdk: Promise<WebSdk> | null = null;
/** Bumped to make the provider evaluate again: it does so whenever the context changes. */
let revision = 0;

/** The provider's requests, with the session's token (refreshed once on a 401, as every API call). */
async function fetchWithSession(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  // The provider hands over a whole Request (its content type and ETag included): keep them all.
  const original = new Request(input, init);
  const send = () => {
    const request = original.clone();
    const token = currentAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return fetch(request);
  };
  const response = await send();
  if (response.status !== 401 || (await refreshSession()) !== 'refreshed') return response;
  return send();
}

/** Starts flags for the signed-in user, or moves them to another user of this device. */
export function startFeatureFlags(userId: string): void {
  if (sdk) {
    void sdk.then(({ OpenFeature }) => OpenFeature.setContext({ targetingKey: userId, revision: ++revision }));
    return;
  }
  sdk = (async () => {
    const [webSdk, { OFREPWebProvider }] = await Promise.all([import('@openfeature/web-sdk'), import('@openfeature/ofrep-web-provider')]);
    const { OpenFeature, ProviderEvents } = webSdk;
    await OpenFeature.setContext({ targetingKey: userId, revision });
    onFlagsChanged(refreshFeatureFlags);
    const provider = new OFREPWebProvider({
      baseUrl: window.location.origin,
      pollInterval: POLL_INTERVAL_MS,
      cacheMode: 'local-cache-first',
      // Access tokens rotate every few minutes; the flags are the user's, so the user is the key.
      cacheKeyGenerator: (input) => `rally:${input.targetingKey ?? ''}`,
      fetchImplementation: fetchWithSession,
    });
    OpenFeature.addHooks(exposureHook(webSdk));
    const client = OpenFeature.getClient();
    const apply = () => allowWebSocket(client.getBooleanValue('websocket-enabled' satisfies FlagKey, true), openedSocket());
    client.addHandler(ProviderEvents.Ready, apply);
    client.addHandler(ProviderEvents.ConfigurationChanged, apply);
    client.addHandler(ProviderEvents.ContextChanged, apply);
    // The provider's types predate exactOptionalPropertyTypes; it implements the SDK's Provider.
    let serving = provider as unknown as WebSdkModule.Provider;
    if (import.meta.env.DEV) {
      const { readFlagOverrides, withOverrides } = await import('./flag-overrides');
      serving = withOverrides(serving, readFlagOverrides());
    }
    await OpenFeature.setProviderAndWait(serving).catch(() => undefined);
    return webSdk;
  })();
}

/** The server says targeting changed: evaluate again now. */
function refreshFeatureFlags(): void {
  void sdk?.then(({ OpenFeature }) => OpenFeature.setContext({ ...OpenFeature.getContext(), revision: ++revision }));
}

/**
 * Reports which variant of a flag this user was shown (FLAG_EXPOSURE_EVENT) for the dashboard's
 * A/B view: once per user, flag and variant in a page's life, and never for a value that only
 * fell back to the default because the provider could not answer.
 */
function exposureHook(webSdk: WebSdk): WebSdkModule.Hook {
  const reported = new Set<string>();
  return {
    after(hookContext, details) {
      if (details.reason === webSdk.StandardResolutionReasons.ERROR || details.errorCode) return;
      const variant = details.variant ?? String(details.value);
      const key = JSON.stringify([hookContext.context.targetingKey ?? '', details.flagKey, variant]);
      if (reported.has(key)) return;
      reported.add(key);
      track(FLAG_EXPOSURE_EVENT, { flag: details.flagKey, variant });
    },
  };
}
