import { useRef } from 'react';
import { MUTED_FOREVER } from '../../../protocol';
import { useMutedUntil } from '../../data/push-queries';
import { useOutbox } from '../../outbox/outbox-context';
import { BellIcon, BellOffIcon } from '../../ui/icons';

const HOUR = 60 * 60 * 1000;
const CHOICES: { label: string; ms: number | 'always' }[] = [
  { label: 'For 1 hour', ms: HOUR },
  { label: 'For 8 hours', ms: 8 * HOUR },
  { label: 'For a week', ms: 7 * 24 * HOUR },
  { label: 'Always', ms: 'always' },
];

/** Mutes this conversation's pushes for the user (on every device: `conversation.mute` syncs). */
export function MuteControl({ conversationId }: { conversationId: string }) {
  const mutedUntil = useMutedUntil(conversationId);
  const outbox = useOutbox();
  const dialog = useRef<HTMLDialogElement>(null);

  const mute = (until: string | null) => {
    dialog.current?.close();
    void outbox?.mutate({ name: 'conversation.mute', args: { conversationId, mutedUntil: until } }).catch(() => undefined);
  };
  const until = mutedUntil === null ? null : mutedUntil === MUTED_FOREVER ? 'until you unmute' : `until ${new Date(mutedUntil).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`;

  return (
    <>
      <button
        type="button"
        className="icon-button mute-button"
        aria-label={mutedUntil ? `Muted ${until}. Change` : 'Mute notifications'}
        title={mutedUntil ? `Muted ${until}` : 'Mute notifications'}
        data-testid="mute-button"
        data-muted={mutedUntil ? 'true' : 'false'}
        onClick={() => dialog.current?.showModal()}
      >
        {mutedUntil ? <BellOffIcon /> : <BellIcon />}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`mute-${conversationId}`}>
        <h2 id={`mute-${conversationId}`}>{mutedUntil ? `Muted ${until}` : 'Mute notifications'}</h2>
        <p className="muted">Muted chats send no notifications; their messages still count as unread.</p>
        <div className="mute-choices">
          {CHOICES.map(({ label, ms }) => (
            <button
              key={label}
              type="button"
              className="button button-secondary"
              onClick={() => mute(ms === 'always' ? MUTED_FOREVER : new Date(Date.now() + ms).toISOString())}
            >
              {label}
            </button>
          ))}
          {mutedUntil && (
            <button type="button" className="button button-primary" onClick={() => mute(null)}>
              Unmute
            </button>
          )}
          <button type="button" className="button button-ghost" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
