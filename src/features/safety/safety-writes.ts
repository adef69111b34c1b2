import type { ReportReason } from '../../../protocol';
import type { OutboxWrites } from '../../outbox/outbox-gate';

/** Blocks and reports go through the outbox like every write: offline too, once, to every device of the user. */

export function writeBlock(outbox: OutboxWrites | null, userId: string, blocked: boolean): void {
  // A full outbox says so on the outbox screen.
  void outbox?.mutate({ name: 'user.block', args: { userId, blocked } }).catch(() => undefined);
}

export function writeReport(outbox: OutboxWrites | null, report: { userId: string; messageId?: string | undefined; reason: ReportReason; text: string }): void {
  const text = report.text.trim();
  void outbox
    ?.mutate({
      name: 'report.create',
      args: { userId: report.userId, reason: report.reason, ...(report.messageId ? { messageId: report.messageId } : {}), ...(text ? { text } : {}) },
    })
    .catch(() => undefined);
}

export const REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam',
  harassment: 'Harassment or bullying',
  inappropriate: 'Inappropriate content',
  other: 'Something else',
};
