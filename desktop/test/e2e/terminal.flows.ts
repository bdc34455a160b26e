import { contracts } from '@syntra/shared';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { callAs, expect, screenshot } from './harness.js';

interface Ctx {
  url: string;
  browser: Browser;
  startAgent(token: string): Promise<unknown>;
}

type Suite = { test(name: string, fn: () => Promise<void>): void };

/** The terminal in the console: open a tab on a live server, type, see the output; a second tab. */
export function terminalFlows(suite: Suite, ctx: Ctx) {
  let page: Page;
  let serverId = '';

  suite.test('open a terminal tab on a server, type a command and see its output', async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 1360, height: 860 } });
    page = await context.newPage();
    await page.goto(`${ctx.url}/register`);
    await page.getByLabel('Name').fill('Terri Terminal');
    await page.getByLabel('Email').fill(`term-${Math.random().toString(36).slice(2, 8)}@example.com`);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const created = (await callAs(page, ctx.url, contracts.postServers, { body: { name: 'term-box' } })).body;
    serverId = created.data.server.id;
    await ctx.startAgent(created.data.agent_token);
    for (let i = 0; i < 300; i += 1) {
      if ((await callAs(page, ctx.url, contracts.getServersByServerId, { params: { serverId } })).body.data.status === 'online') break;
      await page.waitForTimeout(100);
    }

    await page.goto(`${ctx.url}/servers/${serverId}`);
    await page.getByRole('link', { name: 'Open terminal' }).click();
    await page.getByTestId('terminal-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo "typed-in-the-console-$((6*7))"');
    await page.keyboard.press('Enter');
    await page.getByTestId('terminal').locator('.xterm-rows').filter({ hasText: 'typed-in-the-console-42' }).waitFor({ timeout: 15_000 });
    await screenshot(page, '40-terminal');
  });

  suite.test('a second terminal tab is its own session; the first keeps its output', async () => {
    await page.getByRole('button', { name: 'New terminal tab' }).click();
    const second = page.locator('.term-view:not([hidden])');
    await second.getByTestId('terminal-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    await second.getByTestId('terminal').click();
    await page.keyboard.type('echo "second-tab-$((7*6))"; tty');
    await page.keyboard.press('Enter');
    await second.locator('.xterm-rows').filter({ hasText: 'second-tab-42' }).waitFor({ timeout: 15_000 });
    expect(!((await second.locator('.xterm-rows').textContent()) ?? '').includes('typed-in-the-console-42'), 'a fresh shell in the new tab');
    await page.getByRole('tab').first().click();
    await page.locator('.term-view:not([hidden]) .xterm-rows').filter({ hasText: 'typed-in-the-console-42' }).waitFor();
    await screenshot(page, '41-terminal-tabs');
  });

  suite.test('when its socket drops, a tab reconnects on its own and shows what it missed, once', async () => {
    // Playwright sits between the page and the relay for sockets opened from now on, so the test can
    // cut one as a network blip would; everything else passes through to the real relay.
    const routes: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    await page.routeWebSocket(/\/api\/v1\/terminal\//, (ws) => {
      routes.push({ page: ws, server: ws.connectToServer() });
    });
    await page.getByRole('button', { name: 'New terminal tab' }).click();
    const tab = page.locator('.term-view:not([hidden])');
    await tab.getByTestId('terminal-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    await tab.getByTestId('terminal').click();
    await page.keyboard.type('echo "running-$((2*3))"; sleep 2; echo "while-away-$((9*9))"');
    await page.keyboard.press('Enter');
    // The shell's own output (the typed line reads "$((2*3))") shows the command reached it and
    // runs: keystrokes still on their way through the cut socket would be lost with it.
    await tab.locator('.xterm-rows').filter({ hasText: 'running-6' }).waitFor({ timeout: 10_000 });
    const cut = routes.at(-1)!;
    await Promise.all([cut.page.close({ code: 3000, reason: 'network blip' }), cut.server.close()]);
    await tab.getByTestId('terminal-status').filter({ hasText: 'reconnecting' }).waitFor({ timeout: 5_000 });
    await tab.getByTestId('terminal-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    await tab.locator('.xterm-rows').filter({ hasText: 'while-away-81' }).waitFor({ timeout: 15_000 });
    const text = (await tab.locator('.xterm-rows').textContent()) ?? '';
    expect(text.split('while-away-81').length === 2, `the missed output shows once: ${JSON.stringify(text.slice(-300))}`);
    // A new socket, attached with the ticket the first attach handed out (which ticket the console
    // offers is checked in desktop/test/terminal-connection.test.ts).
    expect(routes.length >= 2, 'a second socket was opened');
  });

  suite.test('a recorded session shows in the history with its byte counts and replays in the console', async () => {
    await page.getByLabel('record new tabs').check();
    await page.getByRole('button', { name: 'New terminal tab' }).click();
    const tab = page.locator('.term-view:not([hidden])');
    await tab.getByTestId('terminal-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    await tab.getByTestId('terminal').click();
    await page.keyboard.type('echo "on-tape-$((9*9))"; exit 4');
    await page.keyboard.press('Enter');
    await tab.getByTestId('terminal-status').filter({ hasText: 'exit 4' }).waitFor({ timeout: 15_000 });
    const row = page.getByTestId('terminal-sessions').getByRole('row').filter({ hasText: 'ended (exit 4)' });
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByTestId('terminal-replay').locator('.xterm-rows').filter({ hasText: 'on-tape-81' }).waitFor({ timeout: 15_000 });
    await screenshot(page, '42-terminal-replay');
  });
}
