import type { Selectable } from 'kysely';
import type { Device, RegisterDeviceBody } from '../../protocol';
import type { Db } from '../db/connect';
import type { PushDevicesTable } from '../db/schema';

export type DeviceRow = Selectable<PushDevicesTable>;

/**
 * Registered devices. A device id names one browser install; the newest registration owns it, so
 * on a phone two people share, the second person's registration takes the device from the first
 * (who then gets nothing there). Each row remembers the session that registered it: ending that
 * session removes it (`revokeFamily` in db/refresh-tokens-store.ts).
 */
export async function registerDevice(db: Db, input: { userId: string; sessionId: string | null; body: RegisterDeviceBody; at: string }): Promise<void> {
  const { body, at } = input;
  const target =
    body.kind === 'webpush'
      ? { endpoint: body.subscription.endpoint, p256dh: body.subscription.keys.p256dh, auth: body.subscription.keys.auth, fcmToken: null }
      : { endpoint: null, p256dh: null, auth: null, fcmToken: body.token };
  const fields = { userId: input.userId, sessionId: input.sessionId, kind: body.kind, platform: body.platform, appVersion: body.appVersion, lastSeenAt: at, ...target };
  await db.transaction().execute(async (trx) => {
    // Another user's registration of this device ends: theirs was the older one.
    await trx.deleteFrom('pushDevices').where('id', '=', body.deviceId).where('userId', '<>', input.userId).execute();
    await trx
      .insertInto('pushDevices')
      .values({ id: body.deviceId, createdAt: at, ...fields })
      .onConflict((oc) => oc.column('id').doUpdateSet(fields))
      .execute();
  });
}

export function toDevice(row: DeviceRow): Device {
  return { id: row.id, kind: row.kind, platform: row.platform, appVersion: row.appVersion, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt };
}

export async function listDevicesOf(db: Db, userId: string): Promise<DeviceRow[]> {
  return db.selectFrom('pushDevices').selectAll().where('userId', '=', userId).orderBy('createdAt').orderBy('id').execute();
}

export async function devicesOfUsers(db: Db, userIds: readonly string[]): Promise<DeviceRow[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('pushDevices').selectAll().where('userId', 'in', userIds).orderBy('id').execute();
}

export async function findDevice(db: Db, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('pushDevices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes one of the user's own devices; false when they have none of that id. */
export async function deleteOwnDevice(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('pushDevices').where('id', '=', id).where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * The push service said this registration is dead. Only the registration the push went to goes:
 * the device may have registered anew (another endpoint or token) meanwhile.
 */
export async function deleteDeadRegistration(db: Db, device: Pick<DeviceRow, 'id' | 'userId' | 'endpoint' | 'fcmToken'>): Promise<void> {
  let query = db.deleteFrom('pushDevices').where('id', '=', device.id).where('userId', '=', device.userId);
  query = device.endpoint !== null ? query.where('endpoint', '=', device.endpoint) : query.where('fcmToken', '=', device.fcmToken);
  await query.execute();
}
