import { describe, expect, it } from 'vitest';
import type { Change } from '../../protocol';
import { changesReadableBy } from './older-pages';

const message = (kind: 'text' | 'call'): Change => ({
  entity: 'message',
  op: 'upsert',
  id: '00000000-0000-4000-8000-000000000001',
  version: 7,
  data: {
    id: '00000000-0000-4000-8000-000000000001',
    conversationId: '00000000-0000-8000-8000-000000000002',
    senderId: '00000000-0000-4000-8000-000000000003',
    senderName: 'Ana',
    kind,
    body: 'Missed voice call',
    createdAt: '2026-12-02T09:00:00.000Z',
    seq: 7,
  },
});

describe('changesReadableBy', () => {
  it.each([
    { version: 5, kind: 'call', becomes: 'text' },
    { version: 5, kind: 'text', becomes: 'text' },
    { version: 6, kind: 'call', becomes: 'call' },
    { version: undefined, kind: 'call', becomes: 'call' },
  ] as const)('a version $version page sees a $kind line as $becomes', ({ version, kind, becomes }) => {
    const [change] = changesReadableBy([message(kind)], version);
    expect(change?.entity === 'message' && change.op === 'upsert' ? change.data.kind : null).toBe(becomes);
  });
});

describe('a deleted message for older pages', () => {
  const deleted: Change = (() => {
    const change = message('text');
    return change.op === 'upsert' && change.entity === 'message' ? { ...change, data: { ...change.data, body: '', deletedAt: '2026-12-02T10:00:00.000Z' } } : change;
  })();
  it.each([
    { version: 6, body: 'This message was deleted' },
    { version: 5, body: 'This message was deleted' },
    { version: 7, body: '' },
  ])('a version $version page reads “$body”', ({ version, body }) => {
    const [change] = changesReadableBy([deleted], version);
    expect(change?.entity === 'message' && change.op === 'upsert' ? change.data.body : null).toBe(body);
  });
});

describe('a photo for older pages', () => {
  const photo = { hash: 'ab'.repeat(32), type: 'image/jpeg' as const, width: 1600, height: 1200, preview: 'data:image/jpeg;base64,AAAA' };
  const withPhoto = (body: string): Change => {
    const change = message('text');
    return change.op === 'upsert' && change.entity === 'message' ? { ...change, data: { ...change.data, body, photo } } : change;
  };
  it.each([
    { version: 6, body: '', reads: '📷 Photo' },
    { version: 6, body: 'The gate', reads: '📷 The gate' },
    { version: 7, body: '', reads: '' },
    { version: 7, body: 'The gate', reads: 'The gate' },
  ])('a version $version page reads “$reads” for a photo captioned “$body”', ({ version, body, reads }) => {
    const [change] = changesReadableBy([withPhoto(body)], version);
    expect(change?.entity === 'message' && change.op === 'upsert' ? change.data.body : null).toBe(reads);
  });
});
