import { Model, type RelationMappings } from 'objection';
import { DeploymentModel } from './deployment.model.js';
import { ErrorGroupModel } from './error-group.model.js';
import { HealthCheckModel } from './health-check.model.js';
import { ProjectModel } from './project.model.js';
import { ServerModel } from './server.model.js';

export class ServiceModel extends Model {
  static override tableName = 'services';
  id!: string;
  project_id!: string;
  server_id!: string;
  name!: string;
  type!: string;
  source_type!: string;
  dockerfile_path!: string | null;
  build_context!: string | null;
  image_name!: string | null;
  image_tag!: string | null;
  port!: number | null;
  replicas!: number;
  cpu_limit!: string | null;
  memory_limit!: string | null;
  env_vars_encrypted!: string | null;
  domains!: string[];
  health_check_path!: string | null;
  health_check_interval!: number;
  health_check_timeout!: number;
  health_check_retries!: number;
  auto_deploy!: boolean;
  current_deployment_id!: string | null;
  created_at!: Date;
  updated_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      project: { relation: Model.BelongsToOneRelation, modelClass: ProjectModel, join: { from: 'services.project_id', to: 'projects.id' } },
      server: { relation: Model.BelongsToOneRelation, modelClass: ServerModel, join: { from: 'services.server_id', to: 'servers.id' } },
      deployments: { relation: Model.HasManyRelation, modelClass: DeploymentModel, join: { from: 'services.id', to: 'deployments.service_id' } },
      errorGroups: { relation: Model.HasManyRelation, modelClass: ErrorGroupModel, join: { from: 'services.id', to: 'error_groups.service_id' } },
      healthChecks: { relation: Model.HasManyRelation, modelClass: HealthCheckModel, join: { from: 'services.id', to: 'health_checks.service_id' } },
    };
  }
}
