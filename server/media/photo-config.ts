import { z } from 'zod';
import type { S3PhotoSettings } from './s3-photo-storage';

/** Where photos are stored, parsed with the rest of the environment in server/config.ts. */
export const PhotoEnvSchema = {
  /** Set: photos go to this S3-compatible bucket; unset: to `DATA_DIR/photos`. */
  S3_BUCKET: z.string().min(3).max(63).optional(),
  /** A service other than AWS (MinIO, R2…): its URL. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
};

type PhotoEnv = z.infer<ReturnType<typeof z.object<typeof PhotoEnvSchema>>>;

export type PhotoStorageSettings = { kind: 'directory'; dataDir: string } | ({ kind: 's3' } & S3PhotoSettings);

export function photoStorageSettingsOf(env: PhotoEnv, dataDir: string): PhotoStorageSettings {
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
    throw new Error('Invalid configuration: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither');
  }
  if (env.S3_BUCKET === undefined) {
    if (env.S3_ENDPOINT !== undefined || env.S3_ACCESS_KEY_ID !== undefined) throw new Error('Invalid configuration: S3_* settings need S3_BUCKET');
    return { kind: 'directory', dataDir };
  }
  return {
    kind: 's3',
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
  };
}
