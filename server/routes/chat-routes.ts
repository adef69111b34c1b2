import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Id, MessagesQuery } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import type { ChatService } from '../chat/chat-service';
import { parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';

const ConversationParams = z.strictObject({ conversationId: Id });

/** Older pages of a conversation (the sync feed carries only the newest): the page stores them for offline reading. */
export function registerChatRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; chat: ChatService; syncReads: UserBudget }): void {
  app.get('/api/conversations/:conversationId/messages', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    await spendOrRefuse(deps.syncReads, viewer.id);
    const { conversationId } = parseInput(ConversationParams, request.params, 'conversation id');
    const { before, limit } = parseInput(MessagesQuery, request.query, 'query');
    const page = await deps.chat.olderMessages(viewer, conversationId, before, limit);
    return reply.header('cache-control', 'no-store').send(page);
  });
}
