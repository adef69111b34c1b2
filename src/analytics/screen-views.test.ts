import { describe, expect, it } from 'vitest';
import { routePatternOf } from './screen-views';

describe('screen names', () => {
  it('names a screen by its route pattern, never by a URL with ids', () => {
    expect(routePatternOf([{ route: {} }, { route: {} }, { route: {} }])).toBe('/');
    expect(routePatternOf([{ route: {} }, { route: {} }, { route: { path: 'activities/:activityId' } }])).toBe('/activities/:activityId');
    expect(routePatternOf([{ route: { path: '/login' } }])).toBe('/login');
    expect(routePatternOf([{ route: {} }, { route: {} }, { route: { path: '*' } }])).toBe('/*');
    expect(routePatternOf([{ route: { path: '/' } }, { route: { path: 'chat/' } }])).toBe('/chat');
  });
});
