import type { Agent } from 'node:https';
import type { Config } from '../config';
import type { Db } from '../db/connect';
import type { Secrets } from '../secrets';
import { createFcmSender, type FcmSenderOptions } from './fcm-sender';
import { createPushDispatcher, type PushDispatcher } from './push-dispatcher';
import type { PushSenders } from './push-sender';
import { createWebPushSender } from './web-push-sender';

/** How pushes leave this process: in production the defaults; tests point them at local stand-ins. */
export interface PushTransport {
  /** The HTTPS agent Web Push requests go through (one that trusts a local push service). */
  webPushAgent?: Agent;
  /** FCM through these options instead of the FIREBASE_* settings (a test credential and agent). */
  fcm?: FcmSenderOptions;
}

export interface PushDeliveryRuntime {
  dispatcher: PushDispatcher;
  close(): Promise<void>;
}

/** The senders and the dispatcher of one app, from its config; the app starts the dispatcher once it is ready (unless PUSH_DISPATCHER=off). */
export async function createPushDelivery(deps: {
  config: Config;
  secrets: Secrets;
  db: Db;
  dialect: 'sqlite' | 'postgres';
  transport: PushTransport | undefined;
  isLive(deviceId: string, userId: string): Promise<boolean>;
  now: () => Date;
  onError(error: unknown): void;
}): Promise<PushDeliveryRuntime> {
  const settings = deps.config.push;
  const fcmOptions = deps.transport?.fcm ?? (settings.firebase && (await serviceAccountOptions(settings.firebase)));
  const fcm = fcmOptions ? await createFcmSender(fcmOptions) : undefined;
  const senders: PushSenders = {
    webpush: createWebPushSender({
      vapid: deps.secrets.vapid,
      subject: deps.config.vapidSubject,
      agent: deps.transport?.webPushAgent,
      timeoutMs: settings.sendTimeoutMs,
      now: deps.now,
    }),
    ...(fcm ? { fcm } : {}),
  };
  const dispatcher = createPushDispatcher({
    db: deps.db,
    dialect: deps.dialect,
    senders,
    isLive: deps.isLive,
    now: deps.now,
    onError: deps.onError,
    settings: {
      leaseMs: settings.leaseMs,
      pollIntervalMs: settings.pollIntervalMs,
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
      retry: { maxAttempts: settings.maxAttempts, baseDelayMs: settings.retryBaseMs, maxDelayMs: 15 * 60_000 },
    },
  });
  return {
    dispatcher,
    async close() {
      await dispatcher.stop();
      await fcm?.close();
    },
  };
}

async function serviceAccountOptions(firebase: NonNullable<Config['push']['firebase']>): Promise<FcmSenderOptions> {
  const { cert } = await import('firebase-admin/app');
  return { projectId: firebase.projectId, credential: cert({ projectId: firebase.projectId, clientEmail: firebase.clientEmail, privateKey: firebase.privateKey }) };
}
