import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where photo files live, behind the few methods the photo service needs (Workbox's QueueStore
 * and Actual's platform folders are the model): the data directory by default, an S3-compatible
 * bucket when one is configured (`s3-photo-storage.ts`). Files are named by the SHA-256 of their
 * bytes, so a put of a name that exists writes the same bytes again and nothing is ever updated.
 */
export interface PhotoStorage {
  /** Stores the bytes under their hash (the caller has checked that they hash to it). */
  put(hash: string, bytes: Buffer, type: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the hash. */
  get(hash: string): Promise<Buffer | null>;
  /** Closes connections (the S3 client's sockets); the directory has none. */
  close(): Promise<void>;
}

/** A photo's key: two levels of fan-out keep a directory listing small. */
export function photoKey(hash: string): string {
  return `photos/${hash.slice(0, 2)}/${hash}`;
}

export function createDirectoryPhotoStorage(dataDir: string): PhotoStorage {
  const fileOf = (hash: string) => path.join(dataDir, ...photoKey(hash).split('/'));
  return {
    async put(hash, bytes) {
      const file = fileOf(hash);
      await mkdir(path.dirname(file), { recursive: true });
      // Written beside and renamed: a reader never sees half a file, and two uploads of the same
      // bytes at once each rename a whole copy over the other.
      const partial = `${file}.${randomUUID()}.part`;
      try {
        await writeFile(partial, bytes);
        await rename(partial, file);
      } finally {
        await rm(partial, { force: true });
      }
    },
    async get(hash) {
      try {
        return await readFile(fileOf(hash));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async close() {},
  };
}
