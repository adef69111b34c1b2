import { useEffect } from 'react';
import { useRouteError } from 'react-router';
import { reportError } from '../analytics/analytics';

/**
 * What a screen that threw shows instead of a blank page: what happened, and a way out. Data on
 * the device is untouched, so a reload usually brings everything back.
 */
export function CrashScreen() {
  const error = useRouteError();
  useEffect(() => {
    console.error(error);
    // React Router caught it, so window.onerror never hears of it: report it from here.
    reportError(error, 'crash-screen');
  }, [error]);
  return (
    <section className="page page-narrow empty-state" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">This screen hit an error. Your data on this device is safe.</p>
      <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
        Reload
      </button>
    </section>
  );
}
