import type { CallSignal, IceServersResponse } from '../../../protocol';
import { shouldSendCandidate } from './candidate-filter';

export interface PeerLinkEvents {
  signal(signal: CallSignal): void;
  /** The remote stream gained a track (attach it to the media elements). */
  remoteStream(stream: MediaStream): void;
  /** 'connected', 'disconnected', 'failed'… as RTCPeerConnection reports them. */
  connectionState(state: RTCPeerConnectionState): void;
}

/**
 * One RTCPeerConnection with the "perfect negotiation" pattern (W3C WebRTC spec, §"Perfect
 * negotiation example"): either side may start a negotiation whenever its tracks change; when
 * two offers cross, the polite side (the callee) rolls its own back and takes the other's, the
 * impolite side (the caller) ignores the other's. So turning video on mid-call never glares.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private readonly remote = new MediaStream();

  constructor(
    private readonly polite: boolean,
    ice: IceServersResponse,
    private readonly events: PeerLinkEvents,
  ) {
    // The wire's optional fields become absent ones (exactOptionalPropertyTypes keeps them apart).
    const iceServers = ice.iceServers.map(({ urls, username, credential }): RTCIceServer => ({ urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) }));
    this.pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: ice.iceTransportPolicy });
    this.pc.onnegotiationneeded = async () => {
      // A fresh link's first offer is the impolite side's. Were both to offer at once (both add
      // their media the moment the call is answered), the polite side's offer would be rolled
      // back, and Chromium then sends no candidates for the answer that replaces it: the call
      // stays "Connecting…". The polite side's tracks go into its answer; anything the answer
      // could not carry makes the browser ask again once it is stable, with an offer of its own.
      if (this.polite && !this.pc.remoteDescription) return;
      try {
        this.makingOffer = true;
        await this.pc.setLocalDescription();
        this.sendDescription();
      } catch {
        // A failed offer is retried by the next negotiationneeded (or the ICE restart).
      } finally {
        this.makingOffer = false;
      }
    };
    this.pc.onicecandidate = ({ candidate }) => {
      // The end of candidates (null or empty) needs no message: trickle works without it.
      if (!candidate?.candidate || !shouldSendCandidate(candidate.candidate, ice.loopbackOnly)) return;
      this.events.signal({
        type: 'candidate',
        candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, usernameFragment: candidate.usernameFragment },
      });
    };
    this.pc.ontrack = ({ track }) => {
      if (!this.remote.getTracks().includes(track)) this.remote.addTrack(track);
      this.events.remoteStream(this.remote);
    };
    this.pc.onconnectionstatechange = () => this.events.connectionState(this.pc.connectionState);
  }

  private sendDescription(): void {
    const description = this.pc.localDescription;
    if (description && (description.type === 'offer' || description.type === 'answer')) {
      this.events.signal({ type: 'description', description: { type: description.type, sdp: description.sdp } });
    }
  }

  addStream(stream: MediaStream): void {
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
  }

  async receive(signal: CallSignal): Promise<void> {
    if (signal.type === 'candidate') {
      try {
        const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = signal.candidate;
        await this.pc.addIceCandidate({ candidate, sdpMid: sdpMid ?? null, sdpMLineIndex: sdpMLineIndex ?? null, usernameFragment: usernameFragment ?? null });
      } catch (error) {
        // A candidate of an offer this side ignored belongs to nothing here.
        if (!this.ignoreOffer) throw error;
      }
      return;
    }
    const { description } = signal;
    const offerCollision = description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
    this.ignoreOffer = !this.polite && offerCollision;
    if (this.ignoreOffer) return;
    await this.pc.setRemoteDescription(description);
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      this.sendDescription();
    }
  }

  /** After a network change or an ICE failure: new candidates, same call. */
  restartIce(): void {
    this.pc.restartIce();
  }

  close(): void {
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}
