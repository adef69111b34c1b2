import { useRef } from 'react';
import { useNavigate } from 'react-router';
import { signOut } from '../../net/auth-client';
import { useUnsentCount } from '../../outbox/use-outbox';
import { SignOutIcon } from '../../ui/icons';

/**
 * Signing out deletes this device's copy of the user's data, unsent changes included (on a shared
 * phone they must never go out as the next person). With changes still unsent, the user decides.
 */
export function SignOutButton() {
  const navigate = useNavigate();
  const unsent = useUnsentCount();
  const dialog = useRef<HTMLDialogElement>(null);

  async function leave() {
    dialog.current?.close();
    await signOut();
    void navigate('/login', { replace: true });
  }

  return (
    <>
      <button
        type="button"
        className="icon-button"
        onClick={() => (unsent > 0 ? dialog.current?.showModal() : void leave())}
        aria-label="Sign out"
        title="Sign out"
      >
        <SignOutIcon />
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="sign-out-title">
        <h2 id="sign-out-title">
          {unsent === 1 ? '1 change not sent yet' : `${unsent} changes not sent yet`}
        </h2>
        <p>
          {unsent === 1
            ? 'Signing out deletes it from this device. Stay signed in to send it when the network is back.'
            : 'Signing out deletes them from this device. Stay signed in to send them when the network is back.'}
        </p>
        <div className="alert-actions">
          <button type="button" className="button button-secondary" onClick={() => dialog.current?.close()} autoFocus>
            Stay
          </button>
          <button type="button" className="button button-danger" onClick={() => void leave()}>
            Sign out anyway
          </button>
        </div>
      </dialog>
    </>
  );
}
