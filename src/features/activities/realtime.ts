import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ActivityChangedEvent, ActivityCountEvent, ActivityDeletedEvent } from '../../../protocol';
import type { RallySocket } from '../../net/socket';
import { applyActivityChange, applyCountEvent, viewerStateFor, type CountEventKind } from './activity-changes';
import { prependActivity, removeActivityEverywhere, updateActivityEverywhere } from './activity-cache';
import { activityKeys } from './query-keys';

/** Keeps cached activities in step with the server's socket events while the socket is open. */
export function useActivityRealtime(socket: RallySocket | null, selfId: string | null): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!socket) return;
    const handlers = activityEventHandlers(queryClient, selfId);
    let connectedBefore = socket.connected;
    const onConnect = () => {
      // Events sent while disconnected are lost: re-read what is on screen.
      if (connectedBefore) void queryClient.invalidateQueries({ queryKey: activityKeys.all });
      connectedBefore = true;
    };

    socket.on('connect', onConnect);
    socket.on('activity:created', handlers.created);
    socket.on('activity:updated', handlers.updated);
    socket.on('activity:deleted', handlers.deleted);
    socket.on('activity:user_joined', handlers.userJoined);
    socket.on('activity:user_left', handlers.userLeft);
    socket.on('activity:like_added', handlers.likeAdded);
    socket.on('activity:like_removed', handlers.likeRemoved);
    return () => {
      socket.off('connect', onConnect);
      socket.off('activity:created', handlers.created);
      socket.off('activity:updated', handlers.updated);
      socket.off('activity:deleted', handlers.deleted);
      socket.off('activity:user_joined', handlers.userJoined);
      socket.off('activity:user_left', handlers.userLeft);
      socket.off('activity:like_added', handlers.likeAdded);
      socket.off('activity:like_removed', handlers.likeRemoved);
    };
  }, [socket, selfId, queryClient]);
}

function activityEventHandlers(queryClient: QueryClient, selfId: string | null) {
  const onCount = (kind: CountEventKind) => (event: ActivityCountEvent) => {
    updateActivityEverywhere(queryClient, event.activityId, (view) => applyCountEvent(view, event, kind, selfId));
    if (kind === 'user_joined' || kind === 'user_left') {
      void queryClient.invalidateQueries({ queryKey: activityKeys.members(event.activityId) });
    }
  };

  return {
    created: ({ activity }: ActivityChangedEvent) => {
      const existing = queryClient.getQueryData(activityKeys.detail(activity.id));
      if (!existing) queryClient.setQueryData(activityKeys.detail(activity.id), { ...activity, viewer: viewerStateFor(activity, selfId) });
      prependActivity(queryClient, { ...activity, viewer: viewerStateFor(activity, selfId) });
    },
    updated: ({ activity }: ActivityChangedEvent) => {
      updateActivityEverywhere(queryClient, activity.id, (view) => applyActivityChange(view, activity));
    },
    deleted: ({ activityId }: ActivityDeletedEvent) => {
      removeActivityEverywhere(queryClient, activityId);
      // Whoever is looking at it refetches, gets 404, and is told it is gone.
      void queryClient.invalidateQueries({ queryKey: activityKeys.detail(activityId) });
    },
    userJoined: onCount('user_joined'),
    userLeft: onCount('user_left'),
    likeAdded: onCount('like_added'),
    likeRemoved: onCount('like_removed'),
  };
}
