import { contracts } from '@syntra/shared';
import type { Knex } from 'knex';
import type { Browser, Page } from 'playwright-core';
import type { TelemetryWriter } from '../../../backend/src/modules/telemetry/index.js';
import { chTime } from '../../../backend/src/modules/telemetry/index.js';
import { deploymentAt, logRow, spanRow } from '../../../backend/test/support/telemetry-seed.js';
import { callAs, expect, screenshot } from './harness.js';

interface Ctx {
  url: string;
  browser: Browser;
  /** Telemetry is seeded through the store's own writer (the path OTLP intake and the agents use). */
  telemetryWriter: TelemetryWriter;
  db: Knex;
}

type Suite = { test(name: string, fn: () => Promise<void>): void };

/** Logs, traces and metrics in the console (issue 13): live tail, a trace waterfall, a chart with a deploy marker. */
export function telemetryFlows(suite: Suite, ctx: Ctx) {
  let page: Page;
  let target = { orgId: '', projectId: '', serviceId: '' };
  const traceId = `${Date.now().toString(16).padStart(16, '0')}${'e'.repeat(16)}`.slice(0, 32);

  suite.test('live tail on a service shows a line the test just sent, and the line opens with its attributes', async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    await page.goto(`${ctx.url}/register`);
    await page.getByLabel('Name').fill('Olly Observer');
    await page.getByLabel('Email').fill(`obs-${Math.random().toString(36).slice(2, 8)}@example.com`);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const server = (await callAs(page, ctx.url, contracts.postServers, { body: { name: 'obs-box' } })).body.data.server;
    const project = (await callAs(page, ctx.url, contracts.postProjects, { body: { name: 'Shop', git_repo_url: 'https://github.com/acme/shop.git' } })).body.data;
    const service = (await callAs(page, ctx.url, contracts.postProjectsByProjectIdServices, { params: { projectId: project.id }, body: { name: 'api', server_id: server.id } })).body.data;
    target = { orgId: project.org_id, projectId: project.id, serviceId: service.id };

    await ctx.telemetryWriter.write('otel_logs', [logRow(target, Date.now() - 60_000, 'an older line already stored')]);
    await page.goto(`${ctx.url}/services/${service.id}?tab=logs`);
    await page.getByTestId('log-line').filter({ hasText: 'an older line already stored' }).waitFor();
    await page.getByRole('button', { name: 'Live tail' }).click();
    await page.locator('.live-dot.on', { hasText: 'Live' }).waitFor();

    // Sent until it shows (the socket may still be subscribing when the first one is stored).
    const marker = `payment accepted ${Math.random().toString(36).slice(2, 8)}`;
    const shown = page.getByTestId('log-line').filter({ hasText: marker }).first();
    for (let i = 0; i < 15 && !(await shown.isVisible()); i += 1) {
      await ctx.telemetryWriter.write('otel_logs', [logRow(target, Date.now(), marker, { SeverityText: 'WARN', SeverityNumber: 13, LogAttributes: { order: '42' }, TraceId: traceId, SpanId: '1'.repeat(16) })]);
      await shown.waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
    expect(await shown.isVisible(), 'the tailed line appears in the list');
    await shown.click();
    const detail = page.getByTestId('log-detail');
    await detail.getByText('order').waitFor();
    expect((await detail.textContent())?.includes('WARN'), 'the detail shows its severity');
    await screenshot(page, '50-logs-live-tail');
  });

  suite.test('a trace opens as a waterfall: spans nested by parent, the error marked, a span with its logs', async () => {
    const t = Date.now() - 30_000;
    await ctx.telemetryWriter.write('otel_traces', [
      spanRow(target, t, { traceId, spanId: '1'.repeat(16), name: 'POST /checkout', durationMs: 240 }),
      spanRow(target, t + 20, { traceId, spanId: '2'.repeat(16), parent: '1'.repeat(16), name: 'charge card', durationMs: 150, error: true }),
      spanRow(target, t + 30, { traceId, spanId: '3'.repeat(16), parent: '2'.repeat(16), name: 'SELECT cards', durationMs: 40, kind: 'Client' }),
    ]);
    await page.goto(`${ctx.url}/services/${target.serviceId}?tab=traces`);
    await page.getByRole('link', { name: 'POST /checkout' }).click();
    const rows = page.getByTestId('waterfall-span');
    await rows.nth(2).waitFor();
    const depths = await rows.evaluateAll((els) => els.map((e) => `${e.textContent?.includes('SELECT') ? 'select' : e.textContent?.includes('charge') ? 'charge' : 'root'}:${e.getAttribute('data-depth')}`));
    expect(JSON.stringify(depths) === JSON.stringify(['root:0', 'charge:1', 'select:2']), `nesting ${JSON.stringify(depths)}`);
    expect((await page.locator('.wf-row.wf-error').count()) === 1, 'one span marked as an error');
    await rows.nth(1).click();
    await page.getByTestId('span-detail').getByText('boom').first().waitFor();
    await screenshot(page, '51-trace-waterfall');
    // collapsing the root hides its descendants
    await page.getByRole('button', { name: 'Collapse' }).first().click();
    expect((await rows.count()) === 1, 'collapsed to the root');
  });

  suite.test('a metrics chart shows the deploy marker, and the marker opens the deployment', async () => {
    const now = Date.now();
    const deploymentId = await deploymentAt({ db: ctx.db }, target.orgId, target.serviceId, new Date(now - 45 * 60_000));
    await ctx.telemetryWriter.write(
      'otel_metrics_gauge',
      Array.from({ length: 12 }, (_, i) => ({
        OrgId: target.orgId,
        ProjectId: target.projectId,
        ServiceId: target.serviceId,
        ServiceName: 'api',
        MetricName: 'queue.depth',
        MetricUnit: '1',
        TimeUnix: chTime(now - (12 - i) * 5 * 60_000),
        Value: 5 + (i % 4),
      })),
    );
    await page.goto(`${ctx.url}/services/${target.serviceId}?tab=metrics&metric=queue.depth`);
    const chart = page.getByTestId('metric-chart').filter({ hasText: 'queue.depth' });
    await chart.waitFor();
    const marker = chart.getByTestId('deploy-marker');
    await marker.waitFor();
    await screenshot(page, '52-metrics-deploy-marker');
    await marker.click();
    await page.waitForURL(`**/deployments/${deploymentId}`);
  });
}
