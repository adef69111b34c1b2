import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ReactionEmoji } from '../../../protocol';
import type { MessageActionSet } from './message-actions';
import { QUICK_REACTIONS } from './message-actions';

export interface MessageActionHandlers {
  reply(): void;
  edit(): void;
  react(emoji: string): void;
  deleteForEveryone(): void;
  deleteForMe(): void;
}

/** Report the message, block its sender: each opens its own dialog (src/features/safety). */
export interface MessageSafetyHandlers {
  report?: (() => void) | undefined;
  block?: (() => void) | undefined;
}

/**
 * A message's menu: the "⋯" button (44 × 44), or a long press or right click on the message
 * (`open` from outside). A menu of buttons that arrow keys move through and Escape closes;
 * choosing React shows the picker, and Delete for everyone asks once more.
 */
export function MessageActions({
  actions,
  handlers,
  open,
  onOpenChange,
  label,
  safety = {},
}: {
  actions: MessageActionSet;
  handlers: MessageActionHandlers;
  safety?: MessageSafetyHandlers;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  label: string;
}) {
  const [step, setStep] = useState<'menu' | 'react' | 'confirm-delete'>('menu');
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) {
      setStep('menu');
      return;
    }
    const menu = menuRef.current;
    menu?.querySelector<HTMLElement>('button, input')?.focus({ preventScroll: true });
    // The whole menu, not only its first item: on a phone the newest message sits at the list's
    // bottom edge, and its menu or picker opens below it.
    menu?.scrollIntoView({ block: 'nearest' });
  }, [open, step]);

  function close() {
    onOpenChange(false);
    toggleRef.current?.focus();
  }

  function choose(action: () => void) {
    action();
    onOpenChange(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at === -1) return;
    event.preventDefault();
    items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  }

  const any = Object.values(actions).some(Boolean) || safety.report !== undefined || safety.block !== undefined;
  if (!any) return null;
  return (
    <>
      <button
        ref={toggleRef}
        type="button"
        className="message-more"
        aria-label={`Actions for ${label}`}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="message-actions"
        onClick={() => onOpenChange(!open)}
      >
        ⋯
      </button>
      {open && (
        <div className="message-menu" ref={menuRef} onKeyDown={onKeyDown} data-testid="message-menu">
          {step === 'menu' && (
            <div role="menu" aria-label={`Actions for ${label}`} className="message-menu-items">
              {actions.reply && <MenuItem onClick={() => choose(handlers.reply)}>Reply</MenuItem>}
              {actions.react && <MenuItem onClick={() => setStep('react')}>React</MenuItem>}
              {actions.edit && <MenuItem onClick={() => choose(handlers.edit)}>Edit</MenuItem>}
              {actions.deleteForEveryone && <MenuItem onClick={() => setStep('confirm-delete')}>Delete for everyone</MenuItem>}
              {actions.deleteForMe && <MenuItem onClick={() => choose(handlers.deleteForMe)}>Delete for me</MenuItem>}
              {safety.report && <MenuItem onClick={() => choose(safety.report!)}>Report…</MenuItem>}
              {safety.block && <MenuItem onClick={() => choose(safety.block!)}>Block sender…</MenuItem>}
              <MenuItem onClick={close}>Cancel</MenuItem>
            </div>
          )}
          {step === 'react' && <ReactionPicker onPick={(emoji) => choose(() => handlers.react(emoji))} onCancel={close} />}
          {step === 'confirm-delete' && (
            <div role="group" aria-label="Delete for everyone?" className="message-menu-items">
              <p className="message-menu-note">Delete this message for everyone?</p>
              <button type="button" className="button button-danger button-compact" onClick={() => choose(handlers.deleteForEveryone)}>
                Delete
              </button>
              <button type="button" className="button button-ghost button-compact" onClick={close}>
                Keep
              </button>
            </div>
          )}
        </div>
      )}
    </>
  );
}

function MenuItem({ onClick, children }: { onClick: () => void; children: string }) {
  return (
    <button type="button" role="menuitem" className="message-menu-item" onClick={onClick}>
      {children}
    </button>
  );
}

/** A few common emoji, or any emoji typed (checked with the contract's rule before it goes). */
function ReactionPicker({ onPick, onCancel }: { onPick: (emoji: string) => void; onCancel: () => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  function pickTyped() {
    const emoji = typed.trim();
    if (!ReactionEmoji.safeParse(emoji).success) {
      setError('Type one emoji');
      return;
    }
    onPick(emoji);
  }
  return (
    <div role="group" aria-label="React with" className="reaction-picker">
      <div className="reaction-quick">
        {QUICK_REACTIONS.map((emoji) => (
          <button key={emoji} type="button" className="reaction-choice" aria-label={`React with ${emoji}`} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
      </div>
      <form
        className="reaction-typed"
        onSubmit={(event) => {
          event.preventDefault();
          pickTyped();
        }}
      >
        <label className="visually-hidden" htmlFor="reaction-input">
          Any emoji
        </label>
        <input
          id="reaction-input"
          className="reaction-input"
          value={typed}
          maxLength={32}
          placeholder="Any emoji"
          autoComplete="off"
          aria-invalid={error !== null}
          onChange={(event) => {
            setTyped(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button button-secondary button-compact">
          Add
        </button>
        <button type="button" className="button button-ghost button-compact" onClick={onCancel}>
          Cancel
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
