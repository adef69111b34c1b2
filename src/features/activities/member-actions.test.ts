import { describe, expect, it } from 'vitest';
import type { RoleName } from '../../../protocol';
import { memberActionsFor } from './member-actions';

// mine, theirs, self → [make co-host, remove co-host, remove]
const rows: [RoleName | null, RoleName, boolean, [boolean, boolean, boolean]][] = [
  ['owner', 'member', false, [true, false, true]],
  ['owner', 'cohost', false, [false, true, true]],
  ['owner', 'owner', true, [false, false, false]],
  ['cohost', 'member', false, [false, false, true]],
  ['cohost', 'cohost', false, [false, false, false]],
  ['cohost', 'cohost', true, [false, false, false]],
  ['cohost', 'owner', false, [false, false, false]],
  ['member', 'member', false, [false, false, false]],
  [null, 'member', false, [false, false, false]],
];

describe('memberActionsFor', () => {
  it.each(rows)('%s looking at %s (self: %s)', (mine, theirs, self, expected) => {
    const actions = memberActionsFor(mine, theirs, self);
    expect([actions.makeCohost, actions.removeCohost, actions.remove]).toEqual(expected);
  });
});
