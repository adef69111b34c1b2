import { CALL_REJOIN_HOLD_MS, IceServersResponse, type Call, type CallKind, type CallSignal, type ServerToClientEvents } from '../../../protocol';
import { apiRequest } from '../../net/api';
import { emitWithAck } from '../../net/emit-with-ack';
import { ObservableValue } from '../../net/observable-value';
import { connectedSocket, type RallySocket } from '../../net/socket-state';
import { callReducer, holdsMedia, IDLE_CALL, type CallEvent, type CallPeer, type CallSnapshot } from './call-machine';
import { callOpen, isAcceptedOnArrival } from './call-entry';
import { closeCallNotification } from './call-notification';
import { forgetCall, rememberCall, rememberedCall } from './call-storage';
import { LocalMedia } from './local-media';
import { PeerLink } from './peer-link';
import { watchQuality } from './quality-watch';
import type { Quality } from './call-quality';

/** How long the ended screen stays before the call layer closes. */
const ENDED_SCREEN_MS = 2_500;
/**
 * How long a call placed or answered waits for the live connection: in the page's first second
 * it is still loading or connecting. Offline there is nothing to wait for.
 */
const CONNECT_WAIT_MS = 8_000;
const waitForConnection = () => (navigator.onLine ? connectedSocket(CONNECT_WAIT_MS) : Promise.resolve(null));
/** A "disconnected" connection often heals by itself; after this it gets an ICE restart. */
const RESTART_AFTER_MS = 2_000;
/**
 * Reconnecting (ICE restarts, or a rejoin after a reload) gives up after as long as the server
 * holds a call for a side that dropped: by then the other side is not coming back either.
 */
const GIVE_UP_AFTER_MS = CALL_REJOIN_HOLD_MS;

/**
 * The one call of this tab: socket events, buttons and media events become call-machine events;
 * the media (microphone, camera, peer link) follows the phase. The screen only reads `call`,
 * `remoteStream` and `quality`.
 */
class CallSession {
  readonly call = new ObservableValue<CallSnapshot>(IDLE_CALL);
  readonly remoteStream = new ObservableValue<MediaStream | null>(null);
  readonly quality = new ObservableValue<Quality | null>(null);
  readonly localStream = new ObservableValue<MediaStream | null>(null);
  private prepared: Promise<{ ice: IceServersResponse; media: LocalMedia }> | null = null;
  private media: LocalMedia | null = null;
  private ice: IceServersResponse | null = null;
  private link: PeerLink | null = null;
  private pendingSignals: CallSignal[] = [];
  private stopQuality: (() => void) | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  private socket: RallySocket | null = null;
  private detach: (() => void) | null = null;
  /**
   * Events for a call this side is placing whose id it does not know yet: the callee's device can
   * ring (or answer, or decline) before the invitation's answer reaches the caller. Played once
   * the id comes back (`invited`), dropped with the call.
   */
  private beforeInvited: { callId: string; run: () => void }[] = [];

  private dispatch(event: CallEvent): CallSnapshot {
    const before = this.call.get();
    const after = callReducer(before, event);
    this.call.set(after);
    if (after.phase === 'reconnecting' && before.phase !== 'reconnecting') this.giveUpTimer = setTimeout(() => this.giveUp(), GIVE_UP_AFTER_MS);
    if (after.phase !== 'reconnecting') clearTimeout(this.giveUpTimer);
    if (after.phase === 'ended' && before.phase !== 'ended') this.teardown();
    if (after.phase === 'ended') setTimeout(() => this.dispatch({ type: 'dismiss' }), ENDED_SCREEN_MS);
    callOpen.set(after.phase !== 'idle');
    return after;
  }

  /** Follows the session's socket (a new one after sign-in or a reconnect of the page). */
  attach(socket: RallySocket): void {
    if (this.socket === socket) return;
    this.detach?.();
    this.socket = socket;
    const mine = (callId: string) => callId === this.call.get().callId;
    /** Runs `run` for this side's call, or keeps it until the call's id is known (beforeInvited). */
    const forCall = (callId: string, run: () => void) => {
      const { phase, callId: known } = this.call.get();
      if (callId === known) run();
      else if (phase === 'dialing' && known === null) this.beforeInvited.push({ callId, run });
    };
    const handlers = {
      'call:ringing': ({ callId }) => forCall(callId, () => void this.dispatch({ type: 'peerRinging' })),
      'call:accepted': ({ call }) =>
        forCall(call.id, () => {
          if (this.dispatch({ type: 'answered' }).phase === 'connecting') void this.startLink();
        }),
      'call:ended': ({ callId, reason, cause }) => forCall(callId, () => void this.dispatch({ type: 'ended', reason, cause })),
      'call:signal': ({ callId, signal }) => void (mine(callId) && this.receive(signal)),
      // The other side came back on a new page: its old peer connection is gone, so is ours.
      'call:rejoined': ({ callId }) => void (mine(callId) && holdsMedia(this.call.get().phase) && this.startLink()),
    } satisfies Pick<ServerToClientEvents, 'call:ringing' | 'call:accepted' | 'call:ended' | 'call:signal' | 'call:rejoined'>;
    // A dropped socket told the server this side left; take the call back on the new connection.
    const onConnect = () => void (holdsMedia(this.call.get().phase) && this.rejoin());
    // socket.io's typed on/off take one literal event name at a time; the map above is checked whole.
    const loose = socket as unknown as { on: (event: string, handler: unknown) => void; off: (event: string, handler: unknown) => void };
    const events: [string, unknown][] = [...Object.entries(handlers), ['connect', onConnect]];
    for (const [event, handler] of events) loose.on(event, handler);
    this.detach = () => {
      for (const [event, handler] of events) loose.off(event, handler);
    };
  }

