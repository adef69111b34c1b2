import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { AuthSession, PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../protocol';
import { createApp, type RallyApp } from '../../server/app';
import { createThrowawayPostgresDatabase } from '../support/throwaway-postgres';
import { loadConfig, type Config } from '../../server/config';
import { loadOrCreateSecrets } from '../../server/secrets';
import type { SocketHandshakeHooks } from '../../server/realtime/socket-server';
import type { PushTransport } from '../../server/push/push-delivery';
import type { RedisClient } from '../../server/scale/redis-connection';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  app: RallyApp;
  config: Config;
  /** Moves the server's clock forward (token expiry, rate-limit windows). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export interface TestUser {
  session: AuthSession;
  token: string;
  id: string;
  refreshCookie: string;
  email: string;
  password: string;
}

/**
 * The database the server suite runs against: a fresh SQLite file by default, or a throwaway
 * Postgres database (created here, dropped on close) when RALLY_TEST_POSTGRES_URL names a server.
 */
async function provisionDatabase(dataDir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const adminUrl = process.env.RALLY_TEST_POSTGRES_URL;
  if (!adminUrl) return { env: {}, drop: async () => undefined };
  void dataDir;
  const database = await createThrowawayPostgresDatabase(adminUrl);
  return { env: { DATABASE_URL: database.url }, drop: database.drop };
}

export { createThrowawayPostgresDatabase };

export interface TestServerOptions {
  /**
   * A Postgres database to use as it is, neither created nor dropped by this server: for several
   * servers that share one database, as processes of one Rally do.
   */
  databaseUrl?: string;
  /** Seams in the socket handshake, to play a race out in a fixed order. */
  socketHooks?: SocketHandshakeHooks;
  /** Where pushes go (local stand-ins of a push service and of FCM). */
  pushTransport?: PushTransport;
}

export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rally-test-'));
  const database = options.databaseUrl
    ? { env: { DATABASE_URL: options.databaseUrl }, drop: async () => undefined }
    : await provisionDatabase(dataDir);
  const config = loadConfig({
    DATA_DIR: dataDir,
    STATIC_DIR: path.join(dataDir, 'no-build'),
    LOG_LEVEL: process.env.RALLY_TEST_LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    ...database.env,
    ...env,
  });
  let clockOffsetMs = 0;
  const app = await createApp({
    config,
    secrets: loadOrCreateSecrets(config),
    now: () => new Date(Date.now() + clockOffsetMs),
    ...(options.socketHooks ? { socketHooks: options.socketHooks } : {}),
    ...(options.pushTransport ? { pushTransport: options.pushTransport } : {}),
  });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.http.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    config,
    advanceClock: (ms) => {
      clockOffsetMs += ms;
    },
    close: async () => {
      await app.http.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read loose JSON
  server: TestServer,
  method: string,
  pathname: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${server.url}${pathname}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export function refreshCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('rally_refresh='));
  if (!cookie) throw new Error('no refresh cookie set');
  return cookie.split(';')[0] ?? '';
}

let userCounter = 0;
export async function registerUser(
  server: TestServer,
  displayName = `User ${++userCounter}`,
  options: { headers?: Record<string, string> } = {},
): Promise<TestUser> {
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(3).toString('hex')}@example.test`;
  const password = 'correct horse battery';
  const response = await request(server, 'POST', '/api/auth/register', {
    body: { email, password, displayName },
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (response.status !== 201) throw new Error(`register failed: ${JSON.stringify(response.body)}`);
  const session = AuthSession.parse(response.body);
  return { session, token: session.accessToken, id: session.user.id, refreshCookie: refreshCookieOf(response.headers), email, password };
}

export function connectAs(
  server: TestServer,
  auth: Record<string, unknown> | undefined,
  options: { transports?: ('websocket' | 'polling')[] } = {},
): ClientSocket {
  return connectSocket(server.url, {
    auth: auth ?? {},
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

export function socketAuthFor(user: TestUser): Record<string, unknown> {
  return { token: user.token, protocolVersion: PROTOCOL_VERSION };
}

/** Resolves when connected, rejects with the server's refusal. */
export function waitForConnect(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

export interface OpenSockets {
  /** Adopts a socket made with `connectAs` (to watch it being refused, say), so it is closed too. */
  track(socket: ClientSocket): ClientSocket;
  /** Connects as the user and resolves once connected; rejects with the server's refusal. */
  connect(server: TestServer, user: TestUser): Promise<ClientSocket>;
  /** The same with these handshake fields (another session's token, an old protocol version). */
  connectWith(server: TestServer, auth: Record<string, unknown>): Promise<ClientSocket>;
}

/**
 * The sockets the describe block it is called in opens, disconnected after each of its tests
 * (`'each'`) or once after all of them (`'all'`), so no test's socket hears the next test's events.
 */
export function useSockets(closeAfter: 'each' | 'all' = 'each'): OpenSockets {
  const open: ClientSocket[] = [];
  (closeAfter === 'each' ? afterEach : afterAll)(() => {
    for (const socket of open.splice(0)) socket.disconnect();
  });
  const track = (socket: ClientSocket) => {
    open.push(socket);
    return socket;
  };
  const connectWith = async (server: TestServer, auth: Record<string, unknown>) => {
    const socket = track(connectAs(server, auth));
    await waitForConnect(socket);
    return socket;
  };
  return { track, connectWith, connect: (server, user) => connectWith(server, socketAuthFor(user)) };
}

export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  timeoutMs = 3000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    // socket.io-client's typed `once` cannot take a generic event name; the cast stays local.
    (socket as unknown as { once: (e: string, cb: (payload: unknown) => void) => void }).once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload as Parameters<ServerToClientEvents[E]>[0]);
    });
  });
}

export function futureInstant(hoursFromNow = 24): string {
  return new Date(Date.now() + hoursFromNow * 3_600_000).toISOString();
}

/** The Redis the scale-out tests share; each test run keeps its keys under a prefix of its own. */
export const TEST_REDIS_URL = process.env.RALLY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function randomRedisPrefix(): string {
  return `rally-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes the keys matching a glob `pattern`, such as `${prefix}*`. */
export async function deleteRedisKeys(client: RedisClient, pattern: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 200 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

/**
 * Two Rally processes (in-process) on one throwaway Postgres database and one Redis, as behind a
 * load balancer, for the describe block it is called in: up before its tests, gone after them.
 */
export function useTwoProcesses(env: Record<string, string> = {}): () => { first: TestServer; second: TestServer } {
  const adminUrl = process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let database: { url: string; drop: () => Promise<void> };
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    database = await createThrowawayPostgresDatabase(adminUrl);
    // Processes of one Rally share their secret: a token signed by one is honoured by the other.
    const shared = { REDIS_URL: TEST_REDIS_URL, JWT_SECRET: randomBytes(48).toString('base64url'), ...env };
    // One after the other, so the first migrates the database and the second finds it ready.
    first = await startTestServer(shared, { databaseUrl: database.url });
    second = await startTestServer(shared, { databaseUrl: database.url });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await database.drop();
  });
  return () => ({ first, second });
}
