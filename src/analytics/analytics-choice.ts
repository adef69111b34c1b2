import { ObservableValue } from '../net/observable-value';

/**
 * Whether this device shares usage statistics: on unless the person turned it off in Settings.
 * The choice is the device's (localStorage), not synced per user: "off means nothing leaves the
 * device" must hold from the first moment, before anyone signs in, offline, and before any sync
 * could bring a choice made elsewhere; a per-user setting would reach a new device only after its
 * first events were already queued. It is read synchronously before every event.
 */

const STORAGE_KEY = 'rally:analytics';

function readChoice(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export const analyticsEnabled = new ObservableValue<boolean>(readChoice());

/** Off also drops what is queued (analytics-engine.ts listens), so nothing left can be sent later. */
export function setAnalyticsEnabled(on: boolean): void {
  try {
    if (on) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, 'off');
  } catch {
    // Storage unavailable: the choice holds for this page's life.
  }
  analyticsEnabled.set(on);
}
