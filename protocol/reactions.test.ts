import { describe, expect, it } from 'vitest';
import { ReactionEmoji } from './chat';
import { applyReaction, groupReactions, type ReactionEntry } from './reactions';

const ana = (emoji: string): ReactionEntry => ({ emoji, userId: 'ana', displayName: 'Ana' });
const ben = (emoji: string): ReactionEntry => ({ emoji, userId: 'ben', displayName: 'Ben' });

describe('applyReaction', () => {
  it('adds a reaction once, however often it is added', () => {
    const once = applyReaction([], ana('👍'), true);
    expect(applyReaction(once, ana('👍'), true)).toEqual([ana('👍')]);
  });

  it('removes only that person and emoji, and removing what is not there changes nothing', () => {
    const all = [ana('👍'), ben('👍'), ana('🎉')];
    expect(applyReaction(all, ana('👍'), false)).toEqual([ben('👍'), ana('🎉')]);
    expect(applyReaction(all, ben('🎉'), false)).toBe(all);
  });

  it('converges whatever order two devices’ concurrent toggles land in', () => {
    // Both of Ana's devices add 👍 offline; one also adds 🎉: every order ends in the same set.
    const ops: [ReactionEntry, boolean][] = [
      [ana('👍'), true],
      [ana('👍'), true],
      [ana('🎉'), true],
      [ben('👍'), true],
    ];
    const orders = [ops, [...ops].reverse(), [ops[2]!, ops[0]!, ops[3]!, ops[1]!]];
    const results = orders.map((order) => order.reduce<readonly ReactionEntry[]>((set, [who, on]) => applyReaction(set, who, on), []));
    const asSet = (set: readonly ReactionEntry[]) => set.map((r) => `${r.userId}${r.emoji}`).sort();
    for (const result of results) expect(asSet(result)).toEqual(asSet(results[0]!));
  });
});

describe('groupReactions', () => {
  it('counts per emoji, names who, and marks the viewer’s own', () => {
    expect(groupReactions([ana('👍'), ben('👍'), ben('🎉')], 'ana')).toEqual([
      { emoji: '👍', count: 2, names: ['Ana', 'Ben'], mine: true },
      { emoji: '🎉', count: 1, names: ['Ben'], mine: false },
    ]);
  });
});

describe('ReactionEmoji', () => {
  it.each(['👍', '❤️', '🇵🇹', '1️⃣', '👩🏽‍💻', '👨‍👩‍👧'])('accepts %s', (emoji) => {
    expect(ReactionEmoji.safeParse(emoji).success).toBe(true);
  });
  it.each(['', 'a', 'lol', '1', '👍a', '<script>', '1'.repeat(40)])('refuses %j', (text) => {
    expect(ReactionEmoji.safeParse(text).success).toBe(false);
  });
});
