import { groupReactions, type Reaction } from '../../../protocol';
import type { LocalMessage } from '../../../device-db/local-db';
import { quoteExcerpt } from './message-actions';
import { textOfMessage } from '../../../protocol/photos';

/**
 * The quote above a reply, read from the device's own copy of the quoted message: so it says
 * "deleted" the moment the original is, and never keeps a deleted text. Tapping it jumps there.
 */
export function MessageQuote({ quoted, state, onClick }: { quoted: LocalMessage | null; state: 'loading' | 'missing' | null; onClick: () => void }) {
  const text =
    state === 'loading'
      ? 'Finding the message…'
      : state === 'missing'
        ? 'This message is no longer available'
        : quoted === null
          ? 'Earlier message (tap to show)'
          : quoted.deletedAt !== undefined
            ? 'This message was deleted'
            : quoteExcerpt(textOfMessage(quoted));
  return (
    <button type="button" className="message-quote" onClick={onClick} data-testid="message-quote" data-deleted={quoted?.deletedAt !== undefined || undefined}>
      {quoted && quoted.deletedAt === undefined && <span className="message-quote-sender">{quoted.senderName}</span>}
      <span className="message-quote-text" dir="auto">
        {text}
      </span>
    </button>
  );
}

/**
 * One chip per emoji with its count; its title names who reacted; tapping it toggles the viewer's
 * own. Without `onToggle` (reactions not rolled out to this person) the chips only show.
 */
export function MessageDecorations({ reactions, me, onToggle }: { reactions: readonly Reaction[]; me: string; onToggle: ((emoji: string, on: boolean) => void) | undefined }) {
  const groups = groupReactions(reactions, me);
  if (groups.length === 0) return null;
  return (
    <ul className="reaction-chips" aria-label="Reactions">
      {groups.map((group) => {
        const label = `${group.emoji} ${group.count}: ${group.names.join(', ')}`;
        const content = (
          <>
            <span aria-hidden="true">{group.emoji}</span> <span aria-hidden="true">{group.count}</span>
          </>
        );
        const data = { 'data-testid': 'reaction', 'data-emoji': group.emoji, 'data-count': group.count };
        return (
          <li key={group.emoji}>
            {onToggle ? (
              <button type="button" className="reaction-chip" aria-pressed={group.mine} title={group.names.join(', ')} aria-label={label} {...data} onClick={() => onToggle(group.emoji, !group.mine)}>
                {content}
              </button>
            ) : (
              <span className="reaction-chip reaction-chip-static" title={group.names.join(', ')} role="img" aria-label={label} {...data}>
                {content}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
