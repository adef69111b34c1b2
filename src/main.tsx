// The shared sheets come first: each feature's own sheet, imported by its components, then comes
// later in the bundle and so wins a tie of equal specificity, as it did in the one stylesheet.
import './ui/base.css';
import './ui/controls.css';
import './ui/surfaces.css';
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { listenForInstallPrompt } from './app/install-prompt';
import { registerServiceWorker } from './app/service-worker';
import { restoreSession } from './net/auth-client';
import { listenForErrors } from './analytics/analytics';

// Start trading the refresh cookie for a session before React renders: saves a round of waiting.
void restoreSession();
registerServiceWorker();
listenForInstallPrompt();
// Errors from the first moment (the engine loads with the first); screen views come from AppRoutes.
listenForErrors();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const reactRoot = createRoot(root);
// As a transition, React renders the first screen in slices of a few ms instead of one task: the
// feed's first screenful (from its copy) was one task of ~200 ms on a phone's CPU, most of the
// page's blocking time at load (docs/ARCHITECTURE.md, "Code splitting, what loads when").
startTransition(() =>
  reactRoot.render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
