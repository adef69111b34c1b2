import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001_initial';
import * as changeFeed from './migrations/002_change_feed';
import * as checkinsAndMutations from './migrations/003_checkins_and_mutations';
import * as chat from './migrations/004_chat';
import * as historyCheckpoints from './migrations/005_history_checkpoints';
import * as push from './migrations/006_push';
import * as calls from './migrations/007_calls';
import * as featureFlags from './migrations/008_feature_flags';
import * as analyticsEvents from './migrations/009_analytics_events';
import * as messageEdits from './migrations/010_message_edits';
import * as conversationPins from './migrations/011_conversation_pins';
import * as messagePhotos from './migrations/012_message_photos';
import * as activityRoles from './migrations/013_activity_roles';
import * as blocksReports from './migrations/014_blocks_reports';
import * as redundantUserIndexes from './migrations/015_redundant_user_indexes';

/** Every migration, in order. Names are permanent once released: add, never rename. */
const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_change_feed': changeFeed,
  '003_checkins_and_mutations': checkinsAndMutations,
  '004_chat': chat,
  '005_history_checkpoints': historyCheckpoints,
  '006_push': push,
  '007_calls': calls,
  '008_feature_flags': featureFlags,
  '009_analytics_events': analyticsEvents,
  '010_message_edits': messageEdits,
  '011_conversation_pins': conversationPins,
  '012_message_photos': messagePhotos,
  '013_activity_roles': activityRoles,
  '014_blocks_reports': blocksReports,
  '015_redundant_user_indexes': redundantUserIndexes,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
