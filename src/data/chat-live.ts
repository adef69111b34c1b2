import { TYPING_EXPIRY_MS, type Presence, type TypingEvent } from '../../protocol';
import { ObservableValue, useObservableValue } from '../net/observable-value';

/**
 * What is live and never stored: who is typing where, and who is online. Both come from socket
 * events; typing marks expire on their own (a stop may never arrive: the typer's tab closed).
 */

export interface Typer {
  userId: string;
  displayName: string;
  until: number;
}

/** conversationId → typers (never the signed-in user). */
export const typingByConversation = new ObservableValue<ReadonlyMap<string, readonly Typer[]>>(new Map());
/** userId → presence, as last heard. */
export const presenceByUser = new ObservableValue<ReadonlyMap<string, Presence>>(new Map());

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function dropExpired(now = Date.now()): void {
  const next = new Map<string, readonly Typer[]>();
  let soonest = Infinity;
  for (const [conversationId, typers] of typingByConversation.get()) {
    const alive = typers.filter((typer) => typer.until > now);
    if (alive.length) next.set(conversationId, alive);
    for (const typer of alive) soonest = Math.min(soonest, typer.until);
  }
  typingByConversation.set(next);
  clearTimeout(expiryTimer);
  if (soonest !== Infinity) expiryTimer = setTimeout(() => dropExpired(), soonest - now + 10);
}

export function noteTyping(event: TypingEvent, now = Date.now()): void {
  const others = (typingByConversation.get().get(event.conversationId) ?? []).filter((typer) => typer.userId !== event.userId);
  const typers = event.typing ? [...others, { userId: event.userId, displayName: event.displayName, until: now + TYPING_EXPIRY_MS }] : others;
  const next = new Map(typingByConversation.get());
  if (typers.length) next.set(event.conversationId, typers);
  else next.delete(event.conversationId);
  typingByConversation.set(next);
  dropExpired(now);
}

/** A message from a typer ends their typing at once. */
export function stopTyping(conversationId: string, userId: string): void {
  const typers = typingByConversation.get().get(conversationId);
  if (!typers?.some((typer) => typer.userId === userId)) return;
  noteTyping({ conversationId, userId, displayName: '', typing: false });
}

export function notePresence(presences: readonly Presence[]): void {
  const next = new Map(presenceByUser.get());
  for (const presence of presences) next.set(presence.userId, presence);
  presenceByUser.set(next);
}

export function resetChatLive(): void {
  typingByConversation.set(new Map());
  presenceByUser.set(new Map());
}

const NOBODY: readonly Typer[] = [];

export function useTypers(conversationId: string): readonly Typer[] {
  return useObservableValue(typingByConversation).get(conversationId) ?? NOBODY;
}

export function usePresence(userId: string | null): Presence | undefined {
  const all = useObservableValue(presenceByUser);
  return userId ? all.get(userId) : undefined;
}

/** "Ana is typing…", "Ana and Ben are typing…", "3 people are typing…". */
export function describeTypers(typers: readonly Pick<Typer, 'displayName'>[]): string | null {
  if (typers.length === 0) return null;
  if (typers.length === 1) return `${typers[0]!.displayName} is typing…`;
  if (typers.length === 2) return `${typers[0]!.displayName} and ${typers[1]!.displayName} are typing…`;
  return `${typers.length} people are typing…`;
}
