/** Setup snippets for a DSN, by SDK: what a newcomer pastes to see their first error here. */
export const SDK_SNIPPETS = [
  {
    id: 'node',
    label: 'Node.js',
    install: 'npm install @sentry/node',
    code: (dsn: string) => `// instrument.js — require it before anything else (node --require ./instrument.js app.js)
const Sentry = require('@sentry/node');

Sentry.init({
  dsn: '${dsn}',
  environment: process.env.NODE_ENV ?? 'production',
  // The commit sha links each event to the exact deployment (else it is matched by time).
  release: process.env.GIT_COMMIT,
});`,
  },
  {
    id: 'browser',
    label: 'Browser JavaScript',
    install: 'npm install @sentry/browser',
    code: (dsn: string) => `import * as Sentry from '@sentry/browser';

Sentry.init({
  dsn: '${dsn}',
  environment: 'production',
  release: import.meta.env.VITE_GIT_COMMIT,
});`,
  },
  {
    id: 'python',
    label: 'Python',
    install: 'pip install sentry-sdk',
    code: (dsn: string) => `import os
import sentry_sdk

sentry_sdk.init(
    dsn="${dsn}",
    environment=os.environ.get("ENVIRONMENT", "production"),
    release=os.environ.get("GIT_COMMIT"),
)`,
  },
] as const;
