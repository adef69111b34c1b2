import { deliveryStateOf, type ConversationView } from '../../data/chat-reads';
import type { LocalMessage } from '../../../device-db/local-db';
import { formatMessageTime } from './format-chat';
import { MessageDecorations, MessageQuote } from './MessageParts';
import { MessageActions, type MessageSafetyHandlers } from './MessageActions';
import { actionsFor } from './message-actions';
import { ChatPhoto } from './ChatPhoto';

/** One message of the list: sender, quote, photo, body, reactions, time and delivery, and its menu. */
export function MessageItem({
  message,
  me,
  showStatus,
  others,
  isDirect,
  moderates,
  quoted,
  onQuoteClick,
  quoteState,
  menuOpen,
  onMenuOpenChange,
  handlers,
  onToggleReaction,
  safety,
}: {
  message: LocalMessage;
  me: string;
  showStatus: boolean;
  others: ConversationView['others'];
  isDirect: boolean;
  /** I host the room: the menu offers deleting anyone's message. */
  moderates: boolean;
  /** The quoted message as the device holds it; null when not (yet) here; undefined when this is no reply. */
  quoted: LocalMessage | null | undefined;
  onQuoteClick: () => void;
  quoteState: 'loading' | 'missing' | null;
  menuOpen: boolean;
  onMenuOpenChange: (open: boolean) => void;
  handlers: Parameters<typeof MessageActions>[0]['handlers'];
  /** Absent while reactions are not rolled out to this person: they see reactions, and add none. */
  onToggleReaction: ((emoji: string, on: boolean) => void) | undefined;
  safety: MessageSafetyHandlers;
}) {
  const actions = actionsFor(message, me, Date.now(), moderates);
  if (!onToggleReaction) actions.react = false;
  if (message.kind === 'call') return <CallLine message={message} />;
  const mine = message.senderId === me;
  const deleted = message.deletedAt !== undefined;
  const delivery = mine ? deliveryStateOf(message, others) : null;
  const classes = ['message', mine ? 'message-mine' : 'message-theirs', message.kind === 'announcement' ? 'message-announcement' : '', deleted ? 'message-deleted' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="message"
      data-status={delivery?.state ?? 'received'}
      data-message-id={message.id}
      data-deleted={deleted || undefined}
      tabIndex={-1}
      // A long press on a phone (and a right click) opens the message's menu.
      onContextMenu={(event) => {
        if (!Object.values(actions).some(Boolean) && !safety.report && !safety.block) return;
        event.preventDefault();
        onMenuOpenChange(true);
      }}
    >
      {message.kind === 'announcement' && <p className="message-label">Announcement</p>}
      {!mine && (
        <p className="message-sender" dir="auto">
          {message.senderName}
        </p>
      )}
      {quoted !== undefined && !deleted && <MessageQuote quoted={quoted} state={quoteState} onClick={onQuoteClick} />}
      {!deleted && message.photo && <ChatPhoto photo={message.photo} label={`${mine ? 'your' : `${message.senderName}’s`} photo`} />}
      {deleted ? (
        <p className="message-body message-tombstone" data-testid="message-deleted">
          This message was deleted
        </p>
      ) : (
        (message.body !== '' || !message.photo) && (
          <p className="message-body" dir="auto">
            {message.body}
          </p>
        )
      )}
      {!deleted && <MessageDecorations reactions={message.reactions ?? []} me={me} onToggle={onToggleReaction} />}
      <p className="message-meta">
        <time dateTime={message.createdAt}>{formatMessageTime(message.createdAt)}</time>
        {message.editedAt !== undefined && !deleted && (
          <span className="message-edited" data-testid="message-edited">
            {' · '}edited
          </span>
        )}
        {delivery && showStatus && (
          <span className="message-status" data-testid="message-status">
            {' · '}
            {delivery.state === 'pending'
              ? 'Sending…'
              : delivery.state === 'read'
                ? 'Read'
                : !isDirect && delivery.readBy > 0
                  ? `Read by ${delivery.readBy}`
                  : delivery.state === 'delivered'
                    ? 'Delivered'
                    : 'Sent'}
          </span>
        )}
      </p>
      <MessageActions
        actions={actions}
        handlers={handlers}
        open={menuOpen}
        onOpenChange={onMenuOpenChange}
        safety={safety}
        label={deleted ? 'a deleted message' : `${mine ? 'your' : `${message.senderName}’s`} message`}
      />
    </li>
  );
}

/** The server's line about a call: centred, for both people alike ("Missed voice call"). */
function CallLine({ message }: { message: LocalMessage }) {
  return (
    <li className="message message-call" data-testid="call-line" data-message-id={message.id} tabIndex={-1}>
      <p className="message-body">{message.body}</p>
      <p className="message-meta">
        <time dateTime={message.createdAt}>{formatMessageTime(message.createdAt)}</time>
      </p>
    </li>
  );
}
