import { contextLinesIntegration, defaultStackParser, linkedErrorsIntegration, makeNodeTransport, NodeClient, Scope } from '@sentry/node';
import type { Page } from 'playwright-core';
import { expect, screenshot } from './harness.js';

type Suite = { test(name: string, fn: () => Promise<void>): void };

interface Ctx {
  url: string;
  /** The owner's page and the viewer's, signed in by the console flows before these run. */
  owner(): Page;
  viewer(): Page;
  /** The deployed service's page (`/services/<id>`). */
  servicePath(): string;
}

/** The real @sentry/node client on its own scope (no global init: nothing of the test runner is instrumented). */
function sentryNode(dsn: string) {
  const client = new NodeClient({ dsn, transport: makeNodeTransport, stackParser: defaultStackParser, integrations: [linkedErrorsIntegration(), contextLinesIntegration()], environment: 'production' });
  client.init();
  const scope = new Scope();
  scope.setClient(client);
  scope.setUser({ id: 'user-7', email: 'ada@example.com' });
  return { scope, flush: () => client.flush(10_000) };
}

// A code path of "the app" that throws: its frame is in-app (not under node_modules).
function chargeCard(orderId: number): never {
  throw new TypeError(`card declined for order ${orderId}`);
}

/**
 * Error tracking in the console (issue 12): an error sent with the real SDK to the service's DSN
 * arrives in the open issue list without a reload; its page shows the stack trace and the deploy
 * that introduced it; status changes are for builders only.
 */
export function issuesFlows(suite: Suite, ctx: Ctx) {
  const { url } = ctx;
  let dsn = '';

  suite.test("the service's Errors tab starts empty and points at the DSN under Client keys", async () => {
    const page = ctx.owner();
    await page.goto(`${url}${ctx.servicePath()}?tab=errors`);
    await page.getByText('No unresolved issues').waitFor();
    await screenshot(page, '30-service-errors-empty');
    await page.getByRole('link', { name: 'Client keys' }).click();
    dsn = (await page.getByTestId('dsn').locator('code').textContent()) ?? '';
    expect(/^http:\/\/[0-9a-f]{32}@127\.0\.0\.1:\d+\/\d+$/.test(dsn), `a DSN on this control plane, got "${dsn}"`);
  });

  suite.test('an error sent with @sentry/node appears in the issue list live, with its stack trace and the deploy link', async () => {
    const page = ctx.owner();
    await page.goto(`${url}/issues`);
    await page.getByText('No unresolved issues').waitFor();
    // The stream must be up before the event, or the row would come from the first fetch, not live.
    await page.locator('.live-dot.on').waitFor();

    const sdk = sentryNode(dsn);
    for (const order of [1001, 1002]) {
      try {
        chargeCard(order);
      } catch (err) {
        sdk.scope.captureException(err);
      }
    }
    expect(await sdk.flush(), 'the SDK delivered its events');

    const row = page.getByTestId('issue-row').filter({ hasText: 'card declined for order' });
    await row.waitFor({ timeout: 30_000 });
    // Both events group into one issue (numbers in messages are variable parts); counts arrive live too.
    await row.getByTestId('issue-events').getByText('2', { exact: true }).waitFor({ timeout: 30_000 });
    expect((await page.getByTestId('issue-row').count()) === 1, 'one issue for the two events');
    await screenshot(page, '31-issues-live');

    await row.getByRole('link', { name: /card declined/ }).click();
    await page.getByTestId('stack-trace').waitFor();
    const crash = page.getByTestId('stack-frame').filter({ hasText: 'chargeCard' }).first();
    await crash.waitFor();
    expect((await crash.getAttribute('data-in-app')) === 'true', 'the throwing frame is in-app');
    expect((await crash.textContent())?.includes('issues.flows.ts'), 'the frame names its file');
    expect((await page.locator('.ctx-current').first().textContent())?.includes('throw new TypeError'), 'the context line of the throwing frame is shown');
    const deployLink = page.getByTestId('first-deploy-link');
    await deployLink.waitFor();
    expect(/^\/deployments\/[0-9a-f-]{36}$/.test((await deployLink.getAttribute('href')) ?? ''), 'first seen after a deployment, linked');
    await screenshot(page, '32-issue-detail');
    // Older/newer walk the issue's events: the latest is order 1002, the one before it 1001.
    const latestId = await page.getByTestId('event-id').textContent();
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('card declined for order 1001').first().waitFor();
    expect((await page.getByTestId('event-id').textContent()) !== latestId && (await page.getByTestId('event-position').textContent())?.includes('2 of 2'), 'the older event, second of two');
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('event-id').getByText(latestId ?? '', { exact: true }).waitFor();

    await deployLink.click();
    await page.getByTestId('deployment-issues').getByRole('link', { name: /card declined/ }).waitFor();
    await screenshot(page, '33-deployment-issues');
    await page.goBack();
    await page.getByTestId('stack-trace').waitFor();
  });

  suite.test('a builder resolves an issue from the keyboard; a viewer reads it without status actions', async () => {
    const page = ctx.owner();
    await page.goto(`${url}/issues`);
    const row = page.getByTestId('issue-row').filter({ hasText: 'card declined for order' });
    await row.waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('r');
    // Resolved issues leave the unresolved view.
    await page.getByText('No issues match').or(page.getByText('No unresolved issues')).waitFor();
    await page.getByLabel('Status').selectOption('resolved');
    await page.waitForURL(/status=resolved/);
    await row.locator('[data-status="resolved"]').waitFor();

    const viewer = ctx.viewer();
    await viewer.goto(`${url}/issues?status=resolved`);
    const seen = viewer.getByTestId('issue-row').filter({ hasText: 'card declined for order' });
    await seen.waitFor();
    expect((await seen.getByRole('checkbox').count()) === 0, 'no selection for bulk changes');
    await seen.getByRole('link', { name: /card declined/ }).click();
    await viewer.getByTestId('stack-trace').waitFor();
    expect((await viewer.getByRole('button', { name: 'Unresolve' }).count()) === 0, 'no status actions for a viewer');
  });

  suite.test("an owner sets how long the organisation keeps error events", async () => {
    const page = ctx.owner();
    await page.goto(`${url}/settings`);
    const days = page.getByLabel('Keep events for (days)');
    expect((await days.inputValue()) === '30', 'the default is 30 days');
    await days.fill('14');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Older events are pruned').waitFor();
    await page.reload();
    await page.getByLabel('Keep events for (days)').waitFor();
    expect((await page.getByLabel('Keep events for (days)').inputValue()) === '14', 'kept after a reload');
  });
}
