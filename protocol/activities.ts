import { z } from 'zod';
import { BaseVersion, Capacity, Description, Location, namesNoFieldIssue, namesSomeField, Title } from './activity-fields';
import { Id, Instant, InstantInput } from './ids';

export const Visibility = z.enum(['public', 'private']);
export type Visibility = z.infer<typeof Visibility>;

/**
 * The fields of an activity a user edits, each with the rules any value a client sends for it must
 * pass. An edit's `changes` and its `base` (which `client-wins` stores) are both parsed with it, so
 * no path stores a value a form could not.
 */
export const EditableActivityFields = z.strictObject({
  title: Title,
  description: Description,
  location: Location,
  startsAt: InstantInput,
  endsAt: InstantInput.nullable(),
  capacity: Capacity,
  visibility: Visibility,
});
export type EditableActivityFields = z.infer<typeof EditableActivityFields>;
export const editableActivityFieldNames = Object.keys(EditableActivityFields.shape) as (keyof EditableActivityFields)[];

/** A new activity: the editable fields, with defaults for all but title and start. */
const ActivityFields = EditableActivityFields.extend({
  description: Description.default(''),
  location: Location.default(''),
  endsAt: InstantInput.nullable().default(null),
  capacity: Capacity.default(null),
  visibility: Visibility.default('public'),
});

function endsAfterStart(value: { startsAt?: string | undefined; endsAt?: string | null | undefined }): boolean {
  if (!value.startsAt || !value.endsAt) return true;
  return Date.parse(value.endsAt) > Date.parse(value.startsAt);
}
const endsAfterStartIssue = { message: 'must be after the start', path: ['endsAt'] };

export const CreateActivityBody = z.strictObject(ActivityFields.shape).refine(endsAfterStart, endsAfterStartIssue);
export type CreateActivityBody = z.infer<typeof CreateActivityBody>;

export const UpdateActivityBody = z
  .strictObject({
    ...EditableActivityFields.partial().shape,
    /** The version the edit was based on; a stale one is a conflict. */
    baseVersion: BaseVersion.optional(),
  })
  .refine(endsAfterStart, endsAfterStartIssue)
  .refine((body) => namesSomeField(body, ['baseVersion']), namesNoFieldIssue);
export type UpdateActivityBody = z.infer<typeof UpdateActivityBody>;

/** What the viewing user has to do with an activity. */
export const ViewerState = z.object({
  liked: z.boolean(),
  joined: z.boolean(),
  checkedIn: z.boolean(),
  invited: z.boolean(),
  isOwner: z.boolean(),
});
export type ViewerState = z.infer<typeof ViewerState>;

export const Activity = z.object({
  id: Id,
  ownerId: Id,
  ownerName: z.string(),
  title: z.string(),
  description: z.string(),
  location: z.string(),
  startsAt: Instant,
  endsAt: Instant.nullable(),
  capacity: z.number().int().nullable(),
  visibility: Visibility,
  memberCount: z.number().int(),
  likeCount: z.number().int(),
  /** Members who checked in (arrived). */
  checkinCount: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
  /** Increases on every change to the activity or its counts. */
  version: z.number().int(),
});
export type Activity = z.infer<typeof Activity>;

export const ActivityView = Activity.extend({ viewer: ViewerState });
export type ActivityView = z.infer<typeof ActivityView>;

export const ActivityScope = z.enum(['feed', 'mine', 'owned-by']);
export type ActivityScope = z.infer<typeof ActivityScope>;

export const ListActivitiesQuery = z.strictObject({
  scope: ActivityScope.default('feed'),
  /** For `owned-by`: whose activities. */
  userId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
}).refine((query) => query.scope !== 'owned-by' || query.userId !== undefined, {
  message: 'is required for scope owned-by',
  path: ['userId'],
});
export type ListActivitiesQuery = z.infer<typeof ListActivitiesQuery>;

export const ActivityPage = z.object({
  items: z.array(ActivityView),
  nextCursor: z.string().nullable(),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

export const ActivityIdParams = z.strictObject({ activityId: Id });
export type ActivityIdParams = z.infer<typeof ActivityIdParams>;

/**
 * `owner`: the organizer (who made the activity). `cohost`: a member the organizer made a host
 * (protocol 7): organizer and co-hosts may remove members, post announcements and delete any
 * message of the room. A page of 6 gets a co-host as `member`.
 */
export const MemberRole = z.enum(['owner', 'cohost', 'member']);
export type MemberRole = z.infer<typeof MemberRole>;

export const Member = z.object({
  activityId: Id,
  userId: Id,
  displayName: z.string(),
  role: MemberRole,
  joinedAt: Instant,
});
export type Member = z.infer<typeof Member>;

export const MemberList = z.object({ items: z.array(Member) });
export type MemberList = z.infer<typeof MemberList>;

export const InviteBody = z.strictObject({ userId: Id });
export type InviteBody = z.infer<typeof InviteBody>;

/** The roles an organizer may give a member (`activity.setRole`). */
export const AssignableRole = z.enum(['cohost', 'member']);
export type AssignableRole = z.infer<typeof AssignableRole>;

/**
 * That the user was removed from an activity (protocol 7): one row per removed person, theirs
 * alone in the feed. Their devices show "You were removed from <title>" instead of the room;
 * `liftedAt` is set when the organizer invites them back, which lets them join again.
 */
export const ActivityRemoval = z.object({
  activityId: Id,
  /** The activity's title when they were removed (they may no longer see the activity). */
  title: z.string(),
  removedAt: Instant,
  liftedAt: Instant.nullable(),
});
export type ActivityRemoval = z.infer<typeof ActivityRemoval>;
