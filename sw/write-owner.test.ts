import { describe, expect, it } from 'vitest';
import { withoutCredentials, writerOf } from './write-owner';

const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const tokenFor = (sub: string) => `Bearer eyJhbGciOiJIUzI1NiJ9.${base64url(JSON.stringify({ sub, name: 'Zoë ~?>' }))}.sig`;

describe('writerOf', () => {
  it('prefers what the worker recorded, then the page header, then the token', () => {
    const headers = new Headers({ 'X-Rally-Writer': 'page-user', Authorization: tokenFor('token-user') });
    expect(writerOf(headers, { userId: 'recorded' })).toBe('recorded');
    expect(writerOf(headers, undefined)).toBe('page-user');
    expect(writerOf(new Headers({ Authorization: tokenFor('token-user') }), undefined)).toBe('token-user');
  });

  it('names nobody when nothing says who wrote it', () => {
    expect(writerOf(new Headers(), undefined)).toBeNull();
    expect(writerOf(new Headers({ Authorization: 'Bearer garbage' }), {})).toBeNull();
  });
});

describe('withoutCredentials', () => {
  it('keeps the write and drops the token', async () => {
    const original = new Request('http://localhost/api/mutations', {
      method: 'POST',
      headers: { Authorization: tokenFor('u'), 'Content-Type': 'application/json', 'X-Rally-Writer': 'u' },
      body: '{"a":1}',
    });
    const stored = withoutCredentials(original, '{"a":1}');
    expect(stored.headers.get('Authorization')).toBeNull();
    expect(stored.headers.get('X-Rally-Writer')).toBe('u');
    expect(await stored.text()).toBe('{"a":1}');
  });
});
