import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppNotification, ConversationSettings, MUTED_FOREVER, PROTOCOL_VERSION, UserSettings } from '../../../protocol';
import { nextEvent, request, startTestServer, useSockets, type TestServer, type TestUser } from '../harness';
import { freshReplica, type SyncReplica } from '../sync-client';
import { activityWith, mutate, registerUser, sendMessage } from './push-world';

/** The notification center and the user's settings travel through the feed to every device of theirs. */
describe('notifications and settings in the feed', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let party: string;

  beforeAll(async () => {
    server = await startTestServer({ PUSH_DISPATCHER: 'off' });
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
    party = await activityWith(server, ana, [], 'Board games');
    expect((await request(server, 'POST', `/api/activities/${party}/invites`, { token: ana.token, body: { userId: ben.id } })).status).toBe(201);
    expect((await request(server, 'POST', `/api/activities/${party}/join`, { token: ben.token })).status).toBe(200);
    expect((await request(server, 'PATCH', `/api/activities/${party}`, { token: ana.token, body: { location: 'Ana\'s' } })).status).toBe(200);
    await sendMessage(server, ana, party, 'Bring snacks', 'announcement');
    await sendMessage(server, ana, party, 'Just chatting');
  });
  afterAll(async () => server?.close());

  const notificationsOf = (replica: SyncReplica) =>
    [...replica.rows.entries()].filter(([key]) => key.startsWith('notification/')).map(([, row]) => AppNotification.parse(row.data));

  it('gives each recipient a notification per invitation, update and announcement (none for a chat line, none to the actor)', async () => {
    const bens = notificationsOf(await freshReplica(server, ben, 500, PROTOCOL_VERSION));
    expect(bens.map((notification) => notification.kind).sort()).toEqual(['activity-update', 'announcement', 'invitation']);
    for (const notification of bens) expect(notification).toMatchObject({ activityId: party, actorId: ana.id, url: `/activities/${party}`, readAt: null });
    expect(notificationsOf(await freshReplica(server, ana, 500, PROTOCOL_VERSION))).toEqual([]);
  });

  it('marks read on one device and the other hears it; readAll takes what was made up to its instant; both are idempotent and only the user\'s own', async () => {
    const phone = await freshReplica(server, ben, 500, PROTOCOL_VERSION);
    const laptop = await freshReplica(server, ben, 500, PROTOCOL_VERSION);
    const [first] = notificationsOf(phone);
    const read = await mutate(server, ben, 'notification.read', { ids: [first!.id] });
    expect(read.body).toMatchObject({ status: 'applied', resolution: 'applied' });
    expect((await mutate(server, ben, 'notification.read', { ids: [first!.id] })).body).toMatchObject({ resolution: 'unchanged' });
    await laptop.pullUntilDone();
    const onLaptop = notificationsOf(laptop);
    expect(onLaptop.find((notification) => notification.id === first!.id)?.readAt).not.toBeNull();
    expect(onLaptop.filter((notification) => notification.readAt === null)).toHaveLength(2);
    // Ana may not mark Ben's read: refused as if it did not exist, and nothing changes.
    expect((await mutate(server, ana, 'notification.read', { ids: [onLaptop[1]!.id] })).status).toBe(404);
    expect((await mutate(server, ben, 'notification.readAll', { upTo: new Date().toISOString() })).body).toMatchObject({ resolution: 'applied' });
    await phone.pullUntilDone();
    expect(notificationsOf(phone).every((notification) => notification.readAt !== null)).toBe(true);
  });

  it('syncs push preferences (merged per key) and a conversation\'s mute to the user alone, and refuses muting a conversation they cannot see', async () => {
    expect((await mutate(server, ben, 'settings.push', { push: { messages: false } })).status).toBe(200);
    expect((await mutate(server, ben, 'settings.push', { push: { invitations: false } })).status).toBe(200);
    expect((await mutate(server, ben, 'conversation.mute', { conversationId: party, mutedUntil: MUTED_FOREVER })).status).toBe(200);
    const replica = await freshReplica(server, ben, 500, PROTOCOL_VERSION);
    expect(UserSettings.parse(replica.rows.get(`user-settings/${ben.id}`)?.data)).toEqual({
      userId: ben.id,
      push: { messages: false, announcements: true, activityUpdates: true, invitations: false },
    });
    expect(ConversationSettings.parse(replica.rows.get(`conversation-settings/${party}`)?.data)).toEqual({ conversationId: party, mutedUntil: MUTED_FOREVER, pinnedAt: null, archivedAt: null });
    expect((await freshReplica(server, ana, 500, PROTOCOL_VERSION)).keys().filter((key) => /settings\//.test(key))).toEqual([]);
    const outsider = await registerUser(server, 'Outsider');
    const refused = await mutate(server, outsider, 'conversation.mute', { conversationId: party, mutedUntil: MUTED_FOREVER });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
  });

  it('pins up to three chats and archives them per user, synced to the user\'s devices alone; a fourth pin is refused and a repeat changes nothing', async () => {
    const rooms = [party, ...(await Promise.all([1, 2, 3].map(() => activityWith(server, ana, [], `Room ${Math.random()}`))))];
    const laptop = await freshReplica(server, ana, 500, PROTOCOL_VERSION);
    for (const room of rooms.slice(0, 3)) expect((await mutate(server, ana, 'conversation.pin', { conversationId: room, pinned: true })).body).toMatchObject({ resolution: 'applied' });
    expect((await mutate(server, ana, 'conversation.pin', { conversationId: rooms[0]!, pinned: true })).body).toMatchObject({ resolution: 'unchanged' });
    const fourth = await mutate(server, ana, 'conversation.pin', { conversationId: rooms[3]!, pinned: true });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('too_many_pinned');
    expect((await mutate(server, ana, 'conversation.pin', { conversationId: rooms[2]!, pinned: false })).body).toMatchObject({ resolution: 'applied' });
    expect((await mutate(server, ana, 'conversation.pin', { conversationId: rooms[3]!, pinned: true })).status).toBe(200);
    expect((await mutate(server, ana, 'conversation.archive', { conversationId: rooms[1]!, archived: true })).body).toMatchObject({ resolution: 'applied' });
    // Muting keeps the pin: the columns of one row change apart.
    expect((await mutate(server, ana, 'conversation.mute', { conversationId: rooms[0]!, mutedUntil: MUTED_FOREVER })).status).toBe(200);

    await laptop.pullUntilDone();
    const settingsOf = (room: string) => ConversationSettings.parse(laptop.rows.get(`conversation-settings/${room}`)?.data);
    expect(settingsOf(rooms[0]!)).toMatchObject({ mutedUntil: MUTED_FOREVER, pinnedAt: expect.any(String), archivedAt: null });
    expect(settingsOf(rooms[1]!)).toMatchObject({ pinnedAt: expect.any(String), archivedAt: expect.any(String) });
    expect(settingsOf(rooms[2]!)).toMatchObject({ pinnedAt: null });
    expect(settingsOf(rooms[3]!)).toMatchObject({ pinnedAt: expect.any(String) });
    // Ben, in the same room, sees none of Ana's pins; an outsider cannot pin a room they are not in.
    const bens = await freshReplica(server, ben, 500, PROTOCOL_VERSION);
    expect(ConversationSettings.parse(bens.rows.get(`conversation-settings/${party}`)?.data)).toMatchObject({ pinnedAt: null, archivedAt: null });
    const outsider = await registerUser(server, 'Stranger');
    expect((await mutate(server, outsider, 'conversation.pin', { conversationId: party, pinned: true })).status).toBe(404);
    expect((await mutate(server, outsider, 'conversation.archive', { conversationId: party, archived: true })).status).toBe(404);
  });

  it('sends none of the three new entities to a page that names no protocol 5 (or an older one)', async () => {
    const entitiesOf = (replica: SyncReplica) => new Set(replica.keys().map((key) => key.split('/')[0] ?? ''));
    for (const replica of [await freshReplica(server, ben), await freshReplica(server, ben, 500, 4)]) {
      const entities = entitiesOf(replica);
      expect(entities.has('activity')).toBe(true);
      for (const entity of ['notification', 'user-settings', 'conversation-settings']) expect(entities.has(entity), entity).toBe(false);
    }
    // The log too: a version-4 page that synced before hears of a new notification not at all.
    const old = await freshReplica(server, ben);
    const current = await freshReplica(server, ben, 500, PROTOCOL_VERSION);
    expect((await request(server, 'PATCH', `/api/activities/${party}`, { token: ana.token, body: { location: 'The park' } })).status).toBe(200);
    await old.pullUntilDone();
    await current.pullUntilDone();
    expect([...entitiesOf(old)].filter((entity) => entity.includes('notification') || entity.includes('settings'))).toEqual([]);
    expect(notificationsOf(current)).toHaveLength(4);
  });

  describe('live', () => {
    const sockets = useSockets();

    it('tells every device of the user to pull when a notification is made for them or they read one elsewhere, and nobody else', async () => {
      const [phone, laptop, anas] = [await sockets.connect(server, ben), await sockets.connect(server, ben), await sockets.connect(server, ana)];
      const anaHeard: unknown[] = [];
      anas.on('own:changed', (event) => anaHeard.push(event));
      const phoneHears = nextEvent(phone, 'own:changed');
      const laptopHears = nextEvent(laptop, 'own:changed');
      expect((await request(server, 'PATCH', `/api/activities/${party}`, { token: ana.token, body: { location: 'The lake' } })).status).toBe(200);
      const [onPhone, onLaptop] = await Promise.all([phoneHears, laptopHears]);
      expect(onLaptop).toEqual(onPhone);
      const replica = await freshReplica(server, ben, 500, PROTOCOL_VERSION);
      // The position named is the new notification's own: a device that pulls to it has it.
      const newest = notificationsOf(replica).find((notification) => replica.rows.get(`notification/${notification.id}`)?.version === onPhone.seq);
      expect(newest).toMatchObject({ kind: 'activity-update', readAt: null });

      const laptopHearsRead = nextEvent(laptop, 'own:changed');
      expect((await mutate(server, ben, 'notification.read', { ids: [newest!.id] })).body).toMatchObject({ resolution: 'applied' });
      expect((await laptopHearsRead).seq).toBeGreaterThan(onPhone.seq);
      expect(anaHeard).toEqual([]);
    });
  });
});
