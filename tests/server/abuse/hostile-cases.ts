import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ErrorBody, MUTED_FOREVER, type MutationName } from '../../../protocol';
import { futureInstant, type TestUser } from '../harness';

/**
 * The hostile-client suite's tables: which routes are public and why, what a signed-in outsider
 * gets from each of the others, the mutations that name the private resources, and the checks
 * every answer must pass. The suite itself is hostile-clients.test.ts.
 */

/** Routes anyone may call without a token, each with why. A new public route must be added here knowingly. */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /api/health': 'liveness probe; says only that the process answers',
  'GET /api/ready': 'readiness probe; says only whether the database is reachable',
  'POST /api/auth/register': 'creating an account is how one gets a token',
  'POST /api/auth/login': 'signing in is how one gets a token',
  'POST /api/auth/refresh': 'authenticated by the refresh cookie, not an access token (refresh-failures.test.ts)',
  'POST /api/auth/logout': 'ends the session named by the refresh cookie; an expired access token must not prevent signing out',
  'GET /api/push/config': 'what a page needs to subscribe before signing in: public keys only',
  'GET /ofrep/v1/configuration': 'OFREP polling capabilities only: says nothing about any flag or user',
};

export interface World {
  owner: TestUser;
  member: TestUser;
  ana: TestUser;
  ben: TestUser;
  outsider: TestUser;
  privateId: string;
  directId: string;
  /** Ana's message to Ben in their direct conversation. */
  directMessageId: string;
  /** The member's invitation to the private activity (a notification only they may read). */
  notificationId: string;
  /** A device the member registered for push (only they may see or remove it). */
  deviceId: string;
  /** Strings that must never reach anyone outside: the private title, both messages' text. */
  secrets: string[];
}

export type Body = (world: World) => unknown;

/** What a signed-in outsider gets from each authenticated route, named with the private resources. */
export type OutsiderCase =
  /** Refused outright (403/404). */
  | { expect: 'refused'; body?: Body; query?: string }
  /** Answered per item (an offline batch): every item naming the resource is rejected. */
  | { expect: 'items-rejected'; body: Body }
  /** A batch of mutations: answered one by one, every one of them refused. */
  | { expect: 'answers-refused'; body: Body }
  /** Answers with the outsider's own view; the resources must simply be absent from it. */
  | { expect: 'own-view'; reason: string; query?: string; body?: Body };

const offlineItem = () => ({ offlineId: randomUUID() });

export const OUTSIDER_CASES: Record<string, OutsiderCase> = {
  'GET /api/auth/me': { expect: 'own-view', reason: 'takes no id: the caller\'s own account' },
  'GET /api/activities': { expect: 'own-view', reason: 'a list: the private activity must not be in it', query: '?limit=100' },
  'POST /api/activities': { expect: 'refused', body: (w) => ({ id: w.privateId, title: 'Taken over', startsAt: futureInstant() }) },
  'GET /api/activities/:activityId': { expect: 'refused' },
  'PATCH /api/activities/:activityId': { expect: 'refused', body: () => ({ title: 'Defaced' }) },
  'DELETE /api/activities/:activityId': { expect: 'refused' },
  'POST /api/activities/:activityId/join': { expect: 'refused' },
  'DELETE /api/activities/:activityId/join': { expect: 'refused' },
  'PUT /api/activities/:activityId/like': { expect: 'refused' },
  'DELETE /api/activities/:activityId/like': { expect: 'refused' },
  'GET /api/activities/:activityId/members': { expect: 'refused' },
  'POST /api/activities/:activityId/invites': { expect: 'refused', body: (w) => ({ userId: w.outsider.id }) },
  'GET /api/users': { expect: 'own-view', reason: 'people search for inviting: names only, no activity or message', query: '?q=a' },
  'GET /api/users/:userId': { expect: 'own-view', reason: 'a public profile; its counts leave private activities out' },
  'GET /api/sync': { expect: 'own-view', reason: 'the outsider\'s own feed: neither resource may appear in it', query: '?limit=500' },
  'GET /api/conversations/:conversationId/messages': { expect: 'refused', query: '?before=1000000' },
  'GET /api/calls/ice-servers': { expect: 'own-view', reason: 'TURN credentials minted for the caller alone; names no one else' },
  // Declining someone else's ringing call is refused with a real call in tests/server/push/call-pushes.test.ts.
  'POST /api/calls/:callId/decline': { expect: 'refused' },
  // A real photo in a conversation the outsider is not in is refused in tests/server/photos.test.ts;
  // here, a hash that names nothing, and an upload that is no image.
  'GET /api/photos/:hash': { expect: 'refused' },
  'PUT /api/photos/:hash': { expect: 'refused', body: (w) => ({ conversationId: w.directId }) },
  'POST /api/mutations': { expect: 'refused', body: (w) => mutationNaming(w, 'message.send') },
  'POST /api/mutations/batch': {
    expect: 'answers-refused',
    body: (w) => ({ mutations: (Object.keys(MUTATION_ARGS) as MutationName[]).map((name) => mutationNaming(w, name)) }),
  },
  'POST /api/sync/checkins/bulk': {
    expect: 'items-rejected',
    body: (w) => ({ items: [{ ...offlineItem(), activityId: w.privateId, checkedInAt: new Date().toISOString() }] }),
  },
  'POST /api/sync/rsvps/bulk': { expect: 'items-rejected', body: (w) => ({ items: [{ ...offlineItem(), activityId: w.privateId, going: true }] }) },
  'POST /api/devices': {
    expect: 'own-view',
    reason: 'registers a device of the caller\'s own',
    body: () => ({ kind: 'fcm', deviceId: randomUUID(), token: 'outsider-token', platform: 'test', appVersion: '1' }),
  },
  'GET /api/devices': { expect: 'own-view', reason: 'the caller\'s own devices only' },
  'DELETE /api/devices/:id': { expect: 'refused' },
  'GET /api/admin/metrics': { expect: 'refused' },
  'GET /api/admin/flags': { expect: 'refused' },
  'PUT /api/admin/flags/:key': { expect: 'refused', body: () => ({ targeting: { enabled: true } }) },
  'POST /ofrep/v1/evaluate/flags': { expect: 'own-view', reason: 'flags evaluated for the caller (a context naming someone else is ignored)', body: (w) => ({ context: { targetingKey: w.owner.id } }) },
  'POST /ofrep/v1/evaluate/flags/:key': { expect: 'own-view', reason: 'one flag evaluated for the caller', body: () => ({}) },
  'GET /api/admin/analytics': { expect: 'refused' },
  'GET /api/admin/reports': { expect: 'refused' },
  'POST /api/analytics/events': {
    expect: 'own-view',
    reason: 'stores the caller\'s own events under the caller\'s id; answers only counts',
    body: (w) => ({
      events: [{ id: randomUUID(), kind: 'track', name: 'activity.open', props: { activityId: w.privateId }, at: new Date().toISOString(), sessionId: randomUUID(), screen: '/' }],
    }),
  },
};

