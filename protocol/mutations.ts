import { z } from 'zod';
import { Activity, AssignableRole, CreateActivityBody, EditableActivityFields } from './activities';
import { BaseVersion, namesNoFieldIssue, namesSomeField } from './activity-fields';
import { Conversation, Message, MessageBody, ReactionEmoji, SendableMessageKind } from './chat';
import { ErrorBody } from './errors';
import { Id, Instant, InstantInput, RandomId } from './ids';
import { MessagePhoto } from './photos';
import { PushPreferences } from './push';
import { ReportReason, ReportText } from './safety';

/**
 * Every write is a mutation: `{clientId, mutationId, name, args, createdAt}`. The server applies
 * each once per (user, clientId, mutationId), in the client's order; sending it again returns the
 * stored outcome. `mutationId` is a per-client increasing number, so it also says the order;
 * `afterMutationId` makes the server keep that order across paths (socket, HTTP, the worker).
 */
export const ClientId = z.uuid();
export const MutationId = z.number().int().min(1);

export const ConflictStrategy = z.enum(['last-write-wins', 'fail-on-conflict', 'server-wins', 'client-wins', 'newest-wins', 'merge']);
export type ConflictStrategy = z.infer<typeof ConflictStrategy>;

/** What an activity edit falls back to when the request names no strategy, and for fields merge cannot settle. */
export const DEFAULT_ACTIVITY_STRATEGY: Exclude<ConflictStrategy, 'merge'> = 'fail-on-conflict';

const Envelope = {
  clientId: ClientId,
  mutationId: MutationId,
  /** When the user made the change (client clock): `newest-wins` compares it. */
  createdAt: Instant,
  /**
   * The newest earlier mutation of this client still on its way (queued in the worker, or sent and
   * not answered yet). The server applies this one only once it has settled that one, and answers
   * `mutation_gap` (425, never recorded) until then: whichever path carries each, a client's
   * mutations land in the order it made them. Absent: nothing earlier is outstanding.
   */
  afterMutationId: MutationId.optional(),
};

/**
 * A new activity; the client picks its id so later offline mutations can refer to it. The id must
 * be random (see `RandomId`): it is also the id of the activity's chat room.
 */
export const CreateActivityMutation = z.strictObject({
  ...Envelope,
  name: z.literal('activity.create'),
  args: z.strictObject({ id: RandomId, fields: CreateActivityBody }),
});

export const UpdateActivityMutation = z.strictObject({
  ...Envelope,
  name: z.literal('activity.update'),
  args: z.strictObject({
    id: Id,
    /** Only the fields the user changed. */
    changes: EditableActivityFields.partial().refine((changes) => namesSomeField(changes), namesNoFieldIssue),
    /**
     * The version the edit started from, and the values it saw then (what `merge` compares with, and
     * what `client-wins` stores with the changes: so it passes the same rules).
     */
    baseVersion: BaseVersion,
    base: EditableActivityFields.optional(),
    strategy: ConflictStrategy.optional(),
  }),
});

/**
 * A chat message; `id` is the message's own (client-made) id, so the server's copy replaces the
 * pending one. With a `photo` (uploaded first, by its hash) the body is its caption and may be empty.
 */
export const SendMessageMutation = z.strictObject({
  ...Envelope,
  name: z.literal('message.send'),
  args: z
    .strictObject({
      id: Id,
      conversationId: Id,
      body: z.union([MessageBody, z.literal('')]),
      kind: SendableMessageKind.default('text'),
      replyToId: Id.optional(),
      photo: MessagePhoto.optional(),
    })
    .refine((args) => args.body !== '' || args.photo !== undefined, { path: ['body'], message: 'is required' }),
});

/**
 * The author's new text for their message. Refused once it is deleted (`message_deleted`); of
 * two edits the later one in server order stands.
 */
export const EditMessageMutation = z.strictObject({
  ...Envelope,
  name: z.literal('message.edit'),
  args: z.strictObject({ id: Id, body: MessageBody }),
});

/** Delete for everyone: the author, within DELETE_FOR_EVERYONE_WINDOW_MS of sending. Deleting again changes nothing. */
export const DeleteMessageMutation = z.strictObject({
  ...Envelope,
  name: z.literal('message.delete'),
  args: z.strictObject({ id: Id }),
});

/** Delete for me: any message the user can see, gone from their devices only. */
export const HideMessageMutation = z.strictObject({
  ...Envelope,
  name: z.literal('message.hide'),
  args: z.strictObject({ id: Id }),
});

