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

  async listByProject(projectId: string): Promise<ServiceRow[]> {
    return (await this.db('services').where({ project_id: projectId }).orderBy('created_at')) as ServiceRow[];
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
