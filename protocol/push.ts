import { z } from 'zod';
import { Call } from './calls';
import { Message } from './chat';
import { Id, Instant } from './ids';

/**
 * Push: the contract between the server that sends, the push services in between (Web Push or FCM)
 * and the worker that shows. A device is one browser install of Rally, named by a stable id the page
 * keeps; it registers per signed-in user and unregisters on sign-out or when notifications are
 * turned off. The same device id travels in the socket handshake, so the server can tell that a
 * device is live and needs no push.
 */

export const DeviceId = z.uuid();
export type DeviceId = z.infer<typeof DeviceId>;

export const DeviceKind = z.enum(['webpush', 'fcm']);
export type DeviceKind = z.infer<typeof DeviceKind>;

const Platform = z.string().trim().min(1).max(200);
const AppVersion = z.string().trim().min(1).max(50);

/** `PushSubscription.toJSON()`. Push services speak HTTPS only (RFC 8030). */
export const WebPushSubscription = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, message: 'must be an https URL' }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});
export type WebPushSubscription = z.infer<typeof WebPushSubscription>;

/** `POST /api/devices`: registers (or refreshes) this device for the signed-in user. */
export const RegisterDeviceBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webpush'), deviceId: DeviceId, subscription: WebPushSubscription, platform: Platform, appVersion: AppVersion }),
  z.strictObject({ kind: z.literal('fcm'), deviceId: DeviceId, token: z.string().min(1).max(4096), platform: Platform, appVersion: AppVersion }),
]);
export type RegisterDeviceBody = z.infer<typeof RegisterDeviceBody>;

/** A registered device as its owner sees it (`GET /api/devices`); never the token or endpoint. */
export const Device = z.object({
  id: DeviceId,
  kind: DeviceKind,
  platform: z.string(),
  appVersion: z.string(),
  createdAt: Instant,
  lastSeenAt: Instant,
});
export type Device = z.infer<typeof Device>;

export const DeviceList = z.object({ devices: z.array(Device) });
export type DeviceList = z.infer<typeof DeviceList>;

/** The web config the `firebase` package needs for `getToken`; absent when no Firebase project is set up. */
export const FirebaseWebConfig = z.object({
  apiKey: z.string().min(1),
  projectId: z.string().min(1),
  messagingSenderId: z.string().min(1),
  appId: z.string().min(1),
});
export type FirebaseWebConfig = z.infer<typeof FirebaseWebConfig>;

/**
 * `GET /api/push/config` (public): what a page needs to subscribe. One VAPID key pair serves both
 * paths: Firebase's `getToken` reuses the worker's push subscription, so it must be made with the
 * same application server key.
 */
export const PushConfig = z.object({ vapidPublicKey: z.string().min(1), firebase: FirebaseWebConfig.nullable() });
export type PushConfig = z.infer<typeof PushConfig>;

// Settings ------------------------------------------------------------------------------------

/** Which kinds of thing may push to this user's devices. Synced like everything else. */
export const PushPreferences = z.object({
  messages: z.boolean(),
  announcements: z.boolean(),
  activityUpdates: z.boolean(),
  invitations: z.boolean(),
});
export type PushPreferences = z.infer<typeof PushPreferences>;

/** One user's settings (sync entity `user-settings`, id the user's id). */
export const UserSettings = z.object({ userId: Id, push: PushPreferences });
export type UserSettings = z.infer<typeof UserSettings>;

/**
 * One user's own settings for one conversation (sync entity `conversation-settings`, id the
 * conversation's id; every user sees only their own). A muted conversation never pushes, and its
 * messages still count as unread.
 */
export const ConversationSettings = z.object({
  conversationId: Id,
  mutedUntil: Instant.nullable(),
  /** Pinned to the top of the chat list (at most MAX_PINNED_CONVERSATIONS); null when not. */
  pinnedAt: Instant.nullable().default(null),
  /** Archived: out of the chat list until a message newer than this arrives unmuted (`isArchived`). */
  archivedAt: Instant.nullable().default(null),
});
export type ConversationSettings = z.infer<typeof ConversationSettings>;

export { callPushTag, DEFAULT_PUSH_PREFERENCES, isArchived, isMuted, MAX_PINNED_CONVERSATIONS, MUTED_FOREVER } from './push-rules';

// The notification center -----------------------------------------------------------------------

