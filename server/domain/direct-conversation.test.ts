import { describe, expect, it } from 'vitest';
import { isDirectConversationOf } from './direct-conversation';

const [ana, ben, eve] = ['a-ana', 'b-ben', 'e-eve'];
const direct = { kind: 'direct', activityId: null, userA: ana, userB: ben };

describe('isDirectConversationOf', () => {
  it.each([
    ['their direct conversation', direct, [ana, ben], true],
    ['their direct conversation, the pair named the other way round', direct, [ben, ana], true],
    ['a direct conversation of another pair', { ...direct, userB: eve }, [ana, ben], false],
    ['an activity room under the same id', { kind: 'activity', activityId: 'x', userA: null, userB: null }, [ana, ben], false],
    ['a row marked direct that hangs off an activity', { ...direct, activityId: 'x' }, [ana, ben], false],
    ['a direct row stored out of order', { ...direct, userA: ben, userB: ana }, [ana, ben], false],
  ] as const)('%s → %s', (_case, row, people, expected) => {
    expect(isDirectConversationOf(row, people)).toBe(expected);
  });
});
