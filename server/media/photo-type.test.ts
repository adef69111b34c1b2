import { describe, expect, it } from 'vitest';
import { sniffPhotoType } from './photo-type';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((value) => (typeof value === 'string' ? [...value].map((char) => char.charCodeAt(0)) : [value])));

describe('sniffPhotoType', () => {
  it.each([
    ['a JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0x10, 'Exif'), 'image/jpeg'],
    ['a PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'IHDR'), 'image/png'],
    ['a GIF89a', bytes('GIF89a', 1, 0, 1, 0), 'image/gif'],
    ['a GIF87a', bytes('GIF87a', 1, 0, 1, 0), 'image/gif'],
    ['a WebP', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '), 'image/webp'],
  ])('knows %s', (_name, file, type) => {
    expect(sniffPhotoType(file)).toBe(type);
  });

  it.each([
    ['an empty file', bytes()],
    ['a truncated JPEG', bytes(0xff, 0xd8)],
    ['a PNG signature cut short', bytes(0x89, 'PNG', 0x0d, 0x0a)],
    ['a GIF of an unknown version', bytes('GIF88a', 1, 0)],
    ['a WAV (RIFF but not WEBP)', bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt ')],
    ['an SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['HTML named .png', bytes('<!doctype html><script>alert(1)</script>')],
    ['a PDF', bytes('%PDF-1.7')],
    ['JPEG magic not at the start', bytes(0, 0xff, 0xd8, 0xff, 0xe0)],
  ])('refuses %s', (_name, file) => {
    expect(sniffPhotoType(file)).toBeNull();
  });
});
