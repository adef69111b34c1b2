import type { RallyServer } from './socket-types';

/**
 * Every socket that names its device (SocketAuth.deviceId) joins that device's room, so whether a
 * device is live is one question to the adapter: with Redis it asks every process, so a socket
 * on another process counts too.
 */
export const deviceRoom = (deviceId: string) => `device:${deviceId}`;

/** Whether `userId` has a socket open from `deviceId` right now, on any process. */
export async function isDeviceLive(io: RallyServer, deviceId: string, userId: string): Promise<boolean> {
  const sockets = await io.in(deviceRoom(deviceId)).fetchSockets();
  return sockets.some((socket) => socket.data.userId === userId);
}
