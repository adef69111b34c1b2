import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { PushPreferences } from '../../../protocol';
import { adminFlagsKey, fetchAdminFlags } from '../admin/admin-queries';
import { BUILD_LABEL } from '../../build-label';
import { useLocalUser } from '../../data/local-session';
import { usePushPreferences } from '../../data/push-queries';
import { useOutbox } from '../../outbox/outbox-context';
import { InlineError, Spinner } from '../../ui/feedback';
import { useDocumentTitle } from '../../ui/use-document-title';
import { useSocketTransport } from '../../net/socket-transport';
import { DevicesSection } from './DevicesSection';
import { InstallSection } from './InstallSection';
import { StorageSection } from './StorageSection';
import { AnalyticsSection } from './AnalyticsSection';
import { BlockedUsersSection } from '../safety/BlockedUsersSection';
import { usePushSwitch, type PushSwitchState } from './use-push-switch';
import './settings.css';

const KINDS: { key: keyof PushPreferences; label: string }[] = [
  { key: 'messages', label: 'Messages' },
  { key: 'announcements', label: 'Announcements' },
  { key: 'activityUpdates', label: 'Activity updates' },
  { key: 'invitations', label: 'Invitations' },
];

const STATE_TEXT: Record<PushSwitchState, string> = {
  on: 'On: this device gets your notifications.',
  off: 'Off: nothing is sent to this device.',
  blocked: 'Blocked by the browser.',
  unsupported: 'This browser cannot show notifications. On an iPhone, add Rally to the Home Screen first.',
};

export function SettingsScreen() {
  useDocumentTitle('Settings');
  if (!useLocalUser()) return <Spinner label="Opening your settings…" />;
  return (
    <section className="page page-narrow settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <InstallSection />
      <PushSettings />
      <StorageSection />
      <AnalyticsSection />
      <BlockedUsersSection />
      <p className="muted settings-help" data-testid="build-label">
        Version {BUILD_LABEL}
      </p>
      <LiveConnection />
      <AdminLinks />
    </section>
  );
}

/** Administration, for the people named in ADMIN_USER_IDS (the server answers the others 403). */
function AdminLinks() {
  const flags = useQuery({ queryKey: adminFlagsKey, queryFn: fetchAdminFlags, retry: false, staleTime: 60_000 });
  if (!flags.data) return null;
  return (
    <p className="settings-help">
      <Link to="/admin/flags">Feature flags</Link> · <Link to="/admin/analytics">Analytics</Link> · <Link to="/admin/reports">Reports</Link>
    </p>
  );
}

const TRANSPORT_TEXT = { websocket: 'WebSocket', polling: 'long-polling' } as const;

/** How live updates reach this device now (the `websocket-enabled` flag can force long-polling). */
function LiveConnection() {
  const transport = useSocketTransport();
  return (
    <p className="muted settings-help" data-testid="live-transport">
      Live updates: {transport ? TRANSPORT_TEXT[transport] : 'not connected'}
    </p>
  );
}

function PushSettings() {
  const push = usePushSwitch();
  return (
    <>
      <PushSection {...push} />
      <PushKinds />
      <DevicesSection pushState={push.busy ? 'busy' : push.state} />
    </>
  );
}

function PushSection({ state, busy, error, turn }: ReturnType<typeof usePushSwitch>) {
  return (
    <div className="card settings-card">
      <label className="switch-row">
        <span className="switch-label">Turn on notifications</span>
        <input
          type="checkbox"
          role="switch"
          className="switch"
          checked={state === 'on'}
          disabled={busy || state === 'blocked' || state === 'unsupported'}
          onChange={(event) => void turn(event.target.checked)}
        />
      </label>
      <p className="muted" data-testid="push-state" data-state={state}>
        {busy ? 'Setting up…' : STATE_TEXT[state]}
      </p>
      {state === 'blocked' && (
        <p className="muted settings-help">
          To unblock, open the site settings (the icon left of the address, or Rally's app info on a phone), allow
          Notifications, then come back here.
        </p>
      )}
      <InlineError message={error} />
    </div>
  );
}

/** Which kinds push, for every device of the user (synced like everything else). */
function PushKinds() {
  const preferences = usePushPreferences();
  const outbox = useOutbox();
  return (
    <fieldset className="card settings-card">
      <legend className="settings-legend">Notify me about</legend>
      {KINDS.map(({ key, label }) => (
        <label key={key} className="switch-row">
          <span className="switch-label">{label}</span>
          <input
            type="checkbox"
            role="switch"
            className="switch"
            name={key}
            checked={preferences[key]}
            onChange={(event) => void outbox?.mutate({ name: 'settings.push', args: { push: { [key]: event.target.checked } } }).catch(() => undefined)}
          />
        </label>
      ))}
    </fieldset>
  );
}
