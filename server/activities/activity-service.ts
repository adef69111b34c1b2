import type { Activity, ActivityView, CreateActivityBody, Resolution } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { requireVisible, type ActivityContext } from './activity-context';
import { createActivity, deleteActivity, editActivity, type ActivityEdit } from './activity-lifecycle';
import { likeActivity, unlikeActivity } from './activity-likes';
import { checkInToActivity, inviteToActivity, joinActivity, leaveActivity } from './activity-membership';
import { removeMember, setMemberRole } from './activity-roles';

export type { ActivityEdit } from './activity-lifecycle';

/**
 * The activity commands, bound to one database or transaction. Each command group lives in its own
 * module (lifecycle, membership, likes); this is only their common face. Writes reach it through
 * the mutation service (mutations/), which binds it to the write's transaction.
 */
export interface ActivityService {
  /** `id`: a client-made id (offline creates refer to it before the server has seen it). */
  create(viewer: Viewer, body: CreateActivityBody, options?: { id?: string }): Promise<ActivityView>;
  /** An edit under a conflict strategy; see domain/conflict-resolution.ts. */
  edit(viewer: Viewer, id: string, edit: ActivityEdit): Promise<{ view: ActivityView | null; resolution: Resolution }>;
  remove(viewer: Viewer, id: string): Promise<void>;
  join(viewer: Viewer, id: string): Promise<ActivityView>;
  /** `view` is null when leaving took the activity out of the leaver's sight. */
  leave(viewer: Viewer, id: string): Promise<{ view: ActivityView | null; activity: Activity }>;
  like(viewer: Viewer, id: string): Promise<ActivityView>;
  unlike(viewer: Viewer, id: string): Promise<ActivityView>;
  invite(viewer: Viewer, id: string, userId: string): Promise<void>;
  /** A member says they arrived. `at` is when (a client's offline time, or now). */
  checkin(viewer: Viewer, id: string, options?: { at?: string | undefined; replaceTime?: boolean | undefined }): Promise<{ view: ActivityView; changed: boolean }>;
  /** The organizer makes a member a co-host or takes it back. */
  setRole(viewer: Viewer, id: string, userId: string, role: 'cohost' | 'member'): Promise<{ view: ActivityView; changed: boolean }>;
  /** A host removes a member (see activity-roles.ts). */
  removeMember(viewer: Viewer, id: string, userId: string): Promise<{ view: ActivityView; changed: boolean }>;
  /** The activity if the viewer may see it, else a 404 (which does not reveal that it exists). */
  requireVisible(viewer: Viewer, id: string): Promise<ActivityView>;
}

export function createActivityService(ctx: ActivityContext): ActivityService {
  return new BoundActivityService(ctx);
}

/** Methods on the class: every write makes one of these, and closures made per write add up. */
class BoundActivityService implements ActivityService {
  constructor(private readonly ctx: ActivityContext) {}
  requireVisible(viewer: Viewer, id: string) {
    return requireVisible(this.ctx, viewer, id);
  }
  create(viewer: Viewer, body: CreateActivityBody, options?: { id?: string }) {
    return createActivity(this.ctx, viewer, body, options);
  }
  edit(viewer: Viewer, id: string, edit: ActivityEdit) {
    return editActivity(this.ctx, viewer, id, edit);
  }
  remove(viewer: Viewer, id: string) {
    return deleteActivity(this.ctx, viewer, id);
  }
  join(viewer: Viewer, id: string) {
    return joinActivity(this.ctx, viewer, id);
  }
  leave(viewer: Viewer, id: string) {
    return leaveActivity(this.ctx, viewer, id);
  }
  like(viewer: Viewer, id: string) {
    return likeActivity(this.ctx, viewer, id);
  }
  unlike(viewer: Viewer, id: string) {
    return unlikeActivity(this.ctx, viewer, id);
  }
  invite(viewer: Viewer, id: string, userId: string) {
    return inviteToActivity(this.ctx, viewer, id, userId);
  }
  checkin(viewer: Viewer, id: string, options?: { at?: string | undefined; replaceTime?: boolean | undefined }) {
    return checkInToActivity(this.ctx, viewer, id, options);
  }
  setRole(viewer: Viewer, id: string, userId: string, role: 'cohost' | 'member') {
    return setMemberRole(this.ctx, viewer, id, userId, role);
  }
  removeMember(viewer: Viewer, id: string, userId: string) {
    return removeMember(this.ctx, viewer, id, userId);
  }
}
