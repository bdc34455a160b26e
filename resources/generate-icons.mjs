// Draws the app and tray icons as PNGs with no image library: `node resources/generate-icons.mjs`.
// Tray: a filled dot per state (ok green, degraded amber, down red) and a hollow ring for disconnected.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = path.dirname(new URL(import.meta.url).pathname);

function crc32(buf) {
  let c;
  let crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      raw.set([r, g, b, Math.round(a * 255)], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const clamp = (v) => Math.max(0, Math.min(1, v));
const COLORS = { ok: [34, 197, 94], degraded: [245, 158, 11], down: [239, 68, 68], disconnected: [148, 163, 184] };

for (const size of [16, 32]) {
  for (const [state, [r, g, b]] of Object.entries(COLORS)) {
    const c = size / 2;
    const radius = size * 0.4;
    const img = png(size, (x, y) => {
      const d = Math.hypot(x - c, y - c);
      const outer = clamp(radius - d + 0.5);
      const alpha = state === 'disconnected' ? outer * clamp(d - (radius - size * 0.14) + 0.5) : outer;
      return [r, g, b, alpha];
    });
    fs.writeFileSync(path.join(dir, 'tray', `tray-${state}${size === 32 ? '@2x' : ''}.png`), img);
  }
}

// App icon: an indigo rounded square with a white ring and a green status dot.
const S = 512;
const icon = png(S, (x, y) => {
  const m = 40;
  const rad = 110;
  const qx = Math.max(m + rad - x, 0, x - (S - m - rad));
  const qy = Math.max(m + rad - y, 0, y - (S - m - rad));
  const inside = clamp(rad - Math.hypot(qx, qy) + 0.5);
  if (inside === 0) return [0, 0, 0, 0];
  const d = Math.hypot(x - S / 2, y - S / 2);
  const ring = clamp(1 - Math.abs(d - 130) / 28);
  const dot = clamp(56 - Math.hypot(x - 360, y - 360) + 0.5);
  const base = [79 - y / 12, 70 - y / 20, 229 - y / 10];
  const mix = (a, b, t) => a * (1 - t) + b * t;
  const col = base.map((v, i) => mix(mix(v, 255, ring), [34, 197, 94][i], dot));
  return [...col.map(Math.round), inside];
});
fs.writeFileSync(path.join(dir, 'icon.png'), icon);
console.log('icons written to', dir);
