import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCompress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import { createAdapter } from '@socket.io/redis-adapter';
import Fastify, { type FastifyInstance } from 'fastify';
import { createActivityQueries } from './activities/activity-queries';
import { createActivityService } from './activities/activity-service';
import { createAccessTokenIssuer } from './auth/access-tokens';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './auth/rate-limiter';
import { createSessionService } from './auth/sessions';
import type { Config } from './config';
import { connectDatabase, type DatabaseHandle } from './db/connect';
import { migrateToLatest } from './db/migrate';
import { installErrorHandling } from './http/error-handler';
import { registerSecurityHeaders } from './http/security-headers';
import { fastifyTrustProxy } from './http/trust-proxy';
import { createActivityBroadcaster } from './realtime/activity-broadcaster';
import { createChatBroadcaster } from './realtime/chat-broadcaster';
import { createChatService } from './chat/chat-service';
import { registerChatRoutes } from './routes/chat-routes';
import { closeSessionSockets, createSocketServer, type SocketHandshakeHooks } from './realtime/socket-server';
import type { SocketLimits } from './realtime/chat-sockets';
import { createMemoryPresenceRegistry, createRedisPresenceRegistry, type PresenceRegistry } from './realtime/presence-registry';
import { connectRedis } from './scale/redis-connection';
import type { RallyServer } from './realtime/socket-types';
import { registerActivityRoutes } from './routes/activity-routes';
import { registerAuthRoutes } from './routes/auth-routes';
import { registerHealthRoutes } from './routes/health-routes';
import { registerStaticRoutes } from './routes/static-routes';
import { registerSyncRoutes } from './routes/sync-routes';
import { registerMutationRoutes } from './routes/mutation-routes';
import { registerBulkRoutes } from './routes/bulk-routes';
import { createMutationService } from './mutations/mutation-service';
import { createUserLimits } from './limits/user-limits';
import { pruneHistory, schedulePruning, type PruneResult } from './maintenance/history-pruning';
import { syncCursorKey } from './sync/sync-cursor';
import { createSyncFeed } from './sync/sync-feed';
import { registerUserRoutes } from './routes/user-routes';
import { createUserService } from './users/user-service';
import type { Secrets } from './secrets';
import { createPushDelivery, type PushTransport } from './push/push-delivery';
import type { PushDispatcher } from './push/push-dispatcher';
import { createDeviceService } from './push/device-service';
import { registerPushRoutes } from './routes/push-routes';
import { registerFlagRoutes } from './routes/flag-routes';
import { createFlagService } from './flags/flag-service';
import { registerMetricsRoutes } from './routes/metrics-routes';
import { createRallyMetrics } from './metrics/prometheus';
import { countPushes } from './push/push-outbox-store';
import { isDeviceLive } from './realtime/device-rooms';
import { tellOwnDevices } from './realtime/own-changes';
import { createCallService } from './calls/call-service';
import { createCallBroadcaster } from './realtime/call-broadcaster';
import { registerCallRoutes } from './routes/call-routes';
import { createAnalyticsService } from './analytics/analytics-service';
import { createAnalyticsDashboard } from './analytics/analytics-dashboard';
import { maintainAnalyticsEvents } from './analytics/analytics-partitions';
import { registerAnalyticsRoutes } from './routes/analytics-routes';
import { registerReportRoutes } from './routes/report-routes';
import { createReportsAdminService } from './safety/reports-admin';
import { registerPhotoRoutes } from './routes/photo-routes';
import { createPhotoService } from './media/photo-service';
import { createDirectoryPhotoStorage, type PhotoStorage } from './media/photo-storage';
import { createS3PhotoStorage } from './media/s3-photo-storage';
import type { PhotoStorageSettings } from './media/photo-config';

export const BODY_LIMIT_BYTES = 256 * 1024;

export interface AppDeps {
  config: Config;
  secrets: Secrets;
  /** The clock every rule reads; tests fix or advance it. */
  now?: () => Date;
  /** Defaults to the database the config names. */
  database?: DatabaseHandle;
  authLimiter?: RateLimiter;
  /** Per-socket flood limits; the defaults unless a benchmark lifts them. */
  socketLimits?: SocketLimits;
  /** Test seams in the socket handshake; none in production. */
  socketHooks?: SocketHandshakeHooks;
  /** Where pushes go; the real push services unless a test points them at stand-ins. */
  pushTransport?: PushTransport;
  /** Where photo files go; the one the config names unless given. */
  photoStorage?: PhotoStorage;
}

