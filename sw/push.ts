import { readSignedInUser } from '../device-db/device-state';
import { isMuted, readPushData, type PushPayload } from '../protocol/push';
import { callNotificationContent, countOf, isOnScreen, notificationContent } from './notification-content';
import { inPushOrder } from './push-order';
import { storePushed, updateBadge, withUserDb } from './push-store';

/**
 * A push arrives: our Web Push JSON or an FCM data message (`readPushData` reads both; Firebase's
 * own worker script is never loaded). It is written into its user's device database and shown,
 * unless it is for someone not signed in here (a shared phone: nothing shown, nothing written),
 * its conversation is muted, or a window already shows that conversation. One push at a time
 * (push-order.ts): each is shown before the next counts what is shown.
 */
export function listenToPushes(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('push', (event) => {
    const data = jsonOf(event.data);
    event.waitUntil(inPushOrder(() => receivePush(scope, data)));
  });
}

function jsonOf(data: PushMessageData | null): unknown {
  try {
    return data?.json() ?? null;
  } catch {
    return null;
  }
}

async function receivePush(scope: ServiceWorkerGlobalScope, data: unknown): Promise<void> {
  const payload = readPushData(data);
  if (!payload) return;
  // Who is signed in is what the page wrote last (device-db/device-state.ts); a signed-out device
  // names nobody, and a push for anyone else is dropped before anything of it is stored or shown.
  if (payload.userId !== (await readSignedInUser())) return;
  await storePushed(payload).catch((error: unknown) => console.warn('Rally could not store a push', error));
  await showUnlessSeen(scope, payload);
  await updateBadge(scope, payload.userId).catch(() => undefined);
}

async function showUnlessSeen(scope: ServiceWorkerGlobalScope, payload: PushPayload): Promise<void> {
  // A call rings like a phone: whatever is on screen, muted conversation or not (a device whose
  // socket is live gets no call push; it rings in the page).
  if (payload.kind === 'call') {
    if (!payload.call) return;
    const content = callNotificationContent(payload, payload.call, new Date());
    await scope.registration.showNotification(content.title, content.options);
    return;
  }
  // Visible is enough: a window on screen reports `focused` false on some platforms (and headless).
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (isOnScreen(payload, windows)) return;
  if (payload.conversationId && (await isMutedHere(payload.userId, payload.conversationId))) return;
  const shown = await scope.registration.getNotifications({ tag: payload.tag });
  const content = notificationContent(payload, countOf(shown[0]));
  await scope.registration.showNotification(content.title, content.options);
}

/** The server pushes nothing for a muted conversation; a mute made offline is not on the server yet. */
async function isMutedHere(userId: string, conversationId: string): Promise<boolean> {
  const settings = await withUserDb(userId, (db) => db.conversationSettings.get(conversationId)).catch(() => undefined);
  return isMuted(settings, new Date());
}
