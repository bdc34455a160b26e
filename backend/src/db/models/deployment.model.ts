import { Model, type RelationMappings } from 'objection';
import { ServiceModel } from './service.model.js';
import { UserModel } from './user.model.js';

export class DeploymentModel extends Model {
  static override tableName = 'deployments';
  id!: string;
  service_id!: string;
  status!: string;
  git_commit_sha!: string | null;
  git_commit_message!: string | null;
  git_branch!: string | null;
  image_digest!: string | null;
  build_duration_ms!: number | null;
  deploy_duration_ms!: number | null;
  build_logs!: string | null;
  triggered_by!: string | null;
  trigger_type!: string;
  error_message!: string | null;
  rollback_from_id!: string | null;
  created_at!: Date;
  started_at!: Date | null;
  finished_at!: Date | null;

  static override get relationMappings(): RelationMappings {
    return {
      service: { relation: Model.BelongsToOneRelation, modelClass: ServiceModel, join: { from: 'deployments.service_id', to: 'services.id' } },
      triggeredByUser: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'deployments.triggered_by', to: 'users.id' } },
    };
  }
}
