import { describe, expect, it } from 'vitest';
import { isRefreshCookieSecure } from './refresh-cookie';

describe('isRefreshCookieSecure', () => {
  it.each([
    ['auto', 'http', '127.0.0.1', false],
    ['auto', 'http', '127.1.2.3', false],
    ['auto', 'http', 'localhost', false],
    ['auto', 'http', 'app.localhost', false],
    ['auto', 'http', '[::1]', false],
    ['auto', 'https', '127.0.0.1', true],
    ['auto', 'http', 'rally.example', true],
    ['auto', 'http', '192.168.1.20', true],
    ['auto', 'http', '127.0.0.1.example', true],
    ['auto', 'http', 'localhost.example', true],
    ['auto', 'http', '', true],
    ['auto', 'https', 'rally.example', true],
    [true, 'http', '127.0.0.1', true],
    [false, 'https', 'rally.example', false],
  ] as const)('%s, %s://%s → Secure %s', (setting, protocol, hostname, expected) => {
    expect(isRefreshCookieSecure(setting, { protocol, hostname })).toBe(expected);
  });
});
