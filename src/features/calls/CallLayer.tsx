import { lazy, Suspense, useEffect } from 'react';
import type { CallIncomingEvent } from '../../../protocol';
import { useObservableValue } from '../../net/observable-value';
import { useSocket } from '../../net/socket-state';
import { callOpen, followSocketIfLoaded, hasRememberedCall, loadCallSession, takeAnswerFromAddress } from './call-entry';

const CallScreen = lazy(() => import('./CallScreen'));

/**
 * Rings on every tab (each has its own socket, in the user's room), takes a call back after a
 * reload, and shows the call screen over whatever screen is open while a call is on.
 */
export function CallLayer() {
  const socket = useSocket();
  const open = useObservableValue(callOpen);

  useEffect(takeAnswerFromAddress, []);

  useEffect(() => {
    if (!socket) return;
    followSocketIfLoaded(socket);
    const onIncoming = ({ call }: CallIncomingEvent) => void loadCallSession().then(({ callSession }) => callSession.incoming(call));
    socket.on('call:incoming', onIncoming);
    if (hasRememberedCall()) {
      const rejoin = () => void loadCallSession().then(({ callSession }) => callSession.rejoinRemembered());
      if (socket.connected) rejoin();
      else socket.once('connect', rejoin);
    }
    return () => {
      socket.off('call:incoming', onIncoming);
    };
  }, [socket]);

  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <CallScreen />
    </Suspense>
  );
}