  async dial(conversationId: string, kind: CallKind, peer: CallPeer): Promise<void> {
    if (this.dispatch({ type: 'dial', conversationId, kind, peer }).phase !== 'dialing') return;
    this.beforeInvited = [];
    // Microphone, camera and ICE servers while it rings, so media starts the moment they answer.
    this.prepare(kind).catch(() => undefined);
    await this.connected();
    const ack = await emitWithAck('call:invite', { conversationId, kind });
    if (!ack?.ok) {
      // No call was made: nothing to tell the server.
      this.dispatch({ type: 'ended', reason: 'failed', cause: ack ? ack.error.message : 'Not connected' });
      return;
    }
    this.dispatch({ type: 'invited', callId: ack.data.id });
    // What the callee's devices said before this answer came: theirs now, in the order it came.
    const early = this.beforeInvited.filter((event) => event.callId === ack.data.id);
    this.beforeInvited = [];
    for (const event of early) event.run();
    if (ack.data.state === 'ended') {
      this.dispatch({ type: 'ended', reason: ack.data.endReason ?? 'failed', cause: null });
      return;
    }
    rememberCall({ callId: ack.data.id, conversationId, kind, role: 'caller', peer });
    // Ended before the invitation came back: cancel it now.
    if (this.call.get().phase === 'ending') await emitWithAck('call:cancel', { callId: ack.data.id });
  }

  incoming(call: Call): void {
    const peer = { userId: call.callerId, displayName: call.callerName };
    if (this.dispatch({ type: 'incoming', callId: call.id, conversationId: call.conversationId, kind: call.kind, peer }).callId !== call.id) return;
    // The page rings now: the lock-screen notification of a push (if one came) has done its part.
    void closeCallNotification(call.id);
    void emitWithAck('call:ringing', { callId: call.id });
    if (isAcceptedOnArrival(call.id)) void this.accept();
  }

  async accept(): Promise<void> {
    const { callId, kind, conversationId, peer, phase } = this.call.get();
    if (phase !== 'ringing' || !callId || !conversationId || !peer) return;
    try {
      await this.prepare(kind);
    } catch (error) {
      return this.endWith(this.dispatch({ type: 'fail', cause: describe(error) }));
    }
    await this.connected();
    const ack = await emitWithAck('call:accept', { callId });
    if (!ack?.ok) {
      // Another device answered first, or the caller gave up meanwhile.
      this.dispatch({ type: 'ended', reason: ack?.error.message === 'Answered on another device' ? 'answered_elsewhere' : 'failed', cause: ack?.error.message ?? 'Not connected' });
      return;
    }
    rememberCall({ callId, conversationId, kind, role: 'callee', peer });
    if (this.dispatch({ type: 'accept' }).phase === 'connecting') await this.startLink();
  }

  hangUp(): void {
    const next = this.dispatch({ type: 'hangUp' });
    if (next.phase === 'ending') void this.endWith(next);
  }

  /** Tells the server how this side ended (cancel, decline or end), then closes. */
  /**
   * Waits for the live connection (see CONNECT_WAIT_MS) and follows it: a call placed before the
   * socket existed would otherwise send its invitation and hear nothing back (ringing, answer).
   */
  private async connected(): Promise<void> {
    const socket = await waitForConnection();
    if (socket) this.attach(socket);
  }

  private async endWith(state: CallSnapshot): Promise<void> {
    const { callId, endReason, endCause } = state;
    if (callId) {
      if (endReason === 'cancelled') await emitWithAck('call:cancel', { callId });
      else if (endReason === 'declined') await emitWithAck('call:decline', { callId });
      else await emitWithAck('call:end', { callId, reason: endReason === 'failed' || endReason === 'connection_lost' ? endReason : 'hung_up', ...(endCause ? { cause: endCause.slice(0, 200) } : {}) });
    }
    this.dispatch({ type: 'endConfirmed' });
  }

