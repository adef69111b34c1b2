import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { directConversationId } from './chat';
import { newRowId, RandomId } from './ids';

describe('RandomId: the ids a client may give an activity', () => {
  it.each([
    ['version 4 (crypto.randomUUID, what the page makes)', randomUUID(), true],
    ['version 7', '01890a5d-ac96-774b-bcce-b302099a8057', true],
    ['version 4, upper case', randomUUID().toUpperCase(), true],
    ['version 1', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', false],
    ['version 5', '886313e1-3b8a-5372-9b90-0c9aee199e5d', false],
    ['version 8', '0e4a7b0e-1d2f-8c3a-9b4d-5e6f7a8b9c0d', false],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000', false],
    ['version 4 with a wrong variant', '11111111-1111-4111-c111-111111111111', false],
    ['not a UUID', 'activity-1', false],
  ])('%s → %s', (_case, id, accepted) => {
    expect(RandomId.safeParse(id).success).toBe(accepted);
  });

  it('never accepts a direct conversation id, whatever the pair', async () => {
    for (let i = 0; i < 200; i++) {
      const id = await directConversationId(randomUUID(), randomUUID());
      expect(RandomId.safeParse(id).success, id).toBe(false);
    }
  });
});

describe('newRowId: version 7, in time order', () => {
  it('is a RandomId carrying its time in its first 48 bits', () => {
    const at = Date.UTC(2026, 11, 5, 7, 30, 0, 123);
    const id = newRowId(at);
    expect(RandomId.safeParse(id).success, id).toBe(true);
    expect(id[14]).toBe('7');
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts ids made in later milliseconds after earlier ones, and never repeats', () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => newRowId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 10_000 }, () => newRowId(1_700_000_000_000)));
    expect(same.size).toBe(10_000);
  });
});
