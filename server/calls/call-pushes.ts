import type { Call } from '../../protocol';
import type { Db } from '../db/connect';
import { devicesOfUsers } from '../push/devices-store';
import { enqueuePushes } from '../push/push-outbox-store';
import { callPayload } from '../push/push-payload';

/**
 * Pushes a call to every registered device of its callee, written with `db` (the transaction of
 * the call's own change: the push exists exactly when the change does). The dispatcher skips the
 * devices that are live when it sends, which ring through their socket instead; the rest are
 * phones in a pocket with Rally closed. `ringsUntil` is set while it rings, null once it is over.
 */
export async function queueCallPushes(db: Db, call: Call, at: string, ringsUntil: string | null): Promise<number> {
  const devices = await devicesOfUsers(db, [call.calleeId]);
  const payload = callPayload({ call, ringsUntil, sentAt: new Date(at) });
  return enqueuePushes(db, devices.map((device) => ({ device, kind: 'call' as const, payload })), at);
}
