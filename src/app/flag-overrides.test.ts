import { describe, expect, it } from 'vitest';
import type { Provider } from '@openfeature/web-sdk';
import { overridesIn, withOverrides } from './flag-overrides';

describe('development flag overrides', () => {
  it('reads ?flag.<name>=<value> typed by the flag, ignoring unknown flags and unreadable values', () => {
    expect(overridesIn('?flag.chat-photos=true&flag.websocket-enabled=0&flag.nope=true&flag.chat-reactions=maybe&other=1')).toEqual({
      'chat-photos': true,
      'websocket-enabled': false,
    });
  });

  it('keeps earlier overrides of the tab, and drops one given no value', () => {
    expect(overridesIn('?flag.chat-photos=', { 'chat-photos': true, 'chat-reactions': true })).toEqual({ 'chat-reactions': true });
  });

  it('answers overridden flags itself and asks the real provider for the rest', () => {
    const asked: string[] = [];
    const inner = {
      metadata: { name: 'OFREP' },
      resolveBooleanEvaluation: (key: string) => (asked.push(key), { value: false, reason: 'TARGETING_MATCH' }),
    } as unknown as Provider;
    const provider = withOverrides(inner, { 'chat-photos': true });
    const logger = console;
    expect(provider.resolveBooleanEvaluation('chat-photos', false, {}, logger)).toEqual({ value: true, reason: 'STATIC', variant: 'override' });
    expect(provider.resolveBooleanEvaluation('chat-reactions', false, {}, logger)).toEqual({ value: false, reason: 'TARGETING_MATCH' });
    expect(asked).toEqual(['chat-reactions']);
    expect(withOverrides(inner, {})).toBe(inner);
  });
});
