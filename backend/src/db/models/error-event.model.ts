import { Model, type RelationMappings } from 'objection';
import { DeploymentModel } from './deployment.model.js';
import { ErrorGroupModel } from './error-group.model.js';

export class ErrorEventModel extends Model {
  static override tableName = 'error_events';
  id!: string;
  error_group_id!: string;
  deployment_id!: string | null;
  stack_trace!: unknown;
  breadcrumbs!: unknown;
  context!: unknown;
  environment!: string | null;
  release!: string | null;
  user_id_hash!: string | null;
  timestamp!: Date;
  created_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      group: { relation: Model.BelongsToOneRelation, modelClass: ErrorGroupModel, join: { from: 'error_events.error_group_id', to: 'error_groups.id' } },
      deployment: { relation: Model.BelongsToOneRelation, modelClass: DeploymentModel, join: { from: 'error_events.deployment_id', to: 'deployments.id' } },
    };
  }
}
