import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

/** Raw bytes as sent (fetch would undo the encoding), for one GET with the given Accept-Encoding. */
function rawGet(server: TestServer, path: string, token: string, acceptEncoding: string): Promise<{ encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Answers worth compressing are compressed for clients that accept it; small ones are not. */
describe('HTTP compression', () => {
  let server: TestServer;
  let ana: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    ana = await registerUser(server, 'Ana');
    for (let i = 0; i < 40; i++) {
      await request(server, 'POST', '/api/activities', {
        token: ana.token,
        body: { title: `Saturday ride ${i}`, description: 'Meet at the fountain, bring lights.', startsAt: futureInstant() },
      });
    }
  });
  afterAll(async () => server.close());

  it('gzips a sync page for a client that accepts it, several times smaller, and sends it plain otherwise', async () => {
    const plain = await rawGet(server, '/api/sync?limit=2000', ana.token, 'identity');
    expect(plain.encoding).toBeUndefined();
    const gzipped = await rawGet(server, '/api/sync?limit=2000', ana.token, 'gzip');
    expect(gzipped.encoding).toBe('gzip');
    const unpacked = gunzipSync(gzipped.body);
    expect(JSON.parse(unpacked.toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    console.log(`sync page of 40 activities: ${plain.body.length} B plain, ${gzipped.body.length} B gzip`);
    expect(gzipped.body.length * 3).toBeLessThan(plain.body.length);
  });

  it('prefers brotli, and leaves small answers alone', async () => {
    expect((await rawGet(server, '/api/sync?limit=2000', ana.token, 'gzip, deflate, br')).encoding).toBe('br');
    const me = await rawGet(server, '/api/auth/me', ana.token, 'gzip, br');
    expect(me.body.length).toBeLessThan(1024);
    expect(me.encoding).toBeUndefined();
  });
});

/**
 * A raw WebSocket to Socket.IO (engine.io v4 framing), joined as `user`, so the test can read what
 * crossed the wire: `bytesRead` of the TCP socket under it.
 */
async function rawSocketIo(server: TestServer, user: TestUser, deflate: boolean): Promise<{ ws: WebSocket; events: string[]; bytesRead: () => number }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: deflate });
  const events: string[] = [];
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token: user.token, protocolVersion: PROTOCOL_VERSION })}`);
    else if (text.startsWith('40')) connected();
    else if (text === '2') ws.send('3');
    else if (text.startsWith('42')) events.push(text);
  });
  await ready;
  const tcp = (ws as unknown as { _socket: { bytesRead: number } })._socket;
  return { ws, events, bytesRead: () => tcp.bytesRead };
}

/**
 * Socket.IO frames are not deflated, even for a client that offers it: with the extension on,
 * engine.io frames each socket's copy of a broadcast on its own (and would deflate a large one once
 * per receiving socket); without it a room's fan-out frame is built once for every member
 * (bench/fanout: the server's CPU for a 1,000-member room fell from 2.5× raw ws's to 1.7×).
 * The bytes that count, sync pages, are compressed over HTTP above.
 */
describe('Socket.IO frames', () => {
  let server: TestServer;
  let ana: TestUser;
  let ben: TestUser;
  let roomId: string;
  beforeAll(async () => {
    server = await startTestServer();
    [ana, ben] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
    const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Long reads', startsAt: futureInstant() } });
    roomId = created.body.id;
    expect((await request(server, 'POST', `/api/activities/${roomId}/join`, { token: ben.token })).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('go plain to a client that offers deflate, byte for byte as to one that does not', async () => {
    const [packed, plain] = [await rawSocketIo(server, ben, true), await rawSocketIo(server, ben, false)];
    // Let the presence news of the two connections pass before counting bytes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      expect(packed.ws.extensions).toBe('');
      expect(plain.ws.extensions).toBe('');
      let mutationId = 0;
      const clientId = randomUUID();
      const say = async (body: string) => {
        const messagesIn = (events: string[]) => events.filter((e) => e.startsWith('42["message:new"'));
        const [packedBefore, plainBefore, seen] = [packed.bytesRead(), plain.bytesRead(), messagesIn(packed.events).length];
        const sent = await request(server, 'POST', '/api/mutations', {
          token: ana.token,
          body: { clientId, mutationId: ++mutationId, createdAt: new Date().toISOString(), name: 'message.send', args: { id: randomUUID(), conversationId: roomId, body, kind: 'text' } },
        });
        expect(sent.status).toBe(200);
        await expect.poll(() => messagesIn(packed.events).length > seen && messagesIn(plain.events).length > seen).toBe(true);
        // The same event, whole, on both.
        const last = (events: string[]) => messagesIn(events).at(-1);
        expect(last(packed.events)).toEqual(last(plain.events));
        expect(last(packed.events)).toContain(body.trim());
        return { packed: packed.bytesRead() - packedBefore, plain: plain.bytesRead() - plainBefore };
      };
      const long = await say('Directions: take the river path past the old mill, then the second bridge. '.repeat(50));
      expect(long.packed).toBe(long.plain);
      expect(long.plain).toBeGreaterThan(3700);
      const short = await say('See you at nine');
      expect(short.packed).toBe(short.plain);
    } finally {
      packed.ws.close();
      plain.ws.close();
    }
  });
});
