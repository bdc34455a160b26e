// A small sequential runner for the console's browser tests: real Chromium (Debian's) through
// playwright-core, one shared backend, screenshots of the main pages as artifacts.
import fs from 'node:fs';
import path from 'node:path';
import { contractPath, type AnyContract, type ContractInput, type ContractOutput } from '@syntra/shared';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(): string {
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (fs.existsSync(p)) return p;
  throw new Error('Chromium is missing: apt-get install -y chromium (npm test installs it when run as root)');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../../test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`expected: ${message}`);
}

interface TestCase {
  name: string;
  fn: () => Promise<void>;
}

/** `onFailure` gets the failed test's name (e.g. to screenshot the pages it used). */
export function createSuite(onFailure: (name: string) => Promise<void> = async () => undefined) {
  const cases: TestCase[] = [];
  return {
    test: (name: string, fn: () => Promise<void>) => void cases.push({ name, fn }),
    async run(): Promise<{ passed: number; failed: number }> {
      let passed = 0;
      let failed = 0;
      // E2E_MAX=N runs only the first N tests (they build on each other), for debugging.
      const max = Number(process.env.E2E_MAX ?? cases.length);
      // E2E_ONLY=<text> runs only the tests whose name contains it (a self-contained group, e.g. "co-pilot").
      const only = process.env.E2E_ONLY;
      for (const c of cases.slice(0, max).filter((t) => !only || t.name.includes(only))) {
        const started = Date.now();
        try {
          await c.fn();
          passed++;
          console.log(`  ✓ ${c.name} (${Date.now() - started} ms)`);
        } catch (err) {
          failed++;
          await onFailure(c.name).catch(() => undefined);
          console.log(`  ✗ ${c.name}\n    ${(err as Error).stack?.split('\n').slice(0, 6).join('\n    ')}`);
        }
      }
      return { passed, failed };
    },
  };
}

/**
 * Headers that act as the page's signed-in user from the test process: the web console's session
 * is an HttpOnly cookie (Playwright reads it; the page's script cannot), and changes carry the CSRF
 * token and the console's Origin, as the console's own requests do.
 */
export async function sessionHeaders(page: Page, url: string): Promise<Record<string, string>> {
  const cookies = await page.context().cookies(url);
  const session = cookies.find((c) => c.name === 'syntra_session');
  const csrf = cookies.find((c) => c.name === 'syntra_csrf');
  if (!session) throw new Error('the page has no session cookie');
  return { cookie: `syntra_session=${session.value}`, 'x-csrf-token': csrf?.value ?? '', origin: new URL(url).origin };
}

/**
 * A request on a route contract of `@syntra/shared` as the page's signed-in user (the console's own
 * client uses the same contracts); a successful answer is checked against the contract's schema.
 */
export async function callAs<C extends AnyContract>(page: Page, url: string, c: C, input: ContractInput<C> & { orgId?: string }) {
  const res = await fetch(`${url}${contractPath(c, input)}`, {
    method: c.method.toUpperCase(),
    headers: { ...(await sessionHeaders(page, url)), 'content-type': 'application/json', ...(input.orgId ? { 'x-org-id': input.orgId } : {}) },
    body: input.body === undefined ? undefined : JSON.stringify(input.body),
  });
  const body = (await res.json()) as { success: boolean; data: ContractOutput<C>; error?: { code: string; message: string } };
  if (body.success) body.data = c.response.parse(body.data) as ContractOutput<C>;
  return { status: res.status, body };
}