/** Where a notification leads; the page's routes of the same shape. */
export const DeepLink = z
  .string()
  .max(200)
  .regex(/^\/(chat\/[0-9a-f-]{36}|activities\/[0-9a-f-]{36}|profile\/[0-9a-f-]{36}|notifications)$/i, { message: 'must be a Rally screen' });
export type DeepLink = z.infer<typeof DeepLink>;

/** What the notification center lists. Messages are not in it: they count as unread in their chat. */
export const NotificationKind = z.enum(['announcement', 'activity-update', 'invitation']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** A notification the server made for one user (sync entity `notification`); only `readAt` ever changes. */
export const AppNotification = z.object({
  id: Id,
  kind: NotificationKind,
  title: z.string(),
  body: z.string(),
  url: DeepLink,
  activityId: Id.nullable(),
  conversationId: Id.nullable(),
  /** Who caused it (the organizer who posted or invited), null when nobody in particular. */
  actorId: Id.nullable(),
  createdAt: Instant,
  readAt: Instant.nullable(),
});
export type AppNotification = z.infer<typeof AppNotification>;

// The push itself -------------------------------------------------------------------------------

/** What pushes. */
export const PushKind = z.enum(['message', 'announcement', 'activity-update', 'invitation', 'call']);
export type PushKind = z.infer<typeof PushKind>;

/** Mapped to Web Push `Urgency` and FCM `android.priority` / `webpush.headers.Urgency`. */
export const PushPriority = z.enum(['high', 'normal', 'low']);
export type PushPriority = z.infer<typeof PushPriority>;

export const PUSH_PAYLOAD_VERSION = 1;

/**
 * A call push, for a callee with no live connection: the call as it rings (Accept and Decline on
 * the lock screen) or as it ended before anyone answered (a missed call replaces the ringing one,
 * under the same tag). `ringsUntil` lets a worker that gets a ringing push late (the phone was
 * off the network) show it as missed rather than ring for a call that is over.
 */
export const CallPush = z.object({ call: Call, ringsUntil: Instant.nullable() });
export type CallPush = z.infer<typeof CallPush>;

/**
 * The data of one push, exactly as the worker reads it: a Web Push body is this JSON; an FCM
 * data message carries it as a string under `data[FCM_DATA_KEY]` (FCM data values are strings).
 * It names the user it is for, so a worker on a phone two people share writes into the right
 * person's database and shows nothing for a user no longer signed in there.
 */
export const PushPayload = z.object({
  v: z.literal(PUSH_PAYLOAD_VERSION),
  kind: PushKind,
  userId: Id,
  title: z.string().max(200),
  body: z.string().max(1000),
  url: DeepLink,
  /** One notification per tag: a conversation's messages replace each other ("3 new messages from Ana"). */
  tag: z.string().min(1).max(100),
  conversationId: Id.nullable(),
  /** A message push carries the message, so the worker stores it and a tap shows it with no network. */
  message: Message.nullable(),
  /** Any other push carries its notification, stored the same way. */
  notification: AppNotification.nullable(),
  /** A `call` push carries its call (absent from every other kind, and from pushes of older servers). */
  call: CallPush.nullable().optional(),
  /** The sender's name, for collapsing repeats of one conversation. */
  senderName: z.string().max(200).nullable(),
  sentAt: Instant,
});
export type PushPayload = z.infer<typeof PushPayload>;

export const FCM_DATA_KEY = 'rally';

/**
 * Reads a push's data, whichever way it came: our Web Push JSON, or FCM's data-message shape
 * (`{data: {rally: "<json>"}, from, fcmMessageId, priority, …}`). Null for anything else (a push
 * from an older server, or junk): the worker then shows nothing rather than guess.
 */
export function readPushData(json: unknown): PushPayload | null {
  const direct = PushPayload.safeParse(json);
  if (direct.success) return direct.data;
  if (typeof json !== 'object' || json === null) return null;
  const data = (json as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const carried = (data as Record<string, unknown>)[FCM_DATA_KEY];
  if (typeof carried !== 'string') return null;
  try {
    const inner = PushPayload.safeParse(JSON.parse(carried));
    return inner.success ? inner.data : null;
  } catch {
    return null;
  }
}

/** `GET /api/admin/metrics` (users named in ADMIN_USER_IDS). */
export const AdminMetrics = z.object({
  push: z.object({
    queued: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    expired: z.number().int(),
    skippedLive: z.number().int(),
    oldestPendingAgeMs: z.number().int().nullable(),
  }),
});
export type AdminMetrics = z.infer<typeof AdminMetrics>;
