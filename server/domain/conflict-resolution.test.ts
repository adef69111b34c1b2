import { describe, expect, it } from 'vitest';
import type { EditableActivityFields } from '../../protocol';
import { resolveActivityEdit, type EditConflictInput } from './conflict-resolution';

const base: EditableActivityFields = {
  title: 'Run',
  description: 'Easy 5k',
  location: 'Park',
  startsAt: '2026-12-01T10:00:00.000Z',
  endsAt: null,
  capacity: null,
  visibility: 'public',
};
// Since the client loaded version 3, someone else changed the location (version 4).
const current = { ...base, location: 'Beach', version: 4, updatedAt: '2026-11-20T12:00:00.000Z' };

function edit(overrides: Partial<EditConflictInput>): EditConflictInput {
  return { strategy: undefined, current, baseVersion: 3, base, changes: { title: 'Long run' }, editedAt: '2026-11-20T13:00:00.000Z', ...overrides };
}

describe('resolveActivityEdit', () => {
  it('applies an edit made on the current version whatever the strategy', () => {
    for (const strategy of ['fail-on-conflict', 'server-wins', 'merge'] as const) {
      expect(resolveActivityEdit(edit({ strategy, baseVersion: 4 }))).toEqual({ kind: 'apply', fields: { title: 'Long run' }, resolution: 'applied' });
    }
  });

  it('applies an edit that names no base version (a REST PATCH without one) whatever the strategy', () => {
    for (const strategy of [undefined, 'fail-on-conflict', 'server-wins', 'merge'] as const) {
      expect(resolveActivityEdit(edit({ strategy, baseVersion: undefined, base: undefined }))).toEqual({
        kind: 'apply',
        fields: { title: 'Long run' },
        resolution: 'applied',
      });
    }
  });

  it('sees no conflict when only counts moved the version (nothing editable changed since the base)', () => {
    const likedMeanwhile = { ...base, version: 7, updatedAt: '2026-11-20T12:00:00.000Z' };
    expect(resolveActivityEdit(edit({ current: likedMeanwhile }))).toEqual({ kind: 'apply', fields: { title: 'Long run' }, resolution: 'applied' });
  });

  it('fails on conflict by default, naming the fields', () => {
    expect(resolveActivityEdit(edit({}))).toEqual({ kind: 'conflict', fields: ['title'] });
  });

  it('last-write-wins applies the changes over the other edit', () => {
    expect(resolveActivityEdit(edit({ strategy: 'last-write-wins' }))).toEqual({ kind: 'apply', fields: { title: 'Long run' }, resolution: 'applied' });
  });

  it('server-wins keeps the server row', () => {
    expect(resolveActivityEdit(edit({ strategy: 'server-wins' }))).toEqual({ kind: 'keep', resolution: 'server-wins' });
  });

  it("client-wins puts back the client's whole copy, undoing the other edit", () => {
    const decision = resolveActivityEdit(edit({ strategy: 'client-wins' }));
    expect(decision).toMatchObject({ kind: 'apply', resolution: 'client-wins', fields: { title: 'Long run', location: 'Park' } });
  });

  it('newest-wins compares the client edit time with the last server change', () => {
    expect(resolveActivityEdit(edit({ strategy: 'newest-wins' }))).toMatchObject({ kind: 'apply', resolution: 'newest-wins' });
    expect(resolveActivityEdit(edit({ strategy: 'newest-wins', editedAt: '2026-11-20T11:00:00.000Z' }))).toEqual({
      kind: 'keep',
      resolution: 'server-wins',
    });
  });

  it('merge keeps fields changed on one side only from both sides', () => {
    expect(resolveActivityEdit(edit({ strategy: 'merge' }))).toEqual({ kind: 'apply', fields: { title: 'Long run' }, resolution: 'merged' });
  });

  it('merge falls back to the default (fail-on-conflict) for a field changed on both sides', () => {
    expect(resolveActivityEdit(edit({ strategy: 'merge', changes: { title: 'Long run', location: 'Lake' } }))).toEqual({
      kind: 'conflict',
      fields: ['location'],
    });
    // The same value on both sides is no clash.
    expect(resolveActivityEdit(edit({ strategy: 'merge', changes: { location: 'Beach' } }))).toEqual({ kind: 'keep', resolution: 'merged' });
  });
});