/** Adds (`on`) or removes the user's `emoji` on a message: a set operation, so repeats change nothing. */
export const ReactMessageMutation = z.strictObject({
  ...Envelope,
  name: z.literal('message.react'),
  args: z.strictObject({ id: Id, emoji: ReactionEmoji, on: z.boolean() }),
});

/** Opens (or finds) the direct conversation with `peerId`; `id` is `directConversationId(me, peer)`. */
export const OpenConversationMutation = z.strictObject({
  ...Envelope,
  name: z.literal('conversation.open'),
  args: z.strictObject({ id: Id, peerId: Id }),
});

/** Marks some of the user's notifications read (on every device of theirs, through the feed). */
export const ReadNotificationsMutation = z.strictObject({
  ...Envelope,
  name: z.literal('notification.read'),
  args: z.strictObject({ ids: z.array(Id).min(1).max(100) }),
});

/** "Mark all read": every notification made up to `upTo` (what the user saw when they asked), none after. */
export const ReadAllNotificationsMutation = z.strictObject({
  ...Envelope,
  name: z.literal('notification.readAll'),
  args: z.strictObject({ upTo: InstantInput }),
});

/** Which kinds push; only the ones named change, so two devices changing two kinds both win. */
export const PushPreferencesMutation = z.strictObject({
  ...Envelope,
  name: z.literal('settings.push'),
  args: z.strictObject({
    push: PushPreferences.partial().refine((push) => Object.keys(push).length > 0, { message: 'must name at least one kind' }),
  }),
});

/** Mutes a conversation for this user until `mutedUntil` (MUTED_FOREVER: always), or unmutes it (null). */
export const MuteConversationMutation = z.strictObject({
  ...Envelope,
  name: z.literal('conversation.mute'),
  args: z.strictObject({ conversationId: Id, mutedUntil: InstantInput.nullable() }),
});

export const PinConversationMutation = z.strictObject({
  ...Envelope,
  name: z.literal('conversation.pin'),
  args: z.strictObject({ conversationId: Id, pinned: z.boolean() }),
});

export const ArchiveConversationMutation = z.strictObject({
  ...Envelope,
  name: z.literal('conversation.archive'),
  args: z.strictObject({ conversationId: Id, archived: z.boolean() }),
});

/** The organizer makes a member a co-host (`cohost`) or takes it back (`member`). Setting the role it has changes nothing. */
export const SetMemberRoleMutation = z.strictObject({
  ...Envelope,
  name: z.literal('activity.setRole'),
  args: z.strictObject({ id: Id, userId: Id, role: AssignableRole }),
});

/**
 * A host (organizer or co-host) removes a member: out of the activity and its room on every
 * device, and unable to join again until the organizer invites them. Only the organizer removes a
 * co-host; nobody removes the organizer. Removing someone who is no longer a member changes nothing.
 */
export const RemoveMemberMutation = z.strictObject({
  ...Envelope,
  name: z.literal('activity.removeMember'),
  args: z.strictObject({ id: Id, userId: Id }),
});

/** Blocks (or unblocks) a person for this user: synced to their devices; see protocol/safety.ts. */
export const BlockUserMutation = z.strictObject({
  ...Envelope,
  name: z.literal('user.block'),
  args: z.strictObject({ userId: Id, blocked: z.boolean() }),
});

/** Reports a person, or one of their messages (`messageId`, whose author is `userId`), to the administrators. */
export const ReportMutation = z.strictObject({
  ...Envelope,
  name: z.literal('report.create'),
  args: z.strictObject({ userId: Id, messageId: Id.optional(), reason: ReportReason, text: ReportText.optional() }),
});

const ActivityRef = z.strictObject({ id: Id });
const simple = <N extends string>(name: N) => z.strictObject({ ...Envelope, name: z.literal(name), args: ActivityRef });

