import { describe, expect, it } from 'vitest';
import type { RoleName } from '../../protocol';
import { decideRoleWrite, type RoleWrite } from './activity-roles';

const promote: RoleWrite = { kind: 'set-role', role: 'cohost' };
const demote: RoleWrite = { kind: 'set-role', role: 'member' };
const remove: RoleWrite = { kind: 'remove' };

type Row = [string, RoleWrite, RoleName | null, RoleName | null, string];

// write, actor's role, target's role → outcome (or refusal code)
const rows: Row[] = [
  ['organizer promotes a member', promote, 'owner', 'member', 'apply'],
  ['organizer demotes a co-host', demote, 'owner', 'cohost', 'apply'],
  ['promoting a co-host again', promote, 'owner', 'cohost', 'unchanged'],
  ['demoting a plain member', demote, 'owner', 'member', 'unchanged'],
  ['a co-host promotes', promote, 'cohost', 'member', 'organizer_only'],
  ['a member promotes', promote, 'member', 'member', 'organizer_only'],
  ['an outsider promotes', promote, null, 'member', 'organizer_only'],
  ['the organizer’s own role', demote, 'owner', 'owner', 'forbidden'],
  ['promoting someone who left', promote, 'owner', null, 'not_found'],
  ['organizer removes a member', remove, 'owner', 'member', 'apply'],
  ['organizer removes a co-host', remove, 'owner', 'cohost', 'apply'],
  ['co-host removes a member', remove, 'cohost', 'member', 'apply'],
  ['co-host removes a co-host', remove, 'cohost', 'cohost', 'organizer_only'],
  ['member removes a member', remove, 'member', 'member', 'host_only'],
  ['outsider removes a member', remove, null, 'member', 'host_only'],
  ['co-host removes the organizer', remove, 'cohost', 'owner', 'forbidden'],
  ['organizer removes themselves', remove, 'owner', 'owner', 'forbidden'],
  ['removing someone already gone', remove, 'cohost', null, 'unchanged'],
];

describe('decideRoleWrite', () => {
  it.each(rows)('%s', (_name, write, actor, target, expected) => {
    const decision = decideRoleWrite(write, { actor, target });
    expect(decision.outcome === 'refuse' ? decision.code : decision.outcome).toBe(expected);
  });
});
