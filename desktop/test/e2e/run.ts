// `npm test` runs this after vitest (see scripts/run-tests.ts): the web console, built by vite and
// served by a real backend on real PostgreSQL/Redis, driven in real Chromium, with a real agent.
import fs from 'node:fs';
import net from 'node:net';
import { gitRemote } from '../../../backend/test/deploy/git-repo.js';
import { spawnAgent, startRealtimeEnv, tempDir, type AgentProcess } from '../../../backend/test/support/agent-env.js';
import { startWorkers } from '../../../backend/src/workers/index.js';
import { consoleFlows } from './console.flows.js';
import { terminalFlows } from './terminal.flows.js';
import { alertFlows } from './alerts.flows.js';
import { telemetryFlows } from './telemetry.flows.js';
import { aiFlows } from './ai.flows.js';
import { verificationFlows } from './verification.flows.js';
import { startAnthropicStandIn } from '../../../test-support/anthropic-stand-in.js';
import { createSuite, launchChromium, SCREENSHOT_DIR, screenshot } from './harness.js';

fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
// AI on, against a local stand-in of the Messages API (scripted by ai.flows.ts).
const model = await startAnthropicStandIn();
// Post-deploy verification measures every second (its flow waits for a verdict).
const env = await startRealtimeEnv({ ANTHROPIC_API_KEY: 'sk-ant-e2e', ANTHROPIC_BASE_URL: model.url, SYNTRA_VERIFY_CHECK_SECONDS: '1' });
const workers = startWorkers(env.deps, { deployTimeoutMs: 60_000 });
const browser = await launchChromium();
const agents: AgentProcess[] = [];
let result: { passed: number; failed: number };
try {
  const suite = createSuite(async (name) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    const pages = browser.contexts().flatMap((c) => c.pages());
    await Promise.all(pages.map((p, i) => screenshot(p, `failed-${slug}-${i}`)));
    for (const agent of agents) console.log(`    agent output (tail):\n${agent.output().slice(-1500)}`);
  });
  consoleFlows(suite, {
    url: env.url,
    browser,
    startAgent: async (token) => {
      const agent = await spawnAgent(env.url, token);
      agents.push(agent);
      return agent;
    },
    // A real git remote holding examples/node-hello, as a user would point a project at.
    gitRepo: () => gitRemote(tempDir('e2e-git')),
    freePort: () =>
      new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const port = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(port));
        });
      }),
  });
  terminalFlows(suite, {
    url: env.url,
    browser,
    startAgent: async (token) => {
      const agent = await spawnAgent(env.url, token);
      agents.push(agent);
      return agent;
    },
  });
  alertFlows(suite, {
    url: env.url,
    browser,
    startAgent: async (token) => {
      const agent = await spawnAgent(env.url, token);
      agents.push(agent);
      return agent;
    },
  });
  aiFlows(suite, {
    url: env.url,
    browser,
    db: env.db,
    model,
    ingest: (source, payload) =>
      env.deps.services.errorIngest.process([{ ...source, keyId: '00000000-0000-4000-8000-000000000000', eventId: String(payload.event_id), receivedAt: new Date().toISOString(), payload, clientIp: '127.0.0.1', attachments: [] }]),
    startAgent: async (token) => {
      const agent = await spawnAgent(env.url, token);
      agents.push(agent);
      return agent;
    },
  });
  // Logs, traces and metrics (issue 13): seeded through the store's writer.
  telemetryFlows(suite, { url: env.url, browser, telemetryWriter: env.deps.services.telemetryWriter, db: env.db });
  // Post-deploy verification (issue 14): the setting, and a regressed deployment's verdict live.
  verificationFlows(suite, {
    url: env.url,
    browser,
    db: env.db,
    deploymentLive: async (id) => {
      const d = await env.deps.services.deployments.findById(id);
      if (d) await env.deps.services.verification.deploymentLive(d);
    },
  });
  console.log(`\nConsole e2e (Chromium ${browser.version()}, backend ${env.url})`);
  result = await suite.run();
} finally {
  await Promise.all(agents.map((a) => a.stop()));
  await workers.close();
  await env.deps.services.deployments.queue.close();
  await browser.close();
  await env.close();
  await model.close();
}
console.log(`\nScreenshots: ${SCREENSHOT_DIR}`);
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1);
