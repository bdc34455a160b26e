#!/usr/bin/env node
// The `syntra` command: the compiled release (dist/syntra/syntra.mjs, made by `npm run build`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/syntra/syntra.mjs');
if (!fs.existsSync(entry)) {
  console.error('syntra: the release is not built: run `npm run build` (or `npm start`, which builds when needed)');
  process.exit(1);
}
await import(entry);
