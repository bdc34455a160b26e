import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { GitFetchPolicy } from '@syntra/shared';
import { isUniqueViolation } from '../../db/pg-errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { iso } from '../../lib/iso.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/index.js';
import type { Actor, OrgService } from '../orgs/index.js';
import { controlPlaneAddresses, remoteProblem, type Resolve, systemResolve } from './git-remote-policy.js';
import type { ProjectRow } from './projects.tables.js';

export function toProjectDto(p: ProjectRow) {
  return {
    id: p.id,
    org_id: p.org_id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    git_repo_url: p.git_repo_url,
    git_branch: p.git_branch ?? 'main',
    has_deploy_key: !!p.git_deploy_key_encrypted,
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  };
}

function slugify(text: string): string {
  const base = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/g, '');
  return base.length >= 2 ? base : `project-${base}`.replace(/-$/, '');
}


export interface ProjectInput {
  name?: string | undefined;
  slug?: string | undefined;
  description?: string | null | undefined;
  git_repo_url?: string | null | undefined;
  git_branch?: string | undefined;
  git_deploy_key?: string | null | undefined;
}

export interface GitRemoteOptions {
  /** SYNTRA_GIT_ALLOW_PRIVATE */
  allowPrivate: boolean;
  /** Its host's addresses are the control plane's too. */
  publicUrl: string;
  resolve?: Resolve | undefined;
}

/** Projects group services; slugs are unique per organisation. */
export class ProjectService {
  private readonly resolve: Resolve;

  constructor(
    private readonly db: Knex,
    private readonly audit: AuditService,
    private readonly box: SecretBox,
    private readonly orgs: OrgService,
    private readonly git: GitRemoteOptions,
  ) {
    this.resolve = git.resolve ?? systemResolve;
  }

  /**
   * What a build of this organisation may fetch; the agent's builder enforces it at fetch time.
   * The admin organisation already owns this machine (local paths, its terminals), so the control
   * plane's own addresses are denied to every other organisation only: its operator may keep a git
   * server beside Syntra (private ranges still need SYNTRA_GIT_ALLOW_PRIVATE).
   */
  async gitFetchPolicy(orgId: string): Promise<GitFetchPolicy> {
    const admin = await this.orgs.isAdminOrg(orgId);
    return {
      allow_local: admin,
      allow_private: this.git.allowPrivate,
      denied_addresses: admin ? [] : await controlPlaneAddresses(this.git.publicUrl, this.resolve),
    };
  }

  /** 400 naming `field` when this organisation may not use the remote (now: DNS is checked too). */
  async assertGitRemoteAllowed(orgId: string, url: string, field = 'git_repo_url'): Promise<void> {
    const problem = await remoteProblem(url, await this.gitFetchPolicy(orgId), this.resolve);
    if (problem) throw new ValidationError(`${field}: ${problem}`, { field });
  }

  /** The admin organisation owns the control plane's own machine. */
  isAdminOrg(orgId: string) {
    return this.orgs.isAdminOrg(orgId);
  }

  /** Input → columns: the deploy key is sealed (null clears it). */
  private columns(input: ProjectInput): Record<string, unknown> {
    const { git_deploy_key: key, ...rest } = input;
    const cols: Record<string, unknown> = { ...rest };
    if (key !== undefined) cols.git_deploy_key_encrypted = key === null ? null : this.box.seal(key.trim() + '\n');
    return cols;
  }

  /** The worker's view of a sealed deploy key. */
  openDeployKey(sealed: string): string {
    return this.box.open(sealed);
  }

  async orgIdOf(projectId: string): Promise<string | null> {
    const row = await this.db('projects').select('org_id').where({ id: projectId }).first();
    return row?.org_id ?? null;
  }

  async find(orgId: string, projectId: string): Promise<ProjectRow> {
    const row = await this.db('projects').where({ id: projectId, org_id: orgId }).first();
    if (!row) throw new NotFoundError('Project');
    return row;
  }

  async list(orgId: string) {
    const rows = await this.db('projects').where({ org_id: orgId }).orderBy('created_at', 'desc');
    return rows.map(toProjectDto);
  }

  async get(orgId: string, projectId: string) {
    return toProjectDto(await this.find(orgId, projectId));
  }

  async create(orgId: string, actor: Actor, input: ProjectInput & { name: string }) {
    if (input.git_repo_url) await this.assertGitRemoteAllowed(orgId, input.git_repo_url);
    let slug = input.slug ?? slugify(input.name);
    if (!input.slug && (await this.slugTaken(orgId, slug))) slug = `${slug}-${randomBytes(3).toString('hex')}`;
    try {
      const [row] = await this.db('projects')
        .insert({ ...this.columns(input), org_id: orgId, name: input.name, slug, description: input.description ?? null, git_repo_url: input.git_repo_url ?? null, git_branch: input.git_branch ?? 'main' })
        .returning('*');
      await this.audit.record({ orgId, actorId: actor.userId, action: 'project.created', targetType: 'project', targetId: row!.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { slug } });
      return toProjectDto(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`The slug "${slug}" is taken in this organisation`);
      throw err;
    }
  }

  async update(orgId: string, projectId: string, actor: Actor, input: ProjectInput) {
    await this.find(orgId, projectId);
    if (input.git_repo_url) await this.assertGitRemoteAllowed(orgId, input.git_repo_url);
    try {
      const [row] = await this.db('projects').where({ id: projectId }).update({ ...this.columns(input), updated_at: new Date() }).returning('*');
      await this.audit.record({ orgId, actorId: actor.userId, action: 'project.updated', targetType: 'project', targetId: projectId, ip: actor.ip, userAgent: actor.userAgent, metadata: { fields: Object.keys(input) } });
      return toProjectDto(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`The slug "${input.slug}" is taken in this organisation`);
      throw err;
    }
  }

  async remove(orgId: string, projectId: string, actor: Actor) {
    await this.find(orgId, projectId);
    await this.db('projects').where({ id: projectId }).delete();
    await this.audit.record({ orgId, actorId: actor.userId, action: 'project.deleted', targetType: 'project', targetId: projectId, ip: actor.ip, userAgent: actor.userAgent });
  }

  /** A new webhook secret for the project (the old one stops verifying); returned once, stored sealed. */
  async rotateWebhookSecret(orgId: string, projectId: string, actor: Actor): Promise<string> {
    await this.find(orgId, projectId);
    const secret = randomBytes(32).toString('base64url');
    await this.db('projects').where({ id: projectId }).update({ webhook_secret_encrypted: this.box.seal(secret), updated_at: new Date() });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'project.webhook_secret_rotated', targetType: 'project', targetId: projectId, ip: actor.ip, userAgent: actor.userAgent });
    return secret;
  }

  /** The secret a delivery for this project must be signed with; null when it has none. */
  async webhookSecretOf(projectId: string): Promise<string | null> {
    const row = await this.db('projects').where({ id: projectId }).first('webhook_secret_encrypted');
    return row?.webhook_secret_encrypted ? this.box.open(row.webhook_secret_encrypted) : null;
  }

  private async slugTaken(orgId: string, slug: string) {
    return !!(await this.db('projects').where({ org_id: orgId, slug }).first());
  }
}
