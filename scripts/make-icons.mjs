// Draws Rally's app icons (a white rally flag on a coral gradient) and writes them as PNGs into
// public/icons/. The PNG encoder is written out here (zlib + CRC32) so the icons can be rebuilt
// with nothing but Node: `node scripts/make-icons.mjs`.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');

const GRADIENT_FROM = [255, 122, 69]; // top-left
const GRADIENT_TO = [232, 54, 79]; // bottom-right
const WHITE = [255, 255, 255];

// ---- PNG encoding -------------------------------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** rgba: Uint8Array of size*size*4, straight (not premultiplied) alpha. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const rowStart = y * (size * 4 + 1);
    rows[rowStart] = 0; // filter: none
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), rowStart + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes (unit square coordinates, 0..1) ------------------------------------------------

function insideRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function insideCapsule(x, y, left, right, top, bottom) {
  const r = (right - left) / 2;
  const cx = left + r;
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function insidePolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The flag glyph, drawn in a 0..1 box and scaled about the centre by `scale`. */
function insideFlag(x, y, scale) {
  const u = (x - 0.5) / scale + 0.5;
  const v = (y - 0.5) / scale + 0.5;
  const pole = insideCapsule(u, v, 0.285, 0.355, 0.18, 0.82);
  const cloth = insidePolygon(u, v, [
    [0.34, 0.21],
    [0.76, 0.21],
    [0.64, 0.375],
    [0.76, 0.54],
    [0.34, 0.54],
  ]);
  return pole || cloth;
}

/** Shortcut glyph for "New activity": a plus sign. */
function insidePlus(x, y) {
  const bar = (a, b) => a >= 0.25 && a <= 0.75 && b >= 0.44 && b <= 0.56;
  return bar(x, y) || bar(y, x);
}

/** Shortcut glyph for "Chats": a speech bubble with its tail at the bottom left. */
function insideBubble(x, y) {
  const body = x >= 0.22 && x <= 0.78 && y >= 0.24 && y <= 0.64 && insideRoundedRect(x, y, 0.22, 0.78, 0.24, 0.64, 0.1);
  const tail = insidePolygon(x, y, [
    [0.3, 0.6],
    [0.3, 0.8],
    [0.5, 0.6],
  ]);
  return body || tail;
}

function insideRoundedRect(x, y, left, right, top, bottom, radius) {
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

// ---- Rendering ----------------------------------------------------------------------------

const SUBSAMPLES = 4;

/**
 * maskable: fill the whole square (the platform crops it) and keep the glyph inside the 80% safe
 * zone; otherwise draw a rounded square with transparent corners.
 */
function renderIcon(size, { maskable, glyph: insideGlyph = insideFlag }) {
  const rgba = new Uint8Array(size * size * 4);
  const glyphScale = maskable ? 0.72 : 0.9;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let background = 0;
      let glyph = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
          const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
          if (maskable || insideRoundedSquare(x, y, 0.22)) {
            background++;
            if (insideGlyph(x, y, glyphScale)) glyph++;
          }
        }
      }
      const samples = SUBSAMPLES * SUBSAMPLES;
      const t = (px + py) / (2 * size);
      const gradient = GRADIENT_FROM.map((from, i) => from + (GRADIENT_TO[i] - from) * t);
      const glyphShare = background === 0 ? 0 : glyph / background;
      const offset = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) {
        rgba[offset + i] = Math.round(gradient[i] * (1 - glyphShare) + WHITE[i] * glyphShare);
      }
      rgba[offset + 3] = Math.round((255 * background) / samples);
    }
  }
  return encodePng(size, rgba);
}

const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  // iOS masks the icon itself and shows transparency as black, so it gets the full-bleed art.
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
  // The manifest's shortcuts (long-press on the installed icon): same tile, the action's glyph.
  { file: 'shortcut-new-activity-96.png', size: 96, maskable: false, glyph: insidePlus },
  { file: 'shortcut-chats-96.png', size: 96, maskable: false, glyph: insideBubble },
];

mkdirSync(outDir, { recursive: true });
for (const { file, size, maskable, glyph } of icons) {
  writeFileSync(join(outDir, file), renderIcon(size, { maskable, ...(glyph ? { glyph } : {}) }));
  console.log(`wrote public/icons/${file}`);
}
