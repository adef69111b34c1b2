import { ObservableValue } from '../net/observable-value';

/** Chromium's `beforeinstallprompt` event; not in TypeScript's DOM lib. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform?: string }>;
}

function isInstallPromptEvent(event: Event): event is BeforeInstallPromptEvent {
  return typeof (event as Partial<BeforeInstallPromptEvent>).prompt === 'function';
}

/**
 * Set while the browser would install Rally on request: calling it shows the browser's install
 * dialog. Null before the browser offers it, once the dialog was used (the event is spent), after
 * installing, and when Rally already runs as the installed app.
 */
export const installPrompt = new ObservableValue<(() => Promise<void>) | null>(null);

/**
 * Called once at start-up, before React renders: the browser fires `beforeinstallprompt` early and
 * only once per page, so a screen that listened for it itself would miss it.
 */
export function listenForInstallPrompt(): void {
  const standalone = window.matchMedia('(display-mode: standalone)');
  window.addEventListener('beforeinstallprompt', (event) => {
    if (!isInstallPromptEvent(event) || standalone.matches) return;
    // Keeps the browser's own mini-infobar away: Rally offers installing where it fits (settings).
    event.preventDefault();
    installPrompt.set(async () => {
      installPrompt.set(null);
      await event.prompt();
      await event.userChoice;
    });
  });
  window.addEventListener('appinstalled', () => installPrompt.set(null));
  // Opened as the installed app (or switched to it): there is nothing left to install.
  standalone.addEventListener('change', () => {
    if (standalone.matches) installPrompt.set(null);
  });
}
