import type { NodeClient, Scope } from '@sentry/node';
import type { AppServices } from './deps.js';
import { redactPath } from './http/redact-url.js';
import type { Logger } from './logger.js';

/**
 * Syntra reporting its own unexpected errors (5xx, crashed jobs) to a Sentry-compatible intake:
 * SYNTRA_SELF_DSN, or under `syntra start` the built-in "Syntra" project of the admin organisation.
 * Inactive until a DSN is given: the SDK is not even loaded before (a dynamic import). It gets no integrations but chained
 * errors: nothing instruments Koa, http or the database, and the event carries only what is set
 * here: the method and the path with secrets blanked. No request bodies, headers, cookies, query
 * strings or users are ever sent.
 */
export class SelfReporter {
  private client: NodeClient | null = null;
  private scope: Scope | null = null;

  constructor(private readonly log: Logger) {}

  get active() {
    return this.client !== null;
  }

  async activate(dsn: string, opts: { environment?: string; release?: string } = {}): Promise<void> {
    if (this.client) return;
    const { NodeClient, Scope, defaultStackParser, linkedErrorsIntegration, makeNodeTransport } = await import('@sentry/node');
    if (this.client) return;
    this.client = new NodeClient({
      dsn,
      transport: makeNodeTransport,
      stackParser: defaultStackParser,
      integrations: [linkedErrorsIntegration()],
      environment: opts.environment,
      release: opts.release,
      beforeSend: (event) => {
        delete event.request;
        delete event.user;
        delete event.breadcrumbs;
        return event;
      },
    });
    this.client.init();
    this.scope = new Scope();
    this.scope.setClient(this.client);
    this.log.info('reporting unexpected errors to the configured Sentry DSN');
  }

  /** A request answered 5xx because of `err`. */
  http(err: unknown, method: string, path: string) {
    this.capture(err, { kind: 'http', method, path: redactPath(path) });
  }

  /** A queue job that threw. */
  job(err: unknown, queue: string, jobId: string | undefined) {
    this.capture(err, { kind: 'job', queue, job_id: jobId ?? 'unknown' });
  }

  private capture(err: unknown, tags: Record<string, string>) {
    if (!this.scope) return;
    try {
      const scope = this.scope.clone();
      scope.setTags(tags);
      scope.captureException(err);
    } catch {
      /* reporting must never break what it reports on */
    }
  }

  async close() {
    await Promise.resolve(this.client?.close(2_000)).catch(() => undefined);
    this.client = null;
    this.scope = null;
  }
}

const SELF_PROJECT = 'Syntra';

/**
 * `syntra start` only, when SYNTRA_SELF_DSN is not set: the admin organisation's built-in "Syntra"
 * project with a "syntra" service on this machine's server, and a DSN of it pointing at this very
 * process (`baseUrl`). Null while there is no admin organisation or local server yet (first start:
 * the caller tries again).
 */
export async function ensureSelfProject(s: AppServices, baseUrl: string): Promise<string | null> {
  const orgId = await s.orgs.adminOrgId();
  if (!orgId) return null;
  const owner = (await s.orgs.members(orgId)).find((m) => m.role === 'owner');
  if (!owner) return null;
  const actor = { userId: owner.user.id, ip: null, userAgent: 'syntra start' };
  let project = (await s.projects.list(orgId)).find((p) => p.name === SELF_PROJECT);
  let service = project ? (await s.services.list(orgId, project.id)).find((x) => x.name === 'syntra') : undefined;
  if (!service) {
    const servers = await s.servers.list(orgId, { limit: 200 });
    const candidates = servers.items.filter((x) => x.tags.includes('local'));
    let local: string | undefined;
    for (const c of candidates) if ((await s.servers.findInOrg(orgId, c.id))?.is_local) local = c.id;
    if (!local) return null;
    project ??= await s.projects.create(orgId, actor, { name: SELF_PROJECT, description: "Syntra's own errors (built in by syntra start)" });
    service = await s.services.create(orgId, project.id, actor, { name: 'syntra', server_id: local });
  }
  return s.clientKeys.dsnFor(service.id, baseUrl);
}
