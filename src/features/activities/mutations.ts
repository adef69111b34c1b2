import { useMutation } from '@tanstack/react-query';
import type { ActivityView, CreateActivityBody, UpdateActivityBody } from '../../../protocol';
import { useOptionalLocalData, type LocalData } from '../../data/local-data';
import { toLocalActivity } from '../../data/apply-changes';
import * as activityApi from './activity-api';

/**
 * Writes: send to the server, then put its answer in the device's database (which every screen
 * reads). Like and join show at once and are put back if the server says no.
 */

/** The device's database, which opens just after sign-in; a write before then is refused plainly. */
function useWritableLocalData(): () => LocalData {
  const local = useOptionalLocalData();
  return () => {
    if (!local) throw new Error('Rally is still opening your data on this device; try again in a moment.');
    return local;
  };
}

/** The server's answer to this user's own request wins over an equal version: it carries the viewer's state. */
async function storeServerView(local: LocalData, view: ActivityView): Promise<void> {
  const { db, userId } = local;
  const { viewer, ...activity } = view;
  const key: [string, string] = [view.id, userId];
  await db.transaction('rw', [db.activities, db.members, db.likes], async () => {
    const stored = await db.activities.get(view.id);
    if (stored && stored.version > view.version) return;
    await db.activities.put(toLocalActivity(activity));
    const [like, member] = await Promise.all([db.likes.get(key), db.members.get(key)]);
    if (viewer.liked && !like) await db.likes.put({ activityId: view.id, userId, createdAt: new Date().toISOString(), version: 0 });
    if (!viewer.liked && like) await db.likes.delete(key);
    if (viewer.joined && !member) {
      const role = viewer.isOwner ? 'owner' : 'member';
      await db.members.put({ activityId: view.id, userId, displayName: local.displayName, role, joinedAt: new Date().toISOString(), version: 0 });
    }
    if (!viewer.joined && member && !viewer.isOwner) await db.members.delete(key);
  });
}

export function useCreateActivity() {
  const localData = useWritableLocalData();
  return useMutation({
    mutationFn: (body: CreateActivityBody) => activityApi.createActivity(body),
    onSuccess: (view) => storeServerView(localData(), view),
  });
}

export function useUpdateActivity(activityId: string) {
  const localData = useWritableLocalData();
  return useMutation({
    mutationFn: (body: UpdateActivityBody) => activityApi.updateActivity(activityId, body),
    onSuccess: (view) => storeServerView(localData(), { ...view, id: activityId }),
  });
}

export function useDeleteActivity() {
  const localData = useWritableLocalData();
  return useMutation({
    mutationFn: (activityId: string) => activityApi.deleteActivity(activityId),
    onSuccess: async (_nothing, activityId) => {
      const { db } = localData();
      await db.transaction('rw', [db.activities, db.members, db.likes], () =>
        Promise.all([
          db.activities.delete(activityId),
          db.members.where('activityId').equals(activityId).delete(),
          db.likes.where('activityId').equals(activityId).delete(),
        ]),
      );
    },
  });
}

type Toggle = 'like' | 'join';

/**
 * Flips the viewer's row and the count at once; on failure puts both back, unless a newer server
 * version arrived meanwhile (then that is the truth, and nothing is undone).
 */
async function applyOptimisticToggle(local: LocalData, toggle: Toggle, activityId: string, on: boolean): Promise<() => Promise<void>> {
  const { db, userId } = local;
  const key: [string, string] = [activityId, userId];
  const table = toggle === 'like' ? db.likes : db.members;
  return db.transaction('rw', [db.activities, db.likes, db.members], async () => {
    const activity = await db.activities.get(activityId);
    const existing = await table.get(key);
    if (!activity || (existing !== undefined) === on) return async () => undefined;
    const delta = on ? 1 : -1;
    const counts = toggle === 'like' ? { likeCount: activity.likeCount + delta } : { memberCount: activity.memberCount + delta };
    await db.activities.update(activityId, counts);
    if (toggle === 'like') {
      if (on) await db.likes.put({ activityId, userId, createdAt: new Date().toISOString(), version: 0 });
      else await db.likes.delete(key);
    } else if (on) {
      await db.members.put({ activityId, userId, displayName: local.displayName, role: 'member', joinedAt: new Date().toISOString(), version: 0 });
    } else {
      await db.members.delete(key);
    }
    return () =>
      db.transaction('rw', [db.activities, db.likes, db.members], async () => {
        const now = await db.activities.get(activityId);
        if (!now || now.version !== activity.version) return;
        await db.activities.update(activityId, { likeCount: activity.likeCount, memberCount: activity.memberCount });
        if (existing) await table.put(existing as never);
        else await table.delete(key);
      });
  });
}

function useOptimisticToggle(toggle: Toggle) {
  const localData = useWritableLocalData();
  return useMutation({
    mutationFn: ({ activityId, on }: { activityId: string; on: boolean }) =>
      toggle === 'like' ? activityApi.setLiked(activityId, on) : activityApi.setJoined(activityId, on),
    onMutate: async ({ activityId, on }) => ({ undo: await applyOptimisticToggle(localData(), toggle, activityId, on) }),
    onError: async (_error, _variables, context) => {
      await context?.undo();
    },
    onSuccess: (view) => storeServerView(localData(), view),
  });
}

export const useToggleLike = () => useOptimisticToggle('like');
export const useToggleJoin = () => useOptimisticToggle('join');

export function useInviteUser(activityId: string) {
  return useMutation({
    mutationFn: (userId: string) => activityApi.inviteUser(activityId, userId),
  });
}
