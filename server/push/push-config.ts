import { z } from 'zod';
import { FirebaseWebConfig } from '../../protocol';

/** Push settings, parsed with the rest of the environment in server/config.ts. */
export const PushEnvSchema = {
  /** `off` in tests (or a process that only serves requests) that must leave the outbox alone. */
  PUSH_DISPATCHER: z.enum(['on', 'off']).default('on'),
  PUSH_LEASE_SECONDS: z.coerce.number().int().min(1).default(60),
  PUSH_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
  PUSH_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(50),
  PUSH_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  PUSH_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  PUSH_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  PUSH_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2_000),
  /** A Firebase service account: all three, or none (then FCM devices get no pushes). */
  FIREBASE_PROJECT_ID: z.string().min(1).optional(),
  FIREBASE_CLIENT_EMAIL: z.string().min(1).optional(),
  FIREBASE_PRIVATE_KEY: z.string().min(1).optional(),
  /** The web config pages need for `getToken` (JSON), served by GET /api/push/config. */
  FIREBASE_WEB_CONFIG: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      try {
        const parsed = FirebaseWebConfig.safeParse(JSON.parse(value));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: `must be Firebase's web config: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}` });
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      }
      return z.NEVER;
    }),
  /** Comma-separated user ids who may read GET /api/admin/metrics. */
  ADMIN_USER_IDS: z.string().default(''),
};

type PushEnv = z.infer<ReturnType<typeof z.object<typeof PushEnvSchema>>>;

export interface PushSettings {
  dispatcherEnabled: boolean;
  leaseMs: number;
  pollIntervalMs: number;
  batchSize: number;
  concurrency: number;
  sendTimeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  firebase: { projectId: string; clientEmail: string; privateKey: string } | undefined;
  firebaseWebConfig: FirebaseWebConfig | null;
}

export class PushConfigError extends Error {}

export function pushConfigOf(e: PushEnv): PushSettings {
  const firebaseParts = [e.FIREBASE_PROJECT_ID, e.FIREBASE_CLIENT_EMAIL, e.FIREBASE_PRIVATE_KEY];
  if (firebaseParts.some((part) => part === undefined) && firebaseParts.some((part) => part !== undefined)) {
    throw new PushConfigError('Invalid configuration: set FIREBASE_PROJECT_ID, FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY together, or none');
  }
  // A claim must outlast the slowest send by far, or a slow send would be claimed and sent again.
  if (e.PUSH_LEASE_SECONDS * 1000 < 2 * e.PUSH_SEND_TIMEOUT_MS) {
    throw new PushConfigError('Invalid configuration: PUSH_LEASE_SECONDS must be at least twice PUSH_SEND_TIMEOUT_MS');
  }
  return {
    dispatcherEnabled: e.PUSH_DISPATCHER === 'on',
    leaseMs: e.PUSH_LEASE_SECONDS * 1000,
    pollIntervalMs: e.PUSH_POLL_INTERVAL_MS,
    batchSize: e.PUSH_BATCH_SIZE,
    concurrency: e.PUSH_CONCURRENCY,
    sendTimeoutMs: e.PUSH_SEND_TIMEOUT_MS,
    maxAttempts: e.PUSH_MAX_ATTEMPTS,
    retryBaseMs: e.PUSH_RETRY_BASE_MS,
    firebase:
      e.FIREBASE_PROJECT_ID && e.FIREBASE_CLIENT_EMAIL && e.FIREBASE_PRIVATE_KEY
        ? { projectId: e.FIREBASE_PROJECT_ID, clientEmail: e.FIREBASE_CLIENT_EMAIL, privateKey: e.FIREBASE_PRIVATE_KEY.replace(/\\n/g, '\n') }
        : undefined,
    firebaseWebConfig: e.FIREBASE_WEB_CONFIG,
  };
}
