import type { AdminMetrics, Device, PushConfig, RegisterDeviceBody } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/app-error';
import { deleteOwnDevice, findDevice, listDevicesOf, registerDevice, toDevice } from './devices-store';
import { countPushes } from './push-outbox-store';

/** What the device and push routes ask of the server: a user's own devices, the public push config, the admin's figures. */
export interface DeviceService {
  register(viewer: Viewer, body: RegisterDeviceBody): Promise<Device>;
  list(viewer: Viewer): Promise<Device[]>;
  /** Removes one of the viewer's devices; another user's (or none) is a 404 that reveals nothing. */
  remove(viewer: Viewer, deviceId: string): Promise<void>;
  pushConfig(): PushConfig;
  adminMetrics(viewer: Viewer): Promise<AdminMetrics>;
}

export function createDeviceService(deps: { db: Db; now: () => Date; pushConfig: PushConfig; adminUserIds: readonly string[] }): DeviceService {
  const { db, now } = deps;
  return {
    async register(viewer, body) {
      await registerDevice(db, { userId: viewer.id, sessionId: viewer.sessionId ?? null, body, at: now().toISOString() });
      const row = await findDevice(db, body.deviceId);
      if (!row) throw notFound('Device');
      return toDevice(row);
    },
    async list(viewer) {
      return (await listDevicesOf(db, viewer.id)).map(toDevice);
    },
    async remove(viewer, deviceId) {
      if (!(await deleteOwnDevice(db, viewer.id, deviceId))) throw notFound('Device');
    },
    pushConfig: () => deps.pushConfig,
    async adminMetrics(viewer) {
      if (!deps.adminUserIds.includes(viewer.id)) throw new AppError('forbidden', 'Only an administrator may read the metrics');
      const counts = await countPushes(db);
      const oldest = counts.oldestPendingAt === null ? null : Math.max(0, now().getTime() - Date.parse(counts.oldestPendingAt));
      return {
        push: {
          queued: counts.byStatus.pending,
          sent: counts.byStatus.sent,
          failed: counts.byStatus.failed,
          expired: counts.byStatus.expired,
          skippedLive: counts.byStatus['skipped-live'],
          oldestPendingAgeMs: oldest,
        },
      };
    },
  };
}
