import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { Config } from './config';

export interface Secrets {
  jwtSecret: Uint8Array;
  vapid: { publicKey: string; privateKey: string };
}

/**
 * Secrets come from the environment when set; otherwise they are made once and kept under the
 * data directory with owner-only permissions, so restarts keep sessions and push subscriptions valid.
 */
export function loadOrCreateSecrets(config: Config): Secrets {
  mkdirSync(config.dataDir, { recursive: true });
  const jwtSecret =
    config.jwtSecret ?? readOrCreate(path.join(config.dataDir, 'jwt-secret'), () => randomBytes(48).toString('base64url'));
  const vapid =
    config.vapid ??
    (JSON.parse(
      readOrCreate(path.join(config.dataDir, 'vapid.json'), () => JSON.stringify(webpush.generateVAPIDKeys())),
    ) as { publicKey: string; privateKey: string });
  return { jwtSecret: new TextEncoder().encode(jwtSecret), vapid };
}

function readOrCreate(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  // 'wx' fails if another process created it in the meantime; then read theirs.
  try {
    writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return value;
}
