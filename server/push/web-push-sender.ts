import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { DeviceRow } from './devices-store';
import type { PushDelivery, PushSender } from './push-sender';
import { WEB_PUSH_URGENCY, webPushResultOf, type SendResult } from './push-rules';

export interface WebPushSenderOptions {
  vapid: { publicKey: string; privateKey: string };
  /** VAPID `sub`: how a push service reaches the operator (mailto: or https:). */
  subject: string;
  /** An HTTPS agent of our own (tests: one that trusts a local push service's certificate). */
  agent?: Agent | undefined;
  timeoutMs: number;
  now: () => Date;
}

/** Web Push (RFC 8030/8291/8292) through the `web-push` package: the payload encrypted to the subscription's keys. */
export function createWebPushSender(options: WebPushSenderOptions): PushSender {
  return {
    async send(device: DeviceRow, delivery: PushDelivery): Promise<SendResult> {
      if (!device.endpoint || !device.p256dh || !device.auth) return { kind: 'permanent', detail: 'not a Web Push registration' };
      try {
        await webpush.sendNotification(
          { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
          JSON.stringify(delivery.payload),
          {
            vapidDetails: { subject: options.subject, publicKey: options.vapid.publicKey, privateKey: options.vapid.privateKey },
            TTL: delivery.ttlSeconds,
            urgency: WEB_PUSH_URGENCY[delivery.priority],
            topic: delivery.topic,
            timeout: options.timeoutMs,
            contentEncoding: 'aes128gcm',
            ...(options.agent ? { agent: options.agent } : {}),
          },
        );
        return { kind: 'sent' };
      } catch (error) {
        if (error instanceof webpush.WebPushError) {
          const retryAfter = headerOf(error.headers, 'retry-after');
          return webPushResultOf(error.statusCode, retryAfter, options.now());
        }
        // No answer (a timeout, a refused or reset connection): the push may be tried again.
        return { kind: 'transient', detail: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
