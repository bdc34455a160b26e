// The co-pilot in the console (issue 15), against a local stand-in of the Messages API that the
// backend reaches through the real Anthropic SDK (ANTHROPIC_BASE_URL). The stand-in is scripted per
// flow: which tool the "model" calls, what it answers once it has the tool's output.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { contracts } from '@syntra/shared';
import type { Knex } from 'knex';
import { gitRemote } from '../../../backend/test/deploy/git-repo.js';
import { tempDir } from '../../../backend/test/support/agent-env.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AnthropicStandIn } from '../../../test-support/anthropic-stand-in.js';
import { callAs, expect, screenshot } from './harness.js';

interface Ctx {
  url: string;
  browser: Browser;
  db: Knex;
  model: AnthropicStandIn;
  startAgent(token: string): Promise<{ dataDir: string }>;
  /** Stores Sentry events as the intake would (the error module's processor). */
  ingest(source: { orgId: string; projectId: string; serviceId: string }, payload: Record<string, unknown>): Promise<void>;
}

type Suite = { test(name: string, fn: () => Promise<void>): void };

export function aiFlows(suite: Suite, ctx: Ctx) {
  const { url } = ctx;
  let context: BrowserContext;
  let page: Page;
  let orgId = '';
  let serverId = '';
  let serviceId = '';
  let firstDeployment = '';
  let projectId = '';
  let agentDataDir = '';

  suite.test('co-pilot: register, and the organisation has a server and a service with two deployments', async () => {
    context = await ctx.browser.newContext({ viewport: { width: 1360, height: 860 } });
    page = await context.newPage();
    if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`    [page] ${m.text()}`));
    await page.goto(`${url}/register`);
    await page.getByLabel('Name').fill('Ada Asker');
    await page.getByLabel('Email').fill(`asker-${Math.random().toString(36).slice(2, 8)}@example.com`);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const me = await callAs(page, url, contracts.getAuthMe, {});
    orgId = me.body.data.orgs[0]!.id;
    // A server with its agent connected (approving a rollback sends it there), a project and a service on it.
    const server = await callAs(page, url, contracts.postServers, { body: { name: 'api-box' }, orgId });
    serverId = server.body.data.server.id;
    agentDataDir = (await ctx.startAgent(server.body.data.agent_token)).dataDir;
    for (let i = 0; i < 100 && (await callAs(page, url, contracts.getServersByServerId, { params: { serverId } })).body.data.status !== 'online'; i++) await new Promise((r) => setTimeout(r, 200));
    const project = await callAs(page, url, contracts.postProjects, { body: { name: 'Shop', git_repo_url: 'https://github.com/acme/shop.git' }, orgId });
    const service = await callAs(page, url, contracts.postProjectsByProjectIdServices, { params: { projectId: project.body.data.id }, body: { name: 'checkout', server_id: serverId } });
    serviceId = service.body.data.id;
    projectId = project.body.data.id;
    const ids: string[] = [];
    for (const tag of ['1', '2']) {
      const [artifact] = await ctx.db('artifacts').insert({ org_id: orgId, service_id: serviceId, kind: 'image', image_ref: `acme/checkout:${tag}`, digest: `ref:acme/checkout:${tag}` }).returning('id');
      const [d] = await ctx.db('deployments').insert({ service_id: serviceId, status: 'running', artifact_id: artifact!.id, finished_at: new Date() }).returning('id');
      ids.push(d!.id);
    }
    firstDeployment = ids[0]!;
    await ctx.db('services').where({ id: serviceId }).update({ current_deployment_id: ids[1]! });
  });

  suite.test('co-pilot: ask a question whose answer needs a tool call; see what the AI saw and follow the cited page', async () => {
    ctx.model.reply = (_req, n) =>
      n % 2 === 0
        ? { content: [{ type: 'text', text: 'Let me check your servers.' }, { type: 'tool_use', name: 'list_servers', input: {} }] }
        : { content: [{ type: 'text', text: `One server, **online**: [api-box](/servers/${serverId}).` }] };
    ctx.model.requests.length = 0;
    await page.getByRole('link', { name: 'Co-pilot' }).click();
    await page.getByRole('heading', { name: 'Co-pilot' }).waitFor();
    await page.getByTestId('ai-suggestions').waitFor();
    await page.getByLabel('Ask the co-pilot').fill('Which of my servers are online?');
    await page.keyboard.press('Enter');
    const card = page.getByTestId('ai-tool-card').first();
    await card.waitFor();
    await page.getByTestId('ai-cited-link').waitFor();
    expect((await page.getByTestId('ai-answer').last().textContent())?.includes('One server, online'), 'the streamed answer');
    await card.getByRole('button').click();
    expect((await card.getByTestId('ai-tool-output').textContent())?.includes('api-box'), 'the tool card shows what the model was given');
    expect(ctx.model.requests.length === 2, 'one model turn for the tool call, one for the answer');
    await screenshot(page, 'ai-01-copilot-answer');
    expect(/\/ai\/[0-9a-f-]{36}$/.test(page.url()), 'the new conversation has its own address');
    await page.getByRole('navigation', { name: 'Conversations' }).getByText('Which of my servers are online?').waitFor();
    await page.getByTestId('ai-cited-link').click();
    await page.waitForURL(`**/servers/${serverId}`);
    await page.goBack();
    await page.getByTestId('ai-tool-card').first().waitFor();
  });

  suite.test('co-pilot: a proposed rollback runs only when approved, and links to its deployment', async () => {
    ctx.model.reply = (_req, n) =>
      n === 0
        ? { content: [{ type: 'tool_use', name: 'propose_rollback', input: { service_id: serviceId, deployment_id: firstDeployment } }] }
        : { content: [{ type: 'text', text: 'I have proposed the rollback of checkout; approve it above to run it.' }] };
    ctx.model.requests.length = 0;
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel('Ask the co-pilot').fill('Roll checkout back to the previous version');
    await page.getByRole('button', { name: 'Ask' }).click();
    const proposal = page.getByTestId('ai-proposal');
    await proposal.waitFor();
    expect((await proposal.getAttribute('data-status')) === 'pending', 'pending until approved');
    const before = await ctx.db('deployments').where({ service_id: serviceId }).count({ n: '*' }).first();
    expect(Number(before!.n) === 2, 'proposing deployed nothing');
    await page.getByText('I have proposed the rollback').waitFor();
    await screenshot(page, 'ai-02-proposal');
    await proposal.getByRole('button', { name: 'Approve' }).click();
    await page.locator('[data-testid="ai-proposal"][data-status="approved"]').waitFor();
    const rollback = await ctx.db('deployments').where({ service_id: serviceId, trigger_type: 'rollback' }).first();
    expect(rollback?.rollback_from_id === firstDeployment, 'the rollback deployment exists, from the proposed target');
    await page.getByRole('link', { name: 'Follow the deployment' }).click();
    await page.waitForURL(`**/deployments/${rollback!.id}`);
  });

  suite.test('co-pilot: analyse an issue and read the panel, with what the AI saw', async () => {
    await ctx.ingest({ orgId, projectId, serviceId }, {
      event_id: crypto.randomUUID().replace(/-/g, ''),
      platform: 'node',
      level: 'error',
      timestamp: Date.now() / 1000,
      exception: { values: [{ type: 'TypeError', value: "Cannot read properties of undefined (reading 'price')", stacktrace: { frames: [{ filename: '/srv/app/src/cart.js', function: 'applyDiscount', lineno: 3, in_app: true, context_line: '  return item.price * 0.9;', pre_context: [], post_context: [] }] } }] },
      tags: { route: '/cart' },
    });
    const issues = await callAs(page, url, contracts.getProjectsByProjectIdIssues, { params: { projectId }, query: {} as never });
    const issueId = issues.body.data.items[0]!.id;
    ctx.model.requests.length = 0;
    ctx.model.reply = () => ({
      content: [{
        type: 'tool_use',
        name: 'submit_analysis',
        input: {
          root_cause: 'applyDiscount reads price of an item that does not exist.',
          why_now: 'The latest deploy changed how the discounted item is found.',
          suggested_fix: 'Guard against a missing item: `if (!item) return total;`',
          severity: 'high',
          affected_scope: 'Checkouts of carts without a discounted item.',
          evidence: [{ kind: 'stack_frame', label: 'src/cart.js:3 in applyDiscount', detail: 'item is undefined' }],
        },
      }],
    });
    await page.goto(`${url}/ai/issues/${issueId}`);
    const panel = page.getByTestId('ai-analysis-panel');
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Analyse with AI' }).click();
    await page.locator('[data-testid="ai-analysis-panel"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('ai-root-cause').textContent())?.includes('applyDiscount reads price'), 'the root cause');
    expect((await page.getByTestId('ai-suggested-fix').textContent())?.includes('if (!item) return total;'), 'the suggested fix');
    expect((await page.getByTestId('ai-evidence').textContent())?.includes('src/cart.js:3'), 'the evidence');
    await page.getByTestId('ai-what-it-saw').click();
    await page.getByText('Stack trace (latest event)').waitFor();
    expect(JSON.stringify(ctx.model.requests[0]?.body).includes('applyDiscount'), 'the model was sent the stack');
    await screenshot(page, 'ai-03-analysis');
  });

  suite.test('co-pilot: a suggested question on an empty conversation is asked as it reads', async () => {
    ctx.model.requests.length = 0;
    ctx.model.reply = () => ({ content: [{ type: 'text', text: 'No deployment failed recently.' }] });
    await page.goto(`${url}/ai`);
    await page.getByTestId('ai-suggestions').getByRole('button', { name: 'What failed in the last deployments?' }).click();
    await page.getByText('No deployment failed recently.').waitFor();
    expect(JSON.stringify(ctx.model.requests[0]?.body.messages ?? []).includes('What failed in the last deployments?'), 'the suggestion went to the model as the question');
  });

  suite.test('co-pilot: the service wizard offers a generated Dockerfile when the build type cannot be detected, and saves it', async () => {
    // A Python repository (nothing the builder detects), and a first service of its project whose
    // git mirror is on the agent where its first build would have left it.
    const repo = gitRemote(tempDir('e2e-ai-git'));
    for (const f of ['package.json', 'server.js']) fs.rmSync(path.join(repo.work, f));
    repo.commitAndPush({ 'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' }, 'a Flask app');
    // The project names an https remote: this flow's organisation is not the installation's admin
    // org once other flows ran first (file:// is the admin org's only), and the wizard reads the mirror.
    const project = await callAs(page, url, contracts.postProjects, { body: { name: 'Pyshop', git_repo_url: 'https://github.com/acme/pyshop.git' }, orgId });
    expect(project.status === 201, `the project was created: ${JSON.stringify(project.body)}`);
    const web = await callAs(page, url, contracts.postProjectsByProjectIdServices, { params: { projectId: project.body.data.id }, body: { name: 'web', server_id: serverId } });
    fs.mkdirSync(path.join(agentDataDir, 'git-cache'), { recursive: true });
    execFileSync('git', ['clone', '-q', '--mirror', repo.bare, path.join(agentDataDir, 'git-cache', `${web.body.data.id}.git`)]);
    const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nUSER 1000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n';
    ctx.model.requests.length = 0;
    ctx.model.reply = () => ({ content: [{ type: 'tool_use', name: 'submit_dockerfile', input: { dockerfile, dockerignore: '.git\n.env\n', explanation: 'A Flask app served by gunicorn on port 8000.' } }] });

    await page.goto(`${url}/projects/${project.body.data.id}`);
    await page.getByRole('button', { name: 'New service' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New service' });
    await dialog.getByLabel('Name').fill('api');
    await dialog.getByRole('button', { name: 'Create service' }).click();
    await page.locator('[data-testid="build-check"][data-state="undetected"]').waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('build-check').textContent())?.includes('Could not detect how to build this source'), 'the wizard says why');
    await page.getByRole('button', { name: 'Generate a Dockerfile with AI' }).click();
    await page.getByText('A Flask app served by gunicorn').waitFor();
    expect(ctx.model.sentText().includes('flask==3.0.0'), 'the model was shown the manifests');
    await screenshot(page, 'ai-05-wizard-dockerfile');
    await page.getByRole('button', { name: "Save as the service's Dockerfile" }).click();
    await page.getByText('Saved: the next deploy builds it.').waitFor();
    await page.getByRole('button', { name: 'Open the service' }).click();
    await page.waitForURL(/\/services\/[0-9a-f-]{36}$/);
    const apiId = page.url().split('/').pop()!;
    const saved = await ctx.db('service_dockerfiles').where({ service_id: apiId }).first();
    expect(saved?.dockerfile === dockerfile, 'the Dockerfile is saved as the new service\'s');
  });

  suite.test('co-pilot: the service page restarts a running service after asking, without a deployment', async () => {
    const before = await ctx.db('deployments').where({ service_id: serviceId }).count({ n: '*' }).first();
    await page.goto(`${url}/services/${serviceId}`);
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Restart checkout?' });
    await confirm.getByText('Nothing is rebuilt').waitFor();
    await confirm.getByRole('button', { name: 'Restart', exact: true }).click();
    await page.getByTestId('restart-requested').waitFor();
    const command = await ctx.db('agent_commands').where({ server_id: serverId, name: 'service.restart' }).first();
    expect(command?.payload?.args?.service_id === serviceId, 'the restart command went to the service\'s server');
    const after = await ctx.db('deployments').where({ service_id: serviceId }).count({ n: '*' }).first();
    expect(Number(after!.n) === Number(before!.n), 'a restart is not a deployment');
  });

  suite.test('co-pilot: with AI off the console says so and how to turn it on', async () => {
    const off = await ctx.browser.newContext({ storageState: await context.storageState() });
    try {
      const p = await off.newPage();
      // This installation has AI on; the page is shown what one without ANTHROPIC_API_KEY answers.
      await off.route(`**${contracts.getAiConversations.path}`, (route) =>
        route.fulfill({ status: 409, json: { success: false, error: { code: 'AI_DISABLED', message: 'AI is off on this installation', request_id: 'e2e' } } }),
      );
      await p.goto(`${url}/ai`);
      const notice = p.getByTestId('ai-off-notice');
      await notice.waitFor();
      expect((await notice.textContent())?.includes('ANTHROPIC_API_KEY'), 'the notice names the setting');
      await screenshot(p, 'ai-04-off');
    } finally {
      await off.close();
    }
    await context.close();
  });
}
