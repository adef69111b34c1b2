import { useEffect, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH, newRowId } from '../../../protocol';
import type { LocalMessage } from '../../../device-db/local-db';
import type { ConversationView } from '../../data/chat-reads';
import { useDraft } from '../../data/drafts';
import { useOutbox } from '../../outbox/outbox-context';
import { useTypingNotifier } from './chat-hooks';
import { quoteExcerpt } from './message-actions';
import { preparePhoto } from './photo-resize';
import { textOfMessage } from '../../../protocol/photos';
import { PhotoPicker } from './PhotoPicker';
import { useFeatureFlag } from '../../app/flag-hooks';
import { track } from '../../analytics/analytics';
import { FUNNEL_EVENTS } from '../../../protocol/analytics-names';

/** A message the composer answers (a reply quotes it) or rewrites (an edit). */
export type ComposeTarget = { mode: 'reply' | 'edit'; message: LocalMessage };

/**
 * Writes a message (or, for the organizer of an activity, an announcement); Enter sends. With a
 * target it writes a reply (the quote above the box) or a new text for one's own message (the box
 * holds it, Save keeps it); the draft waits meanwhile and comes back after an edit.
 */
export function Composer({ view, target, onTargetDone }: { view: ConversationView; target: ComposeTarget | null; onTargetDone: () => void }) {
  const outbox = useOutbox();
  const [body, setBody] = useState('');
  const draft = useDraft(view.conversation.id);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const editing = target?.mode === 'edit' ? target.message : null;
  const replyTo = target?.mode === 'reply' ? target.message : null;
  const draftBeforeEdit = useRef<string | null>(null);
  // The kept draft fills the box once it is read, unless the person has started typing already.
  useEffect(() => {
    if (draft.initial) setBody((typed) => typed || draft.initial!);
  }, [draft.initial]);

  // An edit puts the message's text in the box (the draft is set aside); any target takes focus.
  useEffect(() => {
    if (editing) {
      setBody((typed) => {
        draftBeforeEdit.current ??= typed;
        return editing.body;
      });
    }
    if (target) inputRef.current?.focus();
  }, [target, editing]);

  function change(text: string) {
    setBody(text);
    // What is typed into an edit is not a draft of a new message.
    if (!editing) draft.save(text);
  }

  function finishTarget() {
    if (editing) setBody(draftBeforeEdit.current ?? '');
    draftBeforeEdit.current = null;
    onTargetDone();
  }
  const [announce, setAnnounce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const typing = useTypingNotifier(view.conversation.id);
  const canAnnounce = view.isHost && view.conversation.kind === 'activity';
  const photosOn = useFeatureFlag('chat-photos');
  const [preparing, setPreparing] = useState(false);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!text || !outbox) return;
    setError(null);
    try {
      if (editing) {
        if (text !== editing.body) await outbox.mutate({ name: 'message.edit', args: { id: editing.id, body: text } });
        finishTarget();
        return;
      }
      await outbox.mutate({
        name: 'message.send',
        args: {
          id: newRowId(),
          conversationId: view.conversation.id,
          body: text,
          kind: announce ? 'announcement' : 'text',
          ...(replyTo ? { replyToId: replyTo.id } : {}),
        },
      });
      if (replyTo) onTargetDone();
      track(FUNNEL_EVENTS.message, { conversation: view.conversation.kind, announcement: announce });
      change('');
      setAnnounce(false);
      typing.onSent();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not send. Please try again.');
    }
  }

  /** A picked or pasted image: resized here, then sent like a message (the box's text is its caption). */
  async function sendPhoto(source: Blob) {
    if (!outbox || editing) return;
    setError(null);
    setPreparing(true);
    try {
      const { photo, file } = await preparePhoto(source);
      const caption = body.trim();
      await outbox.mutate(
        {
          name: 'message.send',
          args: {
            id: newRowId(),
            conversationId: view.conversation.id,
            body: caption,
            kind: announce ? 'announcement' : 'text',
            photo,
            ...(replyTo ? { replyToId: replyTo.id } : {}),
          },
        },
        { photoFile: file },
      );
      if (replyTo) onTargetDone();
      track(FUNNEL_EVENTS.message, { conversation: view.conversation.kind, announcement: announce, photo: true });
      if (caption) change('');
      setAnnounce(false);
      typing.onSent();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not send the photo. Please try again.');
    } finally {
      setPreparing(false);
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    if (!photosOn || editing) return;
    const image = [...event.clipboardData.files].find((file) => file.type.startsWith('image/'));
    if (!image) return;
    event.preventDefault();
    void sendPhoto(image);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape' && target) {
      event.preventDefault();
      finishTarget();
      return;
    }
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
      {target && (
        <div className="composer-target" data-testid={editing ? 'editing' : 'replying'}>
          <p className="composer-target-text">
            <span className="composer-target-label">{editing ? 'Editing your message' : `Replying to ${replyTo?.senderName ?? ''}`}</span>
            {replyTo && (
              <span className="composer-target-quote" dir="auto">
                {quoteExcerpt(textOfMessage(replyTo))}
              </span>
            )}
          </p>
          <button type="button" className="composer-target-cancel" aria-label={editing ? 'Cancel the edit' : 'Cancel the reply'} onClick={finishTarget}>
            ✕
          </button>
        </div>
      )}
      {canAnnounce && !editing && (
        <label className="checkbox-line">
          <input type="checkbox" checked={announce} onChange={(event) => setAnnounce(event.target.checked)} /> Send as an announcement to everyone going
        </label>
      )}
      <div className="composer-row">
        <label htmlFor="composer-input" className="visually-hidden">
          Message
        </label>
        <textarea
          ref={inputRef}
          id="composer-input"
          className="composer-input"
          dir="auto"
          rows={1}
          maxLength={MESSAGE_MAX_LENGTH}
          placeholder={editing ? 'Edit your message…' : announce ? 'Write an announcement…' : 'Write a message…'}
          value={body}
          onChange={(event) => {
            change(event.target.value);
            if (event.target.value.trim() && !editing) typing.onInput();
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        {photosOn && !editing && <PhotoPicker busy={preparing} onPick={(file) => void sendPhoto(file)} />}
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          {editing ? 'Save' : 'Send'}
        </button>
      </div>
    </form>
  );
}
