import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH } from '../../../protocol';
import type { ConversationView } from '../../data/chat-reads';
import { useDraft } from '../../data/drafts';
import { useOutbox } from '../../outbox/outbox-context';
import { useTypingNotifier } from './chat-hooks';
import { track } from '../../analytics/analytics';
import { FUNNEL_EVENTS } from '../../../protocol/analytics-names';

/** Writes a message (or, for the organizer of an activity, an announcement); Enter sends. */
export function Composer({ view }: { view: ConversationView }) {
  const outbox = useOutbox();
  const [body, setBody] = useState('');
  const draft = useDraft(view.conversation.id);
  // The kept draft fills the box once it is read, unless the person has started typing already.
  useEffect(() => {
    if (draft.initial) setBody((typed) => typed || draft.initial!);
  }, [draft.initial]);

  function change(text: string) {
    setBody(text);
    draft.save(text);
  }
  const [announce, setAnnounce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const typing = useTypingNotifier(view.conversation.id);
  const canAnnounce = view.isOrganizer && view.conversation.kind === 'activity';

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!text || !outbox) return;
    setError(null);
    try {
      await outbox.mutate({
        name: 'message.send',
        args: { id: crypto.randomUUID(), conversationId: view.conversation.id, body: text, kind: announce ? 'announcement' : 'text' },
      });
      track(FUNNEL_EVENTS.message, { conversation: view.conversation.kind, announcement: announce });
      change('');
      setAnnounce(false);
      typing.onSent();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not send. Please try again.');
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form className="composer" onSubmit={(event) => void send(event)}>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {canAnnounce && (
        <label className="checkbox-line">
          <input type="checkbox" checked={announce} onChange={(event) => setAnnounce(event.target.checked)} /> Send as an announcement to everyone going
        </label>
      )}
      <div className="composer-row">
        <label htmlFor="composer-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          className="composer-input"
          dir="auto"
          rows={1}
          maxLength={MESSAGE_MAX_LENGTH}
          placeholder={announce ? 'Write an announcement…' : 'Write a message…'}
          value={body}
          onChange={(event) => {
            change(event.target.value);
            if (event.target.value.trim()) typing.onInput();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
