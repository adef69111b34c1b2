import { describe, expect, it } from 'vitest';
import { canEditActivity, canJoinActivity, canViewActivity, type ActivityRelation } from './activity-access';

const stranger: ActivityRelation = { isOwner: false, isMember: false, isInvited: false };
const owner: ActivityRelation = { ...stranger, isOwner: true };
const member: ActivityRelation = { ...stranger, isMember: true };
const invitee: ActivityRelation = { ...stranger, isInvited: true };

describe('activity access', () => {
  it('shows public activities to everyone and private ones only to those involved', () => {
    expect(canViewActivity({ visibility: 'public', deleted: false }, stranger)).toBe(true);
    expect(canViewActivity({ visibility: 'private', deleted: false }, stranger)).toBe(false);
    for (const relation of [owner, member, invitee]) {
      expect(canViewActivity({ visibility: 'private', deleted: false }, relation)).toBe(true);
    }
  });

  it('hides deleted activities from everyone, the owner included', () => {
    expect(canViewActivity({ visibility: 'public', deleted: true }, owner)).toBe(false);
    expect(canEditActivity({ visibility: 'public', deleted: true }, owner)).toBe(false);
  });

  it('lets only the owner edit', () => {
    expect(canEditActivity({ visibility: 'public', deleted: false }, owner)).toBe(true);
    expect(canEditActivity({ visibility: 'public', deleted: false }, member)).toBe(false);
  });

  it('lets strangers join public activities but private ones only by invitation', () => {
    expect(canJoinActivity({ visibility: 'public', deleted: false }, stranger)).toBe(true);
    expect(canJoinActivity({ visibility: 'private', deleted: false }, stranger)).toBe(false);
    expect(canJoinActivity({ visibility: 'private', deleted: false }, invitee)).toBe(true);
  });
});
