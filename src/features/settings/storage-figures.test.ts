import { describe, expect, it } from 'vitest';
import { describeStorage, formatBytes } from './storage-figures';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [640, '640 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [3_240_000, '3.2 MB'],
    [42_600_000, '43 MB'],
    [1_200_000_000, '1.2 GB'],
    [-5, '0 B'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('describeStorage', () => {
  it('says what is used, what is available and whether the browser keeps it', () => {
    expect(describeStorage({ usage: 3_240_000, quota: 1_200_000_000, persisted: true })).toBe(
      'Storage: 3.2 MB used of 1.2 GB available · kept: yes',
    );
    expect(describeStorage({ usage: 640, quota: 1_200_000_000, persisted: false })).toBe('Storage: 640 B used of 1.2 GB available · kept: no');
  });
});
