import { isArchived } from '../../../protocol/push-rules';
import type { LocalConversationSettings } from '../../../device-db/local-db';
import type { ConversationSummary } from '../../data/chat-reads';

export interface ArrangedChats {
  /** Pinned ones on top, the most recently pinned first. */
  pinned: ConversationSummary[];
  /** The rest as they came (newest activity first). */
  others: ConversationSummary[];
  /** Out of the list until a newer unmuted message (`isArchived`), shown apart on request. */
  archived: ConversationSummary[];
}

/** The chat list's order, from the user's synced settings: pure, the same on every device. */
export function arrangeChats(summaries: readonly ConversationSummary[], settings: ReadonlyMap<string, LocalConversationSettings>, now: Date): ArrangedChats {
  const arranged: ArrangedChats = { pinned: [], others: [], archived: [] };
  for (const summary of summaries) {
    const own = settings.get(summary.conversation.id);
    if (isArchived(own, summary.last?.createdAt ?? null, now)) arranged.archived.push(summary);
    else if (own?.pinnedAt) arranged.pinned.push(summary);
    else arranged.others.push(summary);
  }
  const pinnedAt = (summary: ConversationSummary) => settings.get(summary.conversation.id)?.pinnedAt ?? '';
  arranged.pinned.sort((a, b) => (pinnedAt(a) < pinnedAt(b) ? 1 : pinnedAt(a) > pinnedAt(b) ? -1 : 0));
  return arranged;
}
