import Dexie, { type Table } from 'dexie';

/**
 * What this browser knows about itself, whoever is signed in: its stable device id (registered for
 * push, sent in the socket handshake), who is signed in now (the worker shows and writes a push only
 * for them: on a shared phone it never leaks one person's push to the next), and the last app badge
 * set (so a test, or a person debugging, can read what the badge shows). IndexedDB, not
 * localStorage: the service worker reads it too.
 */

type DeviceStateRow =
  | { key: 'device'; deviceId: string }
  | { key: 'signed-in'; userId: string | null }
  | { key: 'badge'; count: number; setBy: 'page' | 'worker'; at: string };

export const DEVICE_STATE_DB = 'rally-device';

/** The version a device registers for push with (the device list shows it); page and worker say the same. */
export const APP_VERSION = '0.1.0';

class DeviceStateDb extends Dexie {
  state!: Table<DeviceStateRow, DeviceStateRow['key']>;
  constructor() {
    super(DEVICE_STATE_DB);
    this.version(1).stores({ state: 'key' });
  }
}

let opened: DeviceStateDb | null = null;
const db = () => (opened ??= new DeviceStateDb());

let deviceIdRead: Promise<string> | null = null;

/** Generated once per browser (the first caller makes it; a transaction keeps two tabs from both doing so). */
export function readDeviceId(): Promise<string> {
  deviceIdRead ??= db().transaction('rw', db().state, async () => {
    const row = await db().state.get('device');
    if (row?.key === 'device') return row.deviceId;
    const deviceId = crypto.randomUUID();
    await db().state.put({ key: 'device', deviceId });
    return deviceId;
  });
  return deviceIdRead;
}

export async function readSignedInUser(): Promise<string | null> {
  const row = await db().state.get('signed-in');
  return row?.key === 'signed-in' ? row.userId : null;
}

export async function writeSignedInUser(userId: string | null): Promise<void> {
  await db().state.put({ key: 'signed-in', userId });
}

export async function writeLastBadge(count: number, setBy: 'page' | 'worker', at: Date): Promise<void> {
  await db().state.put({ key: 'badge', count, setBy, at: at.toISOString() });
}

export async function readLastBadge(): Promise<{ count: number; setBy: 'page' | 'worker'; at: string } | null> {
  const row = await db().state.get('badge');
  return row?.key === 'badge' ? { count: row.count, setBy: row.setBy, at: row.at } : null;
}
