import { CallEndPayload, CallInvitePayload, CallRef, CallSignalPayload, type Call } from '../../protocol';
import type { CallActor, CallService } from '../calls/call-service';
import { answer, RateLimited, replier } from './socket-answer';
import type { RallySocket } from './socket-types';
import { createTokenBucket } from './token-bucket';

/**
 * Per-socket limits on call events. Trickle ICE sends a few dozen candidates per negotiation and
 * a renegotiation (video turned on) a few more; invitations are a person pressing a button.
 */
export const CALL_SOCKET_LIMITS = {
  invites: { capacity: 5, perSecond: 0.5 },
  signals: { capacity: 200, perSecond: 50 },
  other: { capacity: 30, perSecond: 5 },
} as const;

/**
 * Calls over a socket: every payload is parsed at the edge, every answer is an ack (an error ack
 * for a stranger's call, a bad payload or a call that has ended).
 */
export function registerCallHandlers(socket: RallySocket, calls: CallService): void {
  const actor = (): CallActor => ({ id: socket.data.userId, displayName: socket.data.displayName, socketId: socket.id });
  const buckets = {
    invites: createTokenBucket(CALL_SOCKET_LIMITS.invites.capacity, CALL_SOCKET_LIMITS.invites.perSecond),
    signals: createTokenBucket(CALL_SOCKET_LIMITS.signals.capacity, CALL_SOCKET_LIMITS.signals.perSecond),
    other: createTokenBucket(CALL_SOCKET_LIMITS.other.capacity, CALL_SOCKET_LIMITS.other.perSecond),
  };
  const limit = (kind: keyof typeof buckets) => {
    const taken = buckets[kind].take();
    if (!taken.allowed) throw new RateLimited(taken.retryAfterMs);
  };

  socket.on('call:invite', async (payload, ack) => {
    replier<Call>(ack)(
      await answer(() => {
        limit('invites');
        return calls.invite(actor(), CallInvitePayload.parse(payload));
      }),
    );
  });
  socket.on('call:accept', async (payload, ack) => {
    replier<Call>(ack)(
      await answer(() => {
        limit('other');
        return calls.accept(actor(), CallRef.parse(payload).callId);
      }),
    );
  });
  socket.on('call:rejoin', async (payload, ack) => {
    replier<Call>(ack)(
      await answer(() => {
        limit('other');
        return calls.rejoin(actor(), CallRef.parse(payload).callId);
      }),
    );
  });
  const byRef = {
    'call:ringing': (callId: string) => calls.ringing(actor(), callId),
    'call:decline': (callId: string) => calls.decline(actor(), callId),
    'call:cancel': (callId: string) => calls.cancel(actor(), callId),
  };
  for (const [event, act] of Object.entries(byRef) as [keyof typeof byRef, (callId: string) => Promise<void>][]) {
    socket.on(event, async (payload, ack) => {
      replier<null>(ack)(
        await answer(async () => {
          limit('other');
          await act(CallRef.parse(payload).callId);
          return null;
        }),
      );
    });
  }
  socket.on('call:end', async (payload, ack) => {
    replier<null>(ack)(
      await answer(async () => {
        limit('other');
        await calls.end(actor(), CallEndPayload.parse(payload));
        return null;
      }),
    );
  });
  socket.on('call:signal', async (payload, ack) => {
    replier<null>(ack)(
      await answer(async () => {
        limit('signals');
        const { callId, signal } = CallSignalPayload.parse(payload);
        await calls.signal(actor(), callId, signal);
        return null;
      }),
    );
  });
  socket.on('disconnect', () => {
    calls.socketClosed(socket.id).catch(() => undefined);
  });
  // A device that comes online while a call rings for its user (the app just opened, a
  // reconnect) rings too, as every device already connected does.
  calls
    .ringingFor(socket.data.userId)
    .then((call) => {
      if (call && socket.connected) socket.emit('call:incoming', { call });
    })
    .catch(() => undefined);
}
