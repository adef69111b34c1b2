import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Presence } from '../../../protocol';
import { useHasSynced } from '../../data/activity-queries';
import { describeTypers, usePresence, useTypers } from '../../data/chat-live';
import { useConversation } from '../../data/chat-queries';
import type { ConversationView } from '../../data/chat-reads';
import { useLocalUser, useReceipts } from '../../data/local-session';
import { useFailedMessages, useRefusedOpen } from '../../outbox/use-outbox';
import { Avatar } from '../../ui/Avatar';
import { NotOnDevice, Spinner } from '../../ui/feedback';
import { ArrowLeftIcon } from '../../ui/icons';
import { useDocumentTitle } from '../../ui/use-document-title';
import { usePresenceOf } from './chat-hooks';
import { Composer, type ComposeTarget } from './Composer';
import { formatLastSeen } from './format-chat';
import { MessageList } from './MessageList';
import { MuteControl } from './MuteControl';
import { CallButtons } from './CallButtons';
import { PersonSafetyButton } from '../safety/PersonSafetyButton';
import { FlagsBoundary } from '../../app/flag-hooks';
import { useStandingRemoval } from '../../data/removal-queries';
import { RemovedNotice } from '../activities/RemovedNotice';
import './chat.css';

export function ChatScreen() {
  // The device's database opens a moment after a cold start.
  if (!useLocalUser()) return <Spinner label="Opening the conversation…" />;
  return (
    <FlagsBoundary>
      <ChatScreenBody />
    </FlagsBoundary>
  );
}

function ChatScreenBody() {
  const { chatId = '' } = useParams();
  const view = useConversation(chatId);
  const hasSynced = useHasSynced();
  // An activity's room has the activity's id: removed from it, this says so where the chat was.
  const removal = useStandingRemoval(chatId);
  const refusedOpen = useRefusedOpen(chatId);
  useDocumentTitle(view?.title ?? 'Chat');

  if (view === undefined || removal === undefined) return <Spinner label="Opening the conversation…" />;
  if (view === null && removal) return <RemovedNotice removal={removal} />;
  if (view === null && refusedOpen) {
    // Opened here and refused by the server (a block): say so, rather than "not available".
    return (
      <NotOnDevice hasSynced title="You can’t start this chat" syncingLabel="">
        <p className="muted" role="alert" data-testid="chat-refused">
          {refusedOpen.message}
        </p>
        <Link to="/chat" className="button button-secondary">
          Back to chats
        </Link>
      </NotOnDevice>
    );
  }
  if (view === null) {
    return (
      <NotOnDevice hasSynced={hasSynced} syncingLabel="Syncing your conversations…" title="This conversation isn't available">
        <p className="muted">Activity chats are for the people going: join the activity to talk with them.</p>
        <Link to={`/activities/${chatId}`} className="button button-secondary">
          Go to the activity
        </Link>
        {/* The id may name nothing at all (a stale or mistyped link): home always exists. */}
        <Link to="/" className="button button-ghost">
          Back to the feed
        </Link>
      </NotOnDevice>
    );
  }
  return <Conversation view={view} />;
}

function Conversation({ view }: { view: ConversationView }) {
  const receipts = useReceipts();
  const { conversation } = view;
  const peerPresence = usePresence(view.peer?.userId ?? null);
  usePresenceOf(view.peer ? [view.peer.userId] : []);
  const failed = useFailedMessages(conversation.id);
  // A search hit opens the chat at its message (`?message=<id>`).
  const focusMessageId = useSearchParams()[0].get('message');
  // Replying to or editing a message the menu chose: the composer shows it and does it.
  const [target, setTarget] = useState<ComposeTarget | null>(null);

  // Read: whatever is on screen while the page is visible.
  const newestSeq = view.messages.reduce((max, message) => Math.max(max, message.seq), 0);
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState === 'visible' && newestSeq > view.myReadSeq) void receipts?.advance(conversation.id, newestSeq, true);
    };
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [receipts, conversation.id, newestSeq, view.myReadSeq]);

  return (
    <section className="page page-narrow chat" aria-labelledby="chat-title">
      <header className="chat-header">
        <Link to={conversation.activityId ? `/activities/${conversation.activityId}` : '/chat'} className="back-link">
          <ArrowLeftIcon /> <span className="back-label visually-hidden-on-phone">{conversation.activityId ? 'Activity' : 'Chats'}</span>
        </Link>
        <div className="chat-heading">
          {view.peer && <Avatar userId={view.peer.userId} name={view.peer.displayName} size="sm" />}
          <div>
            <h1 id="chat-title" className="chat-title clamp-two-lines" dir="auto">
              {view.title}
            </h1>
            {view.peer ? (
              <PresenceLine presence={peerPresence} />
            ) : (
              <p className="muted chat-subtitle">
                {view.memberCount} {view.memberCount === 1 ? 'member' : 'members'}
                {view.checkinCount !== null && (
                  <>
                    {' · '}
                    <span data-testid="attendance" aria-live="polite">
                      {view.checkinCount} checked in
                    </span>
                  </>
                )}
              </p>
            )}
          </div>
          {view.peer && <CallButtons conversationId={conversation.id} peer={view.peer} />}
          <MuteControl conversationId={conversation.id} />
          {view.peer && <PersonSafetyButton key={view.peer.userId} person={view.peer} />}
        </div>
      </header>
      <MessageList
        view={view}
        failed={failed}
        focusMessageId={focusMessageId}
        intent={{ reply: (message) => setTarget({ mode: 'reply', message }), edit: (message) => setTarget({ mode: 'edit', message }) }}
      />
      <TypingLine conversationId={conversation.id} />
      {/* Keyed: each conversation has its own box and draft. */}
      <Composer key={view.conversation.id} view={view} target={target} onTargetDone={() => setTarget(null)} />
    </section>
  );
}

function PresenceLine({ presence }: { presence: Presence | undefined }) {
  const status = presence?.status ?? 'offline';
  const text =
    status === 'online' ? 'Online' : status === 'away' ? 'Away' : presence?.lastSeenAt ? `Last seen ${formatLastSeen(presence.lastSeenAt)}` : 'Offline';
  return (
    <p className="muted chat-subtitle presence-line" data-testid="presence" data-status={status}>
      <span className={`presence-dot presence-${status}`} aria-hidden="true" /> {text}
    </p>
  );
}

function TypingLine({ conversationId }: { conversationId: string }) {
  const text = describeTypers(useTypers(conversationId));
  return (
    <p className="typing-line muted" data-testid="typing" aria-live="polite">
      {text ?? ' '}
    </p>
  );
}
