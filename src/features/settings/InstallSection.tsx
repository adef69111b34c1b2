import { useState } from 'react';
import { installPrompt } from '../../app/install-prompt';
import { useObservableValue } from '../../net/observable-value';

/**
 * "Install Rally on this device", shown only while the browser offers installing (it fired
 * `beforeinstallprompt`); gone once installed or when already running as the installed app.
 */
export function InstallSection() {
  const install = useObservableValue(installPrompt);
  const [busy, setBusy] = useState(false);
  if (!install) return null;
  return (
    <section className="card settings-card" aria-labelledby="install-title">
      <h2 id="install-title" className="settings-legend">
        Install Rally on this device
      </h2>
      <p className="muted">Opens in its own window, from the home screen or app list, and works offline.</p>
      <button
        type="button"
        className="button button-primary settings-action"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void install().finally(() => setBusy(false));
        }}
      >
        Install Rally
      </button>
    </section>
  );
}
