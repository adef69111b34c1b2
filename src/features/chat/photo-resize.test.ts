import { describe, expect, it } from 'vitest';
import { PHOTO_MAX_SIDE, PHOTO_PREVIEW_SIDE } from '../../../protocol/photos';
import { bubblePhotoSize, fitWithin } from './photo-resize';

describe('fitWithin', () => {
  it.each([
    ['a landscape phone photo', 4032, 3024, PHOTO_MAX_SIDE, { width: 1600, height: 1200 }],
    ['a portrait phone photo', 3024, 4032, PHOTO_MAX_SIDE, { width: 1200, height: 1600 }],
    ['a square', 2000, 2000, PHOTO_MAX_SIDE, { width: 1600, height: 1600 }],
    ['exactly the limit', 1600, 900, PHOTO_MAX_SIDE, { width: 1600, height: 900 }],
    ['a small image (never enlarged)', 640, 480, PHOTO_MAX_SIDE, { width: 640, height: 480 }],
    ['a panorama (the short side rounds, never to 0)', 12000, 5, PHOTO_MAX_SIDE, { width: 1600, height: 1 }],
    ['an odd size (rounded)', 1999, 1001, PHOTO_MAX_SIDE, { width: 1600, height: 801 }],
    ['the preview of a landscape photo', 4032, 3024, PHOTO_PREVIEW_SIDE, { width: 64, height: 48 }],
    ['the preview of a tall screenshot', 1170, 2532, PHOTO_PREVIEW_SIDE, { width: 30, height: 64 }],
  ])('%s', (_name, width, height, max, expected) => {
    expect(fitWithin(width, height, max)).toEqual(expected);
  });

  it('refuses an image with no size', () => {
    expect(() => fitWithin(0, 100, PHOTO_MAX_SIDE)).toThrow(RangeError);
    expect(() => fitWithin(100, Number.NaN, PHOTO_MAX_SIDE)).toThrow(RangeError);
  });
});

describe('bubblePhotoSize', () => {
  it.each([
    ['a landscape photo fills the width', { width: 1600, height: 1200 }, { width: 240, height: 180 }],
    ['a portrait photo is held by the height', { width: 1200, height: 1600 }, { width: 225, height: 300 }],
    ['a tall screenshot', { width: 739, height: 1600 }, { width: 139, height: 300 }],
    ['a tiny image stays a touch target', { width: 16, height: 16 }, { width: 88, height: 44 }],
    ['a small image is not enlarged', { width: 200, height: 100 }, { width: 200, height: 100 }],
  ])('%s', (_name, photo, expected) => {
    expect(bubblePhotoSize(photo)).toEqual(expected);
  });
});
