import { dateFormat } from '../../ui/date-format';

// Made once: toLocale*String with options builds a new formatter on every call, and every
// message of a chat shows its time (as src/features/activities/format.ts does for the feed).
const hourMinute = dateFormat({ hour: '2-digit', minute: '2-digit' });
const weekday = dateFormat({ weekday: 'short' });
const dayMonth = dateFormat({ day: 'numeric', month: 'short' });

/** Times in chat: "14:05" today, "Mon 14:05" this week, "12 Mar 14:05" before. */
export function formatMessageTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const time = hourMinute().format(at);
  const days = (now.getTime() - at.getTime()) / 86_400_000;
  if (at.toDateString() === now.toDateString()) return time;
  if (days < 6) return `${weekday().format(at)} ${time}`;
  return `${dayMonth().format(at)} ${time}`;
}

/** "just now", "5 min ago", "2 h ago", or a date. */
export function formatLastSeen(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return dayMonth().format(new Date(iso));
}
