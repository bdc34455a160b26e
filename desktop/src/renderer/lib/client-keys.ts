import { contracts } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { call } from './api-client.js';

export const clientKeyKeys = {
  keys: (serviceId: string) => ['services', 'keys', serviceId] as const,
  intake: (serviceId: string) => ['services', 'intake', serviceId] as const,
};

/** A service's client keys (DSNs are public by design: every role reads them). */
export function useClientKeys(serviceId: string) {
  return useQuery({ queryKey: clientKeyKeys.keys(serviceId), queryFn: () => call(contracts.getServicesByServiceIdKeys, { params: { serviceId } }) });
}

/** Its intake: project ref, allowed browser origins, accepted and dropped counts (refreshed while shown). */
export function useIntake(serviceId: string) {
  return useQuery({ queryKey: clientKeyKeys.intake(serviceId), queryFn: () => call(contracts.getServicesByServiceIdIntake, { params: { serviceId } }), refetchInterval: 15_000 });
}

/** How to point an app at a DSN, per SDK. */
export function setupSnippets(dsn: string): Array<{ id: string; label: string; install: string; code: string }> {
  return [
    {
      id: 'node',
      label: 'Node',
      install: 'npm install @sentry/node',
      code: `// instrument.js: require it before anything else\nconst Sentry = require('@sentry/node');\n\nSentry.init({\n  dsn: '${dsn}',\n  release: process.env.GIT_COMMIT, // the deployed commit links errors to their deploy\n  environment: process.env.NODE_ENV,\n});`,
    },
    {
      id: 'browser',
      label: 'Browser JavaScript',
      install: 'npm install @sentry/browser',
      code: `import * as Sentry from '@sentry/browser';\n\nSentry.init({\n  dsn: '${dsn}',\n  release: import.meta.env.VITE_GIT_COMMIT,\n});`,
    },
    {
      id: 'python',
      label: 'Python',
      install: 'pip install sentry-sdk',
      code: `import os\nimport sentry_sdk\n\nsentry_sdk.init(\n    dsn="${dsn}",\n    release=os.environ.get("GIT_COMMIT"),\n    environment=os.environ.get("ENVIRONMENT", "production"),\n)`,
    },
  ];
}
