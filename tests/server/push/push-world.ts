import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { MutationName, RegisterDeviceBody, WebPushSubscription } from '../../../protocol';
import { futureInstant, registerUser, request, type TestServer, type TestUser } from '../harness';

/** Small steps the push tests share: people in an activity, their devices, their writes. */

let mutationId = 0;
const clientId = randomUUID();

export async function mutate(server: TestServer, user: TestUser, name: MutationName, args: Record<string, unknown>) {
  return request(server, 'POST', '/api/mutations', { token: user.token, body: { clientId, mutationId: ++mutationId, createdAt: new Date().toISOString(), name, args } });
}

export async function sendMessage(server: TestServer, user: TestUser, conversationId: string, body: string, kind: 'text' | 'announcement' = 'text'): Promise<string> {
  const id = randomUUID();
  const response = await mutate(server, user, 'message.send', { id, conversationId, body, kind });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return id;
}

/** An activity `owner` organizes that every one of `members` joined (its room's id is the activity's). */
export async function activityWith(server: TestServer, owner: TestUser, members: TestUser[], title = `Lake swim ${randomUUID().slice(0, 6)}`): Promise<string> {
  const created = await request(server, 'POST', '/api/activities', { token: owner.token, body: { title, startsAt: futureInstant() } });
  expect(created.status).toBe(201);
  for (const member of members) expect((await request(server, 'POST', `/api/activities/${created.body.id}/join`, { token: member.token })).status).toBe(200);
  return created.body.id as string;
}

export async function registerWebPushDevice(server: TestServer, user: TestUser, subscription: WebPushSubscription, deviceId: string = randomUUID()): Promise<string> {
  const body: RegisterDeviceBody = { kind: 'webpush', deviceId, subscription, platform: 'test', appVersion: '1.0.0' };
  const response = await request(server, 'POST', '/api/devices', { token: user.token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return deviceId;
}

export async function registerFcmDevice(server: TestServer, user: TestUser, token: string, deviceId: string = randomUUID()): Promise<string> {
  const body: RegisterDeviceBody = { kind: 'fcm', deviceId, token, platform: 'test', appVersion: '1.0.0' };
  const response = await request(server, 'POST', '/api/devices', { token: user.token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return deviceId;
}

export async function devicesOf(server: TestServer, user: TestUser): Promise<string[]> {
  const response = await request(server, 'GET', '/api/devices', { token: user.token });
  expect(response.status).toBe(200);
  return (response.body.devices as { id: string }[]).map((device) => device.id);
}

/** The outbox rows of one device, as the server holds them. */
export async function outboxOf(server: TestServer, deviceId: string) {
  return server.app.database.db.selectFrom('pushOutbox').selectAll().where('deviceId', '=', deviceId).orderBy('createdAt').execute();
}

/** Waits until no push of `deviceId` is pending. */
export async function settled(server: TestServer, deviceId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await outboxOf(server, deviceId);
    if (rows.every((row) => row.status !== 'pending') || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export { randomUUID, registerUser };
