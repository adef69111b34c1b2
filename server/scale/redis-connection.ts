import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createRedisClient>;

/** Where connection trouble is reported; a fastify or pino logger fits. */
export interface RedisLogger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

/** The connections one Rally process keeps to the Redis that all its processes share. */
export interface RedisConnection {
  /** For commands: rate limits and presence. */
  client: RedisClient;
  /** The socket.io adapter's: one publishes, the other sits in subscribe mode. */
  pubClient: RedisClient;
  subClient: RedisClient;
  /** Ends all three, letting commands already sent finish. */
  close(): Promise<void>;
}

/**
 * A process that cannot reach Redis at boot fails rather than serving as if it were alone
 * (about 10 s of retries); once it has been connected it retries for ever, because every
 * process shares the same outage and must come back when Redis does.
 */
const BOOT_ATTEMPTS = 10;
const MAX_RECONNECT_DELAY_MS = 2_000;

export async function connectRedis(url: string, logger: RedisLogger = consoleLogger): Promise<RedisConnection> {
  const roles = ['commands', 'publish', 'subscribe'] as const;
  const opened = await Promise.allSettled(roles.map((role) => openClient(url, role, logger)));
  const clients = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = opened.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(clients.map((client) => client.close()));
    throw new Error(`Could not connect to Redis at ${redactedUrl(url)}`, { cause: failure.reason });
  }
  const [client, pubClient, subClient] = clients as [RedisClient, RedisClient, RedisClient];
  return {
    client,
    pubClient,
    subClient,
    close: async () => {
      await Promise.all(clients.map((c) => (c.isOpen ? c.close() : undefined)));
    },
  };
}

async function openClient(url: string, role: string, logger: RedisLogger): Promise<RedisClient> {
  let hasBeenReady = false;
  const client = createRedisClient(url, (retries, cause) => {
    if (!hasBeenReady && retries >= BOOT_ATTEMPTS) return cause;
    return Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS);
  });
  // Without a listener node-redis's 'error' event would crash the process on the first lost socket;
  // the client reconnects by itself, so a log line is all an error needs.
  client.on('error', (error: unknown) => logger.error({ err: error, role }, 'Redis connection error'));
  client.on('ready', () => {
    if (hasBeenReady) logger.info({ role }, 'Redis connection restored');
    hasBeenReady = true;
  });
  await client.connect();
  return client;
}

function createRedisClient(url: string, reconnectStrategy: (retries: number, cause: Error) => number | Error) {
  return createClient({ url, socket: { reconnectStrategy } });
}

function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

const consoleLogger: RedisLogger = {
  error: (details, message) => console.error(message, details),
  info: (details, message) => console.info(message, details),
};
