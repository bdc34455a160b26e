import type { ServiceRuntime, ServiceSourceType, VerifySettings } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The services module's table: what runs where, how it is built and checked. */
export interface ServiceRow {
  id: string;
  project_id: string;
  server_id: string;
  name: string;
  /** service_type: app, database, worker, cron. */
  type: string;
  source_type: ServiceSourceType;
  runtime: ServiceRuntime;
  git_branch: string | null;
  build_context: string | null;
  dockerfile_path: string | null;
  image_name: string | null;
  image_tag: string | null;
  start_command: string | null;
  port: number | null;
  replicas: number | null;
  cpu_limit: string | null;
  memory_limit: string | null;
  env_vars_encrypted: string | null;
  domains: string[] | null;
  health_check_path: string | null;
  health_check_interval: number | null;
  health_check_timeout: number | null;
  health_check_retries: number | null;
  auto_deploy: boolean | null;
  /** Post-deploy verification (issue 14); null: off. */
  verify: VerifySettings | null;
  current_deployment_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Which service holds a hostname (the primary key: one service per hostname). */
export interface ServiceDomainRow {
  hostname: string;
  service_id: string;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    service_domains: Table<ServiceDomainRow, 'hostname' | 'service_id'>;
    services: Table<ServiceRow, never, 'domains' | 'verify'>;
  }
}
