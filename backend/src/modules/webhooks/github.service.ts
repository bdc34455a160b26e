import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { GitBranchSchema } from '@syntra/shared';
import { z } from 'zod';
import { FeatureDisabledError, UnauthorizedError, ValidationError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/crypto.js';
import type { DeploymentService } from '../deployments/index.js';
import type { OrgService } from '../orgs/index.js';
import type { ProjectService } from '../projects/index.js';
import type { ServiceService } from '../services/index.js';

export interface GithubDelivery {
  event: string;
  deliveryId: string;
  signature: string;
  rawBody: string;
}

/**
 * The fields of a push event Syntra reads. Signed by GitHub, but still parsed: a field of another
 * type than documented is ignored (`.catch`) rather than thrown on, and the commit message loses
 * any NUL (PostgreSQL refuses it) before it is stored with the deployment.
 */
const PushPayloadSchema = z.object({
  ref: z.string().max(1000).optional().catch(undefined),
  // deployments.git_commit_sha is varchar(40): SHA-1 commits, which is what GitHub sends.
  after: z.string().regex(/^[0-9a-f]{40}$/).optional().catch(undefined),
  deleted: z.boolean().optional().catch(undefined),
  head_commit: z
    .object({ message: z.string().transform((m) => m.replaceAll('\u0000', '').slice(0, 10_000)).optional().catch(undefined) })
    .nullable()
    .optional()
    .catch(undefined),
  repository: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
type PushPayload = z.infer<typeof PushPayloadSchema>;

/** `https://github.com/Acme/App.git`, `git@github.com:acme/app`, `ssh://git@github.com/acme/app` → `github.com/acme/app`. */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(u);
  if (scp) return `${scp[1]!.toLowerCase()}/${scp[2]!}`.toLowerCase();
  if (u.startsWith('file://')) return u.slice('file://'.length);
  if (u.startsWith('/')) return u;
  u = u.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '');
  return u.toLowerCase();
}

export type PushOutcome = { service_id: string; deployment_id: string | null; skipped: string | null };

/** Which services a verified delivery may deploy: one project's (its own secret) or the admin organisation's. */
type DeliveryScope = { projectId: string } | { orgId: string | null };

/**
 * GitHub deliveries: HMAC-verified, deduplicated by delivery id, pushes turned into deployments.
 * A secret signs only for what it belongs to: a project's secret (`/webhooks/github/:projectId`)
 * deploys that project's services; the installation-wide GITHUB_WEBHOOK_SECRET is the operator's
 * and deploys the admin organisation's only, so no tenant can sign pushes for another.
 */
export class GithubWebhookService {
  constructor(
    private readonly db: Knex,
    private readonly secret: string | undefined,
    private readonly deployments: DeploymentService,
    private readonly projects: ProjectService,
    private readonly orgs: OrgService,
    private readonly services: ServiceService,
  ) {}

  verify(d: GithubDelivery, secret: string | null | undefined = this.secret) {
    if (!secret) throw new FeatureDisabledError('GitHub webhooks', 'set GITHUB_WEBHOOK_SECRET');
    const expected = `sha256=${createHmac('sha256', secret).update(d.rawBody, 'utf8').digest('hex')}`;
    if (!d.signature || !constantTimeEqual(d.signature, expected)) throw new UnauthorizedError('Missing or invalid X-Hub-Signature-256');
  }

  async handle(d: GithubDelivery, projectId?: string) {
    let scope: DeliveryScope;
    if (projectId) {
      // A project without a secret (or none at all) answers like a bad signature: nothing to learn.
      const secret = await this.projects.webhookSecretOf(projectId);
      if (!secret) throw new UnauthorizedError('Missing or invalid X-Hub-Signature-256');
      this.verify(d, secret);
      scope = { projectId };
    } else {
      this.verify(d);
      scope = { orgId: await this.orgs.adminOrgId() };
    }
    if (!d.deliveryId) throw new ValidationError('X-GitHub-Delivery is required');
    const inserted = (await this.db('webhook_deliveries')
      .insert({ provider: 'github', delivery_id: d.deliveryId.slice(0, 100), event: d.event.slice(0, 50) })
      .onConflict(['provider', 'delivery_id'])
      .ignore()
      .returning('delivery_id')) as unknown[];
    const base = { event: d.event, delivery_id: d.deliveryId };
    if (!inserted.length) return { ...base, duplicate: true, deployments: [] as PushOutcome[] };
    if (d.event !== 'push') return { ...base, duplicate: false, deployments: [] as PushOutcome[] };
    const payload = PushPayloadSchema.safeParse(safeJson(d.rawBody));
    if (!payload.success) throw new ValidationError('A push delivery must be a JSON object');
    const outcomes = await this.push(payload.data, scope);
    await this.db('webhook_deliveries').where({ provider: 'github', delivery_id: d.deliveryId }).update({ deployments_created: outcomes.filter((o) => o.deployment_id).length });
    return { ...base, duplicate: false, deployments: outcomes };
  }

  private async push(payload: PushPayload, scope: DeliveryScope): Promise<PushOutcome[]> {
    const branch = typeof payload.ref === 'string' && payload.ref.startsWith('refs/heads/') ? payload.ref.slice('refs/heads/'.length) : null;
    // The branch and commit become git arguments later: only what git itself would accept as such.
    if (!branch || !GitBranchSchema.safeParse(branch).success || payload.deleted) return [];
    if (typeof payload.after !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(payload.after) || /^0+$/.test(payload.after)) return [];
    const repo = payload.repository ?? {};
    const urls = new Set(['clone_url', 'ssh_url', 'git_url', 'html_url', 'url', 'svn_url'].map((k) => repo[k]).filter((v): v is string => typeof v === 'string').map(normalizeRepoUrl));
    if (!urls.size) return [];
    if (!('projectId' in scope) && !scope.orgId) return [];
    const candidates = await this.services.autoDeployCandidates('projectId' in scope ? { projectId: scope.projectId } : { orgId: scope.orgId! });
    const matches = candidates.filter((c) => c.branch === branch && urls.has(normalizeRepoUrl(c.git_repo_url)));
    const outcomes: PushOutcome[] = [];
    for (const m of matches) {
      try {
        const created = await this.deployments.trigger(m.org_id, m.id, null, { git_ref: payload.after, commit_sha: payload.after, commit_message: payload.head_commit?.message }, 'git_push');
        outcomes.push({ service_id: m.id, deployment_id: created.id, skipped: null });
      } catch (err) {
        outcomes.push({ service_id: m.id, deployment_id: null, skipped: err instanceof Error ? err.message : String(err) });
      }
    }
    return outcomes;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
