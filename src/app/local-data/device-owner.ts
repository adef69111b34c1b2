import { writeSignedInUser } from '../../../device-db/device-state';
import { isPushOnHere, notePushOnHere } from '../../features/push/push-permission';
import { afterFirstScreen } from '../../data/first-screen';
import { onSignedOut, session } from '../../net/auth-client';

/**
 * Tells the worker who is signed in on this device (device-db/device-state.ts), so it shows and
 * stores pushes for that user only; and on sign-out unregisters this device from the user's pushes.
 * Neither waits for the network: sign-out holds at once, offline too.
 */
function noteSignedInUser(): void {
  const state = session.get();
  if (state.status === 'signed-in') void writeSignedInUser(state.user.id).catch(() => undefined);
  else if (state.status === 'signed-out') void writeSignedInUser(null).catch(() => undefined);
}

export function trackDeviceOwner(): void {
  // The device's record already names whoever signed in last; a start only confirms it, and its
  // database's first open and write are kept out of the first screen's way.
  afterFirstScreen(noteSignedInUser);
  session.subscribe(noteSignedInUser);
  onSignedOut(async (userId, token) => {
    await writeSignedInUser(null).catch(() => undefined);
    if (!isPushOnHere(userId)) return;
    notePushOnHere(userId, false);
    // Loaded only now: it brings the push schemas, and a sign-out can wait for a precached chunk.
    void import('../../features/push/register-device').then(({ unregisterOnSignOut }) => unregisterOnSignOut(token))
      .catch(() => undefined);
  });
}
