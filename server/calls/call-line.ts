import type { CallEndReason, CallKind } from '../../protocol';

/**
 * The line a call leaves in its conversation, the same for both people ("Missed voice call",
 * "Video call · 3:12"): a call that was answered shows how long it lasted, one that was not
 * says why.
 */
export function callLineText(kind: CallKind, reason: CallEndReason, durationMs: number | null): string {
  const name = kind === 'video' ? 'video call' : 'voice call';
  if (durationMs !== null) return `${capitalize(name)} · ${formatCallDuration(durationMs)}`;
  switch (reason) {
    case 'declined':
      return `Declined ${name}`;
    case 'cancelled':
      return `Cancelled ${name}`;
    case 'failed':
      return `Failed ${name}`;
    default:
      // No answer, busy, or dropped before anyone answered: for the callee it was missed.
      return `Missed ${name}`;
  }
}

/** m:ss, or h:mm:ss from an hour. */
export function formatCallDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
