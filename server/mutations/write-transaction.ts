import type { Kysely } from 'kysely';
import type { ActivityEvents } from '../activities/activity-events';
import { createActivityService } from '../activities/activity-service';
import type { ChatEvents } from '../chat/chat-events';
import { createChatService } from '../chat/chat-service';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import type { Viewer } from '../auth/authenticate';
import { pushCausesIn } from '../push/push-enqueue';
import { createUserSettingsService } from '../push/user-settings-service';
import { createSafetyService } from '../safety/safety-service';
import { bufferEvents } from './buffered-events';
import type { WriteServices } from './write-commands';

export interface WriteDeps {
  db: Db;
  events: ActivityEvents;
  chatEvents: ChatEvents;
  now: () => Date;
  /** A write queued pushes and committed: the dispatcher may start on them now rather than at its next poll. */
  onPushQueued?: () => void;
  /** Rows only these users see changed (notifications, settings, mutes), committed: tell their devices. */
  onOwnRowsChanged?: (changes: { userId: string; seq: number }[]) => void;
}

/**
 * Runs `viewer`'s `work` in one transaction with the services bound to it. Their events are held
 * until it commits: nobody hears of a change that rolled back (a write's bookkeeping can fail
 * after the change). The events that cause pushes are also heard at once, inside the
 * transaction, so the notifications and push-outbox rows commit (or roll back) with the change.
 */
export async function inWriteTransaction<T>(deps: WriteDeps, viewer: Viewer, work: (trx: Kysely<Database>, services: WriteServices) => Promise<T>): Promise<T> {
  const buffered = bufferEvents(deps.events);
  const bufferedChat = bufferEvents(deps.chatEvents);
  let queued = 0;
  const ownChanges: { userId: string; seq: number }[] = [];
  const result = await deps.db.transaction().execute(async (trx) => {
    const causes = pushCausesIn(trx, viewer);
    const done = await work(trx, {
      activities: createActivityService({ db: trx, events: alsoHeardBy(buffered.events, causes.activity), now: deps.now }),
      chat: createChatService({ db: trx, events: alsoHeardBy(bufferedChat.events, causes.chat), now: deps.now }),
      settings: createUserSettingsService({ db: trx, now: deps.now, onOwnChange: (userId, seq) => ownChanges.push({ userId, seq }) }),
      safety: createSafetyService({ db: trx, now: deps.now, onOwnChange: (userId, seq) => ownChanges.push({ userId, seq }) }),
    });
    queued = causes.queued();
    ownChanges.push(...causes.notified());
    return done;
  });
  if (queued > 0) deps.onPushQueued?.();
  if (ownChanges.length > 0) deps.onOwnRowsChanged?.(ownChanges);
  await buffered.flush();
  await bufferedChat.flush();
  return result;
}

/** `events`, where the methods `first` has run there first (awaited), then as before. */
function alsoHeardBy<E extends object>(events: E, first: Partial<E>): E {
  const heard = { ...events } as Record<string, (...args: unknown[]) => Promise<void>>;
  for (const [name, listener] of Object.entries(first) as [string, (...args: unknown[]) => Promise<void>][]) {
    const after = heard[name]!;
    heard[name] = async (...args) => {
      await listener(...args);
      await after(...args);
    };
  }
  return heard as E;
}
