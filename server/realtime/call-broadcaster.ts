import { userRoom } from '../../protocol';
import type { CallEvents } from '../calls/call-events';
import type { RallyServer } from './socket-types';

/**
 * Call events go to user rooms (every device of a person) or to one socket by its id (the one that
 * carries a side): both are rooms the Redis adapter spans, so the sockets may live on any process.
 */
export function createCallBroadcaster(getIo: () => RallyServer | undefined): CallEvents {
  return {
    incoming(call) {
      getIo()?.to(userRoom(call.calleeId)).emit('call:incoming', { call });
    },
    ringing(call, callerSocket) {
      getIo()?.to(callerSocket).emit('call:ringing', { callId: call.id });
    },
    accepted(call, callerSocket, acceptingSocket) {
      const io = getIo();
      if (!io) return;
      if (callerSocket) io.to(callerSocket).emit('call:accepted', { call });
      io.to(userRoom(call.calleeId)).except(acceptingSocket).emit('call:ended', { callId: call.id, reason: 'answered_elsewhere', cause: null });
    },
    ended(call, cause) {
      if (!call.endReason) return;
      getIo()?.to([userRoom(call.callerId), userRoom(call.calleeId)]).emit('call:ended', { callId: call.id, reason: call.endReason, cause });
    },
    signal(callId, toSocket, signal) {
      getIo()?.to(toSocket).emit('call:signal', { callId, signal });
    },
    rejoined(callId, toSocket) {
      getIo()?.to(toSocket).emit('call:rejoined', { callId });
    },
  };
}
