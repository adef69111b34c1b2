import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { photoKey, type PhotoStorage } from './photo-storage';

/** An S3-compatible bucket (AWS, MinIO, R2, Ceph…), as `S3_*` configure it (server/config.ts). */
export interface S3PhotoSettings {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** Path-style addressing (`endpoint/bucket/key`), which most self-hosted services need. */
  forcePathStyle: boolean;
}

export function createS3PhotoStorage(settings: S3PhotoSettings): PhotoStorage {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    // Without keys the SDK's own chain (environment, instance role) supplies them.
    ...(settings.accessKeyId !== undefined && settings.secretAccessKey !== undefined
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
  });
  return {
    async put(hash, bytes, type) {
      await client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: photoKey(hash), Body: bytes, ContentType: type }));
    },
    async get(hash) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: photoKey(hash) }));
        if (!object.Body) return null;
        return Buffer.from(await object.Body.transformToByteArray());
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async close() {
      client.destroy();
    },
  };
}
