import { useState } from 'react';
import { useLocalUser } from '../../data/local-session';
import { describeError } from '../../net/api-error';
import { askPushPermission, isPushOnHere, notePushOnHere, readPushPermission, type PushPermission } from '../push/push-permission';
import { registerDevice, unregisterDevice } from '../push/register-device';
import { PushUnavailableError } from '../push/web-push-subscription';

export type PushSwitchState = 'on' | 'off' | 'blocked' | 'unsupported';

/**
 * The "Turn on notifications" switch: asks the browser's permission only when tapped, registers
 * this device for the user (or unregisters it), and says where things stand.
 */
export function usePushSwitch() {
  const user = useLocalUser();
  const [permission, setPermission] = useState<PushPermission>(readPushPermission);
  const [on, setOn] = useState(() => (user ? isPushOnHere(user.userId) : false));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const state: PushSwitchState =
    permission === 'unsupported' ? 'unsupported' : permission === 'denied' ? 'blocked' : on && permission === 'granted' ? 'on' : 'off';

  async function turn(next: boolean): Promise<void> {
    if (!user || busy) return;
    setBusy(true);
    setError(null);
    try {
      if (next) {
        const answer = await askPushPermission();
        setPermission(answer);
        if (answer !== 'granted') return;
        await registerDevice();
      } else {
        await unregisterDevice();
      }
      notePushOnHere(user.userId, next);
      setOn(next);
    } catch (caught) {
      setError(caught instanceof PushUnavailableError ? caught.message : describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return { state, busy, error, turn };
}
