import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,backend,agent,desktop}/{src,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'desktop/test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Agents the tests start (and what they spawn) open host terminals without the machine's login
    // profile: a slow or locking profile hook on a CI machine is not what the tests are about.
    env: { SYNTRA_TERMINAL_PROFILE: 'none' },
  },
});
