import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminFlagList, FLAG_KEYS, OfrepBulkResponse, OfrepConfiguration, OfrepEvaluationSuccess } from '../../protocol';
import { nextEvent, registerUser, request, startTestServer, useSockets, useTwoProcesses, type TestServer, type TestUser } from './harness';

const setFlag = (server: TestServer, user: TestUser, key: string, targeting: unknown) =>
  request(server, 'PUT', `/api/admin/flags/${key}`, { token: user.token, body: { targeting } });
const evaluateAll = (server: TestServer, user: TestUser, headers: Record<string, string> = {}) =>
  request(server, 'POST', '/ofrep/v1/evaluate/flags', { token: user.token, body: { context: { targetingKey: user.id } }, headers });
const valueOf = (body: unknown, key: string) => OfrepBulkResponse.parse(body).flags.find((flag) => flag.key === key) as OfrepEvaluationSuccess | undefined;

describe('feature flags over OFREP', () => {
  let server: TestServer;
  let admin: TestUser;
  let ana: TestUser;
  let ben: TestUser;
  const sockets = useSockets();

  beforeAll(async () => {
    server = await startTestServer();
    [admin, ana, ben] = [await registerUser(server, 'Admin'), await registerUser(server, 'Ana'), await registerUser(server, 'Ben')];
    server.config.adminUserIds.push(admin.id);
  });
  afterAll(() => server.close());

  it('evaluates every flag for the signed-in user, in the protocol’s shape, defaults first', async () => {
    expect((await request(server, 'POST', '/ofrep/v1/evaluate/flags', { body: {} })).status).toBe(401);
    const answer = await evaluateAll(server, ana);
    expect(answer.status).toBe(200);
    const { flags } = OfrepBulkResponse.parse(answer.body);
    expect(flags.map((flag) => flag.key).sort()).toEqual([...FLAG_KEYS].sort());
    expect(valueOf(answer.body, 'websocket-enabled')).toMatchObject({ value: true, reason: 'DEFAULT' });
    expect(valueOf(answer.body, 'chat-photos')).toMatchObject({ value: false, reason: 'DEFAULT' });
    const config = await request(server, 'GET', '/ofrep/v1/configuration');
    expect(OfrepConfiguration.parse(config.body).capabilities.cacheInvalidation.polling.enabled).toBe(true);
  });

  it('evaluates one flag, and names an unknown one FLAG_NOT_FOUND', async () => {
    const one = await request(server, 'POST', '/ofrep/v1/evaluate/flags/chat-photos', { token: ana.token, body: {} });
    expect(OfrepEvaluationSuccess.parse(one.body)).toMatchObject({ key: 'chat-photos', value: false });
    const missing = await request(server, 'POST', '/ofrep/v1/evaluate/flags/no-such-flag', { token: ana.token, body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ key: 'no-such-flag', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('answers a poll with 304 while nothing changed, and tells connected pages when an admin changes a flag', async () => {
    const first = await evaluateAll(server, ana);
    const etag = first.headers.get('etag')!;
    expect((await evaluateAll(server, ana, { 'if-none-match': etag })).status).toBe(304);

    const socket = await sockets.connect(server, ben);
    const told = nextEvent(socket, 'flags:changed');
    const set = await setFlag(server, admin, 'chat-photos', { enabled: true, userIds: [ana.id], rolloutPercent: 0 });
    expect(set.status).toBe(200);
    await told;

    const after = await evaluateAll(server, ana, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(valueOf(after.body, 'chat-photos')).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    // Ben is not listed and the rollout is 0 %.
    expect(valueOf((await evaluateAll(server, ben)).body, 'chat-photos')).toMatchObject({ value: false });
  });

  it('evaluates for the token’s user, whatever targetingKey the context claims', async () => {
    const claimed = await request(server, 'POST', '/ofrep/v1/evaluate/flags', { token: ben.token, body: { context: { targetingKey: ana.id } } });
    expect(valueOf(claimed.body, 'chat-photos')).toMatchObject({ value: false });
  });

  it('lets only administrators read and set targeting, and refuses targeting that does not fit the flag', async () => {
    expect((await request(server, 'GET', '/api/admin/flags', { token: ana.token })).status).toBe(403);
    expect((await setFlag(server, ana, 'chat-photos', { enabled: false })).status).toBe(403);

    const wrongType = await setFlag(server, admin, 'chat-photos', { enabled: true, onValue: 'yes' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({ code: 'invalid_input', fields: { targeting: expect.any(String) } });
    const badShape = await setFlag(server, admin, 'chat-photos', { enabled: true, rolloutPercent: 150 });
    expect(badShape.status).toBe(400);
    expect((await setFlag(server, admin, 'no-such-flag', { enabled: true })).status).toBe(404);

    const list = AdminFlagList.parse((await request(server, 'GET', '/api/admin/flags', { token: admin.token })).body);
    expect(list.flags.find((flag) => flag.key === 'chat-photos')?.targeting).toMatchObject({ enabled: true, userIds: [ana.id] });
    expect(list.flags.find((flag) => flag.key === 'chat-reactions')?.targeting).toBeNull();
  });
});

describe('feature flags across two processes', () => {
  const processes = useTwoProcesses();
  const sockets = useSockets();

  it('a change made through one process reaches pages connected to the other', async () => {
    const { first, second } = processes();
    const [admin, ana] = [await registerUser(first, 'Admin'), await registerUser(first, 'Ana')];
    first.config.adminUserIds.push(admin.id);
    const socket = await sockets.connect(second, ana);
    const told = nextEvent(socket, 'flags:changed');
    expect((await setFlag(first, admin, 'websocket-enabled', { enabled: true, onValue: false })).status).toBe(200);
    await told;
    expect(valueOf((await evaluateAll(second, ana)).body, 'websocket-enabled')).toMatchObject({ value: false, reason: 'STATIC' });
  });
});

describe('the operator’s targeting (FLAGS_TARGETING)', () => {
  it('holds for a flag no administrator has saved, shows on the admin list, and gives way to a saved one', async () => {
    const server = await startTestServer({ FLAGS_TARGETING: JSON.stringify({ 'chat-reactions': { enabled: true } }) });
    try {
      const [admin, ana] = [await registerUser(server, 'Admin'), await registerUser(server, 'Ana')];
      server.config.adminUserIds.push(admin.id);
      expect(valueOf((await evaluateAll(server, ana)).body, 'chat-reactions')).toMatchObject({ value: true });
      expect(valueOf((await evaluateAll(server, ana)).body, 'chat-photos')).toMatchObject({ value: false, reason: 'DEFAULT' });
      const listed = AdminFlagList.parse((await request(server, 'GET', '/api/admin/flags', { token: admin.token })).body).flags.find((flag) => flag.key === 'chat-reactions');
      expect(listed).toMatchObject({ targeting: { enabled: true }, updatedAt: null });

      expect((await setFlag(server, admin, 'chat-reactions', { enabled: false })).status).toBe(200);
      expect(valueOf((await evaluateAll(server, ana)).body, 'chat-reactions')).toMatchObject({ value: false });
    } finally {
      await server.close();
    }
  });

  it('refuses to start on targeting that names no flag, does not parse, or has the wrong type', async () => {
    const bad = [
      ['{', 'is not JSON'],
      [JSON.stringify({ 'no-such-flag': { enabled: true } }), 'no-such-flag: there is no such flag'],
      [JSON.stringify({ 'chat-reactions': { enabled: 'yes' } }), 'chat-reactions.enabled'],
      [JSON.stringify({ 'chat-reactions': { enabled: true, onValue: 'on' } }), 'is a boolean flag'],
    ];
    for (const [value, message] of bad) {
      await expect(startTestServer({ FLAGS_TARGETING: value! })).rejects.toThrow(message!);
    }
  });
});

