import type { Kysely } from 'kysely';
import type { ActivityEvents } from '../activities/activity-events';
import { createActivityService, type ActivityService } from '../activities/activity-service';
import type { ChatEvents } from '../chat/chat-events';
import { createChatService, type ChatService } from '../chat/chat-service';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import type { Viewer } from '../auth/authenticate';
import { ACTIVITY_PUSH_CAUSES, CHAT_PUSH_CAUSES, pushCausesIn, type PushCauses } from '../push/push-enqueue';
import { createUserSettingsService, type UserSettingsService } from '../push/user-settings-service';
import { createSafetyService, type SafetyService } from '../safety/safety-service';
import { holdEvents } from './held-events';
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
  let services: TransactionServices | undefined;
  const result = await deps.db.transaction().execute(async (trx) => {
    services = new TransactionServices(deps, viewer, trx);
    const done = await work(trx, services);
    services.collectNotified();
    return done;
  });
  // It committed, so `services` was made.
  const { ownChanges, activityEvents, chatEvents } = services!;
  if (services!.queued() > 0) deps.onPushQueued?.();
  if (ownChanges.length > 0) deps.onOwnRowsChanged?.(ownChanges);
  await activityEvents?.flush();
  await chatEvents?.flush();
  return result;
}

/**
 * The services of one write's transaction. A write uses one or two of them: each, with its held
 * events and push hooks, is made when first asked for. Made for every write, they cost about a
 * tenth of the write route's time. Getters and methods on the class, not on each object: a
 * closure made per write is a cost of its own, and accessors defined per object give every object
 * a shape of its own.
 */
class TransactionServices implements WriteServices {
  activityEvents: ReturnType<typeof holdEvents<ActivityEvents, (typeof ACTIVITY_PUSH_CAUSES)[number]>> | undefined;
  chatEvents: ReturnType<typeof holdEvents<ChatEvents, (typeof CHAT_PUSH_CAUSES)[number]>> | undefined;
  readonly ownChanges: { userId: string; seq: number }[] = [];
  #causes: PushCauses | undefined;
  #activities: ActivityService | undefined;
  #chat: ChatService | undefined;
  #settings: UserSettingsService | undefined;
  #safety: SafetyService | undefined;

  constructor(
    private readonly deps: WriteDeps,
    private readonly viewer: Viewer,
    private readonly trx: Kysely<Database>,
  ) {}

  get activities(): ActivityService {
    if (!this.#activities) {
      this.activityEvents = holdEvents(this.deps.events, ACTIVITY_PUSH_CAUSES, () => this.#pushCauses().activity);
      this.#activities = createActivityService({ db: this.trx, events: this.activityEvents.events, now: this.deps.now });
    }
    return this.#activities;
  }

  get chat(): ChatService {
    if (!this.#chat) {
      this.chatEvents = holdEvents(this.deps.chatEvents, CHAT_PUSH_CAUSES, () => this.#pushCauses().chat);
      this.#chat = createChatService({ db: this.trx, events: this.chatEvents.events, now: this.deps.now });
    }
    return this.#chat;
  }

  get settings(): UserSettingsService {
    return (this.#settings ??= createUserSettingsService({ db: this.trx, now: this.deps.now, onOwnChange: (userId, seq) => this.ownChanges.push({ userId, seq }) }));
  }

  get safety(): SafetyService {
    return (this.#safety ??= createSafetyService({ db: this.trx, now: this.deps.now, onOwnChange: (userId, seq) => this.ownChanges.push({ userId, seq }) }));
  }

  /** How many pushes the write queued. */
  queued(): number {
    return this.#causes?.queued() ?? 0;
  }

  /** Adds who got a notification to `ownChanges`; once, as the work ends. */
  collectNotified(): void {
    if (this.#causes) this.ownChanges.push(...this.#causes.notified());
  }

  /** Made at the first event that causes a push: most writes cause none. */
  #pushCauses(): PushCauses {
    return (this.#causes ??= pushCausesIn(this.trx, this.viewer));
  }
}
