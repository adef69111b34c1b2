import { newRowId, type ReportReason, type Resolution } from '../../protocol';
import type { Viewer } from '../auth/authenticate';
import { findConversationFor, selectMessages } from '../chat/chat-store';
import { takeNextSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/app-error';
import { readBlockedAt, writeBlock } from './blocks-store';
import { insertReport } from './reports-store';

export interface ReportInput {
  /** `<clientId>:<mutationId>` of the mutation: the report lands once, however often it comes. */
  sourceKey: string;
  userId: string;
  messageId?: string | undefined;
  reason: ReportReason;
  text?: string | undefined;
}

/**
 * Blocking and reporting: writes that run inside the write path's transaction like the user's
 * other settings. A block takes a change position (the blocker's devices hear of it through the
 * feed); a report is read only by administrators, so it takes none.
 */
export interface SafetyService {
  blockUser(viewer: Viewer, userId: string, blocked: boolean): Promise<Resolution>;
  report(viewer: Viewer, input: ReportInput): Promise<Resolution>;
}

export function createSafetyService(deps: { db: Db; now: () => Date; onOwnChange?: (userId: string, seq: number) => void }): SafetyService {
  const { db, now } = deps;

  async function requireOtherUser(viewer: Viewer, userId: string): Promise<void> {
    if (userId === viewer.id) throw new AppError('invalid_input', 'That is you', { fields: { userId: 'is you' } });
    const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('User');
  }

  return {
    async blockUser(viewer, userId, blocked) {
      await requireOtherUser(viewer, userId);
      if (((await readBlockedAt(db, viewer.id, userId)) !== null) === blocked) return 'unchanged';
      const seq = await takeNextSeq(db);
      await writeBlock(db, { userId: viewer.id, blockedUserId: userId, blockedAt: blocked ? now().toISOString() : null, seq });
      deps.onOwnChange?.(viewer.id, seq);
      return 'applied';
    },

    async report(viewer, input) {
      await requireOtherUser(viewer, input.userId);
      let message: { id: string; conversationId: string; body: string; createdAt: string } | null = null;
      if (input.messageId !== undefined) {
        const row = await selectMessages(db).where('m.id', '=', input.messageId).executeTakeFirst();
        // A message the reporter cannot read does not exist for them.
        if (!row || !(await findConversationFor(db, row.conversationId, viewer.id))) throw notFound('Message');
        if (row.senderId !== input.userId) {
          throw new AppError('invalid_input', 'That message is not theirs', { fields: { messageId: 'was sent by someone else' } });
        }
        message = row;
      }
      const stored = await insertReport(db, {
        id: newRowId(),
        sourceKey: input.sourceKey,
        reporterId: viewer.id,
        targetUserId: input.userId,
        messageId: message?.id ?? null,
        conversationId: message?.conversationId ?? null,
        messageBody: message?.body ?? null,
        messageSentAt: message?.createdAt ?? null,
        reason: input.reason,
        text: input.text ? input.text : null,
        createdAt: now().toISOString(),
      });
      return stored ? 'applied' : 'unchanged';
    },
  };
}
