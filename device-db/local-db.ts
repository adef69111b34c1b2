import Dexie, { type Table } from 'dexie';
import type { Activity, ActivityRemoval, AppNotification, BlockedUser, Checkin, Conversation, ConversationSettings, HiddenMessage, Like, Member, Message, Mutation, Receipt, UserSettings } from '../protocol';
import { indexMessageText, messageSearchIndex } from './message-search-index';

/** An activity as stored on the device: the server's row plus what local search needs. */
export interface LocalActivity extends Activity {
  /** Lower-cased title, location and organizer, so the feed's search needs no work per keystroke. */
  searchText: string;
}

/** Member and like rows keep the `version` they arrived with (their change position). */
export interface LocalMember extends Member {
  version: number;
}
export interface LocalLike extends Like {
  version: number;
}

export interface LocalCheckin extends Checkin {
  version: number;
}

export interface LocalConversation extends Conversation {
  version: number;
}

/**
 * A message on the device. `seq` 0 means not yet on the server (it is in the outbox); the
 * server's copy, with its position, replaces it under the same id.
 */
export interface LocalMessage extends Message {
  version: number;
  /** The body's search terms, set by the database on every put (message-search-index.ts); never written by hand. */
  terms?: string[];
}

/** A message this user deleted for themselves: it stays off this device whatever arrives later. */
export interface LocalHiddenMessage extends HiddenMessage {
  version: number;
}

/**
 * A member's watermarks. The signed-in user's own row moves forward here first (reading happens
 * offline too); `unsent` marks it as ahead of what the server acknowledged.
 */
export interface LocalReceipt extends Receipt {
  version: number;
  unsent?: 1;
}

/** A notification the server made for this user; `readAt` moves on the device first when read here. */
export interface LocalNotification extends AppNotification {
  version: number;
}

/** That a host removed this user from an activity (and whether they were invited back): keyed by the activity's id. */
export interface LocalRemoval extends ActivityRemoval {
  version: number;
}

/** This user's push preferences (one row, keyed by their id). */
export interface LocalUserSettings extends UserSettings {
  version: number;
}

/** This user's own settings for one conversation (mute). */
export interface LocalConversationSettings extends ConversationSettings {
  version: number;
}

/** Someone this user blocked (or unblocked: `blockedAt` null), keyed by the blocked person's id. */
export interface LocalBlockedUser extends BlockedUser {
  version: number;
}

/** The tables an optimistic change may touch, and so the ones its undo rows name. */
export type UndoTable =
  | 'activities'
  | 'members'
  | 'likes'
  | 'checkins'
  | 'conversations'
  | 'messages'
  | 'notifications'
  | 'userSettings'
  | 'conversationSettings'
  | 'hiddenMessages'
  | 'blockedUsers';

/**
 * A write made on this device and not yet settled by the server: what was sent, what the page
 * changed optimistically (to undo it if the server refuses), and where it stands.
 */
export interface OutboxEntry {
  mutationId: number;
  mutation: Mutation;
  /** 'pending': queued or in flight; 'failed': gave up (retries exhausted, expired, or refused) and waits for retry or discard. */
  status: 'pending' | 'failed';
  createdAt: string;
  /** Rows as they were before the optimistic change, by `entity/id` (null: the row did not exist). */
  undo: { table: UndoTable; key: string | [string, string]; row: unknown }[];
  error: { code: string; message: string } | null;
  /** The service worker answered 202: it holds the request and replays it (not indexed). */
  queuedInWorker?: boolean;
  /** The optimistic change was already undone (a refusal); discarding then only forgets it. */
  rolledBack?: boolean;
}

/** This device's identity as a mutation sender, per user. */
export interface ClientStateRow {
  key: 'client';
  clientId: string;
  /** The last mutation id handed out; ids increase by one per mutation. */
  lastMutationId: number;
}

/** The one row of sync bookkeeping. */
export interface SyncStateRow {
  key: 'feed';
  cursor: string | null;
  /** Everything up to this change position has been pulled (0 until the first sync completes). */
  position: number;
  lastSyncedAt: string | null;
  /**
   * The protocol the cursor was pulled under (absent: 4, before it was kept). A newer protocol
   * may carry entities an older page was never sent: the page then starts over from a snapshot.
   */
  protocolVersion?: number;
}

/**
 * A photo picked on this device whose message is not yet on the server: its resized file, kept
 * by content hash until the message that names it is applied (then the server has it). The page
 * and the worker upload it from here before that message is sent (photo-uploads.ts).
 */
export interface PendingPhoto {
  hash: string;
  blob: Blob;
  type: string;
  createdAt: string;
  /** Set once the server has stored it: neither runtime uploads it again. */
  uploadedAt?: string;
}

/** A message begun and not sent, per conversation: it outlives leaving the chat, a reload and an update. */
export interface LocalDraft {
  conversationId: string;
  body: string;
  updatedAt: string;
}

export function searchTextOf(activity: Pick<Activity, 'title' | 'location' | 'ownerName'>): string {
  return `${activity.title}\n${activity.location}\n${activity.ownerName}`.toLowerCase();
}

export function localDbName(userId: string): string {
  return `rally-user-${userId}`;
}

