import { Model, type RelationMappings } from 'objection';
import { ErrorEventModel } from './error-event.model.js';
import { ServiceModel } from './service.model.js';
import { UserModel } from './user.model.js';

export class ErrorGroupModel extends Model {
  static override tableName = 'error_groups';
  id!: string;
  service_id!: string;
  fingerprint!: string;
  title!: string;
  exception_type!: string | null;
  status!: string;
  severity!: string;
  first_seen_at!: Date;
  last_seen_at!: Date;
  event_count!: number;
  user_count!: number;
  assigned_to!: string | null;
  ai_analysis!: unknown;
  ai_analyzed_at!: Date | null;
  resolved_at!: Date | null;
  created_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      service: { relation: Model.BelongsToOneRelation, modelClass: ServiceModel, join: { from: 'error_groups.service_id', to: 'services.id' } },
      assignee: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'error_groups.assigned_to', to: 'users.id' } },
      events: { relation: Model.HasManyRelation, modelClass: ErrorEventModel, join: { from: 'error_groups.id', to: 'error_events.error_group_id' } },
    };
  }
}
