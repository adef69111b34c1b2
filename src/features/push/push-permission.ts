/**
 * Where this browser stands on notifications, as the settings screen shows it. 'unsupported':
 * no Notification or Push API (an iPhone outside an installed app, an old browser).
 */
export type PushPermission = 'unsupported' | 'default' | 'granted' | 'denied';

export function readPushPermission(): PushPermission {
  if (!('Notification' in window) || !('serviceWorker' in navigator) || !('PushManager' in window)) return 'unsupported';
  return Notification.permission;
}

/** Only ever called from a user's tap (browsers block, and people distrust, a prompt on load). */
export async function askPushPermission(): Promise<PushPermission> {
  if (readPushPermission() === 'unsupported') return 'unsupported';
  return Notification.requestPermission();
}

/** Whether the user turned notifications on for themselves on this browser (per user: a shared phone). */
const storageKey = (userId: string) => `rally:push:${userId}`;

export function isPushOnHere(userId: string): boolean {
  try {
    return localStorage.getItem(storageKey(userId)) === 'on';
  } catch {
    return false;
  }
}

export function notePushOnHere(userId: string, on: boolean): void {
  try {
    if (on) localStorage.setItem(storageKey(userId), 'on');
    else localStorage.removeItem(storageKey(userId));
  } catch {
    // Storage disabled: the switch shows off after a reload; the server still has the device.
  }
}
