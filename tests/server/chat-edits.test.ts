import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Message, type Mutation, type MutationApplied } from '../../protocol';
import { futureInstant, nextEvent, registerUser, request, startTestServer, useSockets, type ClientSocket, type TestServer, type TestUser } from './harness';
import { freshReplica, type SyncReplica } from './sync-client';

/**
 * Message edits, deletes (for everyone and for me), reactions and replies: each a mutation through
 * the one write path, authorised, exactly once, and converging through events and the feed.
 */

const CLIENT = randomUUID();
let counter = 0;

type MessageMutation = Extract<Mutation, { name: `message.${string}` }>;
type Named<N extends MessageMutation['name']> = Extract<MessageMutation, { name: N }>['args'];

function mutation<N extends MessageMutation['name']>(name: N, args: Named<N>, clientId = CLIENT): Mutation {
  return { clientId, mutationId: ++counter, createdAt: new Date().toISOString(), name, args } as Mutation;
}

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

describe('message edits, deletes, reactions and replies', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let roomId: string;
  const sockets = useSockets();

  async function post(user: TestUser, body: Mutation) {
    return request<MutationApplied & { error?: { code: string } }>(server, 'POST', '/api/mutations', { token: user.token, body });
  }

  async function applied(user: TestUser, body: Mutation): Promise<MutationApplied> {
    const response = await post(user, body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  async function sent(user: TestUser, body: string, replyToId?: string): Promise<Message> {
    const args = { id: randomUUID(), conversationId: roomId, body, kind: 'text' as const, ...(replyToId ? { replyToId } : {}) };
    const answer = await applied(user, { clientId: CLIENT, mutationId: ++counter, createdAt: new Date().toISOString(), name: 'message.send', args });
    return answer.message!;
  }

  /** The message as a device of `user` holds it after pulling. */
  async function onDevice(replica: SyncReplica, id: string): Promise<Message | undefined> {
    await replica.pullUntilDone();
    return replica.rows.get(`message/${id}`)?.data as Message | undefined;
  }

  /** A device of this protocol, after its first full sync. */
  const device = (user: TestUser) => freshReplica(server, user, 500, PROTOCOL_VERSION);

  async function storedRow(id: string) {
    return server.app.database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '900' });
    [ana, ben, cleo] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo')];
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Climb', startsAt: futureInstant() } });
    roomId = created.body.id;
    await request(server, 'POST', `/api/activities/${roomId}/join`, { token: ben.token });
  });
  afterAll(async () => server.close());

  it('edits the author’s message on every device, marked edited, live and through the feed', async () => {
    const benDevice = await device(ben);
    const message = await sent(ana, 'Ropes at 9');
    expect((await onDevice(benDevice, message.id))?.body).toBe('Ropes at 9');
    const benSocket: ClientSocket = await sockets.connect(server, ben);
    const heard = nextEvent(benSocket, 'message:changed');

    const answer = await applied(ana, mutation('message.edit', { id: message.id, body: 'Ropes at 10' }));
    expect(answer.message).toMatchObject({ id: message.id, body: 'Ropes at 10', seq: message.seq });
    expect(answer.message?.editedAt).toBeDefined();
    expect((await heard).message).toMatchObject({ id: message.id, body: 'Ropes at 10', editedAt: answer.message?.editedAt });

    const onBen = await onDevice(benDevice, message.id);
    expect(onBen).toMatchObject({ body: 'Ropes at 10', seq: message.seq, editedAt: answer.message?.editedAt });
    expect(benDevice.rows.get(`message/${message.id}`)?.version).toBe(answer.message?.version);
    expect((await device(ben)).rows.get(`message/${message.id}`)?.data).toMatchObject({ body: 'Ropes at 10' });
  });

  it('refuses edits and deletes by anyone but the author, and reveals nothing to an outsider', async () => {
    const message = await sent(ana, 'Mine');
    const benEdit = await post(ben, mutation('message.edit', { id: message.id, body: 'Ours' }));
    expect(benEdit.status).toBe(403);
    expect(benEdit.body.error?.code).toBe('forbidden');
    const benDelete = await post(ben, mutation('message.delete', { id: message.id }));
    expect(benDelete.status).toBe(403);
    for (const name of ['message.edit', 'message.delete', 'message.hide', 'message.react'] as const) {
      const args = name === 'message.edit' ? { id: message.id, body: 'x' } : name === 'message.react' ? { id: message.id, emoji: '👍', on: true } : { id: message.id };
      const outsider = await post(cleo, mutation(name, args as never));
      expect(outsider.status, name).toBe(404);
      expect(JSON.stringify(outsider.body)).not.toContain('Mine');
    }
    expect((await storedRow(message.id))?.body).toBe('Mine');
  });

  it('checks every input against the contract', async () => {
    const message = await sent(ana, 'Check');
    for (const args of [
      { id: message.id, body: '' },
      { id: message.id, body: 'x'.repeat(4001) },
      { id: 'not-an-id', body: 'x' },
    ]) {
      expect((await post(ana, mutation('message.edit', args))).status).toBe(400);
    }
    for (const emoji of ['lol', '', '👍👍'.repeat(20), '<b>']) {
      const response = await post(ana, mutation('message.react', { id: message.id, emoji, on: true }));
      expect(response.status, emoji).toBe(400);
    }
    const extra = await post(ana, { ...mutation('message.delete', { id: message.id }), args: { id: message.id, everyone: true } } as never);
    expect(extra.status).toBe(400);
  });

  it('deletes for everyone: a tombstone on every device, the text gone from the server, and no edit after it', async () => {
    const benDevice = await device(ben);
    // Ben's phone is registered for push, so the message is also in a push's payload.
    const registered = await request(server, 'POST', '/api/devices', { token: ben.token, body: { kind: 'fcm', deviceId: randomUUID(), token: 'ben-fcm', platform: 'test', appVersion: '1' } });
    expect(registered.status).toBe(200);
    const pushesWith = async (text: string) =>
      (await server.app.database.db.selectFrom('pushOutbox').select('id').where('payload', 'like', `%${text}%`).execute()).length;
    const quoted = await sent(ana, 'Secret meeting point');
    expect(await pushesWith('Secret meeting')).toBeGreaterThan(0);
    await applied(ben, mutation('message.react', { id: quoted.id, emoji: '👍', on: true }));
    const reply = await sent(ben, 'Got it', quoted.id);
    expect(reply.replyToId).toBe(quoted.id);
    await onDevice(benDevice, quoted.id);
    const benSocket = await sockets.connect(server, ben);
    const heard = nextEvent(benSocket, 'message:changed');

    const answer = await applied(ana, mutation('message.delete', { id: quoted.id }));
    expect(answer.message).toMatchObject({ id: quoted.id, body: '' });
    expect(answer.message?.deletedAt).toBeDefined();
    expect(answer.message?.reactions).toBeUndefined();
    expect((await heard).message).toMatchObject({ id: quoted.id, body: '', deletedAt: answer.message?.deletedAt });

    const onBen = await onDevice(benDevice, quoted.id);
    expect(onBen).toMatchObject({ body: '', deletedAt: answer.message?.deletedAt });
    expect(onBen?.reactions).toBeUndefined();
    // The reply keeps its quote's id: its devices show the original as deleted.
    expect(benDevice.rows.get(`message/${reply.id}`)?.data).toMatchObject({ replyToId: quoted.id });
    const stored = await storedRow(quoted.id);
    expect(stored).toMatchObject({ body: '', reactions: null });
    const anywhere = await server.app.database.db.selectFrom('messages').select('id').where('body', 'like', '%Secret meeting%').execute();
    expect(anywhere).toEqual([]);
    expect(await pushesWith('Secret meeting')).toBe(0);
    expect(JSON.stringify((await device(ben)).canonical())).not.toContain('Secret meeting');

    // Edit after delete: refused with its own code; a reaction too; deleting again changes nothing.
    const edit = await post(ana, mutation('message.edit', { id: quoted.id, body: 'Back again' }));
    expect(edit.status).toBe(409);
    expect(edit.body.error?.code).toBe('message_deleted');
    const react = await post(ben, mutation('message.react', { id: quoted.id, emoji: '🎉', on: true }));
    expect(react.body.error?.code).toBe('message_deleted');
    const again = await applied(ana, mutation('message.delete', { id: quoted.id }));
    expect(again.resolution).toBe('unchanged');
    expect((await storedRow(quoted.id))?.body).toBe('');
  });

  it('a delete beats an edit made before it arrived; of two edits the later in server order wins everywhere', async () => {
    const message = await sent(ana, 'v1');
    const anaPhone = await device(ana);
    const anaLaptop = await device(ana);
    const benDevice = await device(ben);
    // Two of Ana's devices edit offline; the laptop's edit reaches the server second.
    await applied(ana, mutation('message.edit', { id: message.id, body: 'from the phone' }, randomUUID()));
    const second = await applied(ana, mutation('message.edit', { id: message.id, body: 'from the laptop' }, randomUUID()));
    for (const device of [anaPhone, anaLaptop, benDevice]) {
      expect((await onDevice(device, message.id))?.body).toBe('from the laptop');
      expect(device.rows.get(`message/${message.id}`)?.version).toBe(second.message?.version);
    }

    // The edit landed first, then the delete: the delete stands and the text is gone.
    await applied(ana, mutation('message.delete', { id: message.id }, randomUUID()));
    const onBen = await onDevice(benDevice, message.id);
    expect(onBen).toMatchObject({ body: '' });
    expect(onBen?.editedAt).toBeUndefined();
    // The phone's edit, made offline before it heard of the delete, arrives now: refused.
    const late = await post(ana, mutation('message.edit', { id: message.id, body: 'too late' }, randomUUID()));
    expect(late.body.error?.code).toBe('message_deleted');
    expect((await onDevice(anaPhone, message.id))?.deletedAt).toBeDefined();
  });

  it('concurrent edits settle on the one the server applied last', async () => {
    const message = await sent(ana, 'start');
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((body) => applied(ana, mutation('message.edit', { id: message.id, body }, randomUUID()))),
    );
    const last = answers.reduce((best, answer) => (answer.message!.version! > best.message!.version! ? answer : best));
    expect((await storedRow(message.id))?.body).toBe(last.message?.body);
    expect((await device(ben)).rows.get(`message/${message.id}`)?.data).toMatchObject({ body: last.message?.body });
  });

  it('keeps reactions as a set: one per person per emoji, toggled, converging from concurrent devices', async () => {
    const message = await sent(ana, 'Summit!');
    const benDevice = await device(ben);
    // Ana's two devices add 👍 at the same moment; Ben adds 👍 and 🎉.
    await Promise.all([
      applied(ana, mutation('message.react', { id: message.id, emoji: '👍', on: true }, randomUUID())),
      applied(ana, mutation('message.react', { id: message.id, emoji: '👍', on: true }, randomUUID())),
      applied(ben, mutation('message.react', { id: message.id, emoji: '👍', on: true }, randomUUID())),
      applied(ben, mutation('message.react', { id: message.id, emoji: '🎉', on: true }, randomUUID())),
    ]);
    const who = (m: Message | undefined) => (m?.reactions ?? []).map((r) => `${r.displayName}${r.emoji}`).sort();
    expect(who(await onDevice(benDevice, message.id))).toEqual(['Ana👍', 'Ben👍', 'Ben🎉'].sort());

    // Taking one back, and taking back what is not there, which changes nothing.
    const off = await applied(ben, mutation('message.react', { id: message.id, emoji: '🎉', on: false }));
    expect(off.resolution).toBe('applied');
    const none = await applied(ben, mutation('message.react', { id: message.id, emoji: '🎉', on: false }));
    expect(none.resolution).toBe('unchanged');
    expect(who(await onDevice(benDevice, message.id))).toEqual(['Ana👍', 'Ben👍']);
    expect(who((await device(ana)).rows.get(`message/${message.id}`)?.data as Message)).toEqual(['Ana👍', 'Ben👍']);
  });

  it('applies each write once however often it is sent, by HTTP or socket', async () => {
    const message = await sent(ana, 'Once');
    const edit = mutation('message.edit', { id: message.id, body: 'Once, edited' });
    const first = await applied(ana, edit);
    const again = await applied(ana, edit);
    const anaSocket = await sockets.connect(server, ana);
    const overSocket = await anaSocket.timeout(5000).emitWithAck('message:send', edit);
    expect(again).toEqual(first);
    expect(overSocket).toEqual({ ok: true, data: first });
    expect(Number((await storedRow(message.id))?.changedSeq)).toBe(first.message?.version);

    const react = mutation('message.react', { id: message.id, emoji: '🔥', on: true });
    await applied(ben, react);
    const off = await applied(ben, mutation('message.react', { id: message.id, emoji: '🔥', on: false }));
    // The first "on" again, after the "off": answered from its record, not applied a second time.
    const repeat = await applied(ben, react);
    expect(repeat.resolution).toBe('applied');
    expect(JSON.parse((await storedRow(message.id))?.reactions ?? 'null')).toBeNull();
    expect(off.message?.reactions).toBeUndefined();
  });

  it('replies quote a message of the same conversation only', async () => {
    const original = await sent(ana, 'Which trail?');
    const reply = await sent(ben, 'The north one', original.id);
    expect((await device(ana)).rows.get(`message/${reply.id}`)?.data).toMatchObject({ replyToId: original.id });

    const otherRoom = (await request(server, 'POST', '/api/activities', { token: cleo.token, body: { title: 'Elsewhere', startsAt: futureInstant() } })).body.id as string;
    const elsewhere = await applied(cleo, { ...mutation('message.edit', { id: randomUUID(), body: 'x' }), name: 'message.send', args: { id: randomUUID(), conversationId: otherRoom, body: 'Far away', kind: 'text' } } as Mutation);
    const stray = await post(ana, { clientId: CLIENT, mutationId: ++counter, createdAt: new Date().toISOString(), name: 'message.send', args: { id: randomUUID(), conversationId: roomId, body: 'Re', kind: 'text', replyToId: elsewhere.message!.id } });
    expect(stray.status).toBe(400);
    expect(stray.body.error?.code).toBe('invalid_input');
  });

  it('deletes for me on my devices only, and keeps it away from pulls and older pages', async () => {
    const message = await sent(ana, 'Not for Ben');
    const benPhone = await device(ben);
    expect(await onDevice(benPhone, message.id)).toBeDefined();
    const benSocket = await sockets.connect(server, ben);
    const poked = nextEvent(benSocket, 'own:changed');

    expect((await applied(ben, mutation('message.hide', { id: message.id }))).resolution).toBe('applied');
    expect((await poked).seq).toBeGreaterThan(message.seq);
    expect(await onDevice(benPhone, message.id)).toBeUndefined();
    expect(benPhone.rows.get(`hidden-message/${message.id}`)?.data).toMatchObject({ messageId: message.id, conversationId: roomId });
    expect((await device(ben)).rows.has(`message/${message.id}`)).toBe(false);
    expect((await device(ana)).rows.has(`message/${message.id}`)).toBe(true);

    // A later change of the message (Ana edits it) does not bring it back to Ben.
    await applied(ana, mutation('message.edit', { id: message.id, body: 'Still not for Ben' }));
    expect(await onDevice(benPhone, message.id)).toBeUndefined();
    const older = await request<{ messages: Message[] }>(server, 'GET', `/api/conversations/${roomId}/messages?before=${message.seq + 1}&limit=200`, { token: ben.token });
    expect(older.body.messages.map((m) => m.id)).not.toContain(message.id);
    expect((await applied(ben, mutation('message.hide', { id: message.id }))).resolution).toBe('unchanged');
    // Hidden from Ben, Ana's message is still Ana's: Ben cannot act on what he no longer sees.
    expect((await post(ben, mutation('message.react', { id: message.id, emoji: '👍', on: true }))).status).toBe(404);
  });

  it('gives an older page what it can parse: no hidden-message rows, a deleted message as text', async () => {
    const message = await sent(ana, 'Old page');
    await applied(ben, mutation('message.react', { id: message.id, emoji: '👍', on: true }));
    await applied(ana, mutation('message.delete', { id: message.id }));
    const hidden = await sent(ana, 'Hide me');
    await applied(ben, mutation('message.hide', { id: hidden.id }));
    const oldPage = await freshReplica(server, ben, 500, 6);
    expect(oldPage.rows.get(`message/${message.id}`)?.data).toMatchObject({ body: 'This message was deleted' });
    expect(oldPage.keys().some((key) => key.startsWith('hidden-message/'))).toBe(false);
    await settle(0);
  });
});

