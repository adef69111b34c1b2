import type { CallEndReason } from '../../../protocol';

/** Why the call ended, in words. */
export function endedText(reason: CallEndReason | null, cause: string | null): string {
  switch (reason) {
    case 'declined':
      return 'Call declined';
    case 'busy':
      return 'Busy on another call';
    case 'no_answer':
      return 'No answer';
    case 'cancelled':
      return 'Call cancelled';
    case 'answered_elsewhere':
      return 'Answered on another device';
    case 'failed':
      return cause ? `Call failed: ${cause}` : 'Call failed';
    case 'connection_lost':
      return 'Connection lost';
    default:
      return 'Call ended';
  }
}

/** m:ss of a running call, or h:mm:ss from an hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
