import { activityRoom, userRoom, type Activity, type ActivityCountEvent } from '../../protocol';
import type { ActivityEvents } from '../activities/activity-events';
import { listAudienceUserIds } from '../db/activities-store';
import type { Db } from '../db/connect';
import type { RallyServer } from './socket-types';

/**
 * Sends each activity event to exactly the people who may see the activity: everyone for a
 * public one, and for a private one its owner, members and invitees (by their `user:` rooms).
 */
export function createActivityBroadcaster(getIo: () => RallyServer | undefined, db: Db): ActivityEvents {
  async function audienceRooms(activity: Activity): Promise<string[]> {
    const userIds = await listAudienceUserIds(db, activity.id, activity.ownerId);
    return [...userIds.map(userRoom), activityRoom(activity.id)];
  }

  function countEvent(activity: Activity, user: { id: string; displayName: string }): ActivityCountEvent {
    return {
      activityId: activity.id,
      userId: user.id,
      displayName: user.displayName,
      memberCount: activity.memberCount,
      likeCount: activity.likeCount,
      version: activity.version,
    };
  }

  /** Emits to all sockets for a public activity, else to its audience. */
  async function toAudience(activity: Activity) {
    const io = getIo();
    if (!io) return undefined;
    return activity.visibility === 'public' ? io : io.to(await audienceRooms(activity));
  }

  return {
    async created(activity) {
      (await toAudience(activity))?.emit('activity:created', { activity });
    },

    async updated(activity, previousVisibility) {
      const io = getIo();
      if (!io) return;
      if (previousVisibility === activity.visibility) {
        (await toAudience(activity))?.emit('activity:updated', { activity });
        return;
      }
      const rooms = await audienceRooms(activity);
      io.to(rooms).emit('activity:updated', { activity });
      if (activity.visibility === 'private') {
        // Everyone else just lost sight of it.
        io.except(rooms).emit('activity:deleted', { activityId: activity.id, version: activity.version });
      } else {
        io.except(rooms).emit('activity:created', { activity });
      }
    },

    async deleted(activity) {
      const io = getIo();
      (await toAudience(activity))?.emit('activity:deleted', { activityId: activity.id, version: activity.version });
      io?.in(activityRoom(activity.id)).socketsLeave(activityRoom(activity.id));
    },

    async membershipChanged(kind, activity, user) {
      const io = getIo();
      if (!io) return;
      const event = countEvent(activity, user);
      if (kind === 'joined') {
        (await toAudience(activity))?.emit('activity:user_joined', event);
        return;
      }
      const target = await toAudience(activity);
      if (activity.visibility === 'public') {
        target?.emit('activity:user_left', event);
        return;
      }
      const rooms = await audienceRooms(activity);
      io.to([...rooms, userRoom(user.id)]).emit('activity:user_left', event);
      if (!rooms.includes(userRoom(user.id))) {
        // The leaver may no longer see this private activity: drop it from their screens and rooms.
        io.to(userRoom(user.id)).emit('activity:deleted', { activityId: activity.id, version: activity.version });
        io.in(userRoom(user.id)).socketsLeave(activityRoom(activity.id));
      }
    },

    async likeChanged(kind, activity, user) {
      const name = kind === 'added' ? 'activity:like_added' : 'activity:like_removed';
      (await toAudience(activity))?.emit(name, countEvent(activity, user));
    },

    async invited(activity, userId) {
      getIo()?.to(userRoom(userId)).emit('activity:created', { activity });
    },
  };
}
