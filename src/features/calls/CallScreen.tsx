import { useEffect, useRef, useState } from 'react';
import { useObservableValue } from '../../net/observable-value';
import { callSession } from './call-session';
import { endedText, formatDuration } from './call-text';
import { listSpeakers } from './local-media';
import type { CallSnapshot } from './call-machine';
import './call.css';

/** The call over the whole page: who, how it is going, the remote picture, and the controls. */
export default function CallScreen() {
  const call = useObservableValue(callSession.call);
  const remote = useObservableValue(callSession.remoteStream);
  const local = useObservableValue(callSession.localStream);
  const quality = useObservableValue(callSession.quality);
  if (call.phase === 'idle') return null;
  const showVideo = call.kind === 'video' || (remote?.getVideoTracks().length ?? 0) > 0;
  return (
    <div className="call-screen" role="dialog" aria-modal="true" aria-labelledby="call-peer" data-testid="call-screen" data-phase={call.phase}>
      <MediaView stream={remote} video={showVideo} className="call-remote" label="The other person" />
      <div className="call-top">
        <h2 id="call-peer" className="call-peer" dir="auto">
          {call.peer?.displayName ?? 'Call'}
        </h2>
        <p className="call-status" data-testid="call-status" aria-live="polite">
          <StatusText call={call} />
        </p>
        {quality && call.phase === 'connected' && (
          <p className={`call-quality call-quality-${quality.level}`} data-testid="call-quality" data-level={quality.level}>
            {quality.level === 'good' ? 'Good connection' : quality.level === 'fair' ? 'Unstable connection' : 'Poor connection'}
          </p>
        )}
      </div>
      {/* The self view sits just above the controls, however many rows they wrap into. */}
      <div className="call-bottom">
        {local && local.getVideoTracks().length > 0 && <MediaView stream={local} video muted className="call-local" label="You" />}
        <Controls call={call} />
      </div>
    </div>
  );
}

function StatusText({ call }: { call: CallSnapshot }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (call.phase !== 'connected') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [call.phase]);
  const kind = call.kind === 'video' ? 'video' : 'voice';
  switch (call.phase) {
    case 'dialing':
      return <>{call.peerRinging ? 'Ringing…' : 'Calling…'}</>;
    case 'ringing':
      return <>Incoming {kind} call</>;
    case 'connecting':
      return <>Connecting…</>;
    case 'connected':
      return <span data-testid="call-duration">{formatDuration(now - (call.connectedAt ?? now))}</span>;
    case 'reconnecting':
      return <>Reconnecting…</>;
    case 'ending':
      return <>Ending…</>;
    default:
      return <>{endedText(call.endReason, call.endCause)}</>;
  }
}

function Controls({ call }: { call: CallSnapshot }) {
  const [muted, setMuted] = useState(false);
  const [videoOn, setVideoOn] = useState(call.kind === 'video');
  const [speakers, setSpeakers] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    if (call.phase === 'connected') void listSpeakers().then(setSpeakers).catch(() => undefined);
  }, [call.phase]);

  if (call.phase === 'ringing') {
    return (
      <div className="call-controls">
        <button type="button" className="call-button call-decline" onClick={() => callSession.hangUp()}>
          Decline
        </button>
        <button type="button" className="call-button call-accept" onClick={() => void callSession.accept()}>
          Accept
        </button>
      </div>
    );
  }
  if (call.phase === 'ended' || call.phase === 'ending') return null;
  const inCall = call.phase !== 'dialing';
  return (
    <div className="call-controls">
      {inCall && (
        <>
          <button type="button" className="call-button" aria-pressed={muted} onClick={() => {
              callSession.setMuted(!muted);
              setMuted(!muted);
            }}>
            {muted ? 'Unmute' : 'Mute'}
          </button>
          <button type="button" className="call-button" aria-pressed={videoOn} onClick={() => void callSession.setVideo(!videoOn).then(() => setVideoOn(!videoOn))}>
            {videoOn ? 'Video off' : 'Video on'}
          </button>
          {videoOn && (
            <button type="button" className="call-button" onClick={() => void callSession.switchCamera()}>
              Switch camera
            </button>
          )}
          {speakers.length > 1 && <SpeakerPicker speakers={speakers} />}
        </>
      )}
      <button type="button" className="call-button call-end" onClick={() => callSession.hangUp()}>
        {call.phase === 'dialing' ? 'Cancel' : 'End'}
      </button>
    </div>
  );
}

function SpeakerPicker({ speakers }: { speakers: MediaDeviceInfo[] }) {
  const choose = (deviceId: string) => {
    for (const element of document.querySelectorAll<HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> }>('.call-remote')) {
      void element.setSinkId?.(deviceId).catch(() => undefined);
    }
  };
  return (
    <label className="call-speaker">
      <span className="visually-hidden">Speaker</span>
      <select onChange={(event) => choose(event.target.value)}>
        {speakers.map((speaker, index) => (
          <option key={speaker.deviceId} value={speaker.deviceId}>
            {speaker.label || `Speaker ${index + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}

function MediaView({ stream, video, muted = false, className, label }: { stream: MediaStream | null; video: boolean; muted?: boolean; className: string; label: string }) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  // A voice call still plays through a media element; it is simply not shown.
  return video ? (
    <video ref={ref} className={className} autoPlay playsInline muted={muted} aria-label={label} />
  ) : (
    <audio ref={ref} className={className} autoPlay muted={muted} aria-label={label} />
  );
}
