import { getApps, initializeApp } from 'firebase/app';
import { getMessaging, getToken } from 'firebase/messaging';
import type { FirebaseWebConfig } from '../../../protocol';

const APP_NAME = 'rally-push';

/**
 * Firebase Cloud Messaging's token for this browser, made with our own worker (Firebase's worker
 * script is never loaded: our worker reads FCM data messages itself). Imported only dynamically
 * (register-device.ts), so Firebase's code is fetched when push is set up, never on page load.
 */
export async function firebaseToken(config: FirebaseWebConfig, vapidKey: string, registration: ServiceWorkerRegistration): Promise<string> {
  // Turning notifications on a second time in one visit finds the app made the first time.
  const app = getApps().find((existing) => existing.name === APP_NAME) ?? initializeApp(config, APP_NAME);
  return getToken(getMessaging(app), { vapidKey, serviceWorkerRegistration: registration });
}
