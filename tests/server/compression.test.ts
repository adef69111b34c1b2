import { gunzipSync } from 'node:zlib';
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
