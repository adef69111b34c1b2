import { useObservableValue } from '../net/observable-value';
import { updateRequired } from '../net/socket-state';
import { pendingUpdate } from './service-worker';

/**
 * Shown on every screen, signed in or not: a newer Rally is waiting (the worker says so), or the
 * server no longer speaks this page's protocol (the socket says so).
 */
export function UpdatePrompts() {
  const mustReload = useObservableValue(updateRequired);
  const applyUpdate = useObservableValue(pendingUpdate);

  if (mustReload) {
    return (
      <div className="toast" role="alert">
        <span>Rally was updated — reload to keep going.</span>
        <button
          type="button"
          className="button button-primary button-compact"
          onClick={() => (applyUpdate ? applyUpdate() : window.location.reload())}
        >
          Reload
        </button>
      </div>
    );
  }
  if (applyUpdate) {
    return (
      <div className="toast" role="status">
        <span>Update available</span>
        <button type="button" className="button button-primary button-compact" onClick={applyUpdate}>
          Reload
        </button>
      </div>
    );
  }
  return null;
}
