import { contractPath, contracts } from '@syntra/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { callAs, expect, screenshot, sessionHeaders } from './harness.js';
import { issuesFlows } from './issues.flows.js';

interface Ctx {
  url: string;
  browser: Browser;
  startAgent(token: string): Promise<unknown>;
  gitRepo(): { url: string; commitAndPush(files: Record<string, string>, message: string): string };
  freePort(): Promise<number>;
}

type Suite = { test(name: string, fn: () => Promise<void>): void };

const unique = () => Math.random().toString(36).slice(2, 8);
const PASSWORD = 'correct-horse-battery';

async function register(page: Page, url: string, name: string, email: string) {
  await page.goto(`${url}/register`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export function consoleFlows(suite: Suite, ctx: Ctx) {
  const { url } = ctx;
  let owner: BrowserContext;
  let page: Page;
  let viewer: Page;
  const ownerEmail = `owner-${unique()}@example.com`;
  const viewerEmail = `viewer-${unique()}@example.com`;
  let servicePath = '';
  let repo: ReturnType<Ctx['gitRepo']>;
  let appPort = 0;
  const app = async () => (await fetch(`http://127.0.0.1:${appPort}/`)).json() as Promise<{ message: string; version: string }>;
  /** The version the service port serves, polled briefly: the old instance may finish a kept-alive request while it drains. */
  const servedVersion = async (want: string) => {
    let got = '';
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      got = (await app().catch(() => ({ version: '' }))).version;
      if (got === want) break;
    }
    return got;
  };
  const waitRunning = async () => {
    await page.locator('.page-header [data-status="running"]').waitFor({ timeout: 120_000 });
  };

  suite.test('the register page says when sign-up needs an invite or is closed', async () => {
    const context = await ctx.browser.newContext();
    try {
      const visitor = await context.newPage();
      for (const [signup, testId, text] of [['invite', 'signup-invite-only', 'ask an organisation owner or admin for an invite link'], ['closed', 'signup-closed', 'Registration is closed']] as const) {
        // This installation runs with open sign-up; the page is shown what an invite-only or closed one answers.
        await context.route(`**${contracts.getAuthProviders.path}`, (route) =>
          route.fulfill({ json: { success: true, data: { password: true, oauth: [], signup, first_account: false } } }),
        );
        await visitor.goto(`${url}/register`);
        const notice = visitor.getByTestId(testId);
        await notice.waitFor();
        expect((await notice.textContent())?.includes(text), `the ${signup} notice, got ${await notice.textContent()}`);
        expect((await visitor.getByRole('button', { name: 'Create account' }).count()) === 0, 'no form that would be refused');
        await context.unroute(`**${contracts.getAuthProviders.path}`);
      }
      await screenshot(visitor, '00-register-closed');
    } finally {
      await context.close();
    }
  });

  suite.test('register an account and land on an overview that says what to do next', async () => {
    owner = await ctx.browser.newContext({ viewport: { width: 1360, height: 860 } });
    page = await owner.newPage();
    if (process.env.E2E_DEBUG) {
      page.on('console', (m) => console.log(`    [page] ${m.text()}`));
      page.on('request', (r) => r.url().includes('/api/') && console.log(`    [req] ${r.method()} ${r.url().replace(url, '')}`));
      page.on('websocket', (ws) => ws.on('framereceived', (f) => console.log(`    [ws] ${String(f.payload).slice(0, 160)}`)));
    }
    await register(page, url, 'Olive Owner', ownerEmail);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Start by adding a server').waitFor();
    expect(await page.getByTestId('current-user').textContent() === ownerEmail, 'the signed-in email in the top bar');
    await screenshot(page, '01-overview-empty');
  });

  suite.test('add a server, run its agent, and watch it come online live', async () => {
    await page.getByRole('link', { name: 'Add your first server' }).click();
    await page.getByLabel('Server name').fill('web-1');
    await page.getByRole('button', { name: 'Create' }).click();
    const command = (await page.getByTestId('install-command').textContent()) ?? '';
    expect(command.includes('/install.sh') && command.includes('--token'), `an install command, got "${command}"`);
    expect(await page.getByRole('button', { name: 'Copy' }).isVisible(), 'a copy button beside the command');
    await page.getByTestId('wait-status').locator('[data-status="offline"]').waitFor();
    await screenshot(page, '02-add-server-waiting');
    const token = /--token\s+(\S+)/.exec(command)![1]!;
    await ctx.startAgent(token);
    await page.getByTestId('wait-status').locator('[data-status="online"]').waitFor({ timeout: 30_000 });
    await screenshot(page, '03-add-server-online');
  });

  suite.test('the servers list and detail show the live server with its facts', async () => {
    await nav(page, 'Servers').click();
    const row = page.getByTestId('server-row').filter({ hasText: 'web-1' });
    await row.locator('[data-status="online"]').waitFor();
    await row.getByRole('img', { name: /^CPU/ }).waitFor(); // a sparkline once a few samples are in
    await screenshot(page, '04-servers');
    await row.getByRole('link', { name: 'web-1' }).click();
    await page.getByRole('heading', { name: 'web-1' }).waitFor();
    await page.getByText('Hostname').waitFor();
    await page.getByRole('heading', { name: 'Resources' }).waitFor();
    await page.locator('.chart canvas').first().waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: '24h' }).click();
    await page.locator('.chart canvas').first().waitFor();
    await page.getByRole('radio', { name: '1h' }).click();
    await page.locator('.chart canvas').first().waitFor();
    await screenshot(page, '05-server-detail');
  });

  suite.test('create a project and a service, set its environment and health check', async () => {
    repo = ctx.gitRepo();
    repo.commitAndPush({ VERSION: 'v1\n' }, 'v1: first version');
    appPort = await ctx.freePort();
    await nav(page, 'Projects').click();
    await page.getByText('No projects yet').waitFor();
    await page.getByRole('button', { name: 'New project' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Hello');
    await dialog.getByLabel('Git repository (optional)').fill(repo.url);
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Hello' }).waitFor();
    await page.getByRole('button', { name: 'New service' }).first().click();
    await dialog.getByLabel('Name').fill('web');
    const runtime = dialog.getByLabel('Runtime');
    expect((await runtime.inputValue()) === 'process', 'a detected build defaults to the process runtime');
    await dialog.getByLabel('Build').selectOption('dockerfile');
    await dialog.getByText('Dockerfile and image services always run in Docker.').waitFor();
    await screenshot(page, '14a-new-service-runtime');
    expect((await runtime.inputValue()) === 'docker' && (await runtime.locator('option[value="process"]').isDisabled()), 'a Dockerfile build offers only the docker runtime');
    await dialog.getByLabel('Build').selectOption('auto');
    expect((await runtime.inputValue()) === 'process' && (await runtime.locator('option[value="process"]').isEnabled()), 'back to a detected build, process is offered again');
    await dialog.getByLabel('Port').fill(String(appPort));
    await dialog.getByRole('button', { name: 'Create service' }).click();
    await page.getByRole('heading', { name: 'web' }).waitFor();
    servicePath = new URL(page.url()).pathname;
    expect((await page.getByTestId('service-runtime').textContent()) === 'process runtime', 'the service detail names its runtime');

    await page.getByRole('tab', { name: 'Environment' }).click();
    await page.getByLabel('Paste .env').fill('# from the e2e\nGREETING="hi from the console"\nexport EXTRA=1\n');
    await page.getByRole('button', { name: 'Set 2 variables' }).click();
    const row = page.getByTestId('env-table').getByRole('row').filter({ hasText: 'GREETING' });
    await row.waitFor();
    expect(!(await page.getByTestId('env-table').textContent())?.includes('hi from the console'), 'values masked until revealed');
    await row.getByRole('button', { name: 'Reveal' }).click();
    await row.getByText('hi from the console').waitFor();
    await screenshot(page, '14-service-env');

    await page.getByRole('tab', { name: 'Settings' }).click();
    expect((await page.getByLabel('Runtime').inputValue()) === 'process', 'the settings form shows the runtime');
    await page.getByLabel('HTTP path (empty: TCP only)').fill('/health');
    await page.getByLabel('Interval (s)').fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
  });

  suite.test("the service's Client keys tab shows its DSN with Node, browser and Python snippets; a key is added and revoked", async () => {
    await page.getByRole('tab', { name: 'Client keys' }).click();
    const dsn = (await page.getByTestId('dsn').locator('code').textContent()) ?? '';
    expect(/^http:\/\/[0-9a-f]{32}@[^/]+\/\d+$/.test(dsn), `a DSN with a numeric project ref (got ${dsn})`);
    await page.getByTestId('dsn').getByRole('button', { name: 'Copy DSN' }).waitFor();
    const snippets = page.getByTestId('dsn-snippets');
    expect((await snippets.textContent())?.includes('@sentry/node'), 'the Node snippet first');
    await snippets.getByRole('tab', { name: 'Python' }).click();
    await snippets.getByText('pip install sentry-sdk').waitFor();
    expect((await snippets.textContent())?.includes(dsn), 'the snippet carries the DSN');
    await snippets.getByRole('tab', { name: 'Browser JavaScript' }).click();
    await snippets.getByText('npm install @sentry/browser').waitFor();
    await screenshot(page, '14b-service-dsn');
    const rows = page.getByTestId('client-keys-table').locator('tbody tr');
    await page.getByRole('button', { name: 'Add a key' }).click();
    await rows.nth(1).waitFor();
    await rows.nth(1).getByRole('button', { name: 'Revoke' }).click();
    await rows.nth(1).getByText(/revoked/).waitFor();
    expect((await page.getByTestId('dsn').locator('code').textContent()) === dsn, 'the first key stays the DSN shown');
  });

  suite.test('nothing secret stays in browser storage: no revealed env value, no session token', async () => {
    await page.reload();
    await page.getByRole('tab', { name: 'Environment' }).click();
    const row = page.getByTestId('env-table').getByRole('row').filter({ hasText: 'GREETING' });
    await row.getByRole('button', { name: 'Reveal' }).click();
    await row.getByText('hi from the console').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'web' }).waitFor();
    // The console did persist its query cache (so the check below can fail): wait for the service in it.
    const cached = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('syntra.cache')).map((k) => localStorage.getItem(k) ?? '').join(''));
    for (const deadline = Date.now() + 30_000; !(await cached()).includes('"web"') && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 250));
    const snapshot = await cached();
    expect(snapshot.includes('"web"'), `the query cache persisted, got ${snapshot.length} characters: ${snapshot.slice(0, 300)}`);
    const visible = await page.evaluate(async () => {
      const dump: string[] = [document.cookie];
      for (const store of [localStorage, sessionStorage]) for (const k of Object.keys(store)) dump.push(k, store.getItem(k) ?? '');
      for (const info of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open(info.name!);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        for (const name of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((resolve) => {
            const req = db.transaction(name).objectStore(name).getAll();
            req.onsuccess = () => resolve(req.result);
          });
          dump.push(JSON.stringify(all));
        }
        db.close();
      }
      return dump.join('\n');
    });
    const session = (await page.context().cookies(url)).find((c) => c.name === 'syntra_session');
    expect(session?.httpOnly && session.value.startsWith('syn_s_'), 'the session is an HttpOnly cookie');
    expect(!visible.includes(session!.value) && !visible.includes('syn_s_'), 'no session token visible to the page');
    expect(!visible.includes('hi from the console'), 'no revealed env value in storage');
    expect(visible.includes('syntra.cache'), 'the rest of the cache is still persisted');
  });

  suite.test('deploy the example and watch the live build log until it runs', async () => {
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await page.getByText('Not deployed yet').waitFor();
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\//);
    await page.getByTestId('build-log').getByText(/detected a node app/).waitFor({ timeout: 60_000 });
    await waitRunning();
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('health check');
    await page.getByText(/lines$/).first().waitFor();
    await screenshot(page, '15-deployment-log');
    expect((await app()).message === 'hi from the console', 'the app serves with the env set in the console');
  });

  suite.test('the service detail lists the health checks of the running deploy, with an only-failures filter', async () => {
    await page.goto(`${url}${servicePath}`);
    await page.getByRole('tab', { name: 'Health checks' }).click();
    await page.getByText('Probing GET /health every 1 s').waitFor();
    const rows = page.getByTestId('health-row');
    // The deploy gate's passing probe (and the periodic ones after it) answered 200.
    await rows.filter({ has: page.getByText('healthy', { exact: true }) }).filter({ hasText: '200' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '18-health-checks');
    await page.getByLabel('Only failures').check();
    await page.getByTestId('health-table').or(page.getByText('No failed checks')).waitFor();
    expect((await rows.filter({ has: page.getByText('healthy', { exact: true }) }).count()) === 0, 'only failed probes once filtered');
  });

  suite.test('deploy a second version, then roll back after reading the diff', async () => {
    repo.commitAndPush({ VERSION: 'v2\n' }, 'v2: second version');
    await page.goto(`${url}${servicePath}`);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\//);
    await waitRunning();
    expect((await servedVersion('v2')) === 'v2', 'v2 is live');
    await page.getByRole('button', { name: 'Roll back…' }).click();
    await page.getByTestId('rollback-diff').getByText('v2: second version').waitFor();
    await screenshot(page, '16-rollback-dialog');
    const before = page.url();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back', exact: true }).click();
    await page.waitForURL((u) => u.toString() !== before && u.pathname.startsWith('/deployments/'));
    await waitRunning();
    const live = await servedVersion('v1');
    expect(live === 'v1', `v1 is live again (serving ${live})`);
    await page.goto(`${url}/`);
    await page.getByTestId('recent-deployments').getByText('Hello / web').first().waitFor();
    await screenshot(page, '17-overview-deployments');
  });

  suite.test('the Deployments page lists every deployment with service and project, filters by status and project, and links to the server running them', async () => {
    await openPalette(page, 'deployments');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/deployments`);
    const rows = page.getByTestId('deployment-row');
    await rows.filter({ hasText: 'v2: second version' }).waitFor();
    expect((await rows.count()) === 3 && (await rows.filter({ hasText: 'Hello / web' }).count()) === 3, 'deploy v1, deploy v2 and the rollback, each with project and service');
    const live = rows.filter({ has: page.getByTestId('live-deployment') });
    expect((await live.count()) === 1 && (await live.first().textContent())?.includes('rollback'), 'only the rollback is marked as the live version');
    await screenshot(page, '19-deployments');
    await page.getByLabel('Status').selectOption('rolled_back');
    await page.waitForURL(/status=rolled_back/);
    await rows.first().locator('[data-status="rolled_back"]').waitFor();
    expect((await rows.count()) === 1 && (await rows.first().textContent())?.includes('v2: second version'), 'only the version the rollback replaced');
    await rows.first().getByRole('link', { name: 'web-1' }).click();
    await page.getByRole('heading', { name: 'web-1' }).waitFor();
    const placed = page.getByTestId('server-services').getByRole('listitem').filter({ hasText: 'Hello / web' });
    await placed.waitFor();
    expect((await placed.textContent())?.includes('process'), 'the service placed on the server, with its runtime');
    await screenshot(page, '20-server-services');
    await nav(page, 'Projects').click();
    await page.getByTestId('project-card').filter({ hasText: 'Hello' }).click();
    await page.getByRole('link', { name: 'Deployments of this project' }).click();
    await page.waitForURL(/[?&]project=/);
    await rows.filter({ hasText: 'v2: second version' }).waitFor();
    expect((await rows.count()) === 3 && (await page.getByLabel('Project').locator('option:checked').textContent()) === 'Hello', "the project's deployments, with the project chosen in the filter");
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No deployments match').waitFor();
  });

  suite.test('invite a member by email; they register from the link and join as a viewer', async () => {
    await nav(page, 'Team').click();
    await page.getByRole('button', { name: 'Invite member' }).click();
    await page.getByRole('dialog').getByLabel('Email').fill(viewerEmail);
    await page.getByRole('dialog').getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = (await page.getByTestId('invite-link').textContent()) ?? '';
    expect(link.startsWith(`${url}/invite/`), `an accept link on this console, got ${link}`);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText(viewerEmail).waitFor();
    await screenshot(page, '06-team');

    const other = await ctx.browser.newContext({ viewport: { width: 1360, height: 860 } });
    viewer = await other.newPage();
    await viewer.goto(link);
    await viewer.getByText(`${viewerEmail} is invited to`).waitFor();
    await screenshot(viewer, '07-invite');
    await viewer.getByRole('link', { name: `Create an account as ${viewerEmail}` }).click();
    expect((await viewer.getByLabel('Email').inputValue()) === viewerEmail, 'the invited email prefilled');
    await viewer.getByLabel('Name').fill('Vic Viewer');
    await viewer.getByLabel('Password').fill(PASSWORD);
    await viewer.getByText('You will join the organisation that invited you.').waitFor();
    await viewer.getByRole('button', { name: 'Create account' }).click();
    // Registering with the invite joins the inviting organisation at once (no personal organisation).
    await viewer.getByRole('heading', { name: 'Overview' }).waitFor();
    const org = await viewer.getByLabel('Organisation').locator('option:checked').textContent();
    expect(org?.includes('(viewer)'), `the owner's organisation selected with the viewer role, got ${org}`);
  });

  suite.test('a viewer sees no write actions anywhere', async () => {
    await viewer.getByText('Servers online').waitFor();
    expect((await viewer.getByRole('link', { name: /Add (your first )?server/ }).count()) === 0, 'no add-server action on the overview');
    await nav(viewer, 'Servers').click();
    await viewer.getByTestId('server-row').first().waitFor();
    expect((await viewer.getByRole('link', { name: 'Add server' }).count()) === 0, 'no Add server on the servers page');
    await viewer.getByTestId('server-row').first().getByRole('link').click();
    await viewer.getByText('Hostname').waitFor();
    expect((await viewer.getByRole('button', { name: 'Remove server' }).count()) === 0, 'no Remove server');
    await nav(viewer, 'Team').click();
    await viewer.getByTestId('members-table').waitFor();
    expect((await viewer.getByRole('button', { name: 'Invite member' }).count()) === 0, 'no Invite member');
    expect((await viewer.getByRole('button', { name: 'Remove' }).count()) === 0, 'no Remove member');
    expect((await viewer.getByTestId('members-table').locator('select').count()) === 0, 'no role pickers');
    await screenshot(viewer, '08-viewer-team');
    await nav(viewer, 'Settings').click();
    await viewer.getByRole('heading', { name: 'Organisation' }).waitFor();
    expect((await viewer.getByRole('button', { name: 'Save' }).count()) === 0, 'no Save for the organisation');
    await nav(viewer, 'Deployments').click();
    await viewer.getByTestId('deployment-row').first().waitFor();
    await viewer.goto(`${url}${servicePath}`);
    await viewer.getByRole('tab', { name: 'Deployments' }).waitFor();
    await viewer.getByTestId('deployments-table').waitFor();
    expect((await viewer.getByRole('button', { name: 'Deploy' }).count()) === 0, 'no Deploy for a viewer');
    await viewer.getByRole('tab', { name: 'Environment' }).click();
    await viewer.getByTestId('env-table').waitFor();
    expect((await viewer.getByRole('button', { name: 'Reveal' }).count()) === 0 && (await viewer.getByRole('button', { name: 'Delete' }).count()) === 0, 'no reveal or delete of env vars');
    await viewer.getByRole('tab', { name: 'Settings' }).click();
    expect((await viewer.getByRole('button', { name: 'Save settings' }).count()) === 0, 'no Save settings');
    expect(await viewer.getByLabel('Runtime').isDisabled(), 'the runtime is read-only');
    await viewer.goto(`${url}/servers/new`);
    await viewer.getByText('Only admins add servers').waitFor();
    const palette = await openPalette(viewer, 'add');
    expect(!palette.includes('Add a server') && !palette.includes('Invite a member'), `no write actions in the palette, got ${palette}`);
  });

  issuesFlows(suite, { url, owner: () => page, viewer: () => viewer, servicePath: () => servicePath });

  suite.test('API tokens are shown once and work against the API', async () => {
    await page.goto(`${url}/settings/tokens`);
    await page.getByText('No API tokens yet').waitFor();
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('CI deploys');
    await page.getByRole('dialog').getByRole('checkbox', { name: /deploy/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent()) ?? '';
    const me = await fetch(`${url}${contractPath(contracts.getAuthMe, {})}`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status === 200, `the new token authenticates (got ${me.status})`);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByTestId('tokens-table').getByText('CI deploys').waitFor();
    expect(!(await page.getByTestId('tokens-table').textContent())?.includes(token), 'the secret is not shown again');
    await screenshot(page, '09-tokens');
    await page.goto(`${url}/settings/audit`);
    await page.getByTestId('audit-table').getByText('invite.created').first().waitFor();
    await screenshot(page, '09b-audit');
  });

  suite.test('switch organisation, jump with the command palette, and reload a deep link', async () => {
    await page.getByLabel('Organisation').selectOption({ label: 'New organisation…' });
    await page.getByRole('dialog').getByLabel('Name').fill('Second Org');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.locator('.page-header').getByText('Second Org').waitFor();
    const orgs = await callAs(page, url, contracts.getOrgs, {});
    expect(orgs.body.data.some((o) => o.name === 'Second Org'), 'the organisation exists in the API');
    await page.getByLabel('Organisation').selectOption({ index: 0 });
    await page.locator('.page-header').getByText('Second Org').waitFor({ state: 'detached' });
    await page.getByLabel('Organisation').selectOption({ label: 'Second Org (owner)' });
    await page.locator('.page-header').getByText('Second Org').waitFor();
    await page.getByText('Start by adding a server').waitFor();
    await openPalette(page, 'team');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/team`);
    await page.reload();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    expect((await page.getByLabel('Organisation').locator('option:checked').textContent())?.includes('Second Org'), 'the chosen organisation survives a reload');
  });

  suite.test('dark theme applies and persists', async () => {
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(before !== after, 'the theme changed');
    await page.reload();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    expect((await page.evaluate(() => document.documentElement.dataset.theme)) === after, 'the theme survives a reload');
    await page.getByLabel('Organisation').selectOption({ index: 0 });
    await page.goto(`${url}/servers`);
    await page.getByTestId('server-row').first().waitFor();
    await screenshot(page, '10-servers-dark');
  });

  suite.test('errors show the request id', async () => {
    await page.goto(`${url}/servers/00000000-0000-4000-8000-000000000000`);
    await page.getByTestId('request-id').waitFor();
    await screenshot(page, '11-error-state');
  });

  suite.test('the console goes read-only with a banner when the control plane is unreachable', async () => {
    await page.goto(`${url}/settings/tokens`);
    await page.getByTestId('tokens-table').waitFor();
    await page.context().route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.context().route('**/healthz', (route) => route.abort('connectionrefused'));
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await nav(page, 'Team').click();
    await page.getByTestId('offline-banner').waitFor({ timeout: 15_000 });
    await nav(page, 'Settings').click();
    await page.getByRole('link', { name: /API tokens/ }).click();
    await page.getByTestId('tokens-table').getByText('CI deploys').waitFor();
    expect((await page.getByRole('button', { name: 'New token' }).count()) === 0, 'no write action while offline');
    await screenshot(page, '12-offline');
    await page.context().unroute('**/api/**');
    await page.context().unroute('**/healthz');
    await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('button', { name: 'New token' }).waitFor();
  });

  suite.test('sign out returns to sign-in, and signing in brings the console back', async () => {
    const before = await sessionHeaders(page, url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The session itself ended on the server, not only in the page.
    let status = 0;
    for (const deadline = Date.now() + 10_000; status !== 401 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      status = (await fetch(`${url}${contractPath(contracts.getAuthMe, {})}`, { headers: { cookie: before.cookie! } })).status;
    }
    expect(status === 401, `the old session cookie is refused after sign-out, got ${status}`);
    expect(!(await page.context().cookies(url)).some((c) => c.name === 'syntra_session' && c.value), 'the session cookie is cleared');
    expect(new URL(page.url()).pathname === '/login' && !page.url().includes('next='), `a plain sign-in page, got ${page.url()}`);
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await screenshot(page, '13-overview');
  });

  suite.test('older health checks load a page at a time', async () => {
    const serviceId = servicePath.split('/').pop();
    // The running version is probed every second since the first deploy: wait until there is more than a page.
    const deadline = Date.now() + 60_000;
    while ((await callAs(page, url, contracts.getServicesByServiceIdHealth, { params: { serviceId: serviceId! }, query: { limit: 25 } })).body.data.next_cursor === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    await page.goto(`${url}${servicePath}?tab=health`);
    const rows = page.getByTestId('health-row');
    await rows.first().waitFor();
    expect((await rows.count()) === 25, `the newest page first, got ${await rows.count()} rows`);
    await page.getByRole('button', { name: 'Load older checks' }).click();
    await rows.nth(25).waitFor();
    const times = await rows.locator('td[title]').evaluateAll((cells) => cells.map((c) => c.getAttribute('title') ?? ''));
    expect(times.length > 25 && times.every((t, i) => i === 0 || t <= times[i - 1]!), 'older checks appended below the newest, newest first throughout');
  });

  suite.test('a saved domain shows its ownership state and the TXT record that proves it', async () => {
    await page.goto(`${url}${servicePath}`);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('One per line').fill('hello.e2e.test');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const claims = page.getByTestId('domain-claims');
    await claims.getByText('ownership not verified').waitFor();
    await claims.getByText('_syntra-challenge.hello.e2e.test').first().waitFor();
    await claims.getByRole('button', { name: 'Verify now' }).click();
    // No such record anywhere: the lookup's outcome is shown under the record to publish.
    await claims.getByText(/TXT record at _syntra-challenge\.hello\.e2e\.test|lookup of _syntra-challenge\.hello\.e2e\.test/).waitFor();
    await screenshot(page, '15-domain-claim');
  });

  suite.test("a project's GitHub webhook has its own URL and a secret shown once", async () => {
    await page.goto(`${url}${servicePath}`);
    await page.getByRole('link', { name: 'Project', exact: true }).click();
    const card = page.getByTestId('project-webhook');
    await card.getByRole('button', { name: 'Set up webhook' }).click();
    const secret = (await card.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret.length >= 40, 'a long random secret');
    expect(((await card.textContent()) ?? '').includes(`${contracts.postWebhooksGithub.path}/`), 'the per-project payload URL');
    await page.reload();
    await page.getByTestId('project-webhook').getByRole('button', { name: 'Set up webhook' }).waitFor();
    expect(!((await page.content()).includes(secret)), 'the secret is gone after a reload');
    await screenshot(page, '16-project-webhook');
  });
}

/** A sidebar link (the overview has other links to the same places). */
function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

async function openPalette(page: Page, query: string): Promise<string> {
  await page.keyboard.press('Control+k');
  const input = page.getByRole('textbox', { name: 'Search commands' });
  await input.waitFor();
  await input.fill(query);
  return (await page.getByRole('listbox').textContent()) ?? '';
}
