import type { Kysely } from 'kysely';
import type { ActivityEvents } from '../activities/activity-events';
import { createActivityService } from '../activities/activity-service';
import type { ChatEvents } from '../chat/chat-events';
import { createChatService } from '../chat/chat-service';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { createUserSettingsService } from '../push/user-settings-service';
import { bufferEvents } from './buffered-events';
import type { WriteServices } from './write-commands';

export interface WriteDeps {
  db: Db;
  events: ActivityEvents;
  chatEvents: ChatEvents;
  now: () => Date;
}

/**
 * Runs `work` in one transaction with the services bound to it. Their events are held until it
 * commits: nobody hears of a change that rolled back (a write's bookkeeping can fail after the change).
 */
export async function inWriteTransaction<T>(deps: WriteDeps, work: (trx: Kysely<Database>, services: WriteServices) => Promise<T>): Promise<T> {
  const buffered = bufferEvents(deps.events);
  const bufferedChat = bufferEvents(deps.chatEvents);
  const result = await deps.db.transaction().execute((trx) =>
    work(trx, {
      activities: createActivityService({ db: trx, events: buffered.events, now: deps.now }),
      chat: createChatService({ db: trx, events: bufferedChat.events, now: deps.now }),
      settings: createUserSettingsService({ db: trx, now: deps.now }),
    }),
  );
  await buffered.flush();
  await bufferedChat.flush();
  return result;
}