  private giveUp(): void {
    const next = this.dispatch({ type: 'giveUp' });
    if (next.phase === 'ending') void this.endWith(next);
  }

  /** After a reload: the call this tab carried, if the server still holds it. */
  async rejoinRemembered(): Promise<void> {
    const stored = rememberedCall();
    if (!stored || this.call.get().phase !== 'idle') return;
    this.dispatch({ type: 'rejoin', ...stored, answeredAt: Date.now() });
    await this.rejoin();
  }

  private async rejoin(): Promise<void> {
    const { callId } = this.call.get();
    if (!callId) return;
    const ack = await emitWithAck('call:rejoin', { callId });
    if (!ack) return; // not connected: the next connect tries again
    if (!ack.ok) {
      this.dispatch({ type: 'ended', reason: 'connection_lost', cause: ack.error.message });
      return;
    }
    if (ack.data.answeredAt) this.call.set({ ...this.call.get(), connectedAt: Date.parse(ack.data.answeredAt) });
    await this.startLink();
  }

  private prepare(kind: CallKind): Promise<{ ice: IceServersResponse; media: LocalMedia }> {
    this.prepared ??= Promise.all([apiRequest('/api/calls/ice-servers', { schema: IceServersResponse }), LocalMedia.open(kind)]).then(([ice, media]) => {
      this.ice = ice;
      this.media = media;
      this.localStream.set(media.stream);
      return { ice, media };
    });
    return this.prepared;
  }

  /** A fresh peer link with this side's media; the signals that came early go in first. */
  private async startLink(): Promise<void> {
    const { kind, role } = this.call.get();
    // At once, before waiting for media: signals from here on belong to the new link, and wait
    // in pendingSignals until it exists rather than reach the old one.
    this.link?.close();
    this.link = null;
    let prepared;
    try {
      prepared = await this.prepare(kind);
    } catch (error) {
      return this.endWith(this.dispatch({ type: 'fail', cause: describe(error) }));
    }
    const link = new PeerLink(role === 'callee', prepared.ice, {
      signal: (signal) => {
        const { callId } = this.call.get();
        if (callId && this.link === link) void emitWithAck('call:signal', { callId, signal });
      },
      remoteStream: (stream) => this.remoteStream.set(stream),
      connectionState: (state) => this.onConnectionState(link, state),
    });
    this.link = link;
    link.addStream(prepared.media.stream);
    for (const signal of this.pendingSignals.splice(0)) await this.receive(signal);
  }

  private async receive(signal: CallSignal): Promise<void> {
    if (!this.link) {
      this.pendingSignals.push(signal);
      return;
    }
    // A candidate of a connection that was replaced meanwhile, or an offer this side ignores.
    await this.link.receive(signal).catch(() => undefined);
  }

  private onConnectionState(link: PeerLink, state: RTCPeerConnectionState): void {
    if (link !== this.link) return;
    clearTimeout(this.restartTimer);
    if (state === 'connected') {
      this.dispatch({ type: 'mediaConnected', at: Date.now() });
      this.stopQuality ??= watchQuality(() => this.link?.pc ?? null, (quality) => this.quality.set(quality));
    } else if (state === 'disconnected' || state === 'failed') {
      this.dispatch({ type: 'mediaInterrupted' });
      this.restartTimer = setTimeout(() => link === this.link && link.restartIce(), state === 'failed' ? 0 : RESTART_AFTER_MS);
    }
  }

  setMuted(muted: boolean): void {
    this.media?.setMuted(muted);
    this.localStream.set(this.media?.stream ?? null);
  }

  async setVideo(on: boolean): Promise<void> {
    const added = await this.media?.setVideo(on);
    // A new track renegotiates (perfect negotiation keeps both sides from offering at once).
    if (added && this.media && this.link) this.link.pc.addTrack(added, this.media.stream);
  }

  async switchCamera(): Promise<void> {
    const swapped = await this.media?.nextCamera();
    if (!swapped || !this.link) return;
    const sender = this.link.pc.getSenders().find((s) => s.track === swapped.previous || s.track?.kind === 'video');
    await sender?.replaceTrack(swapped.next);
  }

  private teardown(): void {
    forgetCall();
    this.beforeInvited = [];
    const { callId } = this.call.get();
    if (callId) void closeCallNotification(callId);
    clearTimeout(this.restartTimer);
    this.stopQuality?.();
    this.stopQuality = null;
    this.link?.close();
    this.link = null;
    this.pendingSignals = [];
    void this.prepared?.then(({ media }) => media.stop()).catch(() => undefined);
    this.prepared = null;
    this.media = null;
    this.remoteStream.set(null);
    this.localStream.set(null);
    this.quality.set(null);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export const callSession = new CallSession();
