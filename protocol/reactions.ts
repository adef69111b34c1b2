/**
 * Reactions as a set of (emoji, person): the one rule the server stores by and the page applies
 * optimistically, so both agree on what a toggle does. Adding what is there, or removing what is
 * not, changes nothing; that is what lets two devices' concurrent toggles converge.
 */

export interface ReactionEntry {
  emoji: string;
  userId: string;
  displayName: string;
}

/** `reactions` with `who`'s `emoji` added (`on`) or removed; the same array when nothing changes. */
export function applyReaction<R extends ReactionEntry>(reactions: readonly R[], who: R, on: boolean): readonly R[] {
  const at = reactions.findIndex((reaction) => reaction.emoji === who.emoji && reaction.userId === who.userId);
  if (on) return at === -1 ? [...reactions, who] : reactions;
  return at === -1 ? reactions : reactions.filter((_, index) => index !== at);
}

export interface ReactionGroup {
  emoji: string;
  count: number;
  names: string[];
  /** The viewer is among them: tapping the emoji takes theirs away. */
  mine: boolean;
}

/** One chip per emoji, in the order each emoji was first used. */
export function groupReactions(reactions: readonly ReactionEntry[], viewerId: string): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup>();
  for (const reaction of reactions) {
    const group = groups.get(reaction.emoji) ?? { emoji: reaction.emoji, count: 0, names: [], mine: false };
    group.count += 1;
    group.names.push(reaction.displayName);
    group.mine ||= reaction.userId === viewerId;
    groups.set(reaction.emoji, group);
  }
  return [...groups.values()];
}
