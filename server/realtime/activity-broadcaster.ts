import { activityRoom, conversationRoom, userRoom, type Activity, type ActivityCountEvent } from '../../protocol';
import type { ActivityEvents, Actor, ChangeStamp } from '../activities/activity-events';
import { listAudienceUserIds } from '../db/activities-store';
import type { Db } from '../db/connect';
import { tellOwnDevices } from './own-changes';
import type { RallyServer } from './socket-types';

/**
 * Sends each activity event to exactly the people who may see the activity: everyone for a
 * public one, and for a private one its owner, members and invitees (by their `user:` rooms, read
 * at the time of the event, never by `activity:` rooms, which a socket may have joined while the
 * activity was still public). When the audience shrinks, sockets outside it leave the activity's
 * rooms at once, on every process (the adapter relays it).
 */
export function createActivityBroadcaster(getIo: () => RallyServer | undefined, db: Db): ActivityEvents {
  async function audienceRooms(activity: Activity): Promise<string[]> {
    const userIds = await listAudienceUserIds(db, activity.id, activity.ownerId);
    return userIds.map(userRoom);
  }

  /** Sockets of anyone outside `audience` leave the activity's rooms. */
  function narrowRooms(io: RallyServer, activityId: string, audience: string[]): void {
    for (const room of [activityRoom(activityId), conversationRoom(activityId)]) {
      (audience.length > 0 ? io.in(room).except(audience) : io.in(room)).socketsLeave(room);
    }
  }

  function countEvent(activity: Activity, user: Actor, stamp: ChangeStamp): ActivityCountEvent {
    return {
      activityId: activity.id,
      userId: user.id,
      displayName: user.displayName,
      memberCount: activity.memberCount,
      likeCount: activity.likeCount,
      version: activity.version,
      seq: stamp.seq,
      at: stamp.at,
    };
  }

  /** Every socket for a public activity, else its audience. */
  async function toAudience(io: RallyServer, activity: Activity) {
    return activity.visibility === 'public' ? io : io.to(await audienceRooms(activity));
  }

  const broadcaster: ActivityEvents = {
    async created(activity, { seq }) {
      const io = getIo();
      if (!io) return;
      // The organizer is its room's first member.
      io.in(userRoom(activity.ownerId)).socketsJoin(conversationRoom(activity.id));
      (await toAudience(io, activity)).emit('activity:created', { activity, seq });
    },

    async updated(activity, previousVisibility, { seq }) {
      const io = getIo();
      if (!io) return;
      if (previousVisibility === activity.visibility) {
        (await toAudience(io, activity)).emit('activity:updated', { activity, seq });
        return;
      }
      const rooms = await audienceRooms(activity);
      io.to(rooms).emit('activity:updated', { activity, seq });
      if (activity.visibility === 'private') {
        // Everyone else just lost sight of it: their screens drop it, their sockets leave its rooms.
        io.except(rooms).emit('activity:deleted', { activityId: activity.id, version: activity.version, seq });
        narrowRooms(io, activity.id, rooms);
      } else {
        io.except(rooms).emit('activity:created', { activity, seq });
      }
    },

    async deleted(activity, { seq }) {
      const io = getIo();
      if (!io) return;
      (await toAudience(io, activity)).emit('activity:deleted', { activityId: activity.id, version: activity.version, seq });
      io.in(activityRoom(activity.id)).socketsLeave(activityRoom(activity.id));
      io.in(conversationRoom(activity.id)).socketsLeave(conversationRoom(activity.id));
    },

    async membershipChanged(kind, activity, user, stamp) {
      const io = getIo();
      if (!io) return;
      const event = countEvent(activity, user, stamp);
      // The chat room follows membership at once, on every process (the adapter relays it).
      if (kind === 'joined') io.in(userRoom(user.id)).socketsJoin(conversationRoom(activity.id));
      else io.in(userRoom(user.id)).socketsLeave(conversationRoom(activity.id));
      if (kind === 'joined' || activity.visibility === 'public') {
        (await toAudience(io, activity)).emit(kind === 'joined' ? 'activity:user_joined' : 'activity:user_left', event);
        return;
      }
      const rooms = await audienceRooms(activity);
      io.to([...rooms, userRoom(user.id)]).emit('activity:user_left', event);
      if (!rooms.includes(userRoom(user.id))) {
        // The leaver may no longer see this private activity: drop it from their screens and rooms.
        io.to(userRoom(user.id)).emit('activity:deleted', { activityId: activity.id, version: activity.version, seq: stamp.seq });
        narrowRooms(io, activity.id, rooms);
      }
    },

    async likeChanged(kind, activity, user, stamp) {
      const io = getIo();
      if (!io) return;
      const name = kind === 'added' ? 'activity:like_added' : 'activity:like_removed';
      (await toAudience(io, activity)).emit(name, countEvent(activity, user, stamp));
    },

    async invited(activity, userId, { seq }) {
      getIo()?.to(userRoom(userId)).emit('activity:created', { activity, seq });
    },

    async memberChanged(activity, member, { seq }) {
      const io = getIo();
      if (!io) return;
      (await toAudience(io, activity)).emit('activity:member_changed', { member, seq });
    },

    async memberRemoved(activity, user, stamp) {
      const io = getIo();
      if (!io) return;
      // Out of the room on every process first (the adapter relays it), so no room event reaches
      // them after this; then as a leave (others see them gone; a private activity leaves their
      // sight); then their devices pull the removal, which says why.
      io.in(userRoom(user.id)).socketsLeave(conversationRoom(activity.id));
      if (activity.visibility === 'private') io.in(userRoom(user.id)).socketsLeave(activityRoom(activity.id));
      await broadcaster.membershipChanged('left', activity, user, stamp);
      tellOwnDevices(io, [{ userId: user.id, seq: stamp.seq }]);
    },

    async ownChanged(userId, { seq }) {
      const io = getIo();
      if (io) tellOwnDevices(io, [{ userId, seq }]);
    },

    async checkedIn(activity, user, stamp) {
      getIo()
        ?.to(conversationRoom(activity.id))
        .emit('activity:checked_in', {
          activityId: activity.id,
          userId: user.id,
          displayName: user.displayName,
          checkinCount: activity.checkinCount,
          version: activity.version,
          seq: stamp.seq,
          at: stamp.at,
        });
    },
  };
  return broadcaster;
}