/**
 * The page's database for one signed-in user. Two accounts on one device get two databases;
 * signing out deletes the user's. Every schema change is a new version below, never an edit of
 * an old one, so a device that installed an older Rally keeps its data when it updates.
 */
export class RallyLocalDb extends Dexie {
  activities!: Table<LocalActivity, string>;
  members!: Table<LocalMember, [string, string]>;
  likes!: Table<LocalLike, [string, string]>;
  syncState!: Table<SyncStateRow, string>;
  checkins!: Table<LocalCheckin, [string, string]>;
  outbox!: Table<OutboxEntry, number>;
  clientState!: Table<ClientStateRow, string>;
  conversations!: Table<LocalConversation, string>;
  messages!: Table<LocalMessage, string>;
  receipts!: Table<LocalReceipt, [string, string]>;
  notifications!: Table<LocalNotification, string>;
  userSettings!: Table<LocalUserSettings, string>;
  conversationSettings!: Table<LocalConversationSettings, string>;
  drafts!: Table<LocalDraft, string>;
  hiddenMessages!: Table<LocalHiddenMessage, string>;
  pendingPhotos!: Table<PendingPhoto, string>;
  removals!: Table<LocalRemoval, string>;
  blockedUsers!: Table<LocalBlockedUser, string>;

  constructor(name: string) {
    // Dexie's optimistic query cache replays every write of a large sync into live results; the
    // screens re-read after each commit anyway, so the cache only costs time here.
    super(name, { cache: 'disabled' });
    // Only the versions whose data needs converting are declared, each with its tables as they
    // stood then (Dexie 3 and later reads the schema a device has from the device itself and
    // applies the difference; tests/e2e/local-db-upgrade.spec.ts opens a database of every
    // release). Declaring each of the twelve released versions cost the page's first task: each
    // `stores()` re-parses every version declared before it, 78 schema parses per construction.
    // How the tables came: activities, members, likes and syncState first; check-ins (synced
    // like likes), the outbox and clientState (3); chat (4); push: the notification center, push
    // preferences and per-conversation mutes, which the service worker writes too (5); drafts,
    // unsent messages kept on this device only (6); messages by sender, so an unread count is two
    // counts IndexedDB makes itself (7); hidden messages, "delete for me" (8); message search (9);
    // photos waiting to be uploaded, by content hash (10); removals, the activities a host removed
    // this user from (11); the people this user blocked (12). Tables that never leave the device
    // (drafts, pending photos) go with the database at sign-out, so a shared phone shows nobody
    // else's.
    //
    // Version 2: "Mine" and profile lists read by owner and by member; local search reads a
    // precomputed `searchText`, which rows stored under version 1 lack, so it is filled in here.
    this.version(2)
      .stores({
        activities: 'id, createdAt, ownerId',
        members: '[activityId+userId], activityId, userId',
        likes: '[activityId+userId], activityId, userId',
        syncState: 'key',
      })
      .upgrade((tx) =>
        tx
          .table<LocalActivity, string>('activities')
          .toCollection()
          .modify((activity) => {
            activity.searchText = searchTextOf(activity);
          }),
      );
    // Version 3: activities stored before now lack `checkinCount`; the next pull brings it, 0 until then.
    this.version(3)
      .stores({
        checkins: '[activityId+userId], activityId, userId',
        outbox: 'mutationId, status',
        clientState: 'key',
      })
      .upgrade((tx) =>
        tx
          .table<LocalActivity, string>('activities')
          .toCollection()
          .modify((activity) => {
            activity.checkinCount ??= 0;
          }),
      );
    // Version 9: message search. Each message's body terms under a multiEntry index, and messages
    // by time so a search lists its newest hits without reading the others (message-search.ts).
    // Messages stored before get their terms here; `modify` reads and writes in chunks, each its
    // own task, so a large device takes no long task. (Messages stored before version 8 lack the
    // fields of edits, reactions and quotes; the protocol-7 page pulls again from the start.)
    this.version(9)
      .stores({
        conversations: 'id, activityId',
        messages: 'id, [conversationId+seq], [conversationId+senderId+seq], *terms, createdAt',
        receipts: '[conversationId+userId], conversationId',
        notifications: 'id, createdAt',
        userSettings: 'userId',
        conversationSettings: 'conversationId',
        drafts: 'conversationId',
        hiddenMessages: 'messageId',
      })
      .upgrade((tx) =>
        tx
          .table<LocalMessage, string>('messages')
          .toCollection()
          .modify((message) => {
            message.terms = indexMessageText(message).terms;
          }),
      );
    // Version 13 (numbers need not be contiguous): the tables of versions 10 to 12, nothing to
    // convert (the protocol-7 page pulls removals and blocks), and messages by conversation alone,
    // so the unread total asks only the conversations that hold messages (the index's distinct
    // keys, one cursor step each), not every room the device knows.
    this.version(13).stores({
      messages: 'id, [conversationId+seq], [conversationId+senderId+seq], *terms, createdAt, conversationId',
      pendingPhotos: 'hash',
      removals: 'activityId',
      blockedUsers: 'userId',
    });
    this.use(messageSearchIndex);
  }
}

export function openLocalDb(userId: string): RallyLocalDb {
  return new RallyLocalDb(localDbName(userId));
}

export async function deleteLocalDb(userId: string): Promise<void> {
  await Dexie.delete(localDbName(userId));
}
