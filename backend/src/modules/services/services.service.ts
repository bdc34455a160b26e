import type { Knex } from 'knex';
import type { CreateServiceBody, UpdateServiceBody } from '@syntra/shared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { AuditService } from '../audit/index.js';
import type { DomainService, HostnameHolders } from '../domains/index.js';
import type { Actor } from '../orgs/index.js';
import type { ServerService } from '../servers/index.js';
import type { ProjectService } from '../projects/index.js';
import { toServiceDto } from './services.dto.js';
import { type ServiceContext, ServicesRepo } from './services.repo.js';

type Columns = Record<string, unknown>;

/** Only auto-detected builds can target the process runtime: a Dockerfile or an image needs an engine. */
const runsOnDockerOnly = (sourceType: string | undefined) => sourceType === 'dockerfile' || sourceType === 'image';

function columnsOf(input: UpdateServiceBody): Columns {
  const { health_check: hc, domains: _domains, ...rest } = input;
  const cols: Columns = { ...rest };
  if (hc) {
    if (hc.path !== undefined) cols.health_check_path = hc.path;
    if (hc.interval_seconds !== undefined) cols.health_check_interval = hc.interval_seconds;
    if (hc.timeout_seconds !== undefined) cols.health_check_timeout = hc.timeout_seconds;
    if (hc.retries !== undefined) cols.health_check_retries = hc.retries;
  }
  return cols;
}

/** What other modules do when a service is created, inside its transaction (the client keys give it a DSN). */
export interface ServiceLifecycle {
  created(trx: Knex.Transaction, serviceId: string): Promise<void>;
}

/** Services: one deployable unit of a project, placed on one server. */
export class ServiceService {
  private readonly repo: ServicesRepo;

  constructor(
    private readonly db: Knex,
    private readonly projects: ProjectService,
    private readonly domains: DomainService,
    private readonly servers: ServerService,
    private readonly audit: AuditService,
    private readonly lifecycle: ServiceLifecycle | null = null,
  ) {
    this.repo = new ServicesRepo(db);
  }

  orgIdOf(serviceId: string) {
    return this.repo.orgIdOf(serviceId);
  }

  async context(orgId: string, serviceId: string): Promise<ServiceContext> {
    const row = await this.repo.context(serviceId);
    if (!row || row.org_id !== orgId) throw new NotFoundError('Service');
    return row;
  }

  /** Any org's service, for callers that hold no org (the build worker, agent reports): they check ownership themselves. */
  contextById(serviceId: string): Promise<ServiceContext | undefined> {
    return this.repo.context(serviceId);
  }

  /** The deployment a service now runs (the agent reported it running). */
  setCurrentDeployment(serviceId: string, deploymentId: string) {
    return this.repo.setCurrentDeployment(serviceId, deploymentId);
  }

  /** The domains module's view of the services carrying hostnames (see HostnameHolders). */
  readonly hostnameHolders: HostnameHolders = {
    usage: (orgId, hostnames, trx) => this.repo.hostnameUsage(orgId, hostnames, trx),
    release: (trx, serviceId, hostname) => this.repo.releaseHostname(trx, serviceId, hostname),
  };

  /** Git services with auto-deploy on, in a project or an org (a push webhook picks those on its branch). */
  autoDeployCandidates(scope: { projectId: string } | { orgId: string }) {
    return this.repo.autoDeployCandidates(scope);
  }

  /** Which of `serviceIds` are placed on the server (inside the caller's transaction when given). */
  placedOn(serverId: string, serviceIds: readonly string[], trx?: Knex) {
    return this.repo.placedOn(serverId, serviceIds, trx);
  }

  isOnServer(orgId: string, serverId: string, serviceId: string) {
    return this.repo.isOnServer(orgId, serverId, serviceId);
  }

  /** A deployment is about to fetch the project's repository: the URL may predate the rules, or DNS changed. */
  async assertGitRemoteAllowed(orgId: string, url: string) {
    await this.projects.assertGitRemoteAllowed(orgId, url);
  }

  async list(orgId: string, projectId: string) {
    await this.projects.find(orgId, projectId);
    return (await this.repo.listByProject(projectId)).map(toServiceDto);
  }