describe('delete for everyone after a day', () => {
  let server: TestServer;
  afterAll(async () => server.close());

  it('is refused for the author, who may still delete it for themselves', async () => {
    // A token that outlives the day the clock is moved on by.
    server = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: String(3 * 24 * 60 * 60) });
    const ana = await registerUser(server, 'Ana');
    const roomId = (await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Old', startsAt: futureInstant(72) } })).body.id as string;
    const id = randomUUID();
    const send = { clientId: CLIENT, mutationId: ++counter, createdAt: new Date().toISOString(), name: 'message.send', args: { id, conversationId: roomId, body: 'Yesterday', kind: 'text' } };
    expect((await request(server, 'POST', '/api/mutations', { token: ana.token, body: send })).status).toBe(200);
    server.advanceClock(24 * 60 * 60 * 1000 + 60_000);
    const late = await request(server, 'POST', '/api/mutations', { token: ana.token, body: mutation('message.delete', { id }) });
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('delete_window_passed');
    // Editing has no window.
    expect((await request(server, 'POST', '/api/mutations', { token: ana.token, body: mutation('message.edit', { id, body: 'Still mine' }) })).status).toBe(200);
    expect((await request(server, 'POST', '/api/mutations', { token: ana.token, body: mutation('message.hide', { id }) })).status).toBe(200);
  });
});
