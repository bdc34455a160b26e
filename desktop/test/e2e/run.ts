// `npm test` runs this after vitest (see scripts/run-tests.ts): the web console, built by vite and
// served by a real backend on real PostgreSQL/Redis, driven in real Chromium, with a real agent.
import { spawnAgent, startRealtimeEnv, type AgentProcess } from '../../../backend/test/support/agent-env.js';
import { consoleFlows } from './console.flows.js';
import { createSuite, launchChromium, SCREENSHOT_DIR, screenshot } from './harness.js';

const env = await startRealtimeEnv();
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
  });
  console.log(`\nConsole e2e (Chromium ${browser.version()}, backend ${env.url})`);
  result = await suite.run();
} finally {
  await Promise.all(agents.map((a) => a.stop()));
  await browser.close();
  await env.close();
}
console.log(`\nScreenshots: ${SCREENSHOT_DIR}`);
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1);
