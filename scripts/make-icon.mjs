// Draws media/icon.png (the Marketplace icon, 128x128): a speech bubble on a rounded square.
// Written as a script, not a binary checked in from nowhere, so the icon can be changed and redrawn
// with `node scripts/make-icon.mjs`; needs nothing but node:zlib.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ROOT } from './lib/paths.mjs';

const SIZE = 128;
const SAMPLES = 4; // 4x4 supersampling per pixel for smooth edges

/** Signed distance to a rounded rectangle centred at (cx, cy); negative inside. */
function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function circle(x, y, cx, cy, r) {
  return Math.hypot(x - cx, y - cy) - r;
}

/** Inside the triangle that forms the bubble's tail. */
function inTail(x, y) {
  const [ax, ay, bx, by, cx, cy] = [40, 84, 62, 84, 34, 106];
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}

/** Colour of one sample point: [r, g, b, a] in 0..1. */
function shade(x, y) {
  if (roundedRect(x, y, 64, 64, 60, 60, 26) > 0) {
    return [0, 0, 0, 0];
  }
  // Background: a diagonal teal-to-indigo gradient.
  const t = (x + y) / (2 * SIZE);
  const background = [0.05 + 0.2 * t, 0.6 - 0.3 * t, 0.62 + 0.2 * t, 1];
  const inBubble = roundedRect(x, y, 64, 60, 40, 28, 16) <= 0 || inTail(x, y);
  if (!inBubble) {
    return background;
  }
  for (const dotX of [46, 64, 82]) {
    if (circle(x, y, dotX, 60, 6.5) <= 0) {
      return background;
    }
  }
  return [1, 1, 1, 1];
}

function render() {
  const rows = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4); // leading 0: PNG filter type "none"
    for (let px = 0; px < SIZE; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [sr, sg, sb, sa] = shade(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          r += sr * sa;
          g += sg * sa;
          b += sb * sa;
          a += sa;
        }
      }
      const offset = 1 + px * 4;
      const n = SAMPLES * SAMPLES;
      // Un-premultiply so edge pixels keep their colour and only lose opacity.
      row[offset] = a > 0 ? Math.round((r / a) * 255) : 0;
      row[offset + 1] = a > 0 ? Math.round((g / a) * 255) : 0;
      row[offset + 2] = a > 0 ? Math.round((b / a) * 255) : 0;
      row[offset + 3] = Math.round((a / n) * 255);
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(render(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const target = join(ROOT, 'media', 'icon.png');
writeFileSync(target, encodePng());
console.log(`wrote ${target}`);