  /** The services placed on a server (the route has checked the server belongs to the caller's org). */
  async listOnServer(serverId: string) {
    return (await this.repo.listByServer(serverId)).map((s) => ({ ...toServiceDto(s), project_name: s.project_name }));
  }

  async get(orgId: string, serviceId: string) {
    return toServiceDto(await this.context(orgId, serviceId));
  }

  async create(orgId: string, projectId: string, actor: Actor, input: CreateServiceBody) {
    await this.projects.find(orgId, projectId);
    const server = await this.servers.findInOrg(orgId, input.server_id);
    // The control plane's own machine hosts the admin organisation's services only (defence in depth:
    // it is registered in that organisation, so another one should never see it at all).
    if (!server || (server.is_local && !(await this.projects.isAdminOrg(orgId)))) throw new ValidationError('server_id is not a server of this organisation', { field: 'server_id' });
    const domains = [...new Set(input.domains ?? [])];
    await this.assertDomainsFree(orgId, domains);
    const id = await this.db.transaction(async (trx) => {
      const { server_id, ...rest } = input;
      const [row] = (await trx('services')
        .insert({
          ...columnsOf(rest),
          project_id: projectId,
          server_id,
          source_type: input.source_type ?? 'auto',
          runtime: input.runtime ?? (runsOnDockerOnly(input.source_type) ? 'docker' : 'process'),
          domains: JSON.stringify([]),
        })
        .returning('id')) as Array<{ id: string }>;
      await this.domains.claim(trx, orgId, domains);
      await this.repo.setDomains(trx, row!.id, domains).catch(this.domainConflict);
      await this.lifecycle?.created(trx, row!.id);
      return row!.id;
    });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'service.created', targetType: 'service', targetId: id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: input.name, domains } });
    return this.get(orgId, id);
  }

  async update(orgId: string, serviceId: string, actor: Actor, input: UpdateServiceBody) {
    const current = await this.context(orgId, serviceId);
    const next = { ...current, ...input };
    if (next.source_type === 'image' && !next.image_name) throw new ValidationError('image services need image_name', { field: 'image_name' });
    if (runsOnDockerOnly(next.source_type) && next.runtime === 'process') {
      // Switching the source to a Dockerfile/image moves the service to docker; asking for both is a mistake.
      if (input.runtime === 'process') throw new ValidationError('dockerfile and image services run on the docker runtime', { field: 'runtime' });
      input = { ...input, runtime: 'docker' };
    }
    const domains = input.domains ? [...new Set(input.domains)] : undefined;
    if (domains) await this.assertDomainsFree(orgId, domains, serviceId);
    await this.db.transaction(async (trx) => {
      const cols = columnsOf(input);
      if (Object.keys(cols).length) await trx('services').where({ id: serviceId }).update({ ...cols, updated_at: new Date() });
      if (domains) {
        await this.domains.claim(trx, orgId, domains);
        await this.repo.setDomains(trx, serviceId, domains).catch(this.domainConflict);
      }
    });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'service.updated', targetType: 'service', targetId: serviceId, ip: actor.ip, userAgent: actor.userAgent, metadata: { fields: Object.keys(input) } });
    return this.get(orgId, serviceId);
  }

  async remove(orgId: string, serviceId: string, actor: Actor) {
    const service = await this.context(orgId, serviceId);
    await this.db('services').where({ id: serviceId }).delete();
    await this.audit.record({ orgId, actorId: actor.userId, action: 'service.deleted', targetType: 'service', targetId: serviceId, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: service.name } });
    return service;
  }

  /** Another organisation's claim (exact or overlapping wildcard) first, then another service's use. */
  private async assertDomainsFree(orgId: string, domains: readonly string[], exceptService?: string) {
    if (!domains.length) return;
    await this.domains.assertClaimable(orgId, domains);
    const owner = await this.repo.domainOwner(domains, exceptService);
    if (owner) throw new ConflictError(`The domain ${owner.hostname} is already used by another service`);
  }

  private readonly domainConflict = (err: unknown): never => {
    if ((err as { code?: string }).code === '23505') throw new ConflictError('One of these domains is already used by another service');
    throw err;
  };
}
