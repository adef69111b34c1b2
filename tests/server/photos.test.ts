import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_MAX_BYTES, PROTOCOL_VERSION, type Message, type MessagePhoto, type Mutation, type MutationApplied } from '../../protocol';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';
import { freshReplica } from './sync-client';

/**
 * Photos: uploaded by content hash, checked by their bytes, stored once, read only by those who
 * may see a message naming them; in the data directory and in an S3-compatible bucket (s3rver,
 * the S3 wire API on loopback).
 */

const CLIENT = randomUUID();
let counter = 0;

/** A file that starts as a JPEG does (the server reads only the magic number), unique per call. */
const jpegBytes = (size = 2048) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), randomBytes(size)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PREVIEW = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA==';

async function upload(server: TestServer, user: TestUser | null, bytes: Buffer, options: { hash?: string; type?: string } = {}) {
  const response = await fetch(`${server.url}/api/photos/${options.hash ?? sha256(bytes)}`, {
    method: 'PUT',
    headers: { 'content-type': options.type ?? 'application/octet-stream', ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
    body: bytes,
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as { hash?: string; type?: string; size?: number; error?: { code: string; message: string } } };
}

async function download(server: TestServer, user: TestUser, hash: string) {
  const response = await fetch(`${server.url}/api/photos/${hash}`, { headers: { authorization: `Bearer ${user.token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function photoOf(bytes: Buffer, type = 'image/jpeg'): MessagePhoto {
  return { hash: sha256(bytes), type: type as MessagePhoto['type'], width: 1600, height: 1200, preview: PREVIEW };
}

function sendPhoto(conversationId: string, photo: MessagePhoto, body = ''): Mutation {
  return { clientId: CLIENT, mutationId: ++counter, createdAt: new Date().toISOString(), name: 'message.send', args: { id: randomUUID(), conversationId, body, kind: 'text', photo } };
}

interface World {
  server: TestServer;
  ana: TestUser;
  ben: TestUser;
  cleo: TestUser;
  roomId: string;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const server = await startTestServer(env);
  const [ana, ben, cleo] = [await registerUser(server, 'Ana'), await registerUser(server, 'Ben'), await registerUser(server, 'Cleo')];
  const created = await request(server, 'POST', '/api/activities', { token: ana.token, body: { title: 'Meeting point', startsAt: futureInstant() } });
  await request(server, 'POST', `/api/activities/${created.body.id}/join`, { token: ben.token });
  return { server, ana, ben, cleo, roomId: created.body.id as string };
}

async function post(w: World, user: TestUser, body: Mutation) {
  return request<MutationApplied & { error?: { code: string } }>(w.server, 'POST', '/api/mutations', { token: user.token, body });
}

/** What every storage must do, whichever holds the files. `countStored` asks the storage itself. */
function storageContract(name: string, setUp: () => Promise<{ w: World; countStored: () => Promise<number>; tearDown: () => Promise<void> }>) {
  describe(name, () => {
    let w: World;
    let countStored: () => Promise<number>;
    let tearDown: () => Promise<void>;
    beforeAll(async () => {
      ({ w, countStored, tearDown } = await setUp());
    });
    afterAll(async () => tearDown());

    it('stores a photo, sends it in a message, and serves it to a member with the right headers', async () => {
      const bytes = jpegBytes();
      const stored = await upload(w.server, w.ana, bytes, { type: 'image/png' });
      expect(stored.status).toBe(201);
      expect(stored.body).toEqual({ hash: sha256(bytes), type: 'image/jpeg', size: bytes.length });

      // The page said PNG; the bytes say JPEG, and the message keeps what the bytes say.
      const answer = await post(w, w.ana, sendPhoto(w.roomId, photoOf(bytes, 'image/png'), 'Here'));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.message?.photo).toEqual({ ...photoOf(bytes), type: 'image/jpeg' });

      const onBen = await freshReplica(w.server, w.ben, 500, PROTOCOL_VERSION);
      await onBen.pullUntilDone();
      expect((onBen.rows.get(`message/${answer.body.message!.id}`)?.data as Message).photo?.hash).toBe(sha256(bytes));

      const got = await download(w.server, w.ben, sha256(bytes));
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('cache-control')).toMatch(/private.*max-age=31536000/);
    });

    it('refuses the photo to someone outside the conversation, and to everyone once its message is deleted', async () => {
      const bytes = jpegBytes();
      expect((await upload(w.server, w.ana, bytes)).status).toBe(201);
      // Uploaded but named by no message yet: not even its uploader reads it back.
      expect((await download(w.server, w.ana, sha256(bytes))).status).toBe(404);
      const answer = await post(w, w.ana, sendPhoto(w.roomId, photoOf(bytes)));
      expect(answer.status).toBe(200);
      const outsider = await download(w.server, w.cleo, sha256(bytes));
      expect(outsider.status).toBe(404);
      expect(outsider.bytes.includes(bytes.subarray(0, 64))).toBe(false);
      const unsigned = await fetch(`${w.server.url}/api/photos/${sha256(bytes)}`);
      expect(unsigned.status).toBe(401);

      const deleted = await post(w, w.ana, { clientId: CLIENT, mutationId: ++counter, createdAt: new Date().toISOString(), name: 'message.delete', args: { id: answer.body.message!.id } });
      expect(deleted.status).toBe(200);
      expect(deleted.body.message?.photo).toBeUndefined();
      expect((await download(w.server, w.ben, sha256(bytes))).status).toBe(404);
    });

    it('stores the same bytes once however often they come (content-addressed)', async () => {
      const before = await countStored();
      const bytes = jpegBytes();
      const [first, second] = await Promise.all([upload(w.server, w.ana, bytes), upload(w.server, w.ben, bytes)]);
      // Two at once: one stores, the other finds it stored.
      expect([first.status, second.status].sort()).toEqual([200, 201]);
      const third = await upload(w.server, w.ana, bytes);
      expect(third.status).toBe(200);
      expect(await countStored()).toBe(before + 1);
      const rows = await w.server.app.database.db.selectFrom('photos').select('hash').where('hash', '=', sha256(bytes)).execute();
      expect(rows).toHaveLength(1);
    });

    it('refuses a photo over 10 MB, one whose bytes are not an image whatever it is called, and bytes that are not their name', async () => {
      const big = jpegBytes(PHOTO_MAX_BYTES);
      const tooLarge = await upload(w.server, w.ana, big);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error?.code).toBe('payload_too_large');

      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
      const disguised = await upload(w.server, w.ana, svg, { type: 'image/png' });
      expect(disguised.status).toBe(415);
      expect(disguised.body.error).toMatchObject({ code: 'unsupported_media_type' });
      expect(disguised.body.error?.message).toMatch(/JPEG, PNG, WebP or GIF/);
      const html = Buffer.from('<!doctype html><title>photo.jpg</title><script>alert(1)</script>');
      expect((await upload(w.server, w.ana, html, { type: 'image/jpeg' })).status).toBe(415);

      const bytes = jpegBytes();
      const misnamed = await upload(w.server, w.ana, bytes, { hash: sha256(jpegBytes()) });
      expect(misnamed.status).toBe(400);
      expect(misnamed.body.error?.code).toBe('invalid_input');
      expect((await upload(w.server, w.ana, bytes, { hash: 'photo.jpg' })).status).toBe(400);
      expect((await upload(w.server, null, bytes)).status).toBe(401);
      const stored = await w.server.app.database.db.selectFrom('photos').select('hash').where('hash', 'in', [sha256(big), sha256(svg), sha256(html), sha256(bytes)]).execute();
      expect(stored).toEqual([]);
    });

    it('refuses a message naming a photo that was never uploaded, so nobody sees a photo that is not there', async () => {
      const answer = await post(w, w.ana, sendPhoto(w.roomId, photoOf(jpegBytes())));
      expect(answer.status).toBe(409);
      expect(answer.body.error?.code).toBe('photo_missing');
      const noText = await post(w, w.ana, { ...sendPhoto(w.roomId, photoOf(jpegBytes())), args: { id: randomUUID(), conversationId: w.roomId, body: '', kind: 'text' } } as Mutation);
      expect(noText.status).toBe(400);
    });
  });
}

storageContract('photos in the data directory', async () => {
  const w = await world();
  const countStored = async () => {
    const root = path.join(w.server.config.dataDir, 'photos');
    try {
      return readdirSync(root).reduce((sum, fan) => sum + readdirSync(path.join(root, fan)).length, 0);
    } catch {
      return 0;
    }
  };
  return { w, countStored, tearDown: () => w.server.close() };
});

storageContract('photos in an S3-compatible bucket (s3rver on loopback)', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'rally-s3rver-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'rally-photos', configs: [] }] });
  const { port } = await s3.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { S3_BUCKET: 'rally-photos', S3_ENDPOINT: endpoint, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true' };
  const w = await world(env);
  // Files must go to the bucket, not the data directory.
  expect(w.server.config.photoStorage.kind).toBe('s3');
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const countStored = async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'rally-photos', Prefix: 'photos/' }));
    return listed.KeyCount ?? 0;
  };
  return {
    w,
    countStored,
    tearDown: async () => {
      await w.server.close();
      client.destroy();
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe('the photo upload budget', () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ USER_PHOTO_UPLOADS_PER_MINUTE: '2' });
  });
  afterAll(async () => w.server.close());

  it('refuses a user past it with 429 and Retry-After before storing anything, and leaves others alone', async () => {
    expect((await upload(w.server, w.ana, jpegBytes())).status).toBe(201);
    expect((await upload(w.server, w.ana, jpegBytes())).status).toBe(201);
    const bytes = jpegBytes();
    const response = await fetch(`${w.server.url}/api/photos/${sha256(bytes)}`, { method: 'PUT', headers: { authorization: `Bearer ${w.ana.token}` }, body: bytes });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(await w.server.app.database.db.selectFrom('photos').select('hash').where('hash', '=', sha256(bytes)).execute()).toEqual([]);
    expect((await upload(w.server, w.ben, bytes)).status).toBe(201);
  });
});
