import type { Workbox } from 'workbox-window';
import type { PageToWorkerMessage } from '../../protocol';
import { ObservableValue } from '../net/observable-value';

/** Set when a new worker has installed and waits; calling it activates the worker and reloads. */
export const pendingUpdate = new ObservableValue<(() => void) | null>(null);

const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Production only: the dev server has no built worker (and a stale one would serve old code).
 * The build emits a classic script at /sw.js (see vite.config.ts). workbox-window loads on its
 * own, after the first paint's code (issue 13); a worker already waiting by then is still
 * reported, as Workbox looks for one when it registers.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  void import('workbox-window').then(({ Workbox }) => watchWorker(new Workbox('/sw.js')));
}

function watchWorker(workbox: Workbox): void {
  workbox.addEventListener('waiting', (event) => {
    const waitingWorker = event.sw;
    pendingUpdate.set(() => {
      // Reload only once the new worker controls the page, so the reload gets the new shell.
      workbox.addEventListener('controlling', () => window.location.reload());
      const message: PageToWorkerMessage = { type: 'SKIP_WAITING' };
      waitingWorker?.postMessage(message);
    });
  });

  void workbox.register().then((registration) => {
    if (!registration) return;
    // Long-lived tabs (an installed app stays open for days) still hear about new versions.
    setInterval(() => void registration.update(), UPDATE_CHECK_INTERVAL_MS);
  });
}
