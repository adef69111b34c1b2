import type { CallKind } from '../../../protocol';

/**
 * This side's microphone and camera. Muting disables the track (the sender keeps sending silence
 * frames, so nothing is renegotiated); turning video on in a voice call adds a track, which the
 * peer link renegotiates.
 */
export class LocalMedia {
  private constructor(readonly stream: MediaStream) {}

  static async open(kind: CallKind): Promise<LocalMedia> {
    return new LocalMedia(await navigator.mediaDevices.getUserMedia({ audio: true, video: kind === 'video' ? { facingMode: 'user' } : false }));
  }

  get muted(): boolean {
    return !(this.stream.getAudioTracks()[0]?.enabled ?? false);
  }

  setMuted(muted: boolean): void {
    for (const track of this.stream.getAudioTracks()) track.enabled = !muted;
  }

  get videoOn(): boolean {
    return this.stream.getVideoTracks().some((track) => track.enabled);
  }

  /** Turns video off or on; a track that had to be added is returned so the link can send it. */
  async setVideo(on: boolean): Promise<MediaStreamTrack | null> {
    const existing = this.stream.getVideoTracks()[0];
    if (existing) {
      existing.enabled = on;
      return null;
    }
    if (!on) return null;
    const [track] = (await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } })).getVideoTracks();
    if (!track) return null;
    this.stream.addTrack(track);
    return track;
  }

  /** The next camera, if there is more than one: the new track replaces the old one in place. */
  async nextCamera(): Promise<{ previous: MediaStreamTrack; next: MediaStreamTrack } | null> {
    const previous = this.stream.getVideoTracks()[0];
    if (!previous) return null;
    const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === 'videoinput');
    if (cameras.length < 2) return null;
    const current = cameras.findIndex((camera) => camera.deviceId === previous.getSettings().deviceId);
    const target = cameras[(current + 1) % cameras.length]!;
    const [next] = (await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: target.deviceId } } })).getVideoTracks();
    if (!next) return null;
    next.enabled = previous.enabled;
    this.stream.removeTrack(previous);
    this.stream.addTrack(next);
    previous.stop();
    return { previous, next };
  }

  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
  }
}

/** Where sound can go, when the browser lets a page choose (`setSinkId`). */
export async function listSpeakers(): Promise<MediaDeviceInfo[]> {
  if (!('setSinkId' in HTMLMediaElement.prototype)) return [];
  return (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === 'audiooutput');
}
