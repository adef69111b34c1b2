import { initializeApp } from 'firebase/app';
import { getMessaging, getToken } from 'firebase/messaging';
import type { FirebaseWebConfig } from '../../../protocol';

/**
 * Firebase Cloud Messaging's token for this browser, made with our own worker (Firebase's worker
 * script is never loaded: our worker reads FCM data messages itself). Imported only dynamically
 * (register-device.ts), so Firebase's code is fetched when push is set up, never on page load.
 */
export async function firebaseToken(config: FirebaseWebConfig, vapidKey: string, registration: ServiceWorkerRegistration): Promise<string> {
  const app = initializeApp(config, 'rally-push');
  return getToken(getMessaging(app), { vapidKey, serviceWorkerRegistration: registration });
}
