import { describe, expect, it } from 'vitest';
import { AnalyticsProps } from '../../protocol/analytics';
import { cleanProps, describeError } from './event-shape';

describe('event shape', () => {
  it('keeps only flat props the contract accepts, at most 20', () => {
    const props = cleanProps({ ok: 'x'.repeat(300), n: 3, yes: true, nested: { a: 1 }, nan: Number.NaN, 'bad key': 1, list: [1] });
    expect(props).toEqual({ ok: 'x'.repeat(200), n: 3, yes: true });
    const many = cleanProps(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])));
    expect(Object.keys(many)).toHaveLength(20);
    expect(AnalyticsProps.safeParse(many).success).toBe(true);
  });

  it('describes an error by name, message and stack, cut to size, and anything else by its text', () => {
    const error = new TypeError('x is undefined');
    expect(describeError(error)).toEqual({ message: 'TypeError: x is undefined', stack: error.stack!.slice(0, 4000) });
    expect(describeError('plain')).toEqual({ message: 'plain' });
    expect(describeError({ code: 7 })).toEqual({ message: '{"code":7}' });
    expect(describeError(undefined)).toEqual({ message: 'undefined' });
    expect(describeError('y'.repeat(2000)).message).toHaveLength(1000);
  });
});
