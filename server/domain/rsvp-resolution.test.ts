import { describe, expect, it } from 'vitest';
import { resolveRsvp, type RsvpInput } from './rsvp-resolution';

const rsvp = (overrides: Partial<RsvpInput>): RsvpInput => ({ joinedNow: false, going: true, wasGoing: undefined, resolution: 'client-wins', ...overrides });

describe('resolveRsvp', () => {
  it('changes nothing when the server already holds the answer, whatever the strategy', () => {
    expect(resolveRsvp(rsvp({ joinedNow: true, going: true }))).toBe('unchanged');
    expect(resolveRsvp(rsvp({ joinedNow: false, going: false, wasGoing: true, resolution: 'server-wins' }))).toBe('unchanged');
  });

  it('applies an answer made on what the server still holds', () => {
    expect(resolveRsvp(rsvp({ joinedNow: false, going: true, wasGoing: false, resolution: 'server-wins' }))).toBe('apply');
    expect(resolveRsvp(rsvp({ joinedNow: false, going: true }))).toBe('apply');
  });

  it('on a change made elsewhere: server-wins keeps the server, client-wins applies', () => {
    const elsewhere = { joinedNow: true, going: false, wasGoing: false };
    expect(resolveRsvp(rsvp({ ...elsewhere, resolution: 'server-wins' }))).toBe('server-wins');
    expect(resolveRsvp(rsvp({ ...elsewhere, resolution: 'client-wins' }))).toBe('apply');
  });
});
