import path from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy';
import { PushEnvSchema, pushConfigOf, type PushSettings } from './push/push-config';
import { CallEnvSchema, callSettingsOf, type CallSettings } from './calls/call-config';
import { PhotoEnvSchema, photoStorageSettingsOf, type PhotoStorageSettings } from './media/photo-config';
import { parseInitialTargeting, type InitialTargeting } from './flags/initial-targeting';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  VAPID_SUBJECT: z.string().min(1).default('mailto:admin@rally.localhost'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 60 * 60),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  // High enough for a device draining a day of offline writes (the worker replays ~50 a second
  // here), low enough that one account cannot flood the server.
  USER_WRITE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  USER_SYNC_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  // A device back from a day offline holds at most 5,000 queued events: it sends them within two minutes.
  USER_ANALYTICS_EVENTS_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  // Each upload is up to 10 MB: far fewer than writes. A device back from a day offline sends its photos within minutes.
  USER_PHOTO_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).default(20),
  USER_LIMITS_REDIS_PREFIX: z.string().min(1).default('rally:userlimits:'),
  ALLOWED_ORIGINS: z.string().default(''),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const setting = parseTrustProxy(value);
      if (typeof setting !== 'string') return setting;
      ctx.addIssue({ code: 'custom', message: setting });
      return z.NEVER;
    }),
  STATIC_DIR: z.string().default('dist'),
  // Stored mutation answers must outlive the outbox's 24 h, or a late replay would apply twice.
  MUTATION_RETENTION_HOURS: z.coerce.number().int().min(25, { message: 'must be at least 25 (the outbox keeps writes 24 h)' }).default(48),
  TOMBSTONE_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  PRUNE_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),
  ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Bearer token a Prometheus scraper sends to GET /metrics; unset, there is no such route. */
  METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Targeting for flags no administrator has set yet, as JSON (server/flags/initial-targeting.ts). */
  FLAGS_TARGETING: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...PushEnvSchema,
  ...CallEnvSchema,
  ...PhotoEnvSchema,
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** When set, several processes serve one Rally: sockets, rate limits and presence are shared through Redis. */
  redisUrl: string | undefined;
  jwtSecret: string | undefined;
  vapid: { publicKey: string; privateKey: string } | undefined;
  vapidSubject: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  authRateLimitPerMinute: number;
  /** Per user, whatever device or process the requests come from (see server/limits/user-limits.ts). */
  userLimits: {
    writesPerMinute: number;
    syncReadsPerMinute: number;
    analyticsEventsPerMinute: number;
    photoUploadsPerMinute: number;
    maxSocketsPerUser: number;
    redisPrefix: string;
  };
  /** Origins besides the server's own that may call cookie endpoints and open sockets. */
  allowedOrigins: string[];
  /** `auto`: Secure unless the request is plain http to a loopback host (see `isRefreshCookieSecure`). */
  cookieSecure: 'auto' | boolean;
  /** Which proxies' `X-Forwarded-*` entries to believe (a hop count or their addresses; never all). */
  trustProxy: TrustProxy;
  staticDir: string;
  logLevel: string;
  mutationRetentionHours: number;
  tombstoneRetentionDays: number;
  pruneIntervalMinutes: number;
  /** Analytics events older than this many days are deleted (whole day partitions on Postgres). */
  analyticsRetentionDays: number;
  /** Push delivery, Firebase and who may read the admin metrics (server/push/push-config.ts). */
  push: PushSettings;
  /** ICE servers, TURN credentials and the call deadlines (server/calls/call-config.ts). */
  calls: CallSettings;
  /** Where photo files are stored: the data directory, or an S3-compatible bucket (server/media/photo-config.ts). */
  photoStorage: PhotoStorageSettings;
  adminUserIds: string[];
  metricsToken: string | undefined;
  /** The operator's targeting for flags no administrator has saved (FLAGS_TARGETING). */
  flagsTargeting: InitialTargeting;
}

export class ConfigError extends Error {}

/** Parses the environment once at boot; everything else receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  if ((e.VAPID_PUBLIC_KEY === undefined) !== (e.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError('Invalid configuration: set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');
  }
  let push: PushSettings;
  let calls: CallSettings;
  let photoStorage: PhotoStorageSettings;
  try {
    push = pushConfigOf(e);
    calls = callSettingsOf(e);
    photoStorage = photoStorageSettingsOf(e, dataDir);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const flags = parseInitialTargeting(e.FLAGS_TARGETING);
  if ('problems' in flags) throw new ConfigError(`Invalid configuration:\n  ${flags.problems.map((problem) => `FLAGS_TARGETING: ${problem}`).join('\n  ')}`);
  const flagsTargeting = flags.targeting;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'rally.db') },
    redisUrl: e.REDIS_URL,
    jwtSecret: e.JWT_SECRET,
    vapid:
      e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
        ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
        : undefined,
    vapidSubject: e.VAPID_SUBJECT,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    userLimits: {
      writesPerMinute: e.USER_WRITE_LIMIT_PER_MINUTE,
      syncReadsPerMinute: e.USER_SYNC_LIMIT_PER_MINUTE,
      analyticsEventsPerMinute: e.USER_ANALYTICS_EVENTS_PER_MINUTE,
      photoUploadsPerMinute: e.USER_PHOTO_UPLOADS_PER_MINUTE,
      maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
      redisPrefix: e.USER_LIMITS_REDIS_PREFIX,
    },
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    trustProxy: e.TRUST_PROXY,
    staticDir: path.resolve(e.STATIC_DIR),
    logLevel: e.LOG_LEVEL,
    mutationRetentionHours: e.MUTATION_RETENTION_HOURS,
    tombstoneRetentionDays: e.TOMBSTONE_RETENTION_DAYS,
    pruneIntervalMinutes: e.PRUNE_INTERVAL_MINUTES,
    analyticsRetentionDays: e.ANALYTICS_RETENTION_DAYS,
    push,
    calls,
    photoStorage,
    adminUserIds: e.ADMIN_USER_IDS.split(',').map((id) => id.trim()).filter(Boolean),
    metricsToken: e.METRICS_TOKEN,
    flagsTargeting,
  };
}
