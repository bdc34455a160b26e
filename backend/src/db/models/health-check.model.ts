import { Model, type RelationMappings } from 'objection';
import { ServiceModel } from './service.model.js';

export class HealthCheckModel extends Model {
  static override tableName = 'health_checks';
  id!: number;
  service_id!: string;
  status_code!: number | null;
  response_time_ms!: number;
  is_healthy!: boolean;
  error_message!: string | null;
  checked_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      service: { relation: Model.BelongsToOneRelation, modelClass: ServiceModel, join: { from: 'health_checks.service_id', to: 'services.id' } },
    };
  }
}
