import type { Knex } from 'knex';
import type { ServiceRow } from './services.tables.js';

export type { ServiceRow };

/** A service joined with what the pipeline needs from its project. */
export interface ServiceContext extends ServiceRow {
  org_id: string;
  project_git_repo_url: string | null;
  project_git_branch: string | null;
  project_git_deploy_key: string | null;
}

export class ServicesRepo {
  constructor(private readonly db: Knex) {}

  withProject(trx?: Knex) {
    return (trx ?? this.db)('services')
      .join('projects', 'projects.id', 'services.project_id')
      .select(
        'services.*',
        'projects.org_id',
        'projects.git_repo_url as project_git_repo_url',
        'projects.git_branch as project_git_branch',
        'projects.git_deploy_key_encrypted as project_git_deploy_key',
      );
  }

  async context(serviceId: string, trx?: Knex): Promise<ServiceContext | undefined> {
    return (await this.withProject(trx).where('services.id', serviceId).first()) as ServiceContext | undefined;
  }

  async orgIdOf(serviceId: string): Promise<string | null> {
    const row = await this.db('services').join('projects', 'projects.id', 'services.project_id').where('services.id', serviceId).select('projects.org_id').first();
    return (row?.org_id as string | undefined) ?? null;
  }

  async setCurrentDeployment(serviceId: string, deploymentId: string) {
    await this.db('services').where({ id: serviceId }).update({ current_deployment_id: deploymentId });
  }

  /** Whether a service of the org is placed on the server. */
  async isOnServer(orgId: string, serverId: string, serviceId: string) {
    return Boolean(await this.db('services').join('projects', 'projects.id', 'services.project_id').where('services.id', serviceId).where('services.server_id', serverId).where('projects.org_id', orgId).first('services.id'));
  }

  /** Git services with auto-deploy on, of one project or one org, with the branch each deploys. */
  async autoDeployCandidates(scope: { projectId: string } | { orgId: string }) {
    const query = this.db('services').join('projects', 'projects.id', 'services.project_id');
    if ('projectId' in scope) void query.where('projects.id', scope.projectId);
    else void query.where('projects.org_id', scope.orgId);
    return (await query
      .where('services.auto_deploy', true)
      .whereNot('services.source_type', 'image')
      .whereNotNull('projects.git_repo_url')
      .select('services.id', 'projects.org_id', 'projects.git_repo_url', this.db.raw("COALESCE(services.git_branch, projects.git_branch, 'main') AS branch"))) as Array<{ id: string; org_id: string; git_repo_url: string; branch: string }>;
  }

  async placedOn(serverId: string, serviceIds: readonly string[], trx?: Knex): Promise<Set<string>> {
    return new Set(await (trx ?? this.db)('services').whereIn('id', serviceIds as string[]).where({ server_id: serverId }).pluck('id'));
  }

  /** Services of the organisation using each hostname. */
  async hostnameUsage(orgId: string, hostnames: readonly string[], trx?: Knex): Promise<Array<{ hostname: string; service_id: string; name: string }>> {
    if (!hostnames.length) return [];
    return (await (trx ?? this.db)('service_domains as sd')
      .join('services as s', 's.id', 'sd.service_id')
      .join('projects as p', 'p.id', 's.project_id')
      .where('p.org_id', orgId)
      .whereIn('sd.hostname', hostnames as string[])
      .orderBy('s.name')
      .select('sd.hostname', 's.id as service_id', 's.name')) as Array<{ hostname: string; service_id: string; name: string }>;
  }

  /** Takes one hostname off a service (its claim was taken over by another organisation). */
  async releaseHostname(trx: Knex.Transaction, serviceId: string, hostname: string) {
    await trx('service_domains').where({ service_id: serviceId, hostname }).delete();
    const service = await trx('services').where({ id: serviceId }).first('domains');
    const rest = (service?.domains ?? []).filter((h) => h !== hostname);
    await trx('services').where({ id: serviceId }).update({ domains: JSON.stringify(rest), updated_at: new Date() });
  }

  async listByProject(projectId: string): Promise<ServiceRow[]> {
    return this.db('services').where({ project_id: projectId }).orderBy('created_at');
  }

  async listByServer(serverId: string): Promise<Array<ServiceRow & { project_name: string }>> {
    return (await this.db('services')
      .join('projects', 'projects.id', 'services.project_id')
      .where('services.server_id', serverId)
      .select('services.*', 'projects.name as project_name')
      .orderBy([{ column: 'projects.name' }, { column: 'services.name' }])) as Array<ServiceRow & { project_name: string }>;
  }

  /** Replaces a service's domains; a hostname another service holds violates the primary key (23505). */
  async setDomains(trx: Knex.Transaction, serviceId: string, domains: readonly string[]) {
    await trx('service_domains').where({ service_id: serviceId }).delete();
    if (domains.length) await trx('service_domains').insert(domains.map((hostname) => ({ hostname, service_id: serviceId })));
    await trx('services').where({ id: serviceId }).update({ domains: JSON.stringify(domains) });
  }

  async domainOwner(hostnames: readonly string[], exceptService?: string) {
    const q = this.db('service_domains').whereIn('hostname', hostnames as string[]).first();
    if (exceptService) void q.whereNot('service_id', exceptService);
    return (await q) as { hostname: string; service_id: string } | undefined;
  }
}