export interface RallyApp {
  http: FastifyInstance;
  io: RallyServer;
  database: DatabaseHandle;
  presence: PresenceRegistry;
  /** Housekeeping the app also runs on its own schedule (exposed for tests and operators). */
  maintenance: { pruneHistory: () => Promise<PruneResult>; maintainAnalytics: () => Promise<{ deleted: number; partitionsDropped: number }> };
  /** The push outbox's dispatcher (tests run a round with `runOnce` when theirs is off). */
  pushDispatcher: PushDispatcher;
  /** Every route as registered, so a test can cover each one (a new route is covered without being named). */
  routes: readonly RegisteredRoute[];
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

/** Builds Rally from its config and dependencies, migrated and ready, without listening. */
export async function createApp(deps: AppDeps): Promise<RallyApp> {
  const { config, secrets } = deps;
  const now = deps.now ?? (() => new Date());
  const database = deps.database ?? connectDatabase(config.database);
  await migrateToLatest(database.db as never);
  const db = database.db;

  const http = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  // Registered before any route, so it sees them all.
  const routes: RegisteredRoute[] = [];
  http.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  installErrorHandling(http);
  await registerSecurityHeaders(http, { firebase: config.push.firebaseWebConfig !== null });
  await http.register(fastifyCookie);
  // JSON answers shrink several times over (a sync page of 2000 changes is mostly repeated keys),
  // which is what a phone on a slow network waits for. Small answers are not worth the CPU, and
  // brotli runs at a middling quality: at its default (11) it costs more time than it saves here.
  await http.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });

  // With Redis this process is one of several serving one Rally: sockets, rate limits and presence are shared.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, http.log) : undefined;

  // The broadcaster is made before the socket server exists; it reads the server when it emits.
  const ioRef: { current?: RallyServer } = {};
  const tokens = createAccessTokenIssuer(secrets.jwtSecret, config.accessTokenTtlSeconds, now);
  const sessions = createSessionService({
    db,
    tokens,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
    secret: secrets.jwtSecret,
    now,
    onSessionEnded: (sessionId) => {
      if (ioRef.current) closeSessionSockets(ioRef.current, sessionId);
    },
  });
  const users = createUserService(db);
  const activityEvents = createActivityBroadcaster(() => ioRef.current, db);
  const activities = createActivityService({ db, events: activityEvents, now });
  const chatEvents = createChatBroadcaster(() => ioRef.current);
  const chat = createChatService({ db, events: chatEvents, now });
  // The dispatcher needs the socket server (is a device live?), made below; it asks when it sends.
  const pushDelivery = await createPushDelivery({
    config,
    secrets,
    db,
    dialect: database.kind,
    transport: deps.pushTransport,
    isLive: async (deviceId, userId) => (ioRef.current ? isDeviceLive(ioRef.current, deviceId, userId) : false),
    now,
    onError: (error) => http.log.error({ err: error }, 'push delivery failed'),
  });
  const calls = createCallService({
    db,
    events: createCallBroadcaster(() => ioRef.current),
    chatEvents,
    settings: config.calls,
    now,
    onPushQueued: () => pushDelivery.dispatcher.wake(),
  });
  const mutations = createMutationService({ db, events: activityEvents, chatEvents, now, onPushQueued: () => pushDelivery.dispatcher.wake(),
    onOwnRowsChanged: (changes) => {
      if (ioRef.current) tellOwnDevices(ioRef.current, changes);
    },
  });
  const authLimiter =
    deps.authLimiter ??
    (redis
      ? createRedisRateLimiter(redis.client, { limit: config.authRateLimitPerMinute, windowMs: 60_000, prefix: 'rally:ratelimit:auth:' })
      : createMemoryRateLimiter(config.authRateLimitPerMinute, 60_000, now));
  const userLimits = createUserLimits(config.userLimits, redis?.client);
  const presence = redis
    ? createRedisPresenceRegistry(redis.client, { processId: randomUUID(), now })
    : createMemoryPresenceRegistry(now);

  // Before every other route, so each request's latency is recorded under its route.
  const metrics = createRallyMetrics({ socketConnections: () => ioRef.current?.engine.clientsCount ?? 0, pushCounts: () => countPushes(db), now });
  registerMetricsRoutes(http, { metrics, token: config.metricsToken });
  registerHealthRoutes(http, { isDatabaseReachable: () => database.isReachable() });
  registerAuthRoutes(http, { users, sessions, tokens, authLimiter, allowedOrigins: config.allowedOrigins, cookieSecure: config.cookieSecure });
  registerActivityRoutes(http, { tokens, queries: createActivityQueries(db), mutations, now });
  registerUserRoutes(http, { users, tokens });
  registerSyncRoutes(http, { feed: createSyncFeed({ db, cursorKey: syncCursorKey(secrets.jwtSecret) }), tokens, mutations, syncReads: userLimits.syncReads });
  registerMutationRoutes(http, { tokens, mutations, writes: userLimits.writes });
  registerBulkRoutes(http, { tokens, mutations, writes: userLimits.writes });
  registerChatRoutes(http, { tokens, chat, syncReads: userLimits.syncReads });
  registerCallRoutes(http, { tokens, calls, settings: config.calls, writes: userLimits.writes, now });
  const pushConfig = { vapidPublicKey: secrets.vapid.publicKey, firebase: config.push.firebaseWebConfig };
  registerPushRoutes(http, { devices: createDeviceService({ db, now, pushConfig, adminUserIds: config.adminUserIds }), tokens, writes: userLimits.writes });
  const flags = createFlagService({ db, adminUserIds: config.adminUserIds, now, initialTargeting: config.flagsTargeting, onChanged: () => ioRef.current?.emit('flags:changed') });
  registerFlagRoutes(http, { flags, tokens });
  const analytics = createAnalyticsService({ db, retentionDays: config.analyticsRetentionDays, now });
  const dashboard = createAnalyticsDashboard({ db, adminUserIds: config.adminUserIds, now });
  registerAnalyticsRoutes(http, { tokens, analytics, dashboard, events: userLimits.analyticsEvents });
  registerReportRoutes(http, { tokens, reports: createReportsAdminService({ db, adminUserIds: config.adminUserIds }) });
  const photoStorage = deps.photoStorage ?? photoStorageFor(config.photoStorage);
  await registerPhotoRoutes(http, { tokens, photos: createPhotoService({ db, storage: photoStorage, now }), uploads: userLimits.photoUploads });
  await registerStaticRoutes(http, config.staticDir);

  const socketServer = createSocketServer({
    httpServer: http.server,
    tokens,
    activities,
    chat,
    calls,
    mutations,
    presence,
    db,
    allowedOrigins: config.allowedOrigins,
    socketLimits: deps.socketLimits,
    userWrites: userLimits.writes,
    maxSocketsPerUser: config.userLimits.maxSocketsPerUser,
    now,
    hooks: deps.socketHooks,
  });
  ioRef.current = socketServer;
  // Rooms then span processes: an event emitted here reaches sockets connected to any of them.
  if (redis) socketServer.adapter(createAdapter(redis.pubClient, redis.subClient));

  http.addHook('preClose', async () => {
    // Sockets first: a long-polling request would otherwise hold the HTTP server open. Closing
    // the transports (not "server disconnect", which tells clients not to come back) lets every
    // client reconnect on its own to whichever process serves next.
    socketServer.engine.close();
  });
  const pruning = { mutationRetentionMs: config.mutationRetentionHours * 3_600_000, tombstoneRetentionMs: config.tombstoneRetentionDays * 86_400_000 };
  const pruneNow = () => pruneHistory(db, pruning, now());
  const pruneSchedule = schedulePruning(pruneNow, config.pruneIntervalMinutes * 60_000, (error) => http.log.error({ err: error }, 'history pruning failed'));
  // Day partitions made ahead and days past the retention dropped, at start and on the same schedule.
  const maintainAnalytics = () => maintainAnalyticsEvents(db, database.kind, config.analyticsRetentionDays, now());
  const analyticsSchedule = schedulePruning(maintainAnalytics, config.pruneIntervalMinutes * 60_000, (error) =>
    http.log.error({ err: error }, 'analytics maintenance failed'),
  );

  http.addHook('onClose', async () => {
    await pruneSchedule.stop();
    await analyticsSchedule.stop();
    calls.close();
    await photoStorage.close();
    // Before the database closes: a round in flight settles what it sent.
    await pushDelivery.close();
    try {
      await database.close();
    } finally {
      await presence.close();
      await redis?.close();
    }
  });

  await http.ready();
  // Only now: a live device is known once the socket server (and its Redis adapter) is in place.
  if (config.push.dispatcherEnabled) pushDelivery.dispatcher.start();
  return { http, io: socketServer, database, presence, maintenance: { pruneHistory: pruneNow, maintainAnalytics }, pushDispatcher: pushDelivery.dispatcher, routes };
}

function photoStorageFor(settings: PhotoStorageSettings): PhotoStorage {
  return settings.kind === 's3' ? createS3PhotoStorage(settings) : createDirectoryPhotoStorage(settings.dataDir);
}
