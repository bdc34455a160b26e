import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// @syntra/shared is TypeScript source: bundle it into main and preload instead of requiring it at run time.
const bundleShared = { externalizeDeps: { exclude: ['@syntra/shared'] } };

export default defineConfig({
  main: {
    build: { ...bundleShared, rollupOptions: { input: path.resolve(import.meta.dirname, 'src/main/index.ts') } },
  },
  // A sandboxed preload must be one CommonJS file: bundle everything (zod included), require only electron.
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: path.resolve(import.meta.dirname, 'src/preload/index.ts'),
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: path.resolve(import.meta.dirname, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: { rollupOptions: { input: path.resolve(import.meta.dirname, 'src/renderer/index.html') } },
  },
});