let mutationCounter = 0;
const mutationClientId = randomUUID();
export const envelope = () => ({ clientId: mutationClientId, mutationId: ++mutationCounter, createdAt: new Date().toISOString() });

/** Every mutation, aimed at the private activity or the others' direct conversation. */
export const MUTATION_ARGS = {
  'activity.create': (w) => ({ id: w.privateId, fields: { title: 'Taken over', startsAt: futureInstant() } }),
  'activity.update': (w) => ({ id: w.privateId, changes: { title: 'Defaced' }, baseVersion: 1, strategy: 'client-wins' }),
  'activity.delete': (w) => ({ id: w.privateId }),
  'activity.like': (w) => ({ id: w.privateId }),
  'activity.unlike': (w) => ({ id: w.privateId }),
  'activity.join': (w) => ({ id: w.privateId }),
  'activity.leave': (w) => ({ id: w.privateId }),
  'activity.checkin': (w) => ({ id: w.privateId }),
  'activity.setRole': (w) => ({ id: w.privateId, userId: w.outsider.id, role: 'cohost' }),
  'activity.removeMember': (w) => ({ id: w.privateId, userId: w.member.id }),
  'message.send': (w) => ({ id: randomUUID(), conversationId: w.directId, body: 'Let me in', kind: 'text' }),
  'message.edit': (w) => ({ id: w.directMessageId, body: 'Defaced' }),
  'message.delete': (w) => ({ id: w.directMessageId }),
  'message.hide': (w) => ({ id: w.directMessageId }),
  'message.react': (w) => ({ id: w.directMessageId, emoji: '💩', on: true }),
  'conversation.open': (w) => ({ id: w.directId, peerId: w.ben.id }),
  'notification.read': (w) => ({ ids: [w.notificationId] }),
  'notification.readAll': () => ({ upTo: new Date().toISOString() }),
  'settings.push': () => ({ push: { messages: false } }),
  'conversation.mute': (w) => ({ conversationId: w.directId, mutedUntil: MUTED_FOREVER }),
  'conversation.pin': (w) => ({ conversationId: w.directId, pinned: true }),
  'conversation.archive': (w) => ({ conversationId: w.directId, archived: true }),
  // Blocking someone is the outsider's own setting: applied, and it changes nothing of Ben's.
  'user.block': (w) => ({ userId: w.ben.id, blocked: true }),
  'report.create': (w) => ({ userId: w.ana.id, messageId: w.directMessageId, reason: 'spam' }),
} satisfies Record<MutationName, (world: World) => Record<string, unknown>>;

/**
 * Mutations that name nothing but the caller's own things: an outsider's is applied, to the
 * outsider's notifications or settings alone (the suite checks that the member's stay as they were).
 */
export const OWN_DATA_MUTATIONS: ReadonlySet<MutationName> = new Set(['notification.readAll', 'settings.push', 'user.block']);

export function mutationNaming(world: World, name: MutationName): unknown {
  return { ...envelope(), name, args: MUTATION_ARGS[name](world) };
}

/** Path params filled with the resource a bug would leak. */
export function fillPath(url: string, world: World, conversationId = world.directId): string {
  return url.replace(/:(\w+)/g, (_match, name: string) => {
    if (name === 'activityId') return world.privateId;
    if (name === 'conversationId') return conversationId;
    if (name === 'userId') return world.owner.id;
    if (name === 'id') return world.deviceId;
    if (name === 'key') return 'chat-photos';
    if (name === 'callId') return randomUUID();
    if (name === 'hash') return 'ab'.repeat(32);
    throw new Error(`no value for path param :${name} of ${url}: give it one in fillPath`);
  });
}

export function expectNoSecret(world: World, body: unknown, label: string): void {
  const text = JSON.stringify(body ?? null);
  for (const secret of world.secrets) expect(text, `${label} leaked "${secret}"`).not.toContain(secret);
}

export function expectErrorBody(body: unknown, label: string): void {
  expect(ErrorBody.safeParse((body as { error?: unknown } | undefined)?.error).success, `${label}: ${JSON.stringify(body)}`).toBe(true);
}

export function sessionIdOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sid: string };
  return payload.sid;
}
