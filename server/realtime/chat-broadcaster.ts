import { conversationRoom, userRoom } from '../../protocol';
import { tellOwnDevices } from './own-changes';
import type { ChatEvents } from '../chat/chat-events';
import type { RallyServer } from './socket-types';

/**
 * Chat events go to a conversation's room, which holds the sockets of exactly the people who take
 * part in it (joined at connect, and kept current as memberships change).
 */
export function createChatBroadcaster(getIo: () => RallyServer | undefined): ChatEvents {
  return {
    async messageSent(message, { seq }) {
      const io = getIo();
      if (!io) return;
      const room = io.to(conversationRoom(message.conversationId));
      room.emit('message:new', { message, seq });
      if (message.kind === 'announcement') room.emit('announcement:new', { message, seq });
    },

    async conversationOpened(conversation, participantIds, { seq }) {
      const io = getIo();
      if (!io) return;
      const rooms = participantIds.map(userRoom);
      io.in(rooms).socketsJoin(conversationRoom(conversation.id));
      io.to(rooms).emit('conversation:new', { conversation, seq });
    },

    async receiptChanged(receipt, { seq }) {
      getIo()?.to(conversationRoom(receipt.conversationId)).emit('receipt:updated', { receipt, seq });
    },

    async messageChanged(message, { seq }) {
      getIo()?.to(conversationRoom(message.conversationId)).emit('message:changed', { message, seq });
    },

    async messageHidden(userId, { seq }) {
      const io = getIo();
      // Their devices pull: the feed brings the hidden-message row, which removes the message.
      if (io) tellOwnDevices(io, [{ userId, seq }]);
    },
  };
}
