import type { Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { App, Credential } from 'firebase-admin/app';
import { FCM_DATA_KEY } from '../../protocol';
import type { DeviceRow } from './devices-store';
import type { PushDelivery, PushSender } from './push-sender';
import { FCM_ANDROID_PRIORITY, WEB_PUSH_URGENCY, type SendResult } from './push-rules';

export interface FcmSenderOptions {
  projectId: string;
  credential: Credential;
  /** An HTTP agent of our own (tests: one that reaches a local FCM stand-in). */
  httpAgent?: Agent | undefined;
}

/** FCM codes that mean the token will never work again: the device goes. */
const GONE_CODES = new Set(['messaging/registration-token-not-registered', 'messaging/invalid-registration-token']);
/** Codes that no retry can fix. */
const PERMANENT_CODES = new Set([
  'messaging/invalid-argument',
  'messaging/invalid-payload',
  'messaging/payload-size-limit-exceeded',
  'messaging/mismatched-credential',
  'messaging/third-party-auth-error',
  'messaging/invalid-recipient',
]);

/**
 * FCM HTTP v1 through `firebase-admin`: a data-only message (the worker shows it, as with Web
 * Push), sent with `messaging.send()` one at a time over HTTP/1.1 (`sendEach*` uses HTTP/2).
 */
export async function createFcmSender(options: FcmSenderOptions): Promise<PushSender & { close(): Promise<void> }> {
  // Loaded only when FCM is configured: a process without it never pays for firebase-admin.
  const { deleteApp, initializeApp } = await import('firebase-admin/app');
  const { getMessaging } = await import('firebase-admin/messaging');
  // A named app of our own, so two Rally apps in one process (tests) never share one.
  const app: App = initializeApp(
    { credential: options.credential, projectId: options.projectId, ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}) },
    `rally-push-${randomUUID()}`,
  );
  const messaging = getMessaging(app);
  return {
    async send(device: DeviceRow, delivery: PushDelivery): Promise<SendResult> {
      if (!device.fcmToken) return { kind: 'permanent', detail: 'not an FCM registration' };
      try {
        await messaging.send({
          token: device.fcmToken,
          data: { [FCM_DATA_KEY]: JSON.stringify(delivery.payload) },
          android: { priority: FCM_ANDROID_PRIORITY[delivery.priority], ttl: delivery.ttlSeconds * 1000, collapseKey: delivery.topic },
          webpush: { headers: { Urgency: WEB_PUSH_URGENCY[delivery.priority], TTL: String(delivery.ttlSeconds), Topic: delivery.topic } },
        });
        return { kind: 'sent' };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const detail = `${typeof code === 'string' ? code : 'error'}: ${error instanceof Error ? error.message : String(error)}`;
        if (typeof code === 'string' && GONE_CODES.has(code)) return { kind: 'gone', detail };
        if (typeof code === 'string' && PERMANENT_CODES.has(code)) return { kind: 'permanent', detail };
        // Unavailable, internal, quota exceeded (429), a network error or timeout: worth another try.
        return { kind: 'transient', detail };
      }
    },
    close: () => deleteApp(app),
  };
}
