// Bundled by local-db-upgrade.spec.ts into one script for the page (esbuild): Dexie and the app's
// own database classes, so the test opens databases exactly as the app does.
import Dexie from 'dexie';
import { AnalyticsQueueDb } from '../../device-db/analytics-queue';
import { RallyLocalDb } from '../../device-db/local-db';

export const localDbHooks = { Dexie, RallyLocalDb, AnalyticsQueueDb };
export type LocalDbHooks = typeof localDbHooks;
(globalThis as unknown as { localDbHooks: LocalDbHooks }).localDbHooks = localDbHooks;
