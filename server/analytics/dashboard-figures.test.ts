import { describe, expect, it } from 'vitest';
import { dayFigures, daysBetween, errorGroups, experimentFigures, funnelOf, retentionByWeek, weekOf, wilsonInterval } from './dashboard-figures';

describe('dashboard figures', () => {
  it('lists the days of a range, across a month’s end', () => {
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(daysBetween('2026-12-02', '2026-12-02')).toEqual(['2026-12-02']);
  });

  it('counts daily users, and weekly users over the 7 days ending each day', () => {
    const activity = [
      { day: '2026-11-25', userId: 'a' }, // 7 days before 12-02: outside its week
      { day: '2026-11-26', userId: 'b' },
      { day: '2026-12-01', userId: 'a' },
      { day: '2026-12-02', userId: 'a' },
      { day: '2026-12-02', userId: 'c' },
    ];
    const figures = dayFigures(['2026-12-01', '2026-12-02'], activity, [{ day: '2026-12-02', sessions: 3, events: 10, errors: 1 }]);
    expect(figures).toEqual([
      { day: '2026-12-01', activeUsers: 1, weeklyActiveUsers: 2, sessions: 0, events: 0, errors: 0 },
      { day: '2026-12-02', activeUsers: 2, weeklyActiveUsers: 3, sessions: 3, events: 10, errors: 1 },
    ]);
  });

  it('counts a funnel step only after every step before it, in order', () => {
    const steps = ['signup', 'join', 'message'];
    const firsts = [
      { userId: 'all', name: 'signup', firstAt: '2026-12-01T10:00:00Z' },
      { userId: 'all', name: 'join', firstAt: '2026-12-01T10:05:00Z' },
      { userId: 'all', name: 'message', firstAt: '2026-12-01T10:06:00Z' },
      { userId: 'joined', name: 'signup', firstAt: '2026-12-01T10:00:00Z' },
      { userId: 'joined', name: 'join', firstAt: '2026-12-01T11:00:00Z' },
      // Messaged before joining (a direct chat): not the funnel's third step.
      { userId: 'direct', name: 'signup', firstAt: '2026-12-01T10:00:00Z' },
      { userId: 'direct', name: 'message', firstAt: '2026-12-01T10:01:00Z' },
      { userId: 'direct', name: 'join', firstAt: '2026-12-01T09:00:00Z' },
      // Never signed up in the range: in no step.
      { userId: 'old', name: 'join', firstAt: '2026-12-01T10:00:00Z' },
    ];
    expect(funnelOf(steps, firsts)).toEqual([
      { name: 'signup', users: 3 },
      { name: 'join', users: 2 },
      { name: 'message', users: 1 },
    ]);
  });

  it('groups errors by message, newest first, with the latest stack, the count and the people', () => {
    const rows = [
      { message: 'TypeError: b', userId: 'x', at: '2026-12-02T10:00:00Z', screen: '/chat/:chatId', stack: 'new' },
      { message: 'TypeError: a', userId: 'x', at: '2026-12-02T09:00:00Z', screen: '/', stack: null },
      { message: 'TypeError: b', userId: 'y', at: '2026-12-01T10:00:00Z', screen: '/', stack: 'old' },
      { message: 'TypeError: b', userId: 'x', at: '2026-12-01T09:00:00Z', screen: '/', stack: 'older' },
    ];
    expect(errorGroups(rows, 10)).toEqual([
      { message: 'TypeError: b', count: 3, users: 2, lastAt: '2026-12-02T10:00:00Z', screen: '/chat/:chatId', stack: 'new' },
      { message: 'TypeError: a', count: 1, users: 1, lastAt: '2026-12-02T09:00:00Z', screen: '/', stack: null },
    ]);
    expect(errorGroups(rows, 1)).toHaveLength(1);
  });

  it('groups sign-ups by their ISO week and counts who was active in each week since', () => {
    expect(weekOf('2026-12-02')).toBe('2026-11-30'); // a Wednesday
    expect(weekOf('2026-11-30T23:59:00Z')).toBe('2026-11-30');
    expect(weekOf('2026-12-06')).toBe('2026-11-30'); // Sunday ends the week
    const signUps = [
      { userId: 'a', firstAt: '2026-11-17T09:00:00Z' },
      { userId: 'b', firstAt: '2026-11-20T09:00:00Z' },
      { userId: 'c', firstAt: '2026-12-01T09:00:00Z' },
    ];
    const activity = [
      { day: '2026-11-17', userId: 'a' },
      { day: '2026-11-20', userId: 'b' },
      { day: '2026-11-24', userId: 'a' },
      { day: '2026-12-02', userId: 'a' },
      { day: '2026-12-02', userId: 'b' },
      { day: '2026-12-02', userId: 'c' },
      { day: '2026-12-02', userId: 'stranger' },
    ];
    expect(retentionByWeek(signUps, activity, '2026-12-02')).toEqual([
      { week: '2026-11-16', users: 2, retained: [2, 1, 2] },
      { week: '2026-11-30', users: 1, retained: [1] },
    ]);
  });

  it('gives a Wilson interval that stays within 0–1 and narrows with more trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 0 });
    const small = wilsonInterval(5, 10);
    const large = wilsonInterval(500, 1000);
    expect(small.low).toBeCloseTo(0.2366, 3);
    expect(small.high).toBeCloseTo(0.7634, 3);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(wilsonInterval(0, 20).low).toBe(0);
    expect(wilsonInterval(20, 20).high).toBe(1);
  });

  it('counts each user once per flag, in the variant of their first exposure, converted only after it', () => {
    const exposures = [
      { userId: 'a', flag: 'f', variant: 'on', at: '2026-12-02T10:00:00Z' },
      { userId: 'a', flag: 'f', variant: 'on', at: '2026-12-02T11:00:00Z' },
      { userId: 'b', flag: 'f', variant: 'off', at: '2026-12-02T10:00:00Z' },
      { userId: 'c', flag: 'f', variant: 'off', at: '2026-12-02T10:00:00Z' },
    ];
    const conversions = new Map([
      ['a', '2026-12-02T10:30:00Z'],
      ['b', '2026-12-02T09:00:00Z'],
    ]);
    const [figure] = experimentFigures(exposures, conversions, 'message.send');
    expect(figure!.flag).toBe('f');
    expect(figure!.variants.map(({ variant, exposed, converted }) => ({ variant, exposed, converted }))).toEqual([
      { variant: 'off', exposed: 2, converted: 0 },
      { variant: 'on', exposed: 1, converted: 1 },
    ]);
  });
});
