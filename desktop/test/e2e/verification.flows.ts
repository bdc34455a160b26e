import { randomBytes } from 'node:crypto';
import { contracts } from '@syntra/shared';
import type { Knex } from 'knex';
import type { Browser } from 'playwright-core';
import { callAs, expect, screenshot } from './harness.js';

interface Ctx {
  url: string;
  browser: Browser;
  db: Knex;
  /** The deploy pipeline's live hook (what an agent's "running" report calls). */
  deploymentLive(deploymentId: string): Promise<void>;
}

type Suite = { test(name: string, fn: () => Promise<void>): void };

const hex = (n: number) => randomBytes(n).toString('hex');

/**
 * Post-deploy verification (issue 14) in the browser: the setting made in the service's settings,
 * and a regressed deployment's verdict arriving live on its page. The two versions are rows as the
 * pipeline leaves them (v2 went live a minute ago); its errors go through the real intake.
 */
export function verificationFlows(suite: Suite, ctx: Ctx) {
  const { url } = ctx;

  suite.test('verification: turn it on in the service settings; a regressed deploy shows why, live', async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/register`);
    await page.getByLabel('Name').fill('Verify Owner');
    await page.getByLabel('Email').fill(`verify-${hex(3)}@example.com`);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('current-user').waitFor();

    const server = (await callAs(page, url, contracts.postServers, { body: { name: 'verify-host' } })).body.data as { server: { id: string } };
    const project = await callAs(page, url, contracts.postProjects, { body: { name: 'Shop', git_repo_url: 'https://github.com/acme/shop.git' } });
    const projectId = (project.body.data as { id: string }).id;
    const service = await callAs(page, url, contracts.postProjectsByProjectIdServices, { params: { projectId }, body: { name: 'checkout', server_id: server.server.id } });
    const serviceId = (service.body.data as { id: string }).id;

    // The setting, in the service's settings tab.
    await page.goto(`${url}/services/${serviceId}?tab=settings`);
    const form = page.getByTestId('verify-settings');
    await form.getByLabel('Watch each new version after it goes live').check();
    await form.getByLabel('Minutes to watch').fill('1');
    await form.getByLabel('Allowed extra errors per minute').fill('2');
    await form.getByLabel('Roll back to the previous deployment automatically').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. The next deployment uses it.').waitFor();
    const saved = await callAs(page, url, contracts.getServicesByServiceId, { params: { serviceId } });
    const verify = (saved.body.data as { verify: unknown }).verify;
    expect(JSON.stringify(verify) === JSON.stringify({ minutes: 1, max_error_rate_increase: 2, max_p95_increase_pct: 50, on_new_issues: true, auto_rollback: true }), `the saved setting, got ${JSON.stringify(verify)}`);
    await screenshot(page, '45-verify-settings');

    // v1 served for an hour; v2 went live a minute ago (its window is over: the first check is the last).
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const [v1] = await ctx.db('deployments').insert({ service_id: serviceId, status: 'running', trigger_type: 'manual', git_commit_sha: 'a'.repeat(40), status_changed_at: at(60), created_at: at(61) }).returning('id');
    const [v2] = await ctx.db('deployments')
      .insert({ service_id: serviceId, status: 'running', trigger_type: 'manual', git_commit_sha: 'b'.repeat(40), git_commit_message: 'new checkout', status_changed_at: at(1.2), created_at: at(2), replaced_deployment_id: v1!.id })
      .returning('id');
    await ctx.db('services').where({ id: serviceId }).update({ current_deployment_id: v2!.id });
    const keys = await callAs(page, url, contracts.getServicesByServiceIdKeys, { params: { serviceId } });
    const dsn = new URL((keys.body.data as { items: Array<{ dsn: string }> }).items[0]!.dsn);
    const events = Array.from({ length: 6 }, (_, i) => [
      JSON.stringify({ type: 'event' }),
      JSON.stringify({ event_id: hex(16), timestamp: at(1.1).getTime() / 1000 + i, platform: 'node', level: 'error', exception: { values: [{ type: 'TypeError', value: 'amount of undefined' }] } }),
    ]).flat();
    const posted = await fetch(`${url}/api${dsn.pathname}/envelope/?sentry_key=${dsn.username}&sentry_version=7`, { method: 'POST', body: [JSON.stringify({}), ...events].join('\n') + '\n' });
    expect(posted.status === 200, `the intake took the errors, got ${posted.status}`);

    // The deployment page, open while the verdict arrives over the stream.
    await page.goto(`${url}/deployments/${v2!.id}`);
    await page.locator('.live-dot.on').waitFor({ timeout: 15_000 });
    await ctx.deploymentLive(v2!.id);
    const panel = page.getByTestId('deployment-verification');
    await panel.getByText('Verification failed').waitFor({ timeout: 30_000 });
    await panel.getByTestId('verification-reasons').getByText(/Error rate rose by/).waitFor();
    await panel.getByText('Previous version').waitFor();
    // Nothing was built (the rows have no artifact): the automatic rollback says why it did not happen.
    await panel.getByTestId('verification-rollback').getByText(/The automatic rollback did not happen/).waitFor({ timeout: 15_000 });
    await screenshot(page, '46-verification-failed');
    await context.close();
  });
}
