import { analyticsEnabled, setAnalyticsEnabled } from '../../analytics/analytics-choice';
import { useObservableValue } from '../../net/observable-value';

/** The analytics opt-out: this device's choice (see analytics-choice.ts for why not per user). */
export function AnalyticsSection() {
  const on = useObservableValue(analyticsEnabled);
  return (
    <div className="card settings-card">
      <label className="switch-row">
        <span className="switch-label">Share usage statistics</span>
        <input type="checkbox" role="switch" className="switch" checked={on} onChange={(event) => setAnalyticsEnabled(event.target.checked)} />
      </label>
      <p className="muted" data-testid="analytics-state" data-state={on ? 'on' : 'off'}>
        {on
          ? 'On: Rally learns which screens and features are used and which errors happen, under your user id only (never your name or e-mail), on its own server.'
          : 'Off: nothing about how you use Rally leaves this device, and what was waiting to be sent was deleted.'}
      </p>
      <p className="muted settings-help">This choice is for this device.</p>
    </div>
  );
}
