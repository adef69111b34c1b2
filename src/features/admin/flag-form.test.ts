import { describe, expect, it } from 'vitest';
import { draftOf, targetingOf, type AdminFlag } from './flag-form';

const websocket: AdminFlag = { key: 'websocket-enabled', type: 'boolean', defaultValue: true, description: '', targeting: null, updatedAt: null };

describe('the admin flag form', () => {
  it('starts a never-set boolean flag off, with "on" meaning the opposite of its default', () => {
    expect(draftOf(websocket)).toEqual({ enabled: false, onValue: 'false', rolloutPercent: '100', userIds: '', variants: [] });
  });

  it('round-trips stored targeting through the fields', () => {
    const targeting = { enabled: true, onValue: true, rolloutPercent: 25, userIds: ['u1', 'u2'], variants: [{ name: 'A', value: false, weight: 1 }, { name: 'B', value: true, weight: 3 }] };
    const flag = { ...websocket, targeting };
    expect(targetingOf(flag, draftOf(flag))).toEqual({ targeting });
  });

  it('reads user ids one per line or comma-separated, once each', () => {
    const result = targetingOf(websocket, { ...draftOf(websocket), userIds: 'a\nb, c\n\na' });
    expect(result).toMatchObject({ targeting: { userIds: ['a', 'b', 'c'] } });
  });

  it('names every field a person got wrong', () => {
    const number: AdminFlag = { ...websocket, type: 'number', defaultValue: 3 };
    const result = targetingOf(number, { enabled: true, onValue: 'many', rolloutPercent: '120', userIds: '', variants: [{ name: '', value: '1', weight: '1' }] });
    expect(result).toEqual({ errors: { onValue: 'Must be a number', rolloutPercent: 'Must be from 0 to 100', variants: 'Each variant needs a name, a number value and a weight of 0 or more' } });
  });
});
