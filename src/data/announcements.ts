import type { Message } from '../../protocol';
import { ObservableValue, useObservableValue } from '../net/observable-value';

/** The organizer announcements that arrived live and are not dismissed yet (newest last). */
export const liveAnnouncements = new ObservableValue<readonly Message[]>([]);

export function noteAnnouncement(message: Message): void {
  const current = liveAnnouncements.get();
  if (current.some((item) => item.id === message.id)) return;
  liveAnnouncements.set([...current, message].slice(-3));
}

export function dismissAnnouncement(id: string): void {
  liveAnnouncements.set(liveAnnouncements.get().filter((item) => item.id !== id));
}

export function useLiveAnnouncements(): readonly Message[] {
  return useObservableValue(liveAnnouncements);
}