export const Mutation = z.discriminatedUnion('name', [
  CreateActivityMutation,
  UpdateActivityMutation,
  simple('activity.delete'),
  simple('activity.like'),
  simple('activity.unlike'),
  simple('activity.join'),
  simple('activity.leave'),
  simple('activity.checkin'),
  SetMemberRoleMutation,
  RemoveMemberMutation,
  SendMessageMutation,
  EditMessageMutation,
  DeleteMessageMutation,
  HideMessageMutation,
  ReactMessageMutation,
  OpenConversationMutation,
  ReadNotificationsMutation,
  ReadAllNotificationsMutation,
  PushPreferencesMutation,
  MuteConversationMutation,
  PinConversationMutation,
  ArchiveConversationMutation,
  BlockUserMutation,
  ReportMutation,
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationName = Mutation['name'];

/** How a conflict (if any) was settled. */
export const Resolution = z.enum(['applied', 'unchanged', 'server-wins', 'client-wins', 'newest-wins', 'merged']);
export type Resolution = z.infer<typeof Resolution>;

/** 200: the mutation is applied (now or before). Refusals are 4xx `{error, mutation}`. */
export const MutationApplied = z.object({
  clientId: ClientId,
  mutationId: MutationId,
  status: z.literal('applied'),
  resolution: Resolution,
  /** The activity afterwards (null once deleted or no longer visible, and for chat mutations). */
  activity: Activity.nullable(),
  /** A sent, edited, deleted or reacted message as stored (its `seq` says it is sent, its `version` how far it changed). */
  message: Message.optional(),
  /** An opened conversation. */
  conversation: Conversation.optional(),
});
export type MutationApplied = z.infer<typeof MutationApplied>;

export const MutationRejected = z.object({
  error: ErrorBody,
  mutation: z.object({ clientId: ClientId, mutationId: MutationId }),
});
export type MutationRejected = z.infer<typeof MutationRejected>;

// ---------------------------------------------------------------------------------------------
// Batches: `POST /api/mutations/batch` takes up to MAX_MUTATION_BATCH mutations of one writer and
// applies them in order, each exactly once, each answered as it would be alone. It stops at the
// first answer that is not final (a gap, a failure of ours): that one and everything after it are
// sent again later, so a batch that fails halfway leaves the applied ones applied and the rest queued.

export const MAX_MUTATION_BATCH = 100;

/**
 * Each item must name itself (so its answer can); the rest of it is checked one by one, so one
 * malformed mutation is refused alone.
 */
export const MutationBatch = z.strictObject({
  mutations: z.array(z.looseObject({ clientId: ClientId, mutationId: MutationId })).min(1).max(MAX_MUTATION_BATCH),
});
export type MutationBatch = z.infer<typeof MutationBatch>;

export const MutationAnswer = z.object({
  /** The status the mutation would have been answered with alone. */
  httpStatus: z.number().int(),
  body: z.union([MutationApplied, MutationRejected]),
});
export type MutationAnswer = z.infer<typeof MutationAnswer>;

/** One answer per mutation from the first, in order; fewer than sent when it stopped early. */
export const MutationBatchAnswers = z.object({ answers: z.array(MutationAnswer) });
export type MutationBatchAnswers = z.infer<typeof MutationBatchAnswers>;

// ---------------------------------------------------------------------------------------------
// Bulk endpoints for offline batches: one result per item, so one bad item fails alone.

export const BulkConflictResolution = z.enum(['server-wins', 'client-wins']);
export type BulkConflictResolution = z.infer<typeof BulkConflictResolution>;

const OfflineId = z.string().min(1).max(100);

export const CheckinsBulkBody = z.strictObject({
  items: z.array(z.strictObject({ offlineId: OfflineId, activityId: Id, checkedInAt: InstantInput })).min(1).max(500),
  /** A second check-in to the same activity: keep the first time (server-wins) or take this one. */
  conflictResolution: BulkConflictResolution.default('server-wins'),
});
export type CheckinsBulkBody = z.infer<typeof CheckinsBulkBody>;

export const RsvpsBulkBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        offlineId: OfflineId,
        activityId: Id,
        going: z.boolean(),
        /** The answer the device knew before this one; if the server's differs, someone else changed it meanwhile. */
        wasGoing: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(500),
  /** When the server's answer changed since `wasGoing`: keep the server's (server-wins) or apply this one. */
  conflictResolution: BulkConflictResolution.default('client-wins'),
});
export type RsvpsBulkBody = z.infer<typeof RsvpsBulkBody>;

export const BulkItemResult = z.object({
  offlineId: OfflineId,
  status: z.enum(['applied', 'unchanged', 'rejected']),
  /** The server's id for what the item made or touched. */
  id: z.string().optional(),
  error: ErrorBody.optional(),
});
export type BulkItemResult = z.infer<typeof BulkItemResult>;

export const BulkResponse = z.object({ results: z.array(BulkItemResult) });
export type BulkResponse = z.infer<typeof BulkResponse>;
